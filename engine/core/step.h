// ④ THE PURE STEP — start here. One input applied to one case.
//
// Step is pure. It reads no clock, file, socket or database and returns the same
// result for the same arguments, which is what lets runtime/ replay a case's
// history and lets tests call it with no fixtures. The runtime carries out the
// effects, after it has committed them.
#pragma once

#include <optional>
#include <vector>

#include "engine/calendar/calendar.h"
#include "engine/calendar/instant.h"
#include "engine/core/case_state.h"
#include "engine/core/effect.h"
#include "engine/core/input.h"
#include "engine/core/rejection.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

// The instant this step happens at and the calendar to count working days in.
// The runtime reads its Clock once per input and records `now` in the history.
struct StepClock {
  calendar::Instant now;
  const calendar::Calendar* calendar = nullptr;  // Not owned; outlives the call. May be null: working days then fail.
};

// Either a new state with effects, or a rejection and no change.
struct StepResult {
  CaseState next;                     // Equal to the input state when rejected.
  std::vector<Effect> effects;        // In the order the runtime must apply them.
  std::optional<Rejection> rejection;
};

// Applies `input` to `state`, then runs eventless transitions to completion.
// REQUIRES: state.workflow_version == workflow.version.
StepResult Step(const model::Workflow& workflow, const CaseState& state,
                const Input& input, const StepClock& clock);

// Step without the copy, for a runtime that holds its cases and steps them
// where they are (bench/engine_bench.cc does). The same semantics as Step:
// `state` becomes Step(...).next and `effects` Step(...).effects, and the
// rejection, if any, is returned. `effects` is cleared first and its capacity
// is kept, so a caller that reuses one buffer allocates no effects storage.
// On a rejection `state` is left exactly as it was (the data writes made
// before the refusal are undone) and `effects` is empty.
// REQUIRES: state.workflow_version == workflow.version.
std::optional<Rejection> StepInPlace(const model::Workflow& workflow, CaseState& state,
                                     const Input& input, const StepClock& clock,
                                     std::vector<Effect>& effects);

// StepInPlace for a case moved in: Step(workflow, state, input, clock)
// without copying `state` (the result's `next` is the moved-in case).
StepResult StepInPlace(const model::Workflow& workflow, CaseState&& state, const Input& input,
                       const StepClock& clock);

}  // namespace zgtflow::core
