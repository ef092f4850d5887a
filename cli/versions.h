// What `zgtflow diff` and `zgtflow migrate` share: the versions a store holds
// compiled into a registry, a version named by a prefix of its hash, and a
// .flow file compiled with the roles (and started workflows) it needs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dsl/source.h"
#include "engine/base/status.h"
#include "engine/model/workflow.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/store.h"

namespace zgtflow::cli {

// DIR's .flow files; none when DIR is missing or unreadable (they only give
// roles and started workflows to compile stored texts with).
std::vector<dsl::SourceFile> ReadContext(const std::string& dir);

// Holds every version `db` stores in `registry` (which stores nothing),
// compiled with `context`. Versions that no longer compile are reported in
// `warnings` and left out.
Status LoadStoredVersions(store::Store& db, const std::vector<dsl::SourceFile>& context,
                          runtime::DefinitionRegistry* registry,
                          std::vector<std::string>* warnings);

// The held version of `workflow` whose hash starts with `version` (at least
// 4 hex digits). NotFound naming the held versions; InvalidArgument when the
// prefix is ambiguous.
Result<std::shared_ptr<const model::Workflow>> FindVersion(
    const runtime::DefinitionRegistry& registry, const std::string& workflow,
    const std::string& version);

// The workflow `workflow` ("" = the file's first) of the .flow file `path`,
// compiled with the roles file next to it and the `context` files that
// define other workflows. Diagnostics are printed to stderr on failure.
Result<std::shared_ptr<const model::Workflow>> CompileWorkflowFile(
    const std::string& path, const std::string& workflow, const std::vector<dsl::SourceFile>& context);

}  // namespace zgtflow::cli
