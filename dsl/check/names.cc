// ② Name checks: unknown or duplicate states, roles, fields, workflows,
// types and calendars; done events; events raised that nothing handles.
// Every unknown name gets a "did you mean" hint when one is close.
#include <algorithm>
#include <set>

#include "dsl/check/check_context.h"

namespace zgtflow::dsl::check {

namespace {

const std::vector<std::string>& TypeNames() {
  static const std::vector<std::string> kNames = {
      "text", "number", "bool", "date", "datetime", "duration", "document", "enum", "party", "list"};
  return kNames;
}

class NameChecker {
 public:
  NameChecker(const Context& context, const WorkflowInfo& info)
      : context_(context), info_(info), workflow_(*info.decl) {}

  void Run() {
    CheckCalendar();
    CheckFields();
    CheckDuplicateStates();
    for (const TransitionDecl& t : workflow_.start_transitions) CheckTransition(t);
    for (const StateDecl& state : workflow_.states) CheckState(state);
  }

 private:
  void CheckCalendar() {
    if (!workflow_.calendar) return;
    const auto& known = context_.options->calendars;
    const Name& name = *workflow_.calendar;
    if (std::find(known.begin(), known.end(), name.text) == known.end()) {
      context_.Error("unknown-calendar", name.span, "unknown calendar " + Quote(name.text),
                     DidYouMean(name.text, known));
    }
  }

  void CheckType(const TypeRef& type) {
    if (!type.unknown_name.empty()) {
      context_.Error("unknown-type", type.span, "unknown type " + Quote(type.unknown_name),
                     DidYouMean(type.unknown_name, TypeNames()));
      return;
    }
    if (type.kind == TypeKind::kParty) CheckRole(type.party_role);
    if (type.kind == TypeKind::kEnum) {
      std::set<std::string> seen;
      for (const Name& value : type.enum_values) {
        if (!seen.insert(value.text).second) {
          context_.Error("duplicate-enum-value", value.span,
                         "duplicate enum value " + Quote(value.text));
        }
      }
    }
    for (const TypeRef& element : type.element) CheckType(element);
  }

  void CheckFields() {
    for (const FieldDecl& field : workflow_.fields) {
      const FieldDecl* first = info_.field_by_name.at(field.name.text);
      if (first != &field) {
        context_.Error("duplicate-field", field.name.span,
                       "duplicate field " + Quote(field.name.text),
                       "first declared at " + first->name.span.ToString());
      }
      CheckType(field.type);
    }
  }

  void CheckDuplicateStates() {
    for (const StateDecl* state : info_.states) {
      const StateDecl* first = info_.FindState(state->name.text);
      if (first != state) {
        context_.Error("duplicate-state", state->name.span,
                       "duplicate state " + Quote(state->name.text),
                       "first declared at " + first->name.span.ToString());
      }
    }
  }

  void CheckRole(const Name& role) {
    if (context_.roles.count(role.text)) return;
    context_.Error("unknown-role", role.span, "unknown role " + Quote(role.text),
                   DidYouMean(role.text, context_.RoleNames()));
  }

  void CheckField(const Name& field) {
    if (info_.field_by_name.count(field.text)) return;
    context_.Error("unknown-field", field.span, "unknown field " + Quote(field.text),
                   DidYouMean(field.text, info_.FieldNames()));
  }

  void CheckTarget(const Name& target) {
    if (info_.FindState(target.text)) return;
    context_.Error("unknown-state", target.span, "unknown state " + Quote(target.text),
                   DidYouMean(target.text, info_.StateNames()));
  }

  // `X.done` is raised when compound or parallel state X finishes;
  // `child.done` when a child case started by this workflow finishes.
  void CheckDoneEvent(const Name& event) {
    static const std::string kSuffix = ".done";
    const std::string& text = event.text;
    if (text.size() <= kSuffix.size() ||
        text.compare(text.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
      return;
    }
    std::string prefix = text.substr(0, text.size() - kSuffix.size());
    if (prefix == "child") {
      if (!info_.has_start_action) {
        context_.Error("invalid-done-event", event.span,
                       "'child.done' never happens: workflow " + Quote(workflow_.id.text) +
                           " starts no child case",
                       "add a 'start WORKFLOW' action");
      }
      return;
    }
    const StateDecl* state = info_.FindState(prefix);
    if (!state) {
      Name name{prefix, event.span};
      CheckTarget(name);
      return;
    }
    if (state->children.empty() || state->choice || state->final_state) {
      context_.Error("invalid-done-event", event.span,
                     Quote(text) + " never happens: state " + Quote(prefix) +
                         " has no child states");
    }
  }

  void CheckTransition(const TransitionDecl& t) {
    if (t.kind == TransitionKind::kOn) CheckDoneEvent(t.event);
    for (const Name& role : t.roles) CheckRole(role);
    for (const Name& field : t.required) CheckField(field);
    if (t.target) CheckTarget(*t.target);
    CheckActions(t.actions);
  }

  void CheckState(const StateDecl& state) {
    for (const DoClause& clause : state.entry) CheckActions(clause);
    for (const DoClause& clause : state.exit) CheckActions(clause);
    for (const TransitionDecl& t : state.transitions) CheckTransition(t);
    for (const TimerDecl& timer : state.timers) {
      if (timer.target) CheckTarget(*timer.target);
      CheckActions(timer.actions);
    }
    for (const StateDecl& child : state.children) CheckState(child);
  }

  void CheckActions(const std::optional<DoClause>& clause) {
    if (clause) CheckActions(*clause);
  }
  void CheckActions(const DoClause& clause) {
    for (const Action& action : clause.actions) CheckAction(action);
  }

  void CheckHandled(const Name& event, const std::string& how) {
    for (const std::string& handled : info_.handled) {
      if (handled == event.text) return;
    }
    context_.Warning("unhandled-event", event.span,
                     "event " + Quote(event.text) + " is " + how + " but no transition handles it",
                     DidYouMean(event.text, info_.handled));
  }

  // "{field}" placeholders of a notification must name fields ("{doc.name}"
  // names the field `doc`).
  void CheckTemplate(const Action& action) {
    const std::string& text = action.text;
    size_t pos = 0;
    while ((pos = text.find('{', pos)) != std::string::npos) {
      size_t close = text.find('}', pos + 1);
      if (close == std::string::npos) break;
      std::string name = text.substr(pos + 1, close - pos - 1);
      pos = close + 1;
      std::string field = name.substr(0, name.find('.'));
      if (field.empty() || info_.field_by_name.count(field)) continue;
      context_.Error("unknown-field", action.span,
                     "unknown field " + Quote(field) + " in the text of a notification",
                     DidYouMean(field, info_.FieldNames()));
    }
  }

  // The workflow a `start` or `send` names, or null after reporting it unknown.
  const WorkflowInfo* FindWorkflow(const Name& name) {
    auto it = context_.workflows.find(name.text);
    if (it == context_.workflows.end()) {
      context_.Error("unknown-workflow", name.span, "unknown workflow " + Quote(name.text),
                     DidYouMean(name.text, context_.WorkflowNames()));
      return nullptr;
    }
    return &context_.infos.at(it->second);
  }

  // The keys of `with { … }` name fields of the workflow that receives them.
  void CheckWithKeys(const Action& action, const std::string& workflow, const WorkflowInfo& receiver) {
    for (const ObjectEntry& entry : action.with) {
      if (receiver.field_by_name.count(entry.key.text)) continue;
      context_.Error("unknown-field", entry.key.span,
                     "workflow " + Quote(workflow) + " has no field " + Quote(entry.key.text),
                     DidYouMean(entry.key.text, receiver.FieldNames()));
    }
  }

  void CheckAction(const Action& action) {
    switch (action.kind) {
      case ActionKind::kSet:
        CheckField(action.target);
        return;
      case ActionKind::kNotify:
        CheckRole(action.target);
        CheckTemplate(action);
        return;
      case ActionKind::kCall:
        if (action.reply_event) CheckHandled(*action.reply_event, "a call's reply");
        if (action.failure_event) CheckHandled(*action.failure_event, "a call's failure");
        return;
      case ActionKind::kStart: {
        const WorkflowInfo* child = FindWorkflow(action.target);
        if (child) CheckWithKeys(action, action.target.text, *child);
        return;
      }
      case ActionKind::kSend: {
        CheckField(action.matching);
        const WorkflowInfo* receiver = FindWorkflow(action.to_workflow);
        if (!receiver) return;
        CheckWithKeys(action, action.to_workflow.text, *receiver);
        if (!receiver->field_by_name.count(action.matching.text)) {
          context_.Error("unknown-field", action.matching.span,
                         "workflow " + Quote(action.to_workflow.text) + " has no field " +
                             Quote(action.matching.text) + " to match on",
                         DidYouMean(action.matching.text, receiver->FieldNames()));
        }
        bool handled = false;
        for (const std::string& event : receiver->handled) handled = handled || event == action.target.text;
        if (!handled) {
          context_.Error("unknown-event", action.target.span,
                         "workflow " + Quote(action.to_workflow.text) + " has no event " +
                             Quote(action.target.text),
                         DidYouMean(action.target.text, receiver->handled));
        }
        return;
      }
      case ActionKind::kEmit:
        CheckHandled(action.target, "emitted");
        return;
      case ActionKind::kRecord:
        return;
    }
  }

  const Context& context_;
  const WorkflowInfo& info_;
  const WorkflowDecl& workflow_;
};

}  // namespace

void CheckNames(const Context& context, const WorkflowInfo& info) {
  NameChecker(context, info).Run();
}

}  // namespace zgtflow::dsl::check
