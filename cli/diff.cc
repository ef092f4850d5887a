// `zgtflow diff OLD NEW [--db URL] [--workflow ID] [--workflows DIR]`: what
// changed between two versions of a workflow. OLD and NEW are .flow files or
// WORKFLOW@VERSION (a stored version, with --db; VERSION may be a prefix of
// 4+ hex digits). With --db, the running cases on OLD are counted and those
// in states NEW does not have are listed: they cannot continue on NEW
// without a `zgtflow migrate` state map. Exit 0 no difference, 1
// differences, 2 error.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/versions.h"
#include "engine/runtime/version_diff.h"
#include "engine/store/open/open_store.h"

namespace zgtflow::cli {

namespace {

constexpr int kSame = 0;
constexpr int kDifferent = 1;
constexpr int kError = 2;

// True for "WORKFLOW@VERSION" that is not an existing file.
bool IsStoredRef(const std::string& arg) {
  std::error_code error;
  return arg.find('@') != std::string::npos && !std::filesystem::exists(arg, error);
}

}  // namespace

CLI::App* AddDiff(CLI::App& app, DiffOptions& options) {
  CLI::App* command = app.add_subcommand(
      "diff", "What changed between two versions of a workflow; exit 0 same, 1 different, 2 error");
  command->add_option("old", options.old_ref, "OLD: a .flow file or WORKFLOW@VERSION (with --db)")
      ->required();
  command->add_option("new", options.new_ref, "NEW: a .flow file or WORKFLOW@VERSION (with --db)")
      ->required();
  command->add_option("--db", options.db,
                      "Store URL: stored versions, and the running cases on OLD");
  command->add_option("--workflow", options.workflow,
                      "The workflow to compare when a file defines several");
  command->add_option("--workflows", options.workflows_dir,
                      "Folder giving roles and started workflows (default workflows/)");
  return command;
}

int RunDiff(const DiffOptions& options) {
  std::vector<dsl::SourceFile> context = ReadContext(options.workflows_dir);
  std::unique_ptr<store::Store> db;
  runtime::DefinitionRegistry stored(nullptr);
  if (!options.db.empty()) {
    Result<std::unique_ptr<store::Store>> opened = store::OpenStore(options.db);
    if (!opened.ok()) {
      std::cerr << "zgtflow diff: " << opened.status().message() << "\n";
      return kError;
    }
    db = std::move(opened).value();
  }
  if (IsStoredRef(options.old_ref) || IsStoredRef(options.new_ref)) {
    if (db == nullptr) {
      std::cerr << "zgtflow diff: WORKFLOW@VERSION needs --db\n";
      return kError;
    }
    std::vector<std::string> warnings;
    Status loaded = LoadStoredVersions(*db, context, &stored, &warnings);
    for (const std::string& warning : warnings) std::cerr << "zgtflow diff: warning: " << warning << "\n";
    if (!loaded.ok()) {
      std::cerr << "zgtflow diff: " << loaded.message() << "\n";
      return kError;
    }
  }
  auto resolve = [&](const std::string& ref) -> Result<std::shared_ptr<const model::Workflow>> {
    if (IsStoredRef(ref)) {
      const size_t at = ref.find('@');
      return FindVersion(stored, ref.substr(0, at), ref.substr(at + 1));
    }
    return CompileWorkflowFile(ref, options.workflow, context);
  };
  Result<std::shared_ptr<const model::Workflow>> before = resolve(options.old_ref);
  if (!before.ok()) {
    std::cerr << "zgtflow diff: " << before.status().message() << "\n";
    return kError;
  }
  Result<std::shared_ptr<const model::Workflow>> after = resolve(options.new_ref);
  if (!after.ok()) {
    std::cerr << "zgtflow diff: " << after.status().message() << "\n";
    return kError;
  }
  const model::Workflow& a = **before;
  const model::Workflow& b = **after;
  runtime::VersionDiff diff = runtime::DiffVersions(a, b);

  std::cout << "--- " << a.id << "@" << a.VersionHex() << " (" << a.source_path << ")\n";
  std::cout << "+++ " << b.id << "@" << b.VersionHex() << " (" << b.source_path << ")\n";
  for (const runtime::VersionChange& change : diff.changes) std::cout << change.Line() << "\n";
  if (diff.same()) {
    std::cout << (a.version == b.version ? "same version\n"
                                         : "no difference in behaviour (the texts differ only in "
                                           "comments or layout)\n");
  } else {
    int affecting = 0;
    for (const runtime::VersionChange& change : diff.changes) affecting += change.affects_cases;
    std::cout << diff.changes.size() << (diff.changes.size() == 1 ? " difference" : " differences")
              << ", " << affecting << " affecting running cases\n";
  }

  if (db != nullptr) {
    store::CaseFilter filter;
    filter.workflow = a.id;
    filter.limit = 0;
    Result<std::vector<store::CaseRow>> rows = db->ListCases(filter);
    if (!rows.ok()) {
      std::cerr << "zgtflow diff: " << rows.status().message() << "\n";
      return kError;
    }
    int running = 0;
    std::vector<std::string> stranded;
    for (const store::CaseRow& row : *rows) {
      if (row.version != a.VersionHex() || row.status != store::CaseStatus::kRunning) continue;
      ++running;
      nlohmann::json states = nlohmann::json::parse(row.state, nullptr, false);
      std::vector<std::string> missing;
      if (states.is_array()) {
        for (const auto& state : states) {
          if (state.is_string() && b.FindState(state.get<std::string>()) <= 0) {
            missing.push_back(state.get<std::string>());
          }
        }
      }
      if (missing.empty()) continue;
      std::string line = "  " + row.id + "  in";
      for (const std::string& name : missing) line += " " + name;
      stranded.push_back(line);
    }
    std::cout << "running cases on " << a.id << "@" << a.VersionHex() << ": " << running << "; "
              << stranded.size() << " in states " << b.id << "@" << b.VersionHex()
              << " does not have" << (stranded.empty() ? "" : ":") << "\n";
    std::sort(stranded.begin(), stranded.end());
    for (const std::string& line : stranded) std::cout << line << "\n";
  }
  return diff.same() ? kSame : kDifferent;
}

}  // namespace zgtflow::cli
