// ② Static types of data fields and expressions. Used by the type checks
// (types.cc) and by dsl/lower.cc, which stores each expression's type in the
// model so core/eval never meets an operation the checker did not allow.
#pragma once

#include <map>
#include <string>

#include "dsl/ast.h"
#include "dsl/diagnostic.h"
#include "engine/model/type.h"

namespace zgtflow::dsl {

// Field name → declared type, for one workflow.
using FieldTypes = std::map<std::string, model::Type>;

// The model type a written type denotes; an unknown type name is kAny.
model::Type TypeFromRef(const TypeRef& ref);

// The static type of `expr`. Problems (unknown fields or functions, operand
// types an operator does not take) are appended to `diagnostics` when it is
// not null; a wrong sub-expression types as kAny, so one mistake is reported
// once. Typing rules:
//   number ± * / number → number; datetime ± duration → datetime;
//   date ± duration → date; datetime - datetime → duration; duration +
//   datetime → datetime; `-` number or duration; `not`, `and`, `or` on bool;
//   == != on like types (enum and party compare with text); < <= > >= on
//   number, text, date, datetime, duration; `x in [..]` with items like x;
//   exists(FIELD) → bool; count(LIST) → number; `now` → datetime. A bare name
//   that is no field but a value of the enum it is compared with is that value.
model::Type TypeOf(const Expr& expr, const FieldTypes& fields, Diagnostics* diagnostics);

// Whether a value of type `value` may be stored in a field of type `field`
// (kAny on either side is accepted: its error was reported where it arose).
bool IsAssignable(const model::Type& field, const model::Type& value);

// Whether `expr` is a bare name standing for an enum value (kRef, one part,
// not a field). Only meaningful for a checked expression.
bool IsEnumValueRef(const Expr& expr, const FieldTypes& fields);

}  // namespace zgtflow::dsl
