// ⑧ Principal (see principal.h): the access rule and the events a role may
// send now. Pure: reads the model, the case state and the stored row only.
#include "web/auth/principal.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace zgtflow::web::auth {
namespace {

// Events the engine itself raises in a case: replies and failures of calls
// and `emit`s. Offering them to people would let a person forge a reply.
std::set<std::string> EngineEvents(const model::Workflow& workflow) {
  std::set<std::string> events;
  auto note = [&events](const std::vector<model::ActionDef>& actions) {
    for (const model::ActionDef& action : actions) {
      if (action.kind == model::ActionKind::kCall) {
        if (!action.reply_event.empty()) events.insert(action.reply_event);
        if (!action.failure_event.empty()) events.insert(action.failure_event);
      } else if (action.kind == model::ActionKind::kEmit) {
        events.insert(action.event);
      }
    }
  };
  for (const model::StateDef& state : workflow.states) {
    note(state.entry);
    note(state.exit);
    for (const model::TransitionDef& t : state.transitions) note(t.actions);
    for (const model::TimerDef& timer : state.timers) note(timer.actions);
  }
  for (const model::TransitionDef& t : workflow.start_transitions) note(t.actions);
  return events;
}

bool RoleMay(const model::TransitionDef& transition, const std::string& role) {
  return transition.roles.empty() ||
         std::find(transition.roles.begin(), transition.roles.end(), role) !=
             transition.roles.end();
}

AllowedEvent Describe(const model::Workflow& workflow, const model::TransitionDef& transition) {
  AllowedEvent allowed;
  allowed.event = transition.event;
  allowed.guarded = transition.has_guard;
  for (int field : transition.required_fields) {
    if (field >= 0 && field < static_cast<int>(workflow.fields.size())) {
      allowed.required_fields.push_back(workflow.fields[field].name);
    }
  }
  if (transition.target >= 0 && transition.target < static_cast<int>(workflow.states.size())) {
    allowed.target = workflow.states[transition.target].name;
    allowed.target_label = workflow.states[transition.target].label;
  }
  return allowed;
}

}  // namespace

bool RoleSeesAll(const std::string& role) {
  for (const char* name : kSeesAllRoles) {
    if (role == name) return true;
  }
  return false;
}

bool MaySee(const Principal& principal, const store::CaseRow& row) {
  if (principal.sees_all) return true;
  if (principal.party.empty()) return false;
  nlohmann::json parties = nlohmann::json::parse(row.parties, nullptr, /*allow_exceptions=*/false);
  if (parties.is_discarded() || !parties.is_object()) return false;
  for (const auto& item : parties.items()) {
    if (!item.value().is_array()) continue;
    for (const nlohmann::json& name : item.value()) {
      if (name.is_string() && name.get_ref<const std::string&>() == principal.party) return true;
    }
  }
  return false;
}

std::vector<AllowedEvent> AllowedEvents(const model::Workflow& workflow,
                                        const core::CaseState& state, const std::string& role) {
  std::vector<AllowedEvent> out;
  if (state.status != core::CaseStatus::kRunning) return out;
  std::set<std::string> engine = EngineEvents(workflow);
  std::set<std::string> seen;
  // Innermost first: active states are sorted by index and a child comes
  // after its parent in the model, so walk them deepest first.
  std::vector<int> active(state.active.begin(), state.active.end());
  std::stable_sort(active.begin(), active.end(), [&workflow](int a, int b) {
    return workflow.states[a].depth > workflow.states[b].depth;
  });
  for (int index : active) {
    if (index < 0 || index >= static_cast<int>(workflow.states.size())) continue;
    for (const model::TransitionDef& t : workflow.states[index].transitions) {
      if (t.kind != model::TransitionKind::kEvent || t.event.empty()) continue;
      if (t.event.find('.') != std::string::npos || engine.count(t.event)) continue;
      if (!RoleMay(t, role) || seen.count(t.event)) continue;
      seen.insert(t.event);
      out.push_back(Describe(workflow, t));
    }
  }
  return out;
}

std::vector<AllowedEvent> StartEvents(const model::Workflow& workflow, const std::string& role) {
  std::vector<AllowedEvent> out;
  if (workflow.start_transitions.empty()) {
    out.push_back(AllowedEvent{});
    return out;
  }
  std::set<std::string> seen;
  for (const model::TransitionDef& t : workflow.start_transitions) {
    if (!RoleMay(t, role) || seen.count(t.event)) continue;
    seen.insert(t.event);
    out.push_back(Describe(workflow, t));
  }
  return out;
}

}  // namespace zgtflow::web::auth
