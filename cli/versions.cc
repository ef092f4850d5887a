// Shared by `zgtflow diff` and `zgtflow migrate` (see versions.h).
#include "cli/versions.h"

#include <iostream>
#include <set>

#include "cli/files.h"
#include "cli/report.h"
#include "dsl/compile.h"
#include "engine/runtime/definition_sync.h"

namespace zgtflow::cli {

std::vector<dsl::SourceFile> ReadContext(const std::string& dir) {
  std::vector<dsl::SourceFile> sources;
  Result<std::vector<std::string>> paths = ExpandPaths({dir}, ".flow");
  if (!paths.ok()) return sources;
  for (const std::string& path : *paths) {
    Result<dsl::SourceFile> source = ReadSource(path);
    if (source.ok()) sources.push_back(std::move(source).value());
  }
  return sources;
}

Status LoadStoredVersions(store::Store& db, const std::vector<dsl::SourceFile>& context,
                          runtime::DefinitionRegistry* registry,
                          std::vector<std::string>* warnings) {
  // The context's own workflows are "known" only when they compile together.
  dsl::CompileResult compiled = dsl::Compile(context);
  std::vector<std::shared_ptr<const model::Workflow>> known;
  if (compiled.ok()) known = compiled.workflows;
  runtime::DefinitionSync sync(&db, registry);
  Result<runtime::SyncReport> report = sync.Sync(context, known);
  if (!report.ok()) return report.status();
  for (const std::string& warning : report->warnings) warnings->push_back(warning);
  return Status::Ok();
}

Result<std::shared_ptr<const model::Workflow>> FindVersion(
    const runtime::DefinitionRegistry& registry, const std::string& workflow,
    const std::string& version) {
  if (version.size() < 4 || version.size() > 16 ||
      version.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::InvalidArgument("'" + version +
                                   "' is not a version: 4 to 16 lowercase hex digits");
  }
  std::vector<std::shared_ptr<const model::Workflow>> matches;
  std::string held;
  for (const auto& candidate : registry.All()) {
    if (candidate->id != workflow) continue;
    held += (held.empty() ? "" : ", ") + candidate->VersionHex();
    if (candidate->VersionHex().rfind(version, 0) == 0) matches.push_back(candidate);
  }
  if (matches.size() == 1) return matches.front();
  if (matches.size() > 1) {
    return Status::InvalidArgument("version " + version + " of " + workflow +
                                   " is ambiguous; give more digits");
  }
  if (held.empty()) return Status::NotFound("the store holds no version of '" + workflow + "'");
  return Status::NotFound("the store holds no version " + version + " of '" + workflow +
                          "' (it holds " + held + ")");
}

Result<std::shared_ptr<const model::Workflow>> CompileWorkflowFile(
    const std::string& path, const std::string& workflow, const std::vector<dsl::SourceFile>& context) {
  Result<dsl::SourceFile> source = ReadSource(path);
  if (!source.ok()) return source.status();
  std::vector<dsl::SourceFile> files = {*source};
  std::set<std::string> paths = {path};
  const std::string roles = RolesFileNextTo(path);
  if (!roles.empty() && paths.insert(roles).second) {
    Result<dsl::SourceFile> roles_source = ReadSource(roles);
    if (roles_source.ok()) files.push_back(std::move(roles_source).value());
  }
  // Context files help (roles, workflows it starts) unless they define a
  // workflow the file defines too, or declare roles when the file has its own.
  dsl::CompileResult context_compiled = dsl::Compile(context);
  std::set<std::string> skip;
  for (const auto& other : context_compiled.workflows) {
    if (source->text.find("workflow " + other->id + " ") != std::string::npos) {
      skip.insert(other->source_path);
    }
  }
  const bool has_roles = !roles.empty() || source->text.find("roles {") != std::string::npos;
  for (const dsl::SourceFile& file : context) {
    if (paths.count(file.path) || skip.count(file.path)) continue;
    if (has_roles && file.text.find("roles {") != std::string::npos) continue;
    files.push_back(file);
  }
  dsl::CompileResult compiled = dsl::Compile(files);
  if (!compiled.ok()) {
    PrintDiagnostics(compiled.diagnostics, std::cerr);
    return Status::InvalidArgument(path + " does not compile");
  }
  for (const auto& candidate : compiled.workflows) {
    if (candidate->source_path != path) continue;
    if (workflow.empty() || candidate->id == workflow) return candidate;
  }
  return Status::NotFound(workflow.empty() ? path + " defines no workflow"
                                           : path + " does not define workflow '" + workflow + "'");
}

}  // namespace zgtflow::cli
