// `zgtflow audit verify [--db URL]`: recomputes the SM3 hash chain of every
// case's history in a store and names the first edited, deleted or reordered
// entry of each broken case. Exit 0 when every chain is intact, 1 otherwise.
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "engine/runtime/audit_chain.h"
#include "engine/store/open/open_store.h"

namespace zgtflow::cli {

CLI::App* AddAudit(CLI::App& app, AuditOptions& options) {
  CLI::App* command = app.add_subcommand("audit", "Check the tamper-evident case history");
  command->require_subcommand(1);
  CLI::App* verify = command->add_subcommand(
      "verify", "Verify every case's history hash chain (SM3); exit 1 on any break");
  verify->add_option("--db", options.db,
                     "Store URL: sqlite:FILE or postgresql://… (default sqlite:var/zgtflow.db)");
  return command;
}

int RunAudit(const AuditOptions& options) {
  // OpenStore creates a missing SQLite file; an audit of a file that is not
  // there must say so rather than report an empty, intact store.
  const std::string kSqlite = "sqlite:";
  if (options.db.rfind(kSqlite, 0) == 0) {
    std::string path = options.db.substr(kSqlite.size());
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      std::cerr << "zgtflow audit verify: no database file '" << path << "'\n";
      return 1;
    }
  }
  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(options.db);
  if (!opened.ok()) {
    std::cerr << "zgtflow audit verify: " << opened.status().message() << "\n";
    return 1;
  }
  store::Store& db = *opened.value();
  Result<std::vector<std::string>> ids = db.ListCaseIds();
  if (!ids.ok()) {
    std::cerr << "zgtflow audit verify: " << ids.status().message() << "\n";
    return 1;
  }
  int64_t entries = 0;
  int broken = 0;
  for (const std::string& id : *ids) {
    Result<store::CaseRow> row = db.GetCase(id);
    Result<std::vector<store::HistoryRow>> history = db.GetHistory(id);
    Status status = !row.ok() ? row.status() : history.status();
    if (status.ok()) {
      entries += static_cast<int64_t>(history->size());
      status = runtime::VerifyChain(id, *history, row->revision);
    }
    if (!status.ok()) {
      ++broken;
      std::cerr << "zgtflow audit verify: " << status.message() << "\n";
    }
  }
  if (broken > 0) {
    std::cout << broken << " of " << ids->size() << " cases have a broken history chain\n";
    return 1;
  }
  std::cout << "ok: " << ids->size() << " cases, " << entries << " history entries, chains intact\n";
  return 0;
}

}  // namespace zgtflow::cli
