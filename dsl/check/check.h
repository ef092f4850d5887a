// ② Semantic checks of parsed .flow files, run by dsl::Compile between Parse
// and Lower. Each family of checks lives in its own file (names.cc,
// structure.cc, types.cc, graph_checks.cc); all of them report Diagnostics
// with a stable `code` and none throws. Lower may assume a checked AST.
#pragma once

#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/diagnostic.h"

namespace zgtflow::dsl {

struct CheckOptions {
  // Calendar names a workflow may name in `calendar NAME`.
  std::vector<std::string> calendars = {"cn-mainland"};
  // Files whose roles and workflow ids are known to the checked files (so a
  // `start WORKFLOW` or a role resolves) but which are not checked themselves,
  // e.g. files with syntax errors whose AST is partial. Not owned.
  std::vector<const FileAst*> context;
};

// Checks every workflow of `files` against the roles and workflows of all of
// `files` and `options.context`. Returns errors and warnings sorted by
// position; HasErrors() on the result decides whether lowering may run.
// `files` are not owned and must outlive the call.
Diagnostics Check(const std::vector<const FileAst*>& files, const CheckOptions& options = {});

}  // namespace zgtflow::dsl
