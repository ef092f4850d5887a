// ③ A compiled, typed expression tree, produced by dsl/lower.cc and evaluated
// by core/eval. Field references are resolved to field indices.
#pragma once

#include <string>
#include <vector>

#include "engine/model/type.h"
#include "engine/model/value.h"

namespace zgtflow::model {

// Where an expression was written, so an evaluation error can say so.
struct SourcePos {
  int line = 0;
  int column = 0;
};

enum class ExprOp {
  kLiteral,  // `literal`: number, text, bool, duration
  kNow,      // the step's instant
  kField,    // data field `field`; `path` holds a sub-field (document.name …)
  kPayload,  // a field of the triggering input's payload (reserved)
  kNeg, kNot,
  kAdd, kSub, kMul, kDiv,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kAnd, kOr,
  kIn, kNotIn,  // children[0] in the list children[1]
  kList,        // list literal of children
  kExists,      // exists(field): the field holds a value
  kCount,       // count(list)
  kFunction,    // another built-in named `function` (date(), …)
};

// The operator as written in the DSL ("+", "==", "not in", "not" …), or
// null when `op` is not an operator (literals, fields, functions).
const char* OperatorText(ExprOp op);

struct Expr {
  ExprOp op = ExprOp::kLiteral;
  Type type;                      // Static type, checked by dsl/check/types.cc.
  Value literal;                  // kLiteral.
  int field = -1;                 // kField, kExists: index in Workflow::fields.
  std::vector<std::string> path;  // kField: sub-field names after the field.
  std::string function;           // kFunction.
  std::vector<Expr> children;
  SourcePos pos;
};

}  // namespace zgtflow::model
