// ② Typing of data fields and expressions, and the expression checks of a
// workflow: guards are bool, `set` values fit their field, deadlines are
// date-times, defaults fit their field, `start … with` values fit the child.
#include "dsl/check/types.h"

#include <algorithm>

#include "dsl/check/check_context.h"

namespace zgtflow::dsl {

using model::Type;
using MK = model::TypeKind;  // dsl::TypeKind is the written type.

model::Type TypeFromRef(const TypeRef& ref) {
  // An unknown type name (reported by names.cc) types as kAny, so its uses
  // raise no second error.
  if (!ref.unknown_name.empty()) return Type();
  switch (ref.kind) {
    case dsl::TypeKind::kText: return Type::Of(MK::kText);
    case dsl::TypeKind::kNumber: return Type::Of(MK::kNumber);
    case dsl::TypeKind::kBool: return Type::Of(MK::kBool);
    case dsl::TypeKind::kDate: return Type::Of(MK::kDate);
    case dsl::TypeKind::kDateTime: return Type::Of(MK::kDateTime);
    case dsl::TypeKind::kDuration: return Type::Of(MK::kDuration);
    case dsl::TypeKind::kDocument: return Type::Of(MK::kDocument);
    case dsl::TypeKind::kEnum: {
      Type type = Type::Of(MK::kEnum);
      for (const Name& value : ref.enum_values) type.enum_values.push_back(value.text);
      return type;
    }
    case dsl::TypeKind::kParty: {
      Type type = Type::Of(MK::kParty);
      type.party_role = ref.party_role.text;
      return type;
    }
    case dsl::TypeKind::kList:
      return Type::ListOf(ref.element.empty() ? Type() : TypeFromRef(ref.element[0]));
  }
  return Type();
}

namespace {

bool IsAny(const Type& t) { return t.kind == MK::kAny; }

bool IsTextLike(const Type& t) {
  return t.kind == MK::kText || t.kind == MK::kEnum || t.kind == MK::kParty;
}

// Values that == may compare: the same kind, or text with enum/party.
bool Like(const Type& a, const Type& b) {
  if (IsAny(a) || IsAny(b)) return true;
  if (a.kind == MK::kList && b.kind == MK::kList) {
    return !a.element || !b.element || Like(*a.element, *b.element);
  }
  if (a.kind == b.kind) return true;
  return IsTextLike(a) && IsTextLike(b);
}

bool Has(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

class Typer {
 public:
  Typer(const FieldTypes& fields, Diagnostics* out) : fields_(fields), out_(out) {}

  // `context`: the type a bare enum value name would take here, or null.
  Type TypeOf(const Expr& e, const Type* context = nullptr) {
    switch (e.kind) {
      case ExprKind::kNumber: return Type::Of(MK::kNumber);
      case ExprKind::kString: return Type::Of(MK::kText);
      case ExprKind::kBool: return Type::Of(MK::kBool);
      case ExprKind::kDuration: return Type::Of(MK::kDuration);
      case ExprKind::kNow: return Type::Of(MK::kDateTime);
      case ExprKind::kRef: return Ref(e, context);
      case ExprKind::kCall: return Call(e);
      case ExprKind::kList: return ListOf(e.children, context);
      case ExprKind::kUnary: return Unary(e);
      case ExprKind::kBinary: return Binary(e);
      case ExprKind::kIn: return In(e);
    }
    return Type();
  }

 private:
  void Error(const SourceSpan& span, const std::string& code, const std::string& message,
             const std::string& hint = "") {
    if (!out_) return;
    Diagnostic d;
    d.severity = Severity::kError;
    d.code = code;
    d.span = span;
    d.message = message;
    d.hint = hint;
    out_->push_back(std::move(d));
  }

  std::vector<std::string> FieldNames() const {
    std::vector<std::string> names;
    for (const auto& [name, type] : fields_) names.push_back(name);
    return names;
  }

  Type Ref(const Expr& e, const Type* context) {
    if (e.path.empty()) return Type();
    const std::string& name = e.path[0];
    auto it = fields_.find(name);
    if (it == fields_.end()) {
      if (e.path.size() == 1 && context && context->kind == MK::kEnum &&
          Has(context->enum_values, name)) {
        return *context;
      }
      std::string hint = check::DidYouMean(name, FieldNames());
      if (hint.empty() && context && context->kind == MK::kEnum) {
        hint = check::DidYouMean(name, context->enum_values);
      }
      Error(e.span, "unknown-field", "unknown field " + check::Quote(name), hint);
      return Type();
    }
    if (e.path.size() == 1) return it->second;
    const Type& type = it->second;
    if (type.kind == MK::kDocument && e.path.size() == 2 &&
        (e.path[1] == "name" || e.path[1] == "sha256")) {
      return Type::Of(MK::kText);
    }
    if (IsAny(type)) return Type();
    Error(e.span, "type-error",
          "field " + check::Quote(name) + " of type " + type.ToString() + " has no part " +
              check::Quote(e.path[1]),
          type.kind == MK::kDocument ? "a document has 'name' and 'sha256'" : "");
    return Type();
  }

  Type Call(const Expr& e) {
    if (e.text == "exists") {
      if (e.children.size() != 1 || e.children[0].kind != ExprKind::kRef ||
          e.children[0].path.size() != 1) {
        Error(e.span, "type-error", "exists() takes one field name");
        return Type::Of(MK::kBool);
      }
      Ref(e.children[0], nullptr);  // Reports an unknown field.
      return Type::Of(MK::kBool);
    }
    if (e.text == "count") {
      if (e.children.size() != 1) {
        Error(e.span, "type-error", "count() takes one list");
        return Type::Of(MK::kNumber);
      }
      Type arg = TypeOf(e.children[0]);
      if (!IsAny(arg) && arg.kind != MK::kList) {
        Error(e.children[0].span, "type-error", "count() takes a list, not " + arg.ToString());
      }
      return Type::Of(MK::kNumber);
    }
    if (e.text == "date" || e.text == "datetime") return DateConversion(e);
    if (e.text == "case_in") return CaseIn(e);
    if (e.text == "max" || e.text == "min") return Extreme(e);
    for (const Expr& arg : e.children) TypeOf(arg);
    Error(e.span, "unknown-function", "unknown function " + check::Quote(e.text),
          check::DidYouMean(e.text, {"exists", "count", "date", "datetime", "max", "min", "case_in"}));
    return Type();
  }

  // case_in(WORKFLOW, STATE, FIELD): three bare names; FIELD must be a field
  // here (checked as a reference) — case_queries.cc checks the other workflow.
  Type CaseIn(const Expr& e) {
    bool names = e.children.size() == 3;
    for (const Expr& arg : e.children) {
      names = names && arg.kind == ExprKind::kRef && arg.path.size() == 1;
    }
    if (!names) {
      Error(e.span, "type-error", "case_in() takes a workflow, one of its states and a field: "
                                  "case_in(partner_onboarding, authorized, company)");
    } else {
      Ref(e.children[2], nullptr);  // Reports an unknown field.
    }
    return Type::Of(MK::kBool);
  }

  // date(x): the Shanghai date of a datetime (or of "YYYY-MM-DD" text);
  // datetime(x): 00:00 Shanghai of a date. Notice periods are compared by day
  // (MEASURES.md), so rules need both directions.
  Type DateConversion(const Expr& e) {
    const bool to_date = e.text == "date";
    const Type result = Type::Of(to_date ? MK::kDate : MK::kDateTime);
    if (e.children.size() != 1) {
      Error(e.span, "type-error", e.text + "() takes one value");
      return result;
    }
    Type arg = TypeOf(e.children[0]);
    const bool ok = IsAny(arg) || arg.kind == MK::kDate || arg.kind == MK::kDateTime ||
                    (to_date && arg.kind == MK::kText);
    if (!ok) {
      Error(e.children[0].span, "type-error",
            e.text + "() takes a date or datetime, not " + arg.ToString());
    }
    return result;
  }

  // max(a, b, …) / min(a, b, …) of numbers, dates, datetimes or durations, all
  // of one type: "the later of the planned date and the notice + 3 days".
  Type Extreme(const Expr& e) {
    if (e.children.size() < 2) {
      Error(e.span, "type-error", e.text + "() takes two or more values");
      return Type();
    }
    Type result;
    for (const Expr& arg : e.children) {
      Type t = TypeOf(arg);
      if (IsAny(t)) continue;
      if (t.kind != MK::kNumber && t.kind != MK::kDate && t.kind != MK::kDateTime &&
          t.kind != MK::kDuration) {
        Error(arg.span, "type-error",
              e.text + "() takes numbers, dates, datetimes or durations, not " + t.ToString());
        continue;
      }
      if (IsAny(result)) {
        result = t;
      } else if (!Like(result, t)) {
        Error(arg.span, "type-error",
              e.text + "() values must have one type: " + result.ToString() + " and " +
                  t.ToString());
      }
    }
    return result;
  }

  Type ListOf(const std::vector<Expr>& items, const Type* context) {
    Type element;
    for (const Expr& item : items) {
      Type t = TypeOf(item, context);
      if (IsAny(element)) {
        element = t;
      } else if (!Like(element, t)) {
        Error(item.span, "type-error",
              "list item is " + t.ToString() + " but the list holds " + element.ToString());
      }
    }
    return Type::ListOf(element);
  }

  Type Unary(const Expr& e) {
    if (e.children.empty()) return Type();
    Type operand = TypeOf(e.children[0]);
    if (IsAny(operand)) return e.op == "not" ? Type::Of(MK::kBool) : Type();
    if (e.op == "not") {
      if (operand.kind != MK::kBool) {
        Error(e.span, "type-error", "'not' takes bool, not " + operand.ToString());
      }
      return Type::Of(MK::kBool);
    }
    if (operand.kind == MK::kNumber || operand.kind == MK::kDuration) return operand;
    Error(e.span, "type-error", "'-' takes a number or a duration, not " + operand.ToString());
    return Type();
  }

  // A bare name that is not a field: maybe an enum value, typed by the other side.
  bool IsBareUnknown(const Expr& e) const {
    return e.kind == ExprKind::kRef && e.path.size() == 1 && !fields_.count(e.path[0]);
  }

  // A text literal compared with or stored in an enum must be one of its values.
  void CheckEnumLiteral(const Type& enum_type, const Expr& e) {
    if (enum_type.kind != MK::kEnum || e.kind != ExprKind::kString) return;
    if (!Has(enum_type.enum_values, e.text)) {
      Error(e.span, "type-error",
            "'" + e.text + "' is not a value of " + enum_type.ToString(),
            check::DidYouMean(e.text, enum_type.enum_values));
    }
  }

  Type Binary(const Expr& e) {
    if (e.children.size() != 2) return Type();
    const Expr& lhs = e.children[0];
    const Expr& rhs = e.children[1];
    Type a, b;
    if ((e.op == "==" || e.op == "!=") && IsBareUnknown(lhs) && !IsBareUnknown(rhs)) {
      b = TypeOf(rhs);
      a = TypeOf(lhs, &b);
    } else {
      a = TypeOf(lhs);
      b = TypeOf(rhs, &a);
    }
    const std::string& op = e.op;
    auto mismatch = [&]() {
      Error(e.span, "type-error",
            "operator '" + op + "' cannot take " + a.ToString() + " and " + b.ToString());
    };
    if (op == "and" || op == "or") {
      if (!IsAny(a) && a.kind != MK::kBool) {
        Error(lhs.span, "type-error", "'" + op + "' takes bool, not " + a.ToString());
      }
      if (!IsAny(b) && b.kind != MK::kBool) {
        Error(rhs.span, "type-error", "'" + op + "' takes bool, not " + b.ToString());
      }
      return Type::Of(MK::kBool);
    }
    if (op == "==" || op == "!=") {
      if (!Like(a, b)) {
        mismatch();
      } else {
        CheckEnumLiteral(a, rhs);
        CheckEnumLiteral(b, lhs);
      }
      return Type::Of(MK::kBool);
    }
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      bool ordered = IsAny(a) || IsAny(b) ||
                     (a.kind == b.kind &&
                      (a.kind == MK::kNumber || a.kind == MK::kText ||
                       a.kind == MK::kDate || a.kind == MK::kDateTime ||
                       a.kind == MK::kDuration));
      if (!ordered) mismatch();
      return Type::Of(MK::kBool);
    }
    if (IsAny(a) || IsAny(b)) return Type();
    MK ka = a.kind, kb = b.kind;
    if (op == "+" || op == "-") {
      if (ka == MK::kNumber && kb == MK::kNumber) return a;
      if ((ka == MK::kDateTime || ka == MK::kDate) && kb == MK::kDuration) {
        return a;
      }
      if (op == "+" && ka == MK::kDuration &&
          (kb == MK::kDateTime || kb == MK::kDate)) {
        return b;
      }
      if (op == "-" && ka == kb && (ka == MK::kDateTime || ka == MK::kDate)) {
        return Type::Of(MK::kDuration);
      }
      mismatch();
      return Type();
    }
    if (op == "*" || op == "/") {
      if (ka == MK::kNumber && kb == MK::kNumber) return a;
      mismatch();
      return Type();
    }
    mismatch();
    return Type();
  }

  Type In(const Expr& e) {
    if (e.children.size() != 2) return Type::Of(MK::kBool);
    Type left = TypeOf(e.children[0]);
    const Expr& list = e.children[1];
    if (list.kind != ExprKind::kList) {
      Type t = TypeOf(list);
      if (!IsAny(t) && t.kind != MK::kList) {
        Error(list.span, "type-error", "'" + e.op + "' needs a list, not " + t.ToString());
      }
      return Type::Of(MK::kBool);
    }
    for (const Expr& item : list.children) {
      Type t = TypeOf(item, &left);
      if (!Like(left, t)) {
        Error(item.span, "type-error",
              "list item is " + t.ToString() + " but is compared with " + left.ToString());
      } else {
        CheckEnumLiteral(left, item);
      }
    }
    return Type::Of(MK::kBool);
  }

  const FieldTypes& fields_;
  Diagnostics* out_;
};

}  // namespace

model::Type TypeOf(const Expr& expr, const FieldTypes& fields, Diagnostics* diagnostics) {
  return Typer(fields, diagnostics).TypeOf(expr);
}

bool IsAssignable(const model::Type& field, const model::Type& value) {
  if (IsAny(field) || IsAny(value)) return true;
  switch (field.kind) {
    case MK::kEnum:
    case MK::kParty:
      return value.kind == field.kind || value.kind == MK::kText;
    case MK::kText:
      return IsTextLike(value);
    case MK::kList:
      return value.kind == MK::kList &&
             (!field.element || !value.element || IsAssignable(*field.element, *value.element));
    default:
      return field.kind == value.kind;
  }
}

bool IsEnumValueRef(const Expr& expr, const FieldTypes& fields) {
  return expr.kind == ExprKind::kRef && expr.path.size() == 1 && !fields.count(expr.path[0]);
}

namespace check {

namespace {

// Types `expr` and requires `want` (kAny: anything); `what` names the place.
void Expect(const Context& context, const FieldTypes& fields, const Expr& expr,
            MK want, const std::string& what) {
  Type type = TypeOf(expr, fields, context.out);
  if (want == MK::kAny || IsAny(type) || type.kind == want) return;
  context.Error("type-error", expr.span,
                what + " must be " + Type::Of(want).ToString() + ", not " + type.ToString());
}

// A value stored in a field of type `field`: typed with the field's enum as
// context, so `set level = high` means the enum value.
void ExpectAssignable(const Context& context, const FieldTypes& fields, const Expr& expr,
                      const Type& field, const std::string& what) {
  Diagnostics found;
  Type type;
  if (field.kind == MK::kEnum && IsEnumValueRef(expr, fields) &&
      Has(field.enum_values, expr.path[0])) {
    type = field;
  } else {
    type = TypeOf(expr, fields, context.out);
  }
  if (!IsAssignable(field, type)) {
    context.Error("type-error", expr.span,
                  what + " is " + field.ToString() + " but the value is " + type.ToString());
    return;
  }
  if (field.kind == MK::kEnum && expr.kind == ExprKind::kString &&
      !Has(field.enum_values, expr.text)) {
    context.Error("type-error", expr.span,
                  "'" + expr.text + "' is not a value of " + field.ToString(),
                  DidYouMean(expr.text, field.enum_values));
  }
}

void CheckActions(const Context& context, const WorkflowInfo& info,
                  const std::optional<DoClause>& clause);

void CheckAction(const Context& context, const WorkflowInfo& info, const Action& action) {
  const FieldTypes& fields = info.field_types;
  switch (action.kind) {
    case ActionKind::kSet: {
      if (!action.value) return;
      auto it = fields.find(action.target.text);
      if (it == fields.end()) {
        TypeOf(*action.value, fields, context.out);  // The field itself is names.cc's.
        return;
      }
      ExpectAssignable(context, fields, *action.value, it->second,
                       "field " + Quote(action.target.text));
      return;
    }
    case ActionKind::kCall:
      for (const Expr& arg : action.arguments) TypeOf(arg, fields, context.out);
      return;
    case ActionKind::kStart:
    case ActionKind::kSend: {
      const std::string& receiver_name =
          action.kind == ActionKind::kStart ? action.target.text : action.to_workflow.text;
      const WorkflowInfo* child = nullptr;
      auto wf = context.workflows.find(receiver_name);
      if (wf != context.workflows.end()) {
        auto ci = context.infos.find(wf->second);
        if (ci != context.infos.end()) child = &ci->second;
      }
      for (const ObjectEntry& entry : action.with) {
        const Type* want = nullptr;
        if (child) {
          auto f = child->field_types.find(entry.key.text);
          if (f != child->field_types.end()) want = &f->second;
        }
        if (want) {
          ExpectAssignable(context, fields, entry.value, *want,
                           "field " + Quote(entry.key.text) + " of " + Quote(receiver_name));
        } else {
          TypeOf(entry.value, fields, context.out);
        }
      }
      if (action.kind == ActionKind::kSend && child) {
        // Correlation compares the two fields' values, so their types must agree.
        auto mine = fields.find(action.matching.text);
        auto theirs = child->field_types.find(action.matching.text);
        if (mine != fields.end() && theirs != child->field_types.end() &&
            !Like(mine->second, theirs->second)) {
          context.Error("type-error", action.matching.span,
                        "field " + Quote(action.matching.text) + " is " + mine->second.ToString() +
                            " here but " + theirs->second.ToString() + " in " +
                            Quote(receiver_name));
        }
      }
      return;
    }
    default:
      return;
  }
}

void CheckActions(const Context& context, const WorkflowInfo& info,
                  const std::optional<DoClause>& clause) {
  if (!clause) return;
  for (const Action& action : clause->actions) CheckAction(context, info, action);
}

void CheckTransition(const Context& context, const WorkflowInfo& info,
                     const TransitionDecl& transition) {
  if (transition.guard) {
    Expect(context, info.field_types, *transition.guard, MK::kBool, "a condition");
  }
  CheckActions(context, info, transition.actions);
}

void CheckState(const Context& context, const WorkflowInfo& info, const StateDecl& state) {
  for (const DoClause& clause : state.entry) {
    for (const Action& action : clause.actions) CheckAction(context, info, action);
  }
  for (const DoClause& clause : state.exit) {
    for (const Action& action : clause.actions) CheckAction(context, info, action);
  }
  for (const TransitionDecl& transition : state.transitions) {
    CheckTransition(context, info, transition);
  }
  for (const TimerDecl& timer : state.timers) {
    if (timer.at) {
      Type type = TypeOf(*timer.at, info.field_types, context.out);
      if (!IsAny(type) && type.kind != MK::kDateTime && type.kind != MK::kDate) {
        context.Error("type-error", timer.at->span,
                      "a deadline must be datetime, not " + type.ToString());
      }
    }
    if (timer.until) {
      Expect(context, info.field_types, *timer.until, MK::kBool, "an 'until' condition");
    }
    CheckActions(context, info, timer.actions);
  }
  for (const StateDecl& child : state.children) CheckState(context, info, child);
}

}  // namespace

void CheckExpressions(const Context& context, const WorkflowInfo& info) {
  const WorkflowDecl& workflow = *info.decl;
  for (const FieldDecl& field : workflow.fields) {
    if (!field.default_value) continue;
    ExpectAssignable(context, info.field_types, *field.default_value, TypeFromRef(field.type),
                     "the default of field " + Quote(field.name.text));
  }
  for (const TransitionDecl& transition : workflow.start_transitions) {
    CheckTransition(context, info, transition);
  }
  for (const StateDecl& state : workflow.states) CheckState(context, info, state);
}

}  // namespace check
}  // namespace zgtflow::dsl
