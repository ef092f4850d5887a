// ⑥ Definition sync: the store's definitions table is the list of deployed
// versions every node shares; this brings a DefinitionRegistry in line with
// it (versions compiled from their stored text, each id's newest = its most
// recently deployed version). `zgtflow deploy` writes the table
// (StoreVersions); `zgtflow serve` syncs at start, on reload (SIGHUP,
// POST /api/admin/reload) and every few seconds, so all nodes follow.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "dsl/source.h"
#include "engine/base/status.h"
#include "engine/model/workflow.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

// One workflow version as deploy saw it.
struct DeployedVersion {
  std::string workflow;
  std::string version;      // 16 hex digits.
  std::string source_path;
  bool is_new = false;      // Written by this call (the store did not hold it).
  // Set when the store holds a version of this id deployed after this one:
  // the text is an earlier version (a rollback), which stays older. The
  // newer version's hex.
  std::string superseded_by;
};

// Writes every workflow of `workflows` whose (id, version) the store does not
// hold yet, deployed_at = now_ms, and says for each whether it was new.
// Returns the first store failure (versions written before it stay written).
Result<std::vector<DeployedVersion>> StoreVersions(
    store::Store& store, const std::vector<std::shared_ptr<const model::Workflow>>& workflows,
    int64_t now_ms);

// Each id's most recently deployed stored row (largest deployed_at_ms; a tie
// goes to the later row of ListDefinitions' order).
std::vector<store::DefinitionRow> NewestRows(const std::vector<store::DefinitionRow>& rows);

struct SyncReport {
  std::vector<std::string> loaded;    // "id@version" newly held by the registry.
  std::vector<std::string> newest;    // "id@version" that became an id's newest.
  std::vector<std::string> warnings;  // Stored versions that do not compile.
  bool changed() const { return !loaded.empty() || !newest.empty(); }
};

// Thread-safe (one Sync at a time).
class DefinitionSync {
 public:
  // Neither owned; both outlive this.
  DefinitionSync(store::Store* store, DefinitionRegistry* registry)
      : store_(store), registry_(registry) {}

  // Holds every stored version: a workflow of `known` with that id and
  // version as it is, any other compiled from its stored text together with
  // the `context` files that do not define that workflow (for roles and the
  // workflows it starts). Then makes each id's most recently deployed version
  // its newest. A stored version that does not compile (or compiles to
  // another hash) is a warning once, and skipped from then on.
  Result<SyncReport> Sync(const std::vector<dsl::SourceFile>& context,
                          const std::vector<std::shared_ptr<const model::Workflow>>& known);

 private:
  store::Store* store_;
  DefinitionRegistry* registry_;
  std::mutex mutex_;
  std::set<std::pair<std::string, std::string>> broken_;  // (id, version) that do not compile.
};

}  // namespace zgtflow::runtime
