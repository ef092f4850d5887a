// ⑥ Definition sync (see definition_sync.h).
#include "engine/runtime/definition_sync.h"

#include <map>
#include <utility>

#include "dsl/compile.h"

namespace zgtflow::runtime {

Result<std::vector<DeployedVersion>> StoreVersions(
    store::Store& store, const std::vector<std::shared_ptr<const model::Workflow>>& workflows,
    int64_t now_ms) {
  Result<std::vector<store::DefinitionRow>> rows = store.ListDefinitions();
  if (!rows.ok()) return rows.status();
  std::map<std::pair<std::string, std::string>, int64_t> held;  // → deployed_at_ms.
  for (const store::DefinitionRow& row : *rows) held[{row.workflow, row.version}] = row.deployed_at_ms;
  std::map<std::string, store::DefinitionRow> newest;
  for (const store::DefinitionRow& row : NewestRows(*rows)) newest[row.workflow] = row;

  std::vector<DeployedVersion> out;
  for (const auto& workflow : workflows) {
    if (workflow == nullptr) continue;
    DeployedVersion deployed;
    deployed.workflow = workflow->id;
    deployed.version = workflow->VersionHex();
    deployed.source_path = workflow->source_path;
    auto it = held.find({deployed.workflow, deployed.version});
    if (it == held.end()) {
      store::DefinitionRow row;
      row.workflow = workflow->id;
      row.version = deployed.version;
      row.source = workflow->source;
      row.source_path = workflow->source_path;
      row.deployed_at_ms = now_ms;
      Status status = store.PutDefinition(row);
      if (!status.ok()) return status;
      deployed.is_new = true;
    } else if (auto n = newest.find(deployed.workflow);
               n != newest.end() && n->second.version != deployed.version) {
      deployed.superseded_by = n->second.version;
    }
    out.push_back(std::move(deployed));
  }
  return out;
}

std::vector<store::DefinitionRow> NewestRows(const std::vector<store::DefinitionRow>& rows) {
  std::map<std::string, const store::DefinitionRow*> newest;
  for (const store::DefinitionRow& row : rows) {
    const store::DefinitionRow*& best = newest[row.workflow];
    if (best == nullptr || row.deployed_at_ms >= best->deployed_at_ms) best = &row;
  }
  std::vector<store::DefinitionRow> out;
  for (const auto& [id, row] : newest) out.push_back(*row);
  return out;
}

Result<SyncReport> DefinitionSync::Sync(
    const std::vector<dsl::SourceFile>& context,
    const std::vector<std::shared_ptr<const model::Workflow>>& known) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<std::vector<store::DefinitionRow>> rows = store_->ListDefinitions();
  if (!rows.ok()) return rows.status();

  std::map<std::pair<std::string, std::string>, std::shared_ptr<const model::Workflow>> known_by;
  std::map<std::string, std::set<std::string>> files_of;  // workflow id → context files defining it.
  for (const auto& workflow : known) {
    if (workflow == nullptr) continue;
    known_by[{workflow->id, workflow->VersionHex()}] = workflow;
    files_of[workflow->id].insert(workflow->source_path);
  }

  SyncReport report;
  for (const store::DefinitionRow& row : *rows) {
    if (registry_->Get(row.workflow, row.version).ok()) continue;
    const auto key = std::make_pair(row.workflow, row.version);
    if (broken_.count(key) > 0) continue;
    std::shared_ptr<const model::Workflow> found;
    if (auto it = known_by.find(key); it != known_by.end()) {
      found = it->second;
    } else {
      std::vector<dsl::SourceFile> files = {{row.source_path, row.source}};
      for (const dsl::SourceFile& file : context) {
        if (files_of[row.workflow].count(file.path) == 0 && file.path != row.source_path) {
          files.push_back(file);
        }
      }
      dsl::CompileResult compiled = dsl::Compile(files);
      for (const auto& workflow : compiled.workflows) {
        if (workflow->id == row.workflow && workflow->VersionHex() == row.version) found = workflow;
      }
    }
    if (found == nullptr) {
      broken_.insert(key);
      report.warnings.push_back("stored version " + row.version + " of " + row.workflow +
                                " does not compile; its cases cannot run");
      continue;
    }
    // Held without becoming newest: Deploy makes the last deployed the
    // newest, so the current newest is deployed again right after (below).
    std::shared_ptr<const model::Workflow> previous;
    if (auto newest = registry_->Newest(row.workflow); newest.ok()) previous = *newest;
    Status status = registry_->Deploy({found}, row.deployed_at_ms);
    if (status.ok() && previous != nullptr) status = registry_->Deploy({previous}, row.deployed_at_ms);
    if (!status.ok()) return status;
    report.loaded.push_back(row.workflow + "@" + row.version);
  }

  for (const store::DefinitionRow& row : NewestRows(*rows)) {
    Result<std::shared_ptr<const model::Workflow>> current = registry_->Newest(row.workflow);
    if (current.ok() && (*current)->VersionHex() == row.version) continue;
    Result<std::shared_ptr<const model::Workflow>> wanted = registry_->Get(row.workflow, row.version);
    if (!wanted.ok()) continue;  // Broken (warned above).
    Status status = registry_->Deploy({*wanted}, row.deployed_at_ms);
    if (!status.ok()) return status;
    report.newest.push_back(row.workflow + "@" + row.version);
  }
  return report;
}

}  // namespace zgtflow::runtime
