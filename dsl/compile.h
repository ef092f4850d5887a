// ② START HERE for the front end: Compile(files) = Parse → Check → Lower.
// Text in, immutable models and every diagnostic out; no file I/O (the caller
// reads the files), no clock, nothing thrown.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/check/check.h"
#include "dsl/diagnostic.h"
#include "dsl/source.h"
#include "engine/base/status.h"
#include "engine/model/expr.h"
#include "engine/model/workflow.h"

namespace zgtflow::dsl {

struct CompileOptions {
  // Calendar names a workflow may name (`calendar NAME`).
  std::vector<std::string> calendars = {"cn-mainland"};
};

struct CompileResult {
  std::vector<FileAst> files;  // One per input file, in input order (partial on syntax errors).
  // Every workflow of every file, in input order; empty when any error was found.
  std::vector<std::shared_ptr<const model::Workflow>> workflows;
  Diagnostics diagnostics;     // All files' errors and warnings, sorted by position.

  bool ok() const { return !HasErrors(diagnostics); }
};

// Compiles `files` together: roles declared in any file are known to all, and
// `start WORKFLOW` may name a workflow of any file. Files with syntax errors
// are not checked (their AST is partial) but still declare their roles and
// workflow ids, so they cause no second, misleading error elsewhere.
// Workflows are lowered only when no file has an error.
CompileResult Compile(const std::vector<SourceFile>& files, const CompileOptions& options = {});

// Compiles one expression over no fields (`zgtflow eval`): parse, type-check,
// lower. Appends every diagnostic to `diagnostics` (when not null); on an
// error returns InvalidArgument with the first error's printed form.
Result<model::Expr> CompileExpression(const SourceFile& file, Diagnostics* diagnostics);

}  // namespace zgtflow::dsl
