// ④ StepContext: the working set of one call to Step — the copy of the case
// being changed, the effects so far, the internal event queue. Internal to
// engine/core (step.cc, microstep.cc, timers.cc, actions.cc share it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/case_state.h"
#include "engine/core/effect.h"
#include "engine/core/eval.h"
#include "engine/core/rejection.h"
#include "engine/core/step.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

// Eventless transitions and internal events processed in one step before the
// step is refused as an "eventless-loop".
constexpr int kMaxMicrosteps = 1000;

struct StepContext {
  StepContext(const model::Workflow& w, CaseState& s, std::vector<Effect>& e, const StepClock& c)
      : workflow(w), state(s), effects(e), clock(c) {
    eval.data = &state.data;
    eval.now = clock.now;
    eval.calendar = clock.calendar;
    eval.fields = &workflow.fields;  // Field names for evaluation errors.
  }

  const model::Workflow& workflow;
  CaseState& state;              // The copy Step returns; changed in place.
  std::vector<Effect>& effects;  // Appended in the order the runtime applies them.
  const StepClock& clock;
  const Input* input = nullptr;  // The input being applied; its actor sends `send` events.
  EvalContext eval;              // Reads `state.data`, so guards see the latest values.

  std::vector<std::string> internal_events;  // `emit` and `X.done`, in the order raised.
  size_t next_internal = 0;                  // First unprocessed entry of internal_events.
  int microsteps = 0;
  bool completed = false;                    // A top-level final state was entered.
  std::optional<Rejection> error;            // Set once; the step is then refused.

  // Records the first failure; later ones are consequences and are dropped.
  void Fail(std::string code, std::string message, std::string field = "") {
    if (!error) error = Rejection{std::move(code), std::move(message), std::move(field)};
  }
  bool failed() const { return error.has_value(); }

  Effect& AddEffect(EffectKind kind) {
    effects.emplace_back();
    effects.back().kind = kind;
    return effects.back();
  }
};

}  // namespace zgtflow::core
