// ③ Operator spellings, shared by diagrams (dsl/graph) and evaluation errors (core/eval).
#include "engine/model/expr.h"

namespace zgtflow::model {

const char* OperatorText(ExprOp op) {
  switch (op) {
    case ExprOp::kAdd: return "+";
    case ExprOp::kSub: return "-";
    case ExprOp::kMul: return "*";
    case ExprOp::kDiv: return "/";
    case ExprOp::kEq: return "==";
    case ExprOp::kNe: return "!=";
    case ExprOp::kLt: return "<";
    case ExprOp::kLe: return "<=";
    case ExprOp::kGt: return ">";
    case ExprOp::kGe: return ">=";
    case ExprOp::kAnd: return "and";
    case ExprOp::kOr: return "or";
    case ExprOp::kIn: return "in";
    case ExprOp::kNotIn: return "not in";
    case ExprOp::kNeg: return "-";
    case ExprOp::kNot: return "not";
    default: return nullptr;
  }
}

}  // namespace zgtflow::model
