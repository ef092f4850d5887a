// ④ Actions: the only place case data is written after the payload, and the
// source of notify/call/start/record effects and emitted events.
#include "engine/core/actions.h"

#include <cstdlib>

#include "engine/core/template.h"

namespace zgtflow::core {

using model::ActionKind;
using model::TypeKind;
using model::Value;

Value CoerceToField(const model::Type& type, Value value) {
  if (value.is_null()) return value;
  switch (type.kind) {
    case TypeKind::kText:
    case TypeKind::kEnum:
    case TypeKind::kParty:
      if (value.kind() != Value::Kind::kText) return Value::Text(value.ToDisplayString());
      break;
    case TypeKind::kNumber:
      if (value.kind() == Value::Kind::kText) {
        const std::string& text = value.AsText();
        char* end = nullptr;
        double n = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size()) return Value::Number(n);
      }
      break;
    case TypeKind::kDateTime:
      if (value.kind() == Value::Kind::kDate) {
        return Value::DateTime(calendar::StartOfShanghaiDay(value.AsDate()));
      }
      break;
    case TypeKind::kDate:
      if (value.kind() == Value::Kind::kDateTime) {
        return Value::Date(calendar::ShanghaiDate(value.AsDateTime()));
      }
      break;
    default:
      break;
  }
  return value;
}

namespace {

// `what()` names the expression for the error message; it is called only on
// failure, so the accepted path builds no strings.
template <typename What>
bool EvalOrFail(StepContext& ctx, const model::Expr& expr, What what, Value* out) {
  Result<Value> value = Eval(expr, ctx.eval);
  if (!value.ok()) {
    ctx.Fail("eval-error", what() + ": " + value.status().message());
    return false;
  }
  *out = std::move(value).value();
  return true;
}

// The values of a `start … with {…}` or `send … with {…}`, in written order.
bool EvalWith(StepContext& ctx, const model::ActionDef& action, const std::string& what,
              std::vector<std::pair<std::string, Value>>* data) {
  data->reserve(action.with.size());
  for (const auto& entry : action.with) {
    // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
    const std::string& field = entry.first;
    Value value;
    if (!EvalOrFail(ctx, entry.second, [&] { return what + " with " + field; }, &value)) {
      return false;
    }
    data->emplace_back(field, std::move(value));
  }
  return true;
}

}  // namespace

bool RunActions(StepContext& ctx, const std::vector<model::ActionDef>& actions, int state) {
  const model::Workflow& wf = ctx.workflow;
  for (const model::ActionDef& action : actions) {
    switch (action.kind) {
      case ActionKind::kSet: {
        if (action.field < 0 || static_cast<size_t>(action.field) >= ctx.state.data.size()) {
          ctx.Fail("eval-error", "set: no field #" + std::to_string(action.field));
          return false;
        }
        Value value;
        if (!EvalOrFail(ctx, action.value, [&] { return "set " + wf.fields[action.field].name; }, &value)) {
          return false;
        }
        ctx.SetData(action.field, CoerceToField(wf.fields[action.field].type, std::move(value)));
        break;
      }
      case ActionKind::kNotify: {
        Effect& effect = ctx.AddEffect(EffectKind::kNotify);
        effect.role = action.role;
        effect.text = RenderTemplate(action.text, wf, ctx.state.data);
        break;
      }
      case ActionKind::kCall: {
        std::vector<Value> arguments;
        arguments.reserve(action.arguments.size());
        for (const model::Expr& argument : action.arguments) {
          Value value;
          if (!EvalOrFail(ctx, argument, [&] { return "call " + action.adapter + "." + action.operation; },
                          &value)) {
            return false;
          }
          arguments.push_back(std::move(value));
        }
        uint32_t id = ctx.state.next_id++;
        Effect& effect = ctx.AddEffect(EffectKind::kCallAdapter);
        effect.adapter = action.adapter;
        effect.operation = action.operation;
        effect.arguments = std::move(arguments);
        effect.call_id = id;
        PendingCall call;
        call.id = id;
        call.state = static_cast<uint16_t>(state < 0 ? 0 : state);
        call.reply_event = action.reply_event;
        call.failure_event = action.failure_event;
        ctx.state.calls.push_back(std::move(call));
        break;
      }
      case ActionKind::kStart: {
        std::vector<std::pair<std::string, Value>> data;
        if (!EvalWith(ctx, action, "start " + action.workflow, &data)) return false;
        Effect& effect = ctx.AddEffect(EffectKind::kStartChild);
        effect.workflow = action.workflow;
        effect.data = std::move(data);
        effect.child_index = ctx.state.children_started++;
        break;
      }
      case ActionKind::kRecord: {
        Effect& effect = ctx.AddEffect(EffectKind::kRecord);
        effect.text = RenderTemplate(action.text, wf, ctx.state.data);
        break;
      }
      case ActionKind::kEmit:
        ctx.internal_events.push_back(action.event);
        break;
      case ActionKind::kSend: {
        std::vector<std::pair<std::string, Value>> data;
        if (!EvalWith(ctx, action, "send " + action.event, &data)) return false;
        const Value& match = ctx.state.data[action.match_field];
        if (match.is_null()) {
          ctx.Fail("missing-field",
                   "send " + action.event + " to " + action.workflow + ": field '" +
                       wf.fields[action.match_field].name + "' has no value to match on",
                   wf.fields[action.match_field].name);
          return false;
        }
        Effect& effect = ctx.AddEffect(EffectKind::kSendToCases);
        effect.workflow = action.workflow;
        effect.text = action.event;
        effect.role = ctx.input ? ctx.input->actor_role : "";
        effect.data = std::move(data);
        effect.match_field = wf.fields[action.match_field].name;
        effect.match_value = match;
        break;
      }
    }
  }
  return true;
}

}  // namespace zgtflow::core
