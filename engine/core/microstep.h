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

// A vector that keeps its first N elements inline: the sets a microstep
// works with are almost always tiny, and Step must not allocate for them
// (the step benchmark runs millions of steps a second).
template <typename T, size_t N>
class SmallVec {
 public:
  SmallVec() = default;
  SmallVec(std::initializer_list<T> items) {
    for (const T& item : items) push_back(item);
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  void push_back(const T& item) {
    if (size_ < N) {
      inline_[size_] = item;
    } else {
      if (size_ == N) heap_.assign(inline_, inline_ + N);
      heap_.push_back(item);
    }
    ++size_;
  }
  // Shrinks to `n` ≤ size() elements.
  void truncate(size_t n) {
    if (size_ > N) {
      heap_.resize(n);
      if (n <= N) std::copy(heap_.begin(), heap_.end(), inline_);
    }
    size_ = n;
  }

 private:
  T* data() { return size_ > N ? heap_.data() : inline_; }
  const T* data() const { return size_ > N ? heap_.data() : inline_; }
  T inline_[N];  // Not value-initialized: only [0, size_) is ever read.
  std::vector<T> heap_;
  size_t size_ = 0;
};

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
