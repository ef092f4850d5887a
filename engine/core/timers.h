// ④ Timers of states: scheduled when a state is entered, cancelled when it is
// left, fired by a kTimerFired input; `every` timers recur from the entry.
#pragma once

#include <cstdint>

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"
#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"
#include "engine/core/step_context.h"

namespace zgtflow::core {

// `start` + `duration` with the calendar when there is one (working days need
// it), without otherwise.
Result<calendar::Instant> AddDuration(const calendar::Calendar* calendar, calendar::Instant start,
                                      const calendar::Duration& duration);

// When period `k` (k ≥ 1) of an `every duration` timer anchored at `anchor`
// falls due: anchor + k×duration through the calendar, so monthly periods
// keep the anchor's day of month instead of drifting after a short month.
Result<calendar::Instant> EveryDue(const calendar::Calendar* calendar, calendar::Instant anchor,
                                   const calendar::Duration& duration, uint32_t k);

// Adds `timer` to ctx.state.timers, kept sorted by (due, id).
void InsertTimer(CaseState& state, const PendingTimer& timer);

// Schedules every timer of `state`, just entered at ctx.clock.now: `after D`
// at now + D; `at EXPR` at its value, or now when that is already past;
// `every P` at now + P unless its `until` already holds. Each becomes a
// kScheduleTimer effect with a new id. False with ctx.error on an evaluation
// or calendar failure.
bool ScheduleStateTimers(StepContext& ctx, int state);

// Cancels the pending timers of `state` (kCancelTimer each), as it is left.
void CancelStateTimers(StepContext& ctx, int state);

// Cancels every pending timer (the case completed).
void CancelAllTimers(StepContext& ctx);

// Fires the pending timer at `index` of ctx.state.timers: removes it, runs
// its actions, then its transition if it has a target; an `every` timer
// without a target is rescheduled for its next period (new id) unless its
// `until` holds. An `every` timer whose `until` already holds when it fires
// is dropped without running its actions. Does not run eventless
// transitions. False with ctx.error on failure.
bool FireTimer(StepContext& ctx, size_t index);

}  // namespace zgtflow::core
