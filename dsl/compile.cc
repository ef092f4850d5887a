// ② The front end's pipeline: parse every file, check them together, lower.
#include "dsl/compile.h"

#include "dsl/check/types.h"
#include "dsl/lower.h"
#include "dsl/parse.h"

namespace zgtflow::dsl {

CompileResult Compile(const std::vector<SourceFile>& files, const CompileOptions& options) {
  CompileResult result;
  std::vector<bool> parsed_cleanly;
  for (const SourceFile& file : files) {
    ParseResult parsed = Parse(file);
    parsed_cleanly.push_back(!HasErrors(parsed.diagnostics));
    result.files.push_back(std::move(parsed.ast));
    for (Diagnostic& d : parsed.diagnostics) result.diagnostics.push_back(std::move(d));
  }

  std::vector<const FileAst*> checked;
  CheckOptions check_options;
  check_options.calendars = options.calendars;
  for (size_t i = 0; i < result.files.size(); ++i) {
    (parsed_cleanly[i] ? checked : check_options.context).push_back(&result.files[i]);
  }
  Diagnostics found = Check(checked, check_options);
  for (Diagnostic& d : found) result.diagnostics.push_back(std::move(d));
  SortByPosition(result.diagnostics);
  if (HasErrors(result.diagnostics)) return result;

  LowerContext context;
  for (const FileAst& file : result.files) {
    for (const RolesDecl& block : file.roles) {
      for (const RoleDecl& role : block.roles) {
        context.roles.push_back({role.name.text, role.label ? *role.label : role.name.text});
      }
    }
    for (const WorkflowDecl& workflow : file.workflows) {
      FieldTypes& fields = context.workflow_fields[workflow.id.text];
      for (const FieldDecl& field : workflow.fields) {
        fields.emplace(field.name.text, TypeFromRef(field.type));
      }
    }
  }
  for (size_t i = 0; i < files.size(); ++i) {
    for (const WorkflowDecl& workflow : result.files[i].workflows) {
      result.workflows.push_back(Lower(workflow, files[i], context));
    }
  }
  return result;
}

Result<model::Expr> CompileExpression(const SourceFile& file, Diagnostics* diagnostics) {
  ExprParseResult parsed = ParseExpression(file);
  Diagnostics found = std::move(parsed.diagnostics);
  const FieldTypes no_fields;
  if (parsed.expr && !HasErrors(found)) TypeOf(*parsed.expr, no_fields, &found);
  SortByPosition(found);
  if (diagnostics) diagnostics->insert(diagnostics->end(), found.begin(), found.end());
  for (const Diagnostic& d : found) {
    if (d.severity == Severity::kError) return Status::InvalidArgument(d.ToString());
  }
  if (!parsed.expr) return Status::InvalidArgument(file.path + ": not an expression");
  return LowerExpr(*parsed.expr, no_fields, {});
}

}  // namespace zgtflow::dsl
