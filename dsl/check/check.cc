// ② The check driver: builds the symbol tables of all files compiled together,
// then runs each check family on each workflow.
#include "dsl/check/check.h"

#include "dsl/check/check_context.h"

namespace zgtflow::dsl {
namespace check {

namespace {

void CollectStates(const StateDecl& state, const StateDecl* parent, WorkflowInfo& info) {
  info.states.push_back(&state);
  info.parent[&state] = parent;
  info.state_by_name.emplace(state.name.text, &state);
  for (const TransitionDecl& t : state.transitions) {
    if (t.kind == TransitionKind::kOn) info.handled.push_back(t.event.text);
  }
  for (const StateDecl& child : state.children) CollectStates(child, &state, info);
}

}  // namespace

WorkflowInfo BuildWorkflowInfo(const WorkflowDecl& workflow) {
  WorkflowInfo info;
  info.decl = &workflow;
  for (const StateDecl& state : workflow.states) CollectStates(state, nullptr, info);
  for (const FieldDecl& field : workflow.fields) {
    if (info.field_by_name.emplace(field.name.text, &field).second) {
      info.field_types[field.name.text] = TypeFromRef(field.type);
    }
  }
  ForEachAction(workflow, [&](const Action& action) {
    if (action.kind == ActionKind::kStart) info.has_start_action = true;
  });
  return info;
}

std::vector<std::string> WorkflowInfo::StateNames() const {
  std::vector<std::string> names;
  for (const auto& [name, state] : state_by_name) names.push_back(name);
  return names;
}

std::vector<std::string> WorkflowInfo::FieldNames() const {
  std::vector<std::string> names;
  for (const auto& [name, field] : field_by_name) names.push_back(name);
  return names;
}

const StateDecl* WorkflowInfo::FindState(const std::string& name) const {
  auto it = state_by_name.find(name);
  return it == state_by_name.end() ? nullptr : it->second;
}

void Context::Report(Severity severity, const std::string& code, const SourceSpan& span,
                     const std::string& message, const std::string& hint) const {
  Diagnostic d;
  d.severity = severity;
  d.code = code;
  d.span = span;
  d.message = message;
  d.hint = hint;
  out->push_back(std::move(d));
}

std::vector<std::string> Context::RoleNames() const {
  std::vector<std::string> names;
  for (const auto& [name, role] : roles) names.push_back(name);
  return names;
}

std::vector<std::string> Context::WorkflowNames() const {
  std::vector<std::string> names;
  for (const auto& [name, workflow] : workflows) names.push_back(name);
  return names;
}

std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best = ClosestName(name, candidates);
  return best.empty() ? "" : "did you mean " + Quote(best) + "?";
}

}  // namespace check

Diagnostics Check(const std::vector<const FileAst*>& files, const CheckOptions& options) {
  Diagnostics out;
  check::Context context;
  context.options = &options;
  context.out = &out;

  // Roles and workflow ids of every file; a second declaration of a name is
  // an error in a checked file, at the duplicate.
  auto declare = [&](const FileAst& file, bool report) {
    for (const RolesDecl& block : file.roles) {
      for (const RoleDecl& role : block.roles) {
        auto [it, added] = context.roles.emplace(role.name.text, &role);
        if (!added && report) {
          context.Error("duplicate-role", role.name.span,
                        "duplicate role " + check::Quote(role.name.text),
                        "first declared at " + it->second->name.span.ToString());
        }
      }
    }
    for (const WorkflowDecl& workflow : file.workflows) {
      auto [it, added] = context.workflows.emplace(workflow.id.text, &workflow);
      if (!added && report) {
        context.Error("duplicate-workflow", workflow.id.span,
                      "duplicate workflow " + check::Quote(workflow.id.text),
                      "first declared at " + it->second->id.span.ToString());
      }
      context.infos.emplace(&workflow, check::BuildWorkflowInfo(workflow));
    }
  };
  // Context files first: a checked file's duplicate of one of their names is
  // reported in the checked file, the only place the user will look.
  for (const FileAst* file : options.context) declare(*file, false);
  for (const FileAst* file : files) declare(*file, true);

  for (const FileAst* file : files) {
    for (const WorkflowDecl& workflow : file->workflows) {
      const check::WorkflowInfo& info = context.infos.at(&workflow);
      size_t before = out.size();
      check::CheckNames(context, info);
      check::CheckStructure(context, info);
      check::CheckExpressions(context, info);
      check::CheckCaseQueries(context, info);
      // The graph of a workflow with a wrong name or shape is not the one the
      // author meant: a misspelt target would also make its state
      // "unreachable". Report the cause only.
      Diagnostics mine(out.begin() + before, out.end());
      if (!HasErrors(mine)) check::CheckGraph(context, info);
    }
  }
  SortByPosition(out);
  return out;
}

}  // namespace zgtflow::dsl
