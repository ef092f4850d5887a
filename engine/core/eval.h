// ④ Expressions and guards over case data and the calendar; no side effects.
#pragma once

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"
#include "engine/model/expr.h"
#include "engine/model/value.h"

namespace zgtflow::core {

struct EvalContext {
  const std::vector<model::Value>* data = nullptr;  // Case data by field index; may be null.
  calendar::Instant now;
  const calendar::Calendar* calendar = nullptr;     // Null: working days fail.
};

// The expression's value. Fails (InvalidArgument, message with line:col) on a
// missing value, a type mismatch at run time, or a date outside the calendar.
Result<model::Value> Eval(const model::Expr& expr, const EvalContext& context);

}  // namespace zgtflow::core
