// ④ The statechart algorithm (W3C SCXML, as xstate's stateUtils): which
// transitions an event enables, the exit set, the entry set, and eventless
// transitions run to completion. Internal to engine/core; step.cc drives it.
//
// State indices are in document order (dsl/lower.cc numbers states depth
// first, parents before children), so sorting by index is document order
// and CaseState::active lists ancestors before descendants.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "engine/core/step_context.h"
#include "engine/model/transition.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

// One transition chosen to run in a microstep.
struct Selected {
  int source = 0;   // The state that declares it (a timer's state, the root for a start).
  int target = -1;  // -1: internal, actions only.
  const std::vector<model::ActionDef>* actions = nullptr;  // Transition actions; may be null.
  const void* def = nullptr;  // Identity, so a parent's transition is taken once.
  int domain = -1;  // The compound ancestor whose active descendants are exited.
};

using SelectedSet = SmallVec<Selected, 4>;

// SCXML transition domain of a transition from `source` to `target`: the
// source itself when it is a compound state and the target one of its proper
// descendants (the source is not left); otherwise the nearest proper ancestor
// of `source` that is the root or a compound state and a proper ancestor of
// `target`. A transition to its own source therefore exits and re-enters it.
int TransitionDomain(const model::Workflow& workflow, int source, int target);

// Whether `state` is active in `case_state`.
bool IsActive(const CaseState& case_state, int state);

// Whether `state` is done: a compound whose active child is final, a
// parallel state all of whose regions are done.
bool IsInFinalState(const model::Workflow& workflow, const CaseState& case_state, int state);

// What SelectEventTransitions found, including why nothing was enabled.
struct Selection {
  SelectedSet selected;
  bool handled = false;  // Some active state has a transition on the event.
  int stage = 0;         // Furthest check a refused transition reached: 1 role, 2 require, 3 guard.
  std::string code;      // Rejection code for that check.
  std::string message;
  std::string field;
};

// The optimal enabled transition set for `event`: for each active atomic
// state in document order, the first transition on `event` of the state or
// its nearest ancestor whose role (unless `actor_role` is null: a system or
// internal event), required fields and guard pass; conflicts resolved in
// favour of descendants, then document order.
Selection SelectEventTransitions(StepContext& ctx, const std::string& event,
                                 const std::string* actor_role);

// The eventless transitions (`always`, choice branches) enabled now.
SelectedSet SelectEventless(StepContext& ctx);

// Counts one microstep against kMaxMicrosteps; false with ctx.error
// ("eventless-loop") past the bound.
bool CountMicrostep(StepContext& ctx);

// Runs one microstep: exit set (innermost first: exit actions, timers
// cancelled, kExitState), transition actions in order, entry set (outermost
// first: kEnterState, entry actions, timers scheduled). Entering a final
// state raises PARENT.done (and GRANDPARENT.done for a parallel state whose
// regions are all done); a top-level final state sets ctx.completed.
// Fills in `domain` of each Selected with a target. False with ctx.error.
bool Microstep(StepContext& ctx, SelectedSet& selected);

// Runs eventless transitions and internal events until none is enabled, the
// case completes or the bound is reached; then, on completion, cancels every
// timer and adds kCompleted. False with ctx.error.
bool RunToCompletion(StepContext& ctx);

}  // namespace zgtflow::core
