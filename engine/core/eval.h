// ④ Expressions and guards over case data and the calendar; no side effects.
#pragma once

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"
#include "engine/model/expr.h"
#include "engine/model/value.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

struct EvalContext {
  const std::vector<model::Value>* data = nullptr;  // Case data by field index; may be null.
  calendar::Instant now;
  const calendar::Calendar* calendar = nullptr;     // Null: working days fail.
  // The workflow's fields, only for their names in error messages ("field
  // 'due' has no value"); may be null, then fields are named "#index".
  const std::vector<model::FieldDef>* fields = nullptr;
  // The triggering input's payload (an object) for ExprOp::kPayload; may be null.
  const model::Value* payload = nullptr;
  // Answers to case_in(…) queries (model::CaseQuery); may be null, then a
  // query is an error saying the runtime did not answer it.
  const model::Object* facts = nullptr;
};

// The expression's value. Fails (InvalidArgument, message with line:col) on a
// missing value, a type mismatch at run time, or a date outside the calendar
// (OutOfRange, from the calendar).
//
// Semantics beyond the operators' obvious meaning:
// - `and`/`or` short-circuit; both sides must be bool.
// - datetime − datetime is a Duration in whole minutes (truncated toward zero);
//   date − date is a Duration in days. datetime ± duration and date ± duration
//   go through the calendar (AddWithoutCalendar when `calendar` is null, so
//   working days then fail); a date moves only by days, weeks, working days,
//   months, quarters or years.
// - Durations order (<, <=, >, >=) when both are minutes, hours, half days,
//   days or weeks (by length: Shanghai has no daylight saving, so a day is 24
//   hours), both are months/quarters/years (by months), or both are working
//   days; otherwise (a month against days, working days against days) it is a
//   run-time type error. == and != use the
//   same measure when there is one, and are otherwise false / true.
// - count(x) of a list field that holds no value is 0; any other read of a
//   field with no value fails with "field 'x' has no value".
// - `x in [..]` uses the same equality as `==`; items of another kind are
//   simply not equal.
// - Built-in function `date(x)`: the Shanghai date of a datetime, or a date
//   parsed from text "YYYY-MM-DD".
Result<model::Value> Eval(const model::Expr& expr, const EvalContext& context);

}  // namespace zgtflow::core
