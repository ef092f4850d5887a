// ② Checks of case_in(WORKFLOW, STATE, FIELD): the workflow exists, the state
// is one of its states, and the field exists in both workflows (its type is
// checked by types.cc like any field reference).
#include <functional>

#include "dsl/check/check_context.h"

namespace zgtflow::dsl::check {

namespace {

class CaseQueryChecker {
 public:
  CaseQueryChecker(const Context& context, const WorkflowInfo& info)
      : context_(context), info_(info) {}

  void Run() {
    const WorkflowDecl& workflow = *info_.decl;
    for (const FieldDecl& field : workflow.fields) Visit(field.default_value);
    for (const TransitionDecl& t : workflow.start_transitions) VisitTransition(t);
    for (const StateDecl& state : workflow.states) VisitState(state);
    ForEachAction(workflow, [this](const Action& action) { VisitAction(action); });
  }

 private:
  void VisitState(const StateDecl& state) {
    for (const TransitionDecl& t : state.transitions) VisitTransition(t);
    for (const TimerDecl& timer : state.timers) {
      Visit(timer.at);
      Visit(timer.until);
    }
    for (const StateDecl& child : state.children) VisitState(child);
  }

  void VisitTransition(const TransitionDecl& t) { Visit(t.guard); }

  void VisitAction(const Action& action) {
    Visit(action.value);
    for (const Expr& arg : action.arguments) Visit(arg);
    for (const ObjectEntry& entry : action.with) Visit(entry.value);
  }

  void Visit(const std::optional<Expr>& e) {
    if (e) Visit(*e);
  }

  void Visit(const Expr& e) {
    if (e.kind == ExprKind::kCall && e.text == "case_in" && e.children.size() == 3) CheckQuery(e);
    for (const Expr& child : e.children) Visit(child);
  }

  void CheckQuery(const Expr& e) {
    const Expr& workflow_ref = e.children[0];
    const Expr& state_ref = e.children[1];
    const Expr& field_ref = e.children[2];
    if (workflow_ref.path.size() != 1 || state_ref.path.size() != 1 || field_ref.path.size() != 1) {
      return;  // types.cc reports the shape.
    }
    const std::string& workflow = workflow_ref.path[0];
    auto it = context_.workflows.find(workflow);
    if (it == context_.workflows.end()) {
      context_.Error("unknown-workflow", workflow_ref.span, "unknown workflow " + Quote(workflow),
                     DidYouMean(workflow, context_.WorkflowNames()));
      return;
    }
    const WorkflowInfo& other = context_.infos.at(it->second);
    const std::string& state = state_ref.path[0];
    if (other.FindState(state) == nullptr) {
      context_.Error("unknown-state", state_ref.span,
                     "workflow " + Quote(workflow) + " has no state " + Quote(state),
                     DidYouMean(state, other.StateNames()));
    }
    const std::string& field = field_ref.path[0];
    if (!other.field_by_name.count(field)) {
      context_.Error("unknown-field", field_ref.span,
                     "workflow " + Quote(workflow) + " has no field " + Quote(field) + " to match on",
                     DidYouMean(field, other.FieldNames()));
    }
  }

  const Context& context_;
  const WorkflowInfo& info_;
};

}  // namespace

void CheckCaseQueries(const Context& context, const WorkflowInfo& info) {
  CaseQueryChecker(context, info).Run();
}

}  // namespace zgtflow::dsl::check
