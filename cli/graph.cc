// `zgtflow graph FILE [--workflow ID] [--format dot|svg]`: compile FILE with
// the roles.flow of its folder and print one workflow's diagram on stdout.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/files.h"
#include "cli/report.h"
#include "dsl/compile.h"
#include "dsl/graph/render_svg.h"
#include "dsl/graph/to_dot.h"

namespace zgtflow::cli {

CLI::App* AddGraph(CLI::App& app, GraphOptions& options) {
  CLI::App* command =
      app.add_subcommand("graph", "Print a workflow's statechart as DOT or SVG");
  command->add_option("file", options.file, "A .flow file")->required();
  command->add_option("--workflow", options.workflow,
                      "The workflow to draw (default: the file's first)");
  command->add_option("--format", options.format, "dot (default) or svg")
      ->check(CLI::IsMember({"dot", "svg"}));
  return command;
}

namespace {

// Reads `paths` (FILE first); false when one cannot be read.
bool ReadAll(const std::vector<std::string>& paths, std::vector<dsl::SourceFile>* sources) {
  for (const std::string& path : paths) {
    Result<dsl::SourceFile> source = ReadSource(path);
    if (!source.ok()) {
      std::cerr << "zgtflow graph: " << source.status().message() << "\n";
      return false;
    }
    sources->push_back(std::move(source).value());
  }
  return true;
}

// FILE plus the roles.flow of its folder; or, when that does not compile
// (`start rectification` naming a workflow of a sibling file), FILE plus
// every .flow file of its folder.
std::vector<std::vector<std::string>> CompileSets(const std::string& file) {
  std::vector<std::vector<std::string>> sets;
  std::vector<std::string> with_roles = {file};
  std::string roles = RolesFileNextTo(file);
  if (!roles.empty()) {
    Result<std::vector<std::string>> both = ExpandPaths({file, roles}, ".flow");
    if (both.ok() && both.value().size() == 2) with_roles.push_back(roles);
  }
  sets.push_back(with_roles);
  Result<std::vector<std::string>> folder = ExpandPaths({file, ParentFolder(file)}, ".flow");
  if (folder.ok() && folder.value().size() > with_roles.size()) {
    std::vector<std::string> all = {file};
    for (const std::string& path : folder.value()) {
      Result<std::vector<std::string>> pair = ExpandPaths({file, path}, ".flow");
      if (pair.ok() && pair.value().size() == 2) all.push_back(path);
    }
    sets.push_back(all);
  }
  return sets;
}

}  // namespace

int RunGraph(const GraphOptions& options) {
  std::vector<std::vector<std::string>> sets = CompileSets(options.file);
  dsl::CompileResult result;
  for (size_t i = 0; i < sets.size(); ++i) {
    std::vector<dsl::SourceFile> sources;
    if (!ReadAll(sets[i], &sources)) return 1;
    dsl::CompileResult attempt = dsl::Compile(sources);
    if (i == 0 || attempt.ok()) result = std::move(attempt);
    if (result.ok()) break;
  }
  DiagnosticCounts counts = PrintDiagnostics(result.diagnostics, std::cerr);
  if (counts.errors > 0) return 1;

  // The file's own workflows, in document order.
  std::vector<std::shared_ptr<const model::Workflow>> own;
  for (const auto& workflow : result.workflows) {
    if (workflow->source_path == options.file) own.push_back(workflow);
  }
  if (own.empty()) own = result.workflows;
  if (own.empty()) {
    std::cerr << "zgtflow graph: " << options.file << " declares no workflow\n";
    return 1;
  }
  std::shared_ptr<const model::Workflow> chosen = own.front();
  if (!options.workflow.empty()) {
    chosen = nullptr;
    std::string ids;
    for (const auto& workflow : own) {
      if (workflow->id == options.workflow) chosen = workflow;
      ids += (ids.empty() ? "" : ", ") + workflow->id;
    }
    if (chosen == nullptr) {
      std::cerr << "zgtflow graph: " << options.file << " has no workflow '" << options.workflow
                << "' (it has: " << ids << ")\n";
      return 1;
    }
  }

  std::string dot = graph::ToDot(*chosen);
  if (options.format == "dot") {
    std::cout << dot;
    return 0;
  }
  Result<std::string> svg = graph::RenderSvg(dot);
  if (!svg.ok()) {
    std::cerr << "zgtflow graph: " << svg.status().message() << "\n";
    return 1;
  }
  std::cout << svg.value();
  return 0;
}

}  // namespace zgtflow::cli
