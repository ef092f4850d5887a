// ② What the check families share: the symbol tables of the files checked
// together and one helper to report. Internal to dsl/check/ and dsl/lower.cc.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/check/check.h"
#include "dsl/check/types.h"
#include "dsl/diagnostic.h"

namespace zgtflow::dsl::check {

// One workflow's names: states (whole tree) and data fields. The first
// declaration of a duplicated name wins; the duplicate is an error.
struct WorkflowInfo {
  const WorkflowDecl* decl = nullptr;
  std::vector<const StateDecl*> states;                // Pre-order, duplicates included.
  std::map<const StateDecl*, const StateDecl*> parent; // nullptr for top-level states.
  std::map<std::string, const StateDecl*> state_by_name;
  std::map<std::string, const FieldDecl*> field_by_name;
  FieldTypes field_types;
  bool has_start_action = false;      // Some action starts a child case.
  std::vector<std::string> handled;   // Events of `on` transitions inside states.

  std::vector<std::string> StateNames() const;
  std::vector<std::string> FieldNames() const;
  const StateDecl* FindState(const std::string& name) const;
};

WorkflowInfo BuildWorkflowInfo(const WorkflowDecl& workflow);

// Calls `visit(action)` for every action of the workflow: entry, exit,
// transitions, timers, start transitions.
template <typename Visit>
void ForEachAction(const WorkflowDecl& workflow, Visit visit);

struct Context {
  const CheckOptions* options = nullptr;
  std::map<std::string, const RoleDecl*> roles;          // First declaration.
  std::map<std::string, const WorkflowDecl*> workflows;  // First declaration.
  std::map<const WorkflowDecl*, WorkflowInfo> infos;     // Every workflow known.
  Diagnostics* out = nullptr;

  void Report(Severity severity, const std::string& code, const SourceSpan& span,
              const std::string& message, const std::string& hint = "") const;
  void Error(const std::string& code, const SourceSpan& span, const std::string& message,
             const std::string& hint = "") const {
    Report(Severity::kError, code, span, message, hint);
  }
  void Warning(const std::string& code, const SourceSpan& span, const std::string& message,
               const std::string& hint = "") const {
    Report(Severity::kWarning, code, span, message, hint);
  }
  std::vector<std::string> RoleNames() const;
  std::vector<std::string> WorkflowNames() const;
};

// "did you mean 'x'?" for the closest candidate, or "".
std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates);
// "'name'".
inline std::string Quote(const std::string& name) { return "'" + name + "'"; }

// The check families, each in its own file.
void CheckNames(const Context& context, const WorkflowInfo& info);      // names.cc
void CheckStructure(const Context& context, const WorkflowInfo& info);  // structure.cc
void CheckExpressions(const Context& context, const WorkflowInfo& info);  // types.cc
void CheckGraph(const Context& context, const WorkflowInfo& info);      // graph_checks.cc
void CheckCaseQueries(const Context& context, const WorkflowInfo& info);  // case_queries.cc

// ---- template definitions ----

namespace internal {
template <typename Visit>
void VisitDo(const std::optional<DoClause>& clause, Visit& visit) {
  if (!clause) return;
  for (const Action& action : clause->actions) visit(action);
}
template <typename Visit>
void VisitState(const StateDecl& state, Visit& visit) {
  for (const DoClause& clause : state.entry) {
    for (const Action& action : clause.actions) visit(action);
  }
  for (const DoClause& clause : state.exit) {
    for (const Action& action : clause.actions) visit(action);
  }
  for (const TransitionDecl& transition : state.transitions) VisitDo(transition.actions, visit);
  for (const TimerDecl& timer : state.timers) VisitDo(timer.actions, visit);
  for (const StateDecl& child : state.children) VisitState(child, visit);
}
}  // namespace internal

template <typename Visit>
void ForEachAction(const WorkflowDecl& workflow, Visit visit) {
  for (const TransitionDecl& transition : workflow.start_transitions) {
    internal::VisitDo(transition.actions, visit);
  }
  for (const StateDecl& state : workflow.states) internal::VisitState(state, visit);
}

}  // namespace zgtflow::dsl::check
