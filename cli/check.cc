// `zgtflow check PATH…`: compile every given .flow file together (so the
// roles of roles.flow apply to all), print every diagnostic, exit 1 on error.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/files.h"
#include "cli/report.h"
#include "dsl/compile.h"

namespace zgtflow::cli {

CLI::App* AddCheck(CLI::App& app, CheckOptions& options) {
  CLI::App* command = app.add_subcommand(
      "check", "Parse and check workflow files; print diagnostics; exit 1 on any error");
  command->add_option("paths", options.paths, "Files and folders (folders: their *.flow files)")
      ->required();
  return command;
}

int RunCheck(const CheckOptions& options) {
  Result<std::vector<std::string>> paths = ExpandPaths(options.paths, ".flow");
  if (!paths.ok()) {
    std::cerr << "zgtflow check: " << paths.status().message() << "\n";
    return 1;
  }
  // A file checked on its own still sees the roles declared next to it.
  std::vector<std::string> all = paths.value();
  for (const std::string& path : paths.value()) {
    std::string roles = RolesFileNextTo(path);
    if (!roles.empty()) all.push_back(roles);
  }
  Result<std::vector<std::string>> files = ExpandPaths(all, ".flow");
  if (!files.ok()) files = all;

  std::vector<dsl::SourceFile> sources;
  int unreadable = 0;
  for (const std::string& path : files.value()) {
    Result<dsl::SourceFile> source = ReadSource(path);
    if (!source.ok()) {
      std::cerr << path << ": error: " << source.status().message() << "\n";
      ++unreadable;
      continue;
    }
    sources.push_back(std::move(source).value());
  }

  dsl::CompileResult result = dsl::Compile(sources);
  DiagnosticCounts counts = PrintDiagnostics(result.diagnostics, std::cerr);
  counts.errors += unreadable;
  std::cout << "checked " << Plural(static_cast<int>(files.value().size()), "file") << ": "
            << Plural(counts.errors, "error") << ", " << Plural(counts.warnings, "warning")
            << "\n";
  return counts.errors > 0 ? 1 : 0;
}

}  // namespace zgtflow::cli
