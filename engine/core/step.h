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

}  // namespace zgtflow::core
