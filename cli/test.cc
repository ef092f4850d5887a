// `zgtflow test [--workflows DIR] PATH…`: run .scenario files against the
// compiled workflows of DIR, and of the scenario's own folder when that is
// another folder with .flow files (so `zgtflow test examples/` runs the
// examples against examples/*.flow). One line per scenario, then
// "N passed, N failed"; exit 1 on any failure or error.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "cli/calendar_loader.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "cli/report.h"
#include "dsl/compile.h"
#include "engine/scenario/scenario_runner.h"

namespace zgtflow::cli {

namespace {

namespace fs = std::filesystem;

using Workflows = std::vector<std::shared_ptr<const model::Workflow>>;

std::string Canonical(const std::string& path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path : canonical.string();
}

// Compiles `paths` together; prints diagnostics; false on any error.
bool CompileFiles(const std::vector<std::string>& paths, Workflows* workflows) {
  std::vector<dsl::SourceFile> sources;
  bool ok = true;
  for (const std::string& path : paths) {
    Result<dsl::SourceFile> source = ReadSource(path);
    if (!source.ok()) {
      std::cerr << path << ": error: " << source.status().message() << "\n";
      ok = false;
      continue;
    }
    sources.push_back(std::move(source).value());
  }
  if (sources.empty()) return ok;
  dsl::CompileResult result = dsl::Compile(sources);
  if (PrintDiagnostics(result.diagnostics, std::cerr).errors > 0) return false;
  *workflows = result.workflows;
  return ok;
}

}  // namespace

CLI::App* AddTest(CLI::App& app, TestOptions& options) {
  CLI::App* command = app.add_subcommand("test", "Run scenario files against the workflows");
  command->add_option("paths", options.paths, "Files and folders (folders: their *.scenario files)")
      ->required();
  command
      ->add_option_function<std::string>(
          "--workflows",
          [&options](const std::string& dir) {
            options.workflows_dir = dir;
            options.workflows_dir_given = true;
          },
          "Folder of the workflows to test (default workflows/)");
  command->add_option("--calendar", options.calendar, "Working-day calendar (default cn-mainland)");
  command->add_option("--calendars", options.calendars_dir,
                      "Folder of calendar files (default: ./calendars, then the source tree's)");
  return command;
}

int RunTest(const TestOptions& options) {
  Result<std::vector<std::string>> scenario_files = ExpandPaths(options.paths, ".scenario");
  if (!scenario_files.ok()) {
    std::cerr << "zgtflow test: " << scenario_files.status().message() << "\n";
    return 1;
  }

  std::error_code error;
  bool dir_exists = fs::is_directory(options.workflows_dir, error);
  if (!dir_exists && options.workflows_dir_given) {
    std::cerr << "zgtflow test: " << options.workflows_dir << ": no such folder\n";
    return 1;
  }
  std::vector<std::string> dir_flows;
  if (dir_exists) {
    Result<std::vector<std::string>> flows = ExpandPaths({options.workflows_dir}, ".flow");
    if (flows.ok()) dir_flows = flows.value();
  }
  Workflows dir_workflows;
  if (!CompileFiles(dir_flows, &dir_workflows)) {
    std::cerr << "zgtflow test: the workflows of " << options.workflows_dir
              << " do not compile\n";
    return 1;
  }

  // Scenarios in another folder with workflows of its own run against those,
  // compiled apart (a local workflow shadows DIR's of the same id, so
  // examples/rectification.flow and workflows/rectification.flow coexist);
  // DIR's roles apply when the folder declares none.
  std::string dir_canonical = Canonical(options.workflows_dir);
  std::map<std::string, Workflows> by_folder;
  for (const std::string& file : scenario_files.value()) {
    std::string folder = ParentFolder(file);
    if (by_folder.count(folder) > 0) continue;
    Workflows workflows = dir_workflows;
    if (!dir_exists || Canonical(folder) != dir_canonical) {
      Result<std::vector<std::string>> local = ExpandPaths({folder}, ".flow");
      if (local.ok() && !local.value().empty()) {
        std::vector<std::string> paths = local.value();
        std::string dir_roles = JoinPath(options.workflows_dir, "roles.flow");
        if (RolesFileNextTo(paths.front()).empty() && fs::is_regular_file(dir_roles, error)) {
          paths.push_back(dir_roles);
        }
        Workflows local_workflows;
        if (!CompileFiles(paths, &local_workflows)) {
          std::cerr << "zgtflow test: the workflows of " << folder << " do not compile\n";
          return 1;
        }
        std::set<std::string> local_ids;
        for (const auto& workflow : local_workflows) local_ids.insert(workflow->id);
        workflows = local_workflows;
        for (const auto& workflow : dir_workflows) {
          if (local_ids.count(workflow->id) == 0) workflows.push_back(workflow);
        }
      }
    }
    by_folder[folder] = std::move(workflows);
  }

  Result<calendar::Calendar> calendar = LoadCalendar(options.calendar, options.calendars_dir);
  if (!calendar.ok()) {
    std::cerr << "zgtflow test: warning: " << calendar.status().message()
              << "; working days cannot be counted\n";
  }
  const calendar::Calendar* calendar_ptr = calendar.ok() ? &calendar.value() : nullptr;

  int passed = 0;
  int failed = 0;
  for (const std::string& file : scenario_files.value()) {
    Result<dsl::SourceFile> source = ReadSource(file);
    if (!source.ok()) {
      std::cout << "FAIL " << file << ": " << source.status().message() << "\n";
      ++failed;
      continue;
    }
    scenario::ScenarioFileResult result = scenario::RunScenarioFile(
        source.value(), by_folder[ParentFolder(file)], calendar_ptr);
    if (PrintDiagnostics(result.diagnostics, std::cerr).errors > 0) {
      std::cout << "FAIL " << file << ": the scenario file does not parse\n";
      ++failed;
    }
    for (const scenario::ScenarioOutcome& outcome : result.outcomes) {
      if (outcome.passed) {
        std::cout << "PASS " << file << ": " << outcome.title << "\n";
        ++passed;
      } else {
        std::cout << "FAIL " << file << ": " << outcome.title << "\n";
        std::cout << "  " << outcome.failure << "\n";
        ++failed;
      }
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed > 0 ? 1 : 0;
}

}  // namespace zgtflow::cli
