// ④ The expression evaluator: model::Expr over case data, `now` and the
// working-day calendar. Pure; every failure is a Status whose message starts
// with the expression's line:col.
#include "engine/core/eval.h"

#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

#include "engine/base/limits.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {
namespace {

using calendar::Duration;
using calendar::DurationUnit;
using model::Expr;
using model::ExprOp;
using model::Value;
using Kind = model::Value::Kind;

std::string Where(const Expr& e) {
  if (e.pos.line <= 0) return "";
  return std::to_string(e.pos.line) + ":" + std::to_string(e.pos.column) + ": ";
}

Status Error(const Expr& e, const std::string& message, const std::string& field = "") {
  return Status::InvalidArgument(Where(e) + message, field);
}

// Keeps the calendar's code (OutOfRange for a date outside its years) and adds
// where the expression was written.
Status Wrap(const Expr& e, const Status& s) {
  return Status(s.code(), Where(e) + s.message(), s.field());
}

// The operator for an error message ("?" for a non-operator, which the
// evaluator never reports on).
const char* OpText(ExprOp op) {
  const char* text = model::OperatorText(op);
  return text != nullptr ? text : "?";
}

Status Mismatch(const Expr& e, const Value& a, const Value& b) {
  return Error(e, std::string("operator '") + OpText(e.op) + "' cannot take " +
                      model::KindName(a.kind()) + " and " + model::KindName(b.kind()));
}

// How two durations can be measured against each other. Exact units, days and
// weeks by milliseconds (Shanghai has no daylight saving, so a calendar day is
// always 24 hours); months, quarters and years by months. A month and 30 days,
// or a working day and a day, have no common measure.
enum class Measure { kMs, kMonths, kWorkingDays };

Measure MeasureOf(const Duration& d) {
  switch (d.unit) {
    case DurationUnit::kMonths:
    case DurationUnit::kQuarters:
    case DurationUnit::kYears: return Measure::kMonths;
    case DurationUnit::kWorkingDays: return Measure::kWorkingDays;
    default: return Measure::kMs;
  }
}

// The duration in its measure's unit, as long double so that no amount overflows.
long double Amount(const Duration& d) {
  const long double a = static_cast<long double>(d.amount);
  switch (d.unit) {
    case DurationUnit::kMinutes: return a * 60000;
    case DurationUnit::kHours: return a * 3600000;
    case DurationUnit::kHalfDays: return a * 43200000;
    case DurationUnit::kDays: return a * 86400000;
    case DurationUnit::kWeeks: return a * 7 * 86400000;
    case DurationUnit::kQuarters: return a * 3;
    case DurationUnit::kYears: return a * 12;
    default: return a;
  }
}

// -1, 0, 1 comparing a with b, or nullopt when they have no common measure.
std::optional<int> CompareDurations(const Duration& a, const Duration& b) {
  if (MeasureOf(a) != MeasureOf(b)) return std::nullopt;
  const long double x = Amount(a), y = Amount(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

template <typename T>
int Three(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Equality as `==` sees it: Value's structural equality, except that durations
// of one measure compare by length ("12 hours" == "half day").
bool Equal(const Value& a, const Value& b) {
  if (a.kind() == Kind::kDuration && b.kind() == Kind::kDuration) {
    std::optional<int> c = CompareDurations(a.AsDuration(), b.AsDuration());
    return c.has_value() && *c == 0;
  }
  if (a.kind() == Kind::kList && b.kind() == Kind::kList) {
    const model::List& x = a.AsList();
    const model::List& y = b.AsList();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!Equal(x[i], y[i])) return false;
    }
    return true;
  }
  return a == b;
}

class Evaluator {
 public:
  explicit Evaluator(const EvalContext& context) : c_(context) {}

  Result<Value> Eval(const Expr& e) {
    // Bounded depth: a hostile or generated expression cannot overflow the stack.
    if (depth_ >= kMaxDepth) return Error(e, "expression is nested too deeply");
    ++depth_;
    Result<Value> r = Dispatch(e);
    --depth_;
    return r;
  }

 private:
  static constexpr int kMaxDepth = limits::kMaxExprDepth;

  Result<Value> Dispatch(const Expr& e) {
    switch (e.op) {
      case ExprOp::kLiteral: return e.literal;
      case ExprOp::kNow: return Value::DateTime(c_.now);
      case ExprOp::kField: return Field(e);
      case ExprOp::kPayload: return Payload(e);
      case ExprOp::kNeg: return Neg(e);
      case ExprOp::kNot: return Not(e);
      case ExprOp::kAdd:
      case ExprOp::kSub:
      case ExprOp::kMul:
      case ExprOp::kDiv: return Arithmetic(e);
      case ExprOp::kEq:
      case ExprOp::kNe:
      case ExprOp::kLt:
      case ExprOp::kLe:
      case ExprOp::kGt:
      case ExprOp::kGe: return Compare(e);
      case ExprOp::kAnd:
      case ExprOp::kOr: return Logic(e);
      case ExprOp::kIn:
      case ExprOp::kNotIn: return In(e);
      case ExprOp::kList: return ListOf(e);
      case ExprOp::kExists: return Exists(e);
      case ExprOp::kCount: return Count(e);
      case ExprOp::kFunction: return Function(e);
    }
    return Error(e, "unknown expression");
  }

  std::string FieldName(int index) const {
    if (c_.fields != nullptr && index >= 0 && static_cast<size_t>(index) < c_.fields->size()) {
      return (*c_.fields)[index].name;
    }
    return "#" + std::to_string(index);
  }

  // The stored value of field `index` (null when unset), or an error when the
  // index is not in the case data at all (a model/data mismatch).
  Result<Value> Stored(const Expr& e, int index) const {
    if (index < 0) return Error(e, "expression refers to no field");
    if (c_.data == nullptr) return Value();
    if (static_cast<size_t>(index) >= c_.data->size()) {
      return Status::Internal(Where(e) + "field " + FieldName(index) +
                              " is not in the case data");
    }
    return (*c_.data)[index];
  }

  // Follows `path` (document.name, object.key) from `value`; `what` names it.
  Result<Value> Follow(const Expr& e, Value value, const std::string& what) const {
    std::string name = what;
    for (const std::string& part : e.path) {
      if (value.kind() == Kind::kDocument && (part == "name" || part == "sha256")) {
        value = Value::Text(part == "name" ? value.AsDocument().name : value.AsDocument().sha256);
      } else if (value.kind() == Kind::kObject) {
        auto it = value.AsObject().find(part);
        if (it == value.AsObject().end()) {
          return Error(e, "'" + name + "' has no '" + part + "'", name);
        }
        value = it->second;
      } else {
        return Error(e, std::string("'") + name + "' (" + model::KindName(value.kind()) +
                            ") has no part '" + part + "'",
                     name);
      }
      name += "." + part;
      if (value.is_null()) return Error(e, "field '" + name + "' has no value", what);
    }
    return value;
  }

  // The field's value. Reads the stored value in place and names the field
  // only on the error path: a guard or `set` reads fields on every step.
  Result<Value> Field(const Expr& e) {
    const int index = e.field;
    if (index >= 0 && c_.data != nullptr && static_cast<size_t>(index) < c_.data->size()) {
      const Value& stored = (*c_.data)[index];
      if (!stored.is_null() && e.path.empty()) return stored;
    }
    Result<Value> stored = Stored(e, index);
    if (!stored.ok()) return stored;
    const std::string name = FieldName(index);
    if (stored->is_null()) return Error(e, "field '" + name + "' has no value", name);
    return Follow(e, *stored, name);
  }

  Result<Value> Payload(const Expr& e) {
    if (c_.payload == nullptr || c_.payload->is_null()) {
      return Error(e, "there is no input payload here");
    }
    return Follow(e, *c_.payload, "payload");
  }

  // Evaluates the `i`th child; a missing child is a malformed tree.
  Result<Value> Child(const Expr& e, size_t i) {
    if (i >= e.children.size()) {
      return Status::Internal(Where(e) + "malformed expression: missing operand");
    }
    return Eval(e.children[i]);
  }

  Result<Value> Neg(const Expr& e) {
    Result<Value> v = Child(e, 0);
    if (!v.ok()) return v;
    if (v->kind() == Kind::kNumber) return Value::Number(-v->AsNumber());
    if (v->kind() == Kind::kDuration) {
      Duration d = v->AsDuration();
      d.amount = -d.amount;
      return Value::Duration(d);
    }
    return Error(e, std::string("'-' takes a number or a duration, not ") +
                        model::KindName(v->kind()));
  }

  Result<Value> Not(const Expr& e) {
    Result<Value> v = Child(e, 0);
    if (!v.ok()) return v;
    if (v->kind() != Kind::kBool) {
      return Error(e, std::string("'not' takes bool, not ") + model::KindName(v->kind()));
    }
    return Value::Bool(!v->AsBool());
  }

  Result<Value> Number(const Expr& e, double n) {
    if (!std::isfinite(n)) return Error(e, "the result is not a finite number");
    return Value::Number(n);
  }

  // `start` moved by `d` (negated when `subtract`), through the calendar.
  Result<calendar::Instant> Move(const Expr& e, calendar::Instant start, const Duration& d,
                                 bool subtract) {
    Result<calendar::Instant> r = Status::Internal("unset");
    if (c_.calendar != nullptr) {
      r = subtract ? c_.calendar->Subtract(start, d) : c_.calendar->Add(start, d);
    } else {
      Duration signed_d = d;
      if (subtract) {
        if (d.amount == INT64_MIN) return Error(e, "duration is too large");
        signed_d.amount = -d.amount;
      }
      r = calendar::AddWithoutCalendar(start, signed_d);
    }
    if (!r.ok()) return Wrap(e, r.status());
    return r;
  }

  Result<Value> Arithmetic(const Expr& e) {
    Result<Value> left = Child(e, 0);
    if (!left.ok()) return left;
    Result<Value> right = Child(e, 1);
    if (!right.ok()) return right;
    const Value& a = *left;
    const Value& b = *right;
    const Kind ka = a.kind(), kb = b.kind();

    if (ka == Kind::kNumber && kb == Kind::kNumber) {
      const double x = a.AsNumber(), y = b.AsNumber();
      switch (e.op) {
        case ExprOp::kAdd: return Number(e, x + y);
        case ExprOp::kSub: return Number(e, x - y);
        case ExprOp::kMul: return Number(e, x * y);
        default:
          if (y == 0) return Error(e, "division by zero");
          return Number(e, x / y);
      }
    }
    if (e.op != ExprOp::kAdd && e.op != ExprOp::kSub) return Mismatch(e, a, b);
    const bool subtract = e.op == ExprOp::kSub;

    // datetime ± duration, and duration + datetime.
    if ((ka == Kind::kDateTime && kb == Kind::kDuration) ||
        (!subtract && ka == Kind::kDuration && kb == Kind::kDateTime)) {
      const bool swapped = ka == Kind::kDuration;
      const calendar::Instant start = swapped ? b.AsDateTime() : a.AsDateTime();
      const Duration& d = swapped ? a.AsDuration() : b.AsDuration();
      Result<calendar::Instant> r = Move(e, start, d, subtract);
      if (!r.ok()) return r.status();
      return Value::DateTime(*r);
    }
    // date ± duration: only whole-day units keep a date a date.
    if ((ka == Kind::kDate && kb == Kind::kDuration) ||
        (!subtract && ka == Kind::kDuration && kb == Kind::kDate)) {
      const bool swapped = ka == Kind::kDuration;
      const calendar::Date start = swapped ? b.AsDate() : a.AsDate();
      const Duration& d = swapped ? a.AsDuration() : b.AsDuration();
      if (d.IsExact()) {
        return Error(e, "a date moves by days, weeks, working days, months, quarters or years, "
                        "not by " + calendar::FormatDuration(d));
      }
      Result<calendar::Instant> r = Move(e, calendar::StartOfShanghaiDay(start), d, subtract);
      if (!r.ok()) return r.status();
      return Value::Date(calendar::ShanghaiDate(*r));
    }
    if (subtract && ka == Kind::kDateTime && kb == Kind::kDateTime) {
      // Whole minutes, truncated toward zero: the finest unit a Duration has.
      const long double ms = static_cast<long double>(a.AsDateTime().epoch_ms) -
                             static_cast<long double>(b.AsDateTime().epoch_ms);
      return Value::Duration(
          Duration{static_cast<int64_t>(ms / 60000), DurationUnit::kMinutes, false});
    }
    if (subtract && ka == Kind::kDate && kb == Kind::kDate) {
      return Value::Duration(Duration{calendar::DaysFromCivil(a.AsDate()) -
                                          calendar::DaysFromCivil(b.AsDate()),
                                      DurationUnit::kDays, false});
    }
    return Mismatch(e, a, b);
  }

  Result<Value> Compare(const Expr& e) {
    Result<Value> left = Child(e, 0);
    if (!left.ok()) return left;
    Result<Value> right = Child(e, 1);
    if (!right.ok()) return right;
    return CompareValues(e, *left, *right);
  }

  // `a OP b` for the comparison operator e.op; errors point at e.
  Result<Value> CompareValues(const Expr& e, const Value& a, const Value& b) {

    if (e.op == ExprOp::kEq || e.op == ExprOp::kNe) {
      if (a.kind() != b.kind()) return Mismatch(e, a, b);
      const bool equal = Equal(a, b);
      return Value::Bool(e.op == ExprOp::kEq ? equal : !equal);
    }

    std::optional<int> order;
    if (a.kind() == b.kind()) {
      switch (a.kind()) {
        case Kind::kNumber:
          if (std::isnan(a.AsNumber()) || std::isnan(b.AsNumber())) return Value::Bool(false);
          order = Three(a.AsNumber(), b.AsNumber());
          break;
        case Kind::kText: order = Three(a.AsText(), b.AsText()); break;
        case Kind::kDateTime: order = Three(a.AsDateTime(), b.AsDateTime()); break;
        case Kind::kDate: order = Three(a.AsDate(), b.AsDate()); break;
        case Kind::kDuration:
          order = CompareDurations(a.AsDuration(), b.AsDuration());
          if (!order) {
            return Error(e, "cannot compare " + calendar::FormatDuration(a.AsDuration()) +
                                " with " + calendar::FormatDuration(b.AsDuration()) +
                                ": they have no common length");
          }
          break;
        default: break;
      }
    }
    if (!order) return Mismatch(e, a, b);
    switch (e.op) {
      case ExprOp::kLt: return Value::Bool(*order < 0);
      case ExprOp::kLe: return Value::Bool(*order <= 0);
      case ExprOp::kGt: return Value::Bool(*order > 0);
      default: return Value::Bool(*order >= 0);
    }
  }

  Result<Value> Logic(const Expr& e) {
    Result<Value> left = Child(e, 0);
    if (!left.ok()) return left;
    if (left->kind() != Kind::kBool) {
      return Error(e, std::string("'") + OpText(e.op) + "' takes bool, not " +
                          model::KindName(left->kind()));
    }
    // Short-circuit: the right side may read a field only set when the left holds.
    const bool is_and = e.op == ExprOp::kAnd;
    if (left->AsBool() != is_and) return Value::Bool(!is_and);
    Result<Value> right = Child(e, 1);
    if (!right.ok()) return right;
    if (right->kind() != Kind::kBool) {
      return Error(e, std::string("'") + OpText(e.op) + "' takes bool, not " +
                          model::KindName(right->kind()));
    }
    return Value::Bool(right->AsBool());
  }

  Result<Value> In(const Expr& e) {
    Result<Value> item = Child(e, 0);
    if (!item.ok()) return item;
    Result<Value> list = Child(e, 1);
    if (!list.ok()) return list;
    if (list->kind() != Kind::kList) {
      return Error(e, std::string("'") + OpText(e.op) + "' needs a list, not " +
                          model::KindName(list->kind()));
    }
    bool found = false;
    for (const Value& candidate : list->AsList()) {
      if (candidate.kind() == item->kind() && Equal(*item, candidate)) {
        found = true;
        break;
      }
    }
    return Value::Bool(e.op == ExprOp::kIn ? found : !found);
  }

  Result<Value> ListOf(const Expr& e) {
    model::List items;
    items.reserve(e.children.size());
    for (const Expr& child : e.children) {
      Result<Value> v = Eval(child);
      if (!v.ok()) return v;
      items.push_back(std::move(v).value());
    }
    return Value::MakeList(std::move(items));
  }

  // exists(field): the field holds a value. The field is `e.field`, or a
  // single kField child (a tree lowered from the call syntax).
  Result<Value> Exists(const Expr& e) {
    const Expr* ref = &e;
    if (e.field < 0 && !e.children.empty() && e.children[0].op == ExprOp::kField) {
      ref = &e.children[0];
    }
    if (ref->field < 0) return Error(e, "exists() takes one field name");
    Result<Value> stored = Stored(*ref, ref->field);
    if (!stored.ok()) return stored;
    if (stored->is_null()) return Value::Bool(false);
    if (ref->path.empty()) return Value::Bool(true);
    Result<Value> part = Follow(*ref, *stored, FieldName(ref->field));
    return Value::Bool(part.ok() && !part->is_null());
  }

  Result<Value> Count(const Expr& e) {
    if (e.children.size() != 1) return Error(e, "count() takes one list");
    const Expr& arg = e.children[0];
    // A list field never set has no items, so guards such as
    // `count(reviews) >= 2` work before the first review.
    if (arg.op == ExprOp::kField && arg.path.empty()) {
      Result<Value> stored = Stored(arg, arg.field);
      if (!stored.ok()) return stored;
      if (stored->is_null()) return Value::Number(0);
    }
    Result<Value> list = Eval(arg);
    if (!list.ok()) return list;
    if (list->kind() != Kind::kList) {
      return Error(e, std::string("count() takes a list, not ") + model::KindName(list->kind()));
    }
    return Value::Number(static_cast<double>(list->AsList().size()));
  }

  Result<Value> Function(const Expr& e) {
    if (e.function == "exists") return Exists(e);
    if (e.function == "count") return Count(e);
    if (e.function == "date") {
      if (e.children.size() != 1) return Error(e, "date() takes one value");
      Result<Value> v = Eval(e.children[0]);
      if (!v.ok()) return v;
      if (v->kind() == Kind::kDateTime) return Value::Date(calendar::ShanghaiDate(v->AsDateTime()));
      if (v->kind() == Kind::kDate) return *v;
      if (v->kind() == Kind::kText) {
        Result<calendar::Date> d = calendar::ParseDate(v->AsText());
        if (!d.ok()) return Wrap(e, d.status());
        return Value::Date(*d);
      }
      return Error(e, std::string("date() takes a datetime or text, not ") +
                          model::KindName(v->kind()));
    }
    if (e.function == "datetime") {
      if (e.children.size() != 1) return Error(e, "datetime() takes one value");
      Result<Value> v = Eval(e.children[0]);
      if (!v.ok()) return v;
      if (v->kind() == Kind::kDate) return Value::DateTime(calendar::StartOfShanghaiDay(v->AsDate()));
      if (v->kind() == Kind::kDateTime) return *v;
      return Error(e, std::string("datetime() takes a date or datetime, not ") +
                          model::KindName(v->kind()));
    }
    if (e.function == "max" || e.function == "min") return Extreme(e);
    if (e.function == "case_in" && e.path.size() == 3) {
      model::CaseQuery query{e.path[0], e.path[1], e.path[2]};
      if (c_.facts != nullptr) {
        auto it = c_.facts->find(query.Key());
        if (it != c_.facts->end() && it->second.kind() == Kind::kBool) return it->second;
      }
      return Error(e, query.Key() + " was not answered by the runtime");
    }
    return Error(e, "unknown function '" + e.function + "'");
  }

  // max()/min(): the ordering of Compare, so durations of different lengths
  // are refused the same way.
  Result<Value> Extreme(const Expr& e) {
    if (e.children.empty()) return Error(e, e.function + "() takes two or more values");
    const bool want_max = e.function == "max";
    Result<Value> best = Eval(e.children[0]);
    if (!best.ok()) return best;
    for (size_t i = 1; i < e.children.size(); ++i) {
      Result<Value> next = Eval(e.children[i]);
      if (!next.ok()) return next;
      Expr comparison;
      comparison.op = want_max ? ExprOp::kGt : ExprOp::kLt;
      comparison.pos = e.pos;
      Result<Value> better = CompareValues(comparison, *next, *best);
      if (!better.ok()) return better;
      if (better->AsBool()) best = std::move(next);
    }
    return best;
  }

  const EvalContext& c_;
  int depth_ = 0;
};

}  // namespace

Result<model::Value> Eval(const model::Expr& expr, const EvalContext& context) {
  return Evaluator(context).Eval(expr);
}

}  // namespace zgtflow::core
