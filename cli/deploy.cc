// `zgtflow deploy [--db URL] [--workflows DIR]`: checks DIR's workflows and
// stores every new version in the store's definitions table, where every
// `zgtflow serve` on that store picks it up (a few seconds' poll, SIGHUP or
// POST /api/admin/reload). Nothing is deployed when a file has an error.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/files.h"
#include "cli/report.h"
#include "dsl/compile.h"
#include "engine/runtime/definition_sync.h"
#include "engine/store/open/open_store.h"

namespace zgtflow::cli {

CLI::App* AddDeploy(CLI::App& app, DeployOptions& options) {
  CLI::App* command = app.add_subcommand(
      "deploy", "Check the workflows and store their new versions for every server on the store");
  command->add_option("--db", options.db,
                      "Store URL: sqlite:FILE or postgresql://… (default sqlite:var/zgtflow.db)");
  command->add_option("--workflows", options.workflows_dir,
                      "Folder of the workflows to deploy (default workflows/)");
  return command;
}

int RunDeploy(const DeployOptions& options) {
  Result<std::vector<std::string>> paths = ExpandPaths({options.workflows_dir}, ".flow");
  if (!paths.ok()) {
    std::cerr << "zgtflow deploy: " << paths.status().message() << "\n";
    return 1;
  }
  std::vector<dsl::SourceFile> sources;
  for (const std::string& path : *paths) {
    Result<dsl::SourceFile> source = ReadSource(path);
    if (!source.ok()) {
      std::cerr << path << ": error: " << source.status().message() << "\n";
      std::cerr << "zgtflow deploy: nothing was deployed\n";
      return 1;
    }
    sources.push_back(std::move(source).value());
  }
  dsl::CompileResult compiled = dsl::Compile(sources);
  DiagnosticCounts counts = PrintDiagnostics(compiled.diagnostics, std::cerr);
  if (counts.errors > 0 || !compiled.ok()) {
    std::cerr << "zgtflow deploy: " << Plural(counts.errors, "error") << " in "
              << options.workflows_dir << "; nothing was deployed\n";
    return 1;
  }

  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(options.db);
  if (!opened.ok()) {
    std::cerr << "zgtflow deploy: " << opened.status().message() << "\n";
    return 1;
  }
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  Result<std::vector<runtime::DeployedVersion>> deployed =
      runtime::StoreVersions(*opened.value(), compiled.workflows, now_ms);
  if (!deployed.ok()) {
    std::cerr << "zgtflow deploy: " << deployed.status().message() << "\n";
    return 1;
  }
  int fresh = 0, unchanged = 0, older = 0;
  for (const runtime::DeployedVersion& version : *deployed) {
    const char* what = version.is_new ? "new      " : "unchanged";
    std::cout << what << "  " << version.workflow << "@" << version.version << "  "
              << version.source_path << "\n";
    if (version.is_new) {
      ++fresh;
    } else {
      ++unchanged;
    }
    if (!version.superseded_by.empty()) {
      ++older;
      std::cerr << version.source_path << ": warning: " << version.workflow << "@"
                << version.version << " was deployed before, and " << version.superseded_by
                << " after it: new cases keep starting on " << version.superseded_by
                << " (to go back to this text, change it, e.g. add a comment saying so, so it "
                   "becomes a new version)\n";
    }
  }
  std::cout << "deployed " << Plural(fresh, "new version") << ", " << unchanged
            << " unchanged, to " << options.db << "\n";
  return older > 0 ? 1 : 0;
}

}  // namespace zgtflow::cli
