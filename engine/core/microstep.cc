// ④ The statechart algorithm: transition selection, exit and entry sets,
// eventless transitions to completion (W3C SCXML, Appendix D, without history
// states). Indices are document order, so the sorted active list is too.
#include "engine/core/microstep.h"

#include <algorithm>

#include "engine/core/actions.h"
#include "engine/core/timers.h"

namespace zgtflow::core {

using model::StateKind;
using model::TransitionDef;
using model::TransitionKind;
using model::Workflow;

int TransitionDomain(const Workflow& workflow, int source, int target) {
  // Between two top-level states (every transition of a flat chart): the root.
  if (source > 0 && target > 0 && workflow.states[source].parent == 0 &&
      workflow.states[target].parent == 0) {
    return 0;
  }
  // A parent's transition to one of its own descendants stays inside it
  // (SCXML type="internal", xstate v5's default): the parent is not left, so
  // its deadlines keep running.
  if (target != source && workflow.states[source].kind == StateKind::kCompound &&
      workflow.IsAncestorOrSelf(source, target)) {
    return source;
  }
  for (int a = workflow.states[source].parent; a >= 0; a = workflow.states[a].parent) {
    const bool compound = a == 0 || workflow.states[a].kind == StateKind::kCompound;
    if (compound && a != target && workflow.IsAncestorOrSelf(a, target)) return a;
  }
  return 0;
}

bool IsActive(const CaseState& case_state, int state) {
  return std::binary_search(case_state.active.begin(), case_state.active.end(),
                            static_cast<uint16_t>(state));
}

bool IsInFinalState(const Workflow& workflow, const CaseState& case_state, int state) {
  const model::StateDef& def = workflow.states[state];
  if (def.kind == StateKind::kCompound) {
    for (int child : def.children) {
      if (workflow.states[child].kind == StateKind::kFinal && IsActive(case_state, child)) return true;
    }
    return false;
  }
  if (def.kind == StateKind::kParallel) {
    for (int child : def.children) {
      if (!IsInFinalState(workflow, case_state, child)) return false;
    }
    return true;
  }
  return false;
}

namespace {

bool IsAtomic(const model::StateDef& def) { return def.children.empty(); }

// A guard holds when it evaluates to true. An expression that cannot be
// evaluated (a field with no value yet) does not hold, as SCXML treats an
// erroneous cond as false; `why` keeps the evaluation error for the message.
bool GuardHolds(StepContext& ctx, const TransitionDef& t, std::string* why) {
  if (!t.has_guard) return true;
  Result<model::Value> value = Eval(t.guard, ctx.eval);
  if (!value.ok()) {
    if (why != nullptr) *why = value.status().message();
    return false;
  }
  return value->kind() == model::Value::Kind::kBool && value->AsBool();
}

// SCXML removeConflictingTransitions, done as each transition is added. Two
// transitions with targets conflict when their exit sets intersect, which
// (both sources being active) is when one domain contains the other.
void AddSelected(const Workflow& wf, SelectedSet& selected, Selected t) {
  for (const Selected& s : selected) {
    if (s.def == t.def && s.source == t.source) return;  // A shared ancestor's transition.
  }
  if (t.target < 0) {  // Exits nothing, so conflicts with nothing.
    selected.push_back(t);
    return;
  }
  t.domain = TransitionDomain(wf, t.source, t.target);
  size_t remove_count = 0;
  bool remove[64] = {};
  for (size_t i = 0; i < selected.size(); ++i) {
    const Selected& s = selected[i];
    if (s.target < 0) continue;
    if (!wf.IsAncestorOrSelf(s.domain, t.domain) && !wf.IsAncestorOrSelf(t.domain, s.domain)) continue;
    if (s.source != t.source && wf.IsAncestorOrSelf(s.source, t.source) && i < 64) {
      remove[i] = true;  // The descendant's transition wins.
      ++remove_count;
    } else {
      return;  // The earlier one in document order wins.
    }
  }
  if (remove_count > 0) {
    size_t keep = 0;
    for (size_t i = 0; i < selected.size(); ++i) {
      if (!(i < 64 && remove[i])) selected[keep++] = selected[i];
    }
    selected.truncate(keep);
  }
  selected.push_back(t);
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const std::string& role : roles) {
    if (!out.empty()) out += ", ";
    out += role;
  }
  return out;
}

void Refuse(Selection& sel, int stage, std::string code, std::string message, std::string field = "") {
  if (stage <= sel.stage) return;
  sel.stage = stage;
  sel.code = std::move(code);
  sel.message = std::move(message);
  sel.field = std::move(field);
}

}  // namespace

Selection SelectEventTransitions(StepContext& ctx, const std::string& event,
                                 const std::string* actor_role) {
  const Workflow& wf = ctx.workflow;
  Selection sel;
  // Iterate over a copy of the indices only when there are several atomic
  // states; the active list is not changed during selection anyway.
  for (uint16_t atomic : ctx.state.active) {
    if (!IsAtomic(wf.states[atomic])) continue;
    bool taken = false;
    for (int s = atomic; s > 0 && !taken; s = wf.states[s].parent) {
      for (const TransitionDef& t : wf.states[s].transitions) {
        if (t.kind != TransitionKind::kEvent || t.event != event) continue;
        sel.handled = true;
        if (actor_role != nullptr && !t.roles.empty() &&
            std::find(t.roles.begin(), t.roles.end(), *actor_role) == t.roles.end()) {
          Refuse(sel, 1, "role-not-allowed",
                 "role '" + *actor_role + "' may not send '" + event + "' in state '" +
                     wf.states[s].name + "'; it may be sent by " + JoinRoles(t.roles));
          continue;
        }
        bool missing = false;
        for (int field : t.required_fields) {
          if (ctx.state.data[field].is_null()) {
            Refuse(sel, 2, "missing-field",
                   "'" + event + "' requires '" + wf.fields[field].name + "', which has no value",
                   wf.fields[field].name);
            missing = true;
            break;
          }
        }
        if (missing) continue;
        std::string why;
        if (!GuardHolds(ctx, t, &why)) {
          Refuse(sel, 3, "guard-false",
                 "the condition of '" + event + "' in state '" + wf.states[s].name +
                     "' does not hold" + (why.empty() ? "" : " (" + why + ")"));
          continue;
        }
        AddSelected(wf, sel.selected, Selected{s, t.target, &t.actions, &t, -1});
        taken = true;
        break;
      }
    }
  }
  return sel;
}

SelectedSet SelectEventless(StepContext& ctx) {
  const Workflow& wf = ctx.workflow;
  SelectedSet selected;
  for (uint16_t atomic : ctx.state.active) {
    if (!IsAtomic(wf.states[atomic])) continue;
    bool taken = false;
    for (int s = atomic; s > 0 && !taken; s = wf.states[s].parent) {
      const auto& transitions = wf.states[s].transitions;
      // Most states have only event transitions: one cheap scan skips them.
      if (std::all_of(transitions.begin(), transitions.end(), [](const TransitionDef& t) {
            return t.kind == TransitionKind::kEvent;
          })) {
        continue;
      }
      // Branches in order, `else` last wherever it was written.
      for (int pass = 0; pass < 2 && !taken; ++pass) {
        for (const TransitionDef& t : transitions) {
          const bool is_else = t.kind == TransitionKind::kChoiceElse;
          if (t.kind == TransitionKind::kEvent || is_else != (pass == 1)) continue;
          if (!GuardHolds(ctx, t, nullptr)) continue;
          AddSelected(wf, selected, Selected{s, t.target, &t.actions, &t, -1});
          taken = true;
          break;
        }
      }
    }
  }
  return selected;
}

namespace {

// Whether some active atomic state or an ancestor of it has an eventless
// transition: most states have none, and RunToCompletion asks after every
// microstep, so it is answered before any selection set is built.
bool MayHaveEventless(const StepContext& ctx) {
  const Workflow& wf = ctx.workflow;
  for (uint16_t atomic : ctx.state.active) {
    if (!IsAtomic(wf.states[atomic])) continue;
    for (int s = atomic; s > 0; s = wf.states[s].parent) {
      for (const TransitionDef& t : wf.states[s].transitions) {
        if (t.kind != TransitionKind::kEvent) return true;
      }
    }
  }
  return false;
}

}  // namespace

bool CountMicrostep(StepContext& ctx) {
  if (++ctx.microsteps > kMaxMicrosteps) {
    ctx.Fail("eventless-loop", "eventless transitions did not settle within " +
                                   std::to_string(kMaxMicrosteps) + " microsteps");
    return false;
  }
  return true;
}

namespace {

using StateSet = SmallVec<int, 16>;

bool Contains(const StateSet& set, int state) {
  return std::find(set.begin(), set.end(), state) != set.end();
}

bool HasDescendantIn(const Workflow& wf, const StateSet& set, int state) {
  for (int s : set) {
    if (wf.IsAncestorOrSelf(state, s)) return true;
  }
  return false;
}

int InitialChild(const model::StateDef& def) {
  if (def.initial_child >= 0) return def.initial_child;
  return def.children.empty() ? -1 : def.children.front();
}

// SCXML addDescendantStatesToEnter (no history states).
void AddDescendants(const Workflow& wf, int state, StateSet& enter) {
  if (!Contains(enter, state)) enter.push_back(state);
  const model::StateDef& def = wf.states[state];
  if (def.kind == StateKind::kCompound) {
    int initial = InitialChild(def);
    if (initial >= 0) AddDescendants(wf, initial, enter);
  } else if (def.kind == StateKind::kParallel) {
    for (int child : def.children) {
      if (!HasDescendantIn(wf, enter, child)) AddDescendants(wf, child, enter);
    }
  }
}

// SCXML addAncestorStatesToEnter: the target's proper ancestors below the
// domain, with the other regions of any parallel ancestor.
void AddAncestors(const Workflow& wf, int state, int domain, StateSet& enter) {
  for (int a = wf.states[state].parent; a > 0 && a != domain; a = wf.states[a].parent) {
    if (!Contains(enter, a)) enter.push_back(a);
    if (wf.states[a].kind == StateKind::kParallel) {
      for (int child : wf.states[a].children) {
        if (!HasDescendantIn(wf, enter, child)) AddDescendants(wf, child, enter);
      }
    }
  }
}

void RaiseDone(StepContext& ctx, int state) {
  ctx.internal_events.push_back(ctx.workflow.states[state].name + ".done");
}

bool ExitState(StepContext& ctx, int state) {
  const model::StateDef& def = ctx.workflow.states[state];
  if (!RunActions(ctx, def.exit, state)) return false;
  CancelStateTimers(ctx, state);
  ctx.AddEffect(EffectKind::kExitState).state = def.name;
  auto& active = ctx.state.active;
  active.erase(std::lower_bound(active.begin(), active.end(), static_cast<uint16_t>(state)));
  return true;
}

bool EnterState(StepContext& ctx, int state) {
  const Workflow& wf = ctx.workflow;
  const model::StateDef& def = wf.states[state];
  auto& active = ctx.state.active;
  active.insert(std::lower_bound(active.begin(), active.end(), static_cast<uint16_t>(state)),
                static_cast<uint16_t>(state));
  ctx.AddEffect(EffectKind::kEnterState).state = def.name;
  // Entry actions before timers, so `at due` can read a `due` set on entry.
  if (!RunActions(ctx, def.entry, state)) return false;
  if (!ScheduleStateTimers(ctx, state)) return false;
  if (def.kind == StateKind::kFinal) {
    const int parent = def.parent;
    if (parent <= 0) {
      ctx.completed = true;
    } else {
      RaiseDone(ctx, parent);
      const int grandparent = wf.states[parent].parent;
      if (grandparent > 0 && wf.states[grandparent].kind == StateKind::kParallel &&
          IsInFinalState(wf, ctx.state, grandparent)) {
        RaiseDone(ctx, grandparent);
      }
    }
  }
  return true;
}

}  // namespace

bool Microstep(StepContext& ctx, SelectedSet& selected) {
  const Workflow& wf = ctx.workflow;
  bool any_target = false;
  for (Selected& t : selected) {
    if (t.target >= 0) {
      // AddSelected has already computed it for selected transitions.
      if (t.domain < 0) t.domain = TransitionDomain(wf, t.source, t.target);
      any_target = true;
    }
  }

  // The common case, one transition whose domain is the root (a flat chart,
  // or any transition between top-level states): every active state is
  // exited, and an atomic target directly under the root is the whole entry
  // set. Same sets as the general code below, without computing them.
  if (selected.size() == 1 && selected[0].target >= 0 && selected[0].domain == 0) {
    const Selected& t = selected[0];
    while (!ctx.state.active.empty()) {
      const int innermost = ctx.state.active.end()[-1];
      if (innermost == 0) break;  // The root is never exited (nor normally listed).
      if (!ExitState(ctx, innermost)) return false;
    }
    if (t.actions != nullptr && !RunActions(ctx, *t.actions, t.source)) return false;
    const model::StateDef& target = wf.states[t.target];
    if (target.children.empty() && target.parent == 0) {
      return IsActive(ctx.state, t.target) || EnterState(ctx, t.target);
    }
    StateSet enter;
    AddDescendants(wf, t.target, enter);
    AddAncestors(wf, t.target, t.domain, enter);
    std::sort(enter.begin(), enter.end());
    for (int s : enter) {
      if (IsActive(ctx.state, s)) continue;
      if (!EnterState(ctx, s)) return false;
    }
    return true;
  }

  if (any_target) {
    // Exit set: active proper descendants of a domain, innermost (highest index) first.
    StateSet exit;
    for (uint16_t s : ctx.state.active) {
      for (const Selected& t : selected) {
        if (t.target >= 0 && t.domain != s && wf.IsAncestorOrSelf(t.domain, s)) {
          exit.push_back(s);
          break;
        }
      }
    }
    for (size_t i = exit.size(); i-- > 0;) {
      if (!ExitState(ctx, exit[i])) return false;
    }
  }

  for (const Selected& t : selected) {
    if (t.actions != nullptr && !RunActions(ctx, *t.actions, t.source)) return false;
  }

  if (any_target) {
    StateSet enter;
    for (const Selected& t : selected) {
      if (t.target < 0) continue;
      AddDescendants(wf, t.target, enter);
      AddAncestors(wf, t.target, t.domain, enter);
    }
    std::sort(enter.begin(), enter.end());
    for (int s : enter) {
      if (IsActive(ctx.state, s)) continue;
      if (!EnterState(ctx, s)) return false;
    }
  }
  return true;
}

bool RunToCompletion(StepContext& ctx) {
  while (!ctx.completed && !ctx.failed()) {
    if (MayHaveEventless(ctx)) {
      SelectedSet eventless = SelectEventless(ctx);
      if (!eventless.empty()) {
        if (!CountMicrostep(ctx) || !Microstep(ctx, eventless)) return false;
        continue;
      }
    }
    if (ctx.next_internal == ctx.internal_events.size()) break;
    // Copied out: actions may append to the queue while this event runs.
    const std::string event = ctx.internal_events[ctx.next_internal++];
    Selection sel = SelectEventTransitions(ctx, event, nullptr);
    if (sel.selected.empty()) continue;  // An internal event nobody waits for is dropped (SCXML).
    if (!CountMicrostep(ctx) || !Microstep(ctx, sel.selected)) return false;
  }
  if (ctx.failed()) return false;

  if (ctx.completed) {
    CancelAllTimers(ctx);
    ctx.state.calls.clear();
    ctx.state.status = CaseStatus::kCompleted;
    ctx.AddEffect(EffectKind::kCompleted);
    return true;
  }
  for (uint16_t s : ctx.state.active) {
    if (ctx.workflow.states[s].kind == StateKind::kChoice) {
      ctx.Fail("guard-false", "no branch of choice state '" + ctx.workflow.states[s].name +
                                  "' holds and it has no else");
      return false;
    }
  }
  return true;
}

}  // namespace zgtflow::core
