// ② Checked AST → model::Workflow: the only producer of models from text.
// Runs after check/ found no error; on an AST with errors its result is
// unspecified (but it never crashes).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/ast.h"
#include "dsl/check/types.h"
#include "dsl/source.h"
#include "engine/model/expr.h"
#include "engine/model/workflow.h"

namespace zgtflow::dsl {

// What a workflow is lowered against: everything compiled with it.
struct LowerContext {
  std::vector<model::RoleDef> roles;           // Every role, in declaration order.
  // Field types of every workflow, by id, so `start CHILD with {…}` values
  // are typed as the child's fields.
  std::map<std::string, FieldTypes> workflow_fields;
};

// Lowers `workflow`, declared in `file` (whose text gives the model's
// `source` and `version`). States are flattened in document order with the
// synthetic root (kind compound, name "") at index 0.
// REQUIRES: Check() reported no error for `workflow`.
std::shared_ptr<const model::Workflow> Lower(const WorkflowDecl& workflow, const SourceFile& file,
                                             const LowerContext& context);

// Lowers a checked expression over the fields `fields` (name → type) whose
// indices are `field_index`.
model::Expr LowerExpr(const Expr& expr, const FieldTypes& fields,
                      const std::unordered_map<std::string, int>& field_index);

// The text of `workflow` in `file_text`: from its `workflow` keyword to its
// closing brace (strings and comments skipped when matching braces).
std::string WorkflowSourceText(const WorkflowDecl& workflow, const std::string& file_text);

// 64-bit FNV-1a of `text`: a workflow's version.
uint64_t Fnv1a64(const std::string& text);

}  // namespace zgtflow::dsl
