// The in-memory cases of one scenario on a virtual clock (see case_set.h).
#include "engine/scenario/case_set.h"

#include <tuple>
#include <utility>

#include "engine/core/case_query_value.h"
#include "engine/core/effect.h"

namespace zgtflow::scenario {

namespace {

// A workflow whose `every` timer has no `until` would otherwise make a long
// `advance` spin; no honest scenario fires this many timers in one move.
constexpr int kMaxFiringsPerMove = 100000;
// Child cases completing into parents that start more children: bounded so a
// workflow that starts itself cannot hang the runner.
constexpr size_t kMaxInputsPerStep = 10000;

std::string Describe(const core::Rejection& rejection) {
  return rejection.code + ": " + rejection.message;
}

}  // namespace

CaseSet::CaseSet(const std::vector<std::shared_ptr<const model::Workflow>>* workflows,
                 const calendar::Calendar* calendar)
    : workflows_(workflows), calendar_(calendar) {}

std::shared_ptr<const model::Workflow> CaseSet::FindWorkflow(const std::string& id) const {
  for (const auto& workflow : *workflows_) {
    if (workflow != nullptr && workflow->id == id) return workflow;
  }
  return nullptr;
}

Result<calendar::Instant> CaseSet::Add(const calendar::Duration& duration) const {
  if (calendar_ != nullptr) return calendar_->Add(now_, duration);
  return calendar::AddWithoutCalendar(now_, duration);
}

std::string CaseSet::MoveClockTo(calendar::Instant target) {
  if (!clock_set_) {
    clock_set_ = true;
    now_ = target;
  }
  for (int firings = 0;; ++firings) {
    // The earliest pending timer over all cases, by (due, case, id).
    int best_case = -1;
    const core::PendingTimer* best = nullptr;
    for (size_t c = 0; c < cases_.size(); ++c) {
      for (const auto& timer : cases_[c].state.timers) {
        if (timer.due > target) continue;
        if (best == nullptr ||
            std::make_tuple(timer.due.epoch_ms, static_cast<int>(c), timer.id) <
                std::make_tuple(best->due.epoch_ms, best_case, best->id)) {
          best = &timer;
          best_case = static_cast<int>(c);
        }
      }
    }
    if (best == nullptr) break;
    if (firings >= kMaxFiringsPerMove) {
      return "more than " + std::to_string(kMaxFiringsPerMove) +
             " timer firings before " + calendar::FormatInstant(target) +
             "; does an `every` timer never stop?";
    }
    // A timer scheduled in the past (an `at` deadline already gone by at
    // entry) fires now: the clock never moves back.
    if (best->due > now_) now_ = best->due;
    uint32_t timer_id = best->id;
    Applied applied = Submit(best_case, core::Input::TimerFired(timer_id));
    if (applied.rejection) {
      return "timer " + std::to_string(timer_id) + " of case " + cases_[best_case].id + " at " +
             calendar::FormatInstant(now_) + " was refused: " + Describe(*applied.rejection);
    }
    if (!applied.error.empty()) return applied.error;
  }
  now_ = target;
  return "";
}

core::StepResult CaseSet::Try(const model::Workflow& workflow, int case_index,
                              const core::Input& input) const {
  core::StepClock clock{now_, calendar_};
  if (case_index < 0) {
    core::CaseState fresh = core::NewCaseState(workflow.version, workflow.fields.size());
    return core::Step(workflow, fresh, Answered(workflow, fresh, input), clock);
  }
  const ScenarioCase& c = cases_[case_index];
  return core::Step(*c.workflow, c.state, Answered(*c.workflow, c.state, input), clock);
}

core::Input CaseSet::Answered(const model::Workflow& workflow, const core::CaseState& state,
                              core::Input input) const {
  if (input.kind != core::InputKind::kStart && input.kind != core::InputKind::kEvent) return input;
  for (const model::CaseQuery& query : workflow.case_queries) {
    const std::string mine = core::CaseQueryValue(workflow, state, input, query);
    bool found = false;
    for (const ScenarioCase& other : cases_) {
      if (found || other.workflow->id != query.workflow) continue;
      int field = other.workflow->FindField(query.field);
      int in_state = other.workflow->FindState(query.state);
      if (field < 0 || in_state < 0 || other.state.data[field].is_null()) continue;
      if (other.state.data[field].ToDisplayString() != mine) continue;
      for (uint16_t active : other.state.active) found = found || active == in_state;
    }
    input.facts[query.Key()] = model::Value::Bool(found);
  }
  return input;
}

int CaseSet::AddCase(std::shared_ptr<const model::Workflow> workflow, int parent) {
  ScenarioCase c;
  c.id = workflow->id + "#" + std::to_string(cases_.size() + 1);
  c.state = core::NewCaseState(workflow->version, workflow->fields.size());
  c.workflow = std::move(workflow);
  c.parent = parent;
  cases_.push_back(std::move(c));
  return static_cast<int>(cases_.size()) - 1;
}

Applied CaseSet::Start(std::shared_ptr<const model::Workflow> workflow, const core::Input& input,
                       int* case_index) {
  // Decided before the case exists, so a refused start leaves no trace.
  core::StepResult result = Try(*workflow, -1, input);
  Applied applied;
  if (result.rejection) {
    applied.rejection = result.rejection;
    return applied;
  }
  *case_index = AddCase(std::move(workflow), -1);
  return Submit(*case_index, input);
}

Applied CaseSet::Submit(int case_index, const core::Input& input) {
  return Drain(Work{case_index, input});
}

Applied CaseSet::Drain(Work first) {
  Applied applied;
  std::vector<Work> queue{std::move(first)};
  for (size_t i = 0; i < queue.size(); ++i) {
    if (i >= kMaxInputsPerStep) {
      applied.error = "more than " + std::to_string(kMaxInputsPerStep) +
                      " follow-up inputs in one step; do cases start each other without end?";
      return applied;
    }
    Work work = queue[i];  // A copy: CarryOut may grow the queue.
    ScenarioCase& c = cases_[work.case_index];
    core::StepClock clock{now_, calendar_};
    work.input = Answered(*c.workflow, c.state, std::move(work.input));
    core::StepResult result = core::Step(*c.workflow, c.state, work.input, clock);
    if (result.rejection) {
      if (i == 0) {
        applied.rejection = result.rejection;
        return applied;
      }
      if (work.may_be_refused) continue;
      applied.error = "case " + c.id + " refused " +
                      (work.input.kind == core::InputKind::kStart ? "its start"
                                                                  : "'" + work.input.event + "'") +
                      ": " + Describe(*result.rejection);
      return applied;
    }
    c.state = std::move(result.next);
    CarryOut(work.case_index, result.effects, &queue, &applied.error);
    if (!applied.error.empty()) return applied;
  }
  return applied;
}

void CaseSet::CarryOut(int case_index, const std::vector<core::Effect>& effects,
                       std::vector<Work>* queue, std::string* error) {
  for (const core::Effect& effect : effects) {
    switch (effect.kind) {
      case core::EffectKind::kNotify:
        notifications_.push_back(Notification{case_index, effect.role, effect.text});
        break;
      case core::EffectKind::kStartChild: {
        auto child_workflow = FindWorkflow(effect.workflow);
        if (child_workflow == nullptr) {
          *error = "case " + cases_[case_index].id + " starts a child case of workflow '" +
                   effect.workflow + "', which is not among the compiled workflows";
          return;
        }
        model::Object payload;
        for (const auto& [field, value] : effect.data) payload[field] = value;
        std::string role;
        if (!child_workflow->start_transitions.empty() &&
            !child_workflow->start_transitions.front().roles.empty()) {
          role = child_workflow->start_transitions.front().roles.front();
        }
        int child = AddCase(child_workflow, case_index);
        core::Input start = core::Input::Start(role, std::move(payload));
        start.actor_party = cases_[case_index].id;
        queue->push_back(Work{child, std::move(start)});
        break;
      }
      case core::EffectKind::kCompleted: {
        int parent = cases_[case_index].parent;
        if (parent < 0) break;
        core::Input done;
        done.kind = core::InputKind::kChildDone;
        done.event = cases_[case_index].workflow->id;
        done.child_id = cases_[case_index].id;
        queue->push_back(Work{parent, std::move(done), /*may_be_refused=*/true});
        break;
      }
      case core::EffectKind::kSendToCases: {
        // Message correlation: every case of the workflow whose field holds
        // the same value receives the event, in case order.
        model::Object payload;
        for (const auto& [field, value] : effect.data) payload[field] = value;
        for (size_t i = 0; i < cases_.size(); ++i) {
          const ScenarioCase& receiver = cases_[i];
          if (receiver.workflow->id != effect.workflow) continue;
          int field = receiver.workflow->FindField(effect.match_field);
          if (field < 0 || receiver.state.data[field] != effect.match_value) continue;
          core::Input input = core::Input::Event(effect.text, effect.role, payload);
          input.actor_party = cases_[case_index].id;
          queue->push_back(Work{static_cast<int>(i), std::move(input), /*may_be_refused=*/true});
        }
        break;
      }
      // The case state already holds its pending timers and calls; the
      // scenario reads them from there. Adapters are not called (case_set.h).
      case core::EffectKind::kScheduleTimer:
      case core::EffectKind::kCancelTimer:
      case core::EffectKind::kCallAdapter:
      case core::EffectKind::kRecord:
      case core::EffectKind::kEnterState:
      case core::EffectKind::kExitState:
        break;
    }
  }
}

}  // namespace zgtflow::scenario
