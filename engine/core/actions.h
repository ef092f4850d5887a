// ④ Running a block of actions (set, notify, call, start, record, emit) on the
// case being stepped: data changes in place, the rest become effects.
#pragma once

#include <vector>

#include "engine/core/step_context.h"
#include "engine/model/action.h"

namespace zgtflow::core {

// Runs `actions` in order on behalf of state `state` (the state whose entry,
// exit, transition or timer they belong to; calls remember it). Returns false,
// with ctx.error set ("eval-error"), when an expression cannot be evaluated.
bool RunActions(StepContext& ctx, const std::vector<model::ActionDef>& actions, int state);

// `value` converted to the declared type of a field where the conversion is
// lossless and obvious (a date for a datetime field, any value for a text
// field as its display string, text holding a number for a number field).
model::Value CoerceToField(const model::Type& type, model::Value value);

}  // namespace zgtflow::core
