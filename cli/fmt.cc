// `zgtflow fmt [--check] PATH…`: rewrite .flow files in canonical form
// (dsl::Format of the parsed AST). A file with syntax errors is never
// rewritten; its diagnostics are printed and the status is 1.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/files.h"
#include "cli/report.h"
#include "dsl/format.h"
#include "dsl/parse.h"

namespace zgtflow::cli {

CLI::App* AddFmt(CLI::App& app, FmtOptions& options) {
  CLI::App* command =
      app.add_subcommand("fmt", "Rewrite workflow files in canonical form");
  command->add_flag("--check", options.check,
                    "Rewrite nothing; list the files that would change and exit 1 if any");
  command->add_option("paths", options.paths, "Files and folders (folders: their *.flow files)")
      ->required();
  return command;
}

int RunFmt(const FmtOptions& options) {
  Result<std::vector<std::string>> paths = ExpandPaths(options.paths, ".flow");
  if (!paths.ok()) {
    std::cerr << "zgtflow fmt: " << paths.status().message() << "\n";
    return 1;
  }
  bool failed = false;
  int changed = 0;
  for (const std::string& path : paths.value()) {
    Result<dsl::SourceFile> source = ReadSource(path);
    if (!source.ok()) {
      std::cerr << path << ": error: " << source.status().message() << "\n";
      failed = true;
      continue;
    }
    dsl::ParseResult parsed = dsl::Parse(source.value());
    if (dsl::HasErrors(parsed.diagnostics)) {
      PrintDiagnostics(parsed.diagnostics, std::cerr);
      std::cerr << path << ": not formatted: fix the syntax errors first\n";
      failed = true;
      continue;
    }
    std::string formatted = dsl::Format(parsed.ast);
    if (formatted == source.value().text) continue;
    ++changed;
    if (options.check) {
      std::cout << path << "\n";
      continue;
    }
    Status written = WriteFile(path, formatted);
    if (!written.ok()) {
      std::cerr << "zgtflow fmt: " << written.message() << "\n";
      failed = true;
    }
  }
  if (failed) return 1;
  return options.check && changed > 0 ? 1 : 0;
}

}  // namespace zgtflow::cli
