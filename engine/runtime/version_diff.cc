// ⑥ Version diff (see version_diff.h). Transitions and timers are compared
// by their printed text, per state and as multisets: a changed transition
// reads as the old one removed and the new one added, which is what a reader
// of the measures wants to see side by side.
#include "engine/runtime/version_diff.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/calendar/duration.h"

namespace zgtflow::runtime {

namespace {

using model::ExprOp;
using model::StateKind;
using model::Workflow;

const char* StateKindText(StateKind kind) {
  switch (kind) {
    case StateKind::kAtomic: return "atomic";
    case StateKind::kCompound: return "compound";
    case StateKind::kParallel: return "parallel";
    case StateKind::kChoice: return "choice";
    case StateKind::kFinal: return "final";
  }
  return "state";
}

std::string StateName(const Workflow& workflow, int index) {
  if (index < 0 || index >= static_cast<int>(workflow.states.size())) return "?";
  return index == 0 ? "(top)" : workflow.states[index].name;
}

std::string FieldName(const Workflow& workflow, int index) {
  if (index < 0 || index >= static_cast<int>(workflow.fields.size())) return "?";
  return workflow.fields[index].name;
}

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i > 0 ? separator : "") + items[i];
  return out;
}

bool Binary(ExprOp op) {
  return op != ExprOp::kNeg && op != ExprOp::kNot && model::OperatorText(op) != nullptr;
}

std::string FieldText(const Workflow& workflow, const model::FieldDef& field) {
  std::string text = field.name + " " + field.type.ToString();
  if (field.required) text += " required";
  if (field.has_default) text += " default " + ExprText(field.default_value, workflow);
  return text;
}

// Multiset difference of two lists of texts: (only in a, only in b).
std::pair<std::vector<std::string>, std::vector<std::string>> Difference(
    std::vector<std::string> a, std::vector<std::string> b) {
  std::multiset<std::string> in_b(b.begin(), b.end());
  std::vector<std::string> only_a, only_b;
  for (const std::string& text : a) {
    auto it = in_b.find(text);
    if (it == in_b.end()) {
      only_a.push_back(text);
    } else {
      in_b.erase(it);
    }
  }
  std::multiset<std::string> in_a(a.begin(), a.end());
  for (const std::string& text : b) {
    auto it = in_a.find(text);
    if (it == in_a.end()) {
      only_b.push_back(text);
    } else {
      in_a.erase(it);
    }
  }
  return {only_a, only_b};
}

}  // namespace

std::string VersionChange::Line() const { return std::string(1, sign) + " " + area + " " + text; }

std::string ExprText(const model::Expr& expr, const Workflow& workflow) {
  auto child = [&](size_t i) {
    if (i >= expr.children.size()) return std::string("?");
    const model::Expr& c = expr.children[i];
    std::string text = ExprText(c, workflow);
    return Binary(c.op) ? "(" + text + ")" : text;
  };
  switch (expr.op) {
    case ExprOp::kLiteral:
      if (expr.literal.kind() == model::Value::Kind::kText) return Quoted(expr.literal.AsText());
      return expr.literal.ToDisplayString();
    case ExprOp::kNow: return "now";
    case ExprOp::kField: {
      std::string text = FieldName(workflow, expr.field);
      for (const std::string& part : expr.path) text += "." + part;
      return text;
    }
    case ExprOp::kPayload: return "payload";
    case ExprOp::kNeg: return "-" + child(0);
    case ExprOp::kNot: return "not " + child(0);
    case ExprOp::kList: {
      std::vector<std::string> items;
      for (size_t i = 0; i < expr.children.size(); ++i) items.push_back(ExprText(expr.children[i], workflow));
      return "[" + Join(items, ", ") + "]";
    }
    case ExprOp::kExists: return "exists(" + FieldName(workflow, expr.field) + ")";
    case ExprOp::kCount: return "count(" + child(0) + ")";
    case ExprOp::kFunction: {
      std::vector<std::string> args;
      for (const model::Expr& c : expr.children) args.push_back(ExprText(c, workflow));
      return expr.function + "(" + Join(args, ", ") + ")";
    }
    default:
      break;
  }
  const char* op = model::OperatorText(expr.op);
  return child(0) + " " + (op != nullptr ? op : "?") + " " + child(1);
}

std::string ActionsText(const std::vector<model::ActionDef>& actions, const Workflow& workflow) {
  std::vector<std::string> parts;
  for (const model::ActionDef& action : actions) {
    switch (action.kind) {
      case model::ActionKind::kSet:
        parts.push_back("set " + FieldName(workflow, action.field) + " = " +
                        ExprText(action.value, workflow));
        break;
      case model::ActionKind::kNotify:
        parts.push_back("notify " + action.role + " " + Quoted(action.text));
        break;
      case model::ActionKind::kCall: {
        std::vector<std::string> args;
        for (const model::Expr& arg : action.arguments) args.push_back(ExprText(arg, workflow));
        std::string text = "call " + action.adapter + "." + action.operation + "(" + Join(args, ", ") + ")";
        if (!action.reply_event.empty()) text += " on reply -> " + action.reply_event;
        if (!action.failure_event.empty()) text += " on failure -> " + action.failure_event;
        parts.push_back(text);
        break;
      }
      case model::ActionKind::kStart:
      case model::ActionKind::kSend: {
        std::vector<std::string> with;
        for (const auto& [name, value] : action.with) with.push_back(name + " = " + ExprText(value, workflow));
        std::string text = action.kind == model::ActionKind::kStart
                               ? "start " + action.workflow
                               : "send " + action.event + " to " + action.workflow + " matching " +
                                     FieldName(workflow, action.match_field);
        if (!with.empty()) text += " with " + Join(with, ", ");
        parts.push_back(text);
        break;
      }
      case model::ActionKind::kRecord:
        parts.push_back("record " + Quoted(action.text));
        break;
      case model::ActionKind::kEmit:
        parts.push_back("emit " + action.event);
        break;
    }
  }
  return Join(parts, "; ");
}

std::string TransitionText(const model::TransitionDef& t, const Workflow& workflow) {
  std::string text;
  switch (t.kind) {
    case model::TransitionKind::kEvent: text = "on " + t.event; break;
    case model::TransitionKind::kAlways: text = "always"; break;
    case model::TransitionKind::kChoiceIf: text = "if"; break;
    case model::TransitionKind::kChoiceElse: text = "else"; break;
  }
  if (!t.roles.empty()) text += " by " + Join(t.roles, ", ");
  if (t.has_guard) {
    text += (t.kind == model::TransitionKind::kChoiceIf ? " " : " if ") + ExprText(t.guard, workflow);
  }
  if (!t.required_fields.empty()) {
    std::vector<std::string> names;
    for (int field : t.required_fields) names.push_back(FieldName(workflow, field));
    text += " require " + Join(names, ", ");
  }
  if (t.target >= 0) text += " -> " + StateName(workflow, t.target);
  if (!t.actions.empty()) text += " do { " + ActionsText(t.actions, workflow) + " }";
  return text;
}

std::string TimerText(const model::TimerDef& timer, const Workflow& workflow) {
  std::string text;
  switch (timer.kind) {
    case model::TimerKind::kAfter: text = "after " + calendar::FormatDuration(timer.duration); break;
    case model::TimerKind::kAt: text = "at " + ExprText(timer.at, workflow); break;
    case model::TimerKind::kEvery: text = "every " + calendar::FormatDuration(timer.duration); break;
  }
  if (timer.has_until) text += " until " + ExprText(timer.until, workflow);
  if (timer.target >= 0) text += " -> " + StateName(workflow, timer.target);
  if (!timer.actions.empty()) text += " do { " + ActionsText(timer.actions, workflow) + " }";
  return text;
}

VersionDiff DiffVersions(const Workflow& before, const Workflow& after) {
  VersionDiff diff;
  auto add = [&](char sign, const std::string& area, const std::string& text, bool affects = false) {
    diff.changes.push_back(VersionChange{sign, area, text, affects});
  };

  if (before.id != after.id) add('~', "workflow", "id " + before.id + " -> " + after.id);
  if (before.label != after.label) {
    add('~', "workflow", "label " + Quoted(before.label) + " -> " + Quoted(after.label));
  }
  if (before.calendar != after.calendar) {
    add('~', "workflow", "calendar " + before.calendar + " -> " + after.calendar);
  }
  if (before.cites != after.cites) {
    add('~', "workflow", "cites " + Join(before.cites, " ") + " -> " + Join(after.cites, " "));
  }

  // Roles.
  std::set<std::string> roles_before, roles_after;
  for (const model::RoleDef& role : before.roles) roles_before.insert(role.name);
  for (const model::RoleDef& role : after.roles) roles_after.insert(role.name);
  for (const std::string& role : roles_before) {
    if (!roles_after.count(role)) add('-', "role", role);
  }
  for (const std::string& role : roles_after) {
    if (!roles_before.count(role)) add('+', "role", role);
  }

  // Fields, by name.
  for (const model::FieldDef& field : before.fields) {
    if (after.FindField(field.name) < 0) add('-', "field", FieldText(before, field));
  }
  for (const model::FieldDef& field : after.fields) {
    const int old_index = before.FindField(field.name);
    if (old_index < 0) {
      add('+', "field",
          FieldText(after, field) +
              (field.required ? " (running cases have no value: migrating them is refused)" : ""),
          field.required);
      continue;
    }
    const model::FieldDef& old = before.fields[old_index];
    if (!(old.type == field.type)) {
      add('~', "field", field.name + ": type " + old.type.ToString() + " -> " + field.type.ToString(),
          true);
    }
    if (old.required != field.required) {
      add('~', "field", field.name + (field.required ? ": now required" : ": no longer required"),
          field.required);
    }
    const std::string old_default = old.has_default ? ExprText(old.default_value, before) : "";
    const std::string new_default = field.has_default ? ExprText(field.default_value, after) : "";
    if (old_default != new_default) {
      add('~', "field", field.name + ": default " + (old_default.empty() ? "none" : old_default) +
                            " -> " + (new_default.empty() ? "none" : new_default));
    }
    if (old.label != field.label) {
      add('~', "field", field.name + ": label " + Quoted(old.label) + " -> " + Quoted(field.label));
    }
  }

  // States, by name.
  for (size_t i = 1; i < before.states.size(); ++i) {
    const model::StateDef& state = before.states[i];
    if (after.FindState(state.name) <= 0) {
      add('-', "state", state.name + " " + Quoted(state.label) + " (" + StateKindText(state.kind) + ")",
          true);
      diff.removed_states.push_back(state.name);
    }
  }
  for (size_t i = 1; i < after.states.size(); ++i) {
    const model::StateDef& state = after.states[i];
    const int old_index = before.FindState(state.name);
    if (old_index <= 0) {
      std::string where = state.parent > 0 ? ", in " + StateName(after, state.parent) : "";
      add('+', "state", state.name + " " + Quoted(state.label) + " (" + StateKindText(state.kind) +
                            where + ")");
      continue;
    }
    const model::StateDef& old = before.states[old_index];
    if (old.kind != state.kind) {
      add('~', "state", state.name + ": " + StateKindText(old.kind) + " -> " + StateKindText(state.kind),
          true);
    }
    if (StateName(before, old.parent) != StateName(after, state.parent)) {
      add('~', "state", state.name + ": moved from " + StateName(before, old.parent) + " to " +
                            StateName(after, state.parent),
          true);
    }
    if (old.initial_child >= 0 || state.initial_child >= 0) {
      const std::string a = old.initial_child >= 0 ? StateName(before, old.initial_child) : "none";
      const std::string b = state.initial_child >= 0 ? StateName(after, state.initial_child) : "none";
      if (a != b) add('~', "state", state.name + ": initial " + a + " -> " + b);
    }
    if (old.label != state.label) {
      add('~', "state", state.name + ": label " + Quoted(old.label) + " -> " + Quoted(state.label));
    }
  }
  // The initial state of the whole workflow.
  {
    const std::string a = before.states.empty() ? "" : StateName(before, before.states[0].initial_child);
    const std::string b = after.states.empty() ? "" : StateName(after, after.states[0].initial_child);
    if (a != b) add('~', "workflow", "initial state " + a + " -> " + b);
  }

  // Per state: transitions, timers, entry and exit actions (states of both
  // versions, old order first, then the new states).
  std::vector<std::string> order;
  for (size_t i = 1; i < before.states.size(); ++i) order.push_back(before.states[i].name);
  for (size_t i = 1; i < after.states.size(); ++i) {
    if (before.FindState(after.states[i].name) <= 0) order.push_back(after.states[i].name);
  }
  auto list_changes = [&](const std::string& area, const std::string& prefix,
                          const std::vector<std::string>& a, const std::vector<std::string>& b) {
    auto [removed, added] = Difference(a, b);
    for (const std::string& text : removed) add('-', area, prefix + text);
    for (const std::string& text : added) add('+', area, prefix + text);
  };
  {
    std::vector<std::string> a, b;
    for (const auto& t : before.start_transitions) a.push_back(TransitionText(t, before));
    for (const auto& t : after.start_transitions) b.push_back(TransitionText(t, after));
    list_changes("start", "", a, b);
  }
  for (const std::string& name : order) {
    const int ia = before.FindState(name);
    const int ib = after.FindState(name);
    std::vector<std::string> ta, tb, xa, xb;
    std::vector<std::string> entry_a, entry_b, exit_a, exit_b;
    if (ia > 0) {
      for (const auto& t : before.states[ia].transitions) ta.push_back(TransitionText(t, before));
      for (const auto& t : before.states[ia].timers) xa.push_back(TimerText(t, before));
      if (!before.states[ia].entry.empty()) entry_a.push_back(ActionsText(before.states[ia].entry, before));
      if (!before.states[ia].exit.empty()) exit_a.push_back(ActionsText(before.states[ia].exit, before));
    }
    if (ib > 0) {
      for (const auto& t : after.states[ib].transitions) tb.push_back(TransitionText(t, after));
      for (const auto& t : after.states[ib].timers) xb.push_back(TimerText(t, after));
      if (!after.states[ib].entry.empty()) entry_b.push_back(ActionsText(after.states[ib].entry, after));
      if (!after.states[ib].exit.empty()) exit_b.push_back(ActionsText(after.states[ib].exit, after));
    }
    list_changes("transition", name + ": ", ta, tb);
    list_changes("timer", name + ": ", xa, xb);
    list_changes("entry", name + ": ", entry_a, entry_b);
    list_changes("exit", name + ": ", exit_a, exit_b);
  }
  return diff;
}

}  // namespace zgtflow::runtime
