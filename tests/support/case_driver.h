// Test support: drives one case through core::Step on a hand-moved clock,
// keeping the state between inputs as the runtime would. Header-only.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "engine/core/history.h"
#include "engine/core/step.h"
#include "engine/model/workflow.h"

namespace zgtflow::testing {

class CaseDriver {
 public:
  CaseDriver(const model::Workflow& workflow, calendar::Instant now,
             const calendar::Calendar* calendar = nullptr)
      : workflow_(workflow),
        state_(core::NewCaseState(workflow.version, workflow.fields.size())),
        now_(now),
        calendar_(calendar) {}

  // Applies `input` at the current instant; keeps the new state and records
  // the history entry when accepted.
  core::StepResult Send(const core::Input& input) {
    core::StepResult result = core::Step(workflow_, state_, input, core::StepClock{now_, calendar_});
    if (!result.rejection) {
      state_ = result.next;
      core::HistoryEntry entry;
      entry.seq = state_.revision;
      entry.input = input;
      entry.at = now_;
      entry.effects = result.effects;
      history_.push_back(std::move(entry));
    }
    return result;
  }

  // Fires the earliest pending timer after moving the clock to its due time.
  core::StepResult FireNext() {
    const core::PendingTimer timer = state_.timers.front();
    if (now_ < timer.due) now_ = timer.due;
    return Send(core::Input::TimerFired(timer.id));
  }

  bool InState(const std::string& name) const {
    int index = workflow_.FindState(name);
    return index >= 0 && std::binary_search(state_.active.begin(), state_.active.end(),
                                            static_cast<uint16_t>(index));
  }
  // Names of the active states in document order.
  std::vector<std::string> Active() const {
    std::vector<std::string> names;
    for (uint16_t s : state_.active) names.push_back(workflow_.states[s].name);
    return names;
  }
  const model::Value& Data(const std::string& field) const {
    return state_.data[workflow_.FindField(field)];
  }

  const core::CaseState& state() const { return state_; }
  const std::vector<core::HistoryEntry>& history() const { return history_; }
  calendar::Instant now() const { return now_; }
  void set_now(calendar::Instant now) { now_ = now; }

 private:
  const model::Workflow& workflow_;
  core::CaseState state_;
  calendar::Instant now_;
  const calendar::Calendar* calendar_;
  std::vector<core::HistoryEntry> history_;
};

// "exit:a", "enter:b", "notify:role:text", "schedule:7", "cancel:7", … : the
// effects in a form a test can compare as one list.
inline std::vector<std::string> Trace(const std::vector<core::Effect>& effects) {
  std::vector<std::string> out;
  for (const core::Effect& e : effects) {
    switch (e.kind) {
      case core::EffectKind::kEnterState: out.push_back("enter:" + e.state); break;
      case core::EffectKind::kExitState: out.push_back("exit:" + e.state); break;
      case core::EffectKind::kNotify: out.push_back("notify:" + e.role + ":" + e.text); break;
      case core::EffectKind::kScheduleTimer: out.push_back("schedule:" + std::to_string(e.timer_id)); break;
      case core::EffectKind::kCancelTimer: out.push_back("cancel:" + std::to_string(e.timer_id)); break;
      case core::EffectKind::kRecord: out.push_back("record:" + e.text); break;
      case core::EffectKind::kCallAdapter:
        out.push_back("call:" + e.adapter + "." + e.operation + ":" + std::to_string(e.call_id));
        break;
      case core::EffectKind::kStartChild:
        out.push_back("start:" + e.workflow + ":" + std::to_string(e.child_index));
        break;
      case core::EffectKind::kCompleted: out.push_back("completed"); break;
      case core::EffectKind::kSendToCases:
        out.push_back("send:" + e.workflow + ":" + e.text + ":" + e.match_field + "=" +
                      e.match_value.ToDisplayString() + ":as " + e.role);
        break;
    }
  }
  return out;
}

}  // namespace zgtflow::testing
