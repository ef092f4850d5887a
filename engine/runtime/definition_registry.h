// ⑥ DefinitionRegistry: the compiled workflows a runtime runs, by (id,
// version). A changed workflow text is a new version (its content hash);
// new cases use the newest, running cases stay on the version they began on.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "dsl/compile.h"
#include "engine/base/status.h"
#include "engine/model/workflow.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

// Thread-safe: Deploy may run (a reload) while steps call Get and Newest.
class DefinitionRegistry {
 public:
  // `store` (not owned, may be null for a registry that persists nothing)
  // receives a DefinitionRow for every version deployed for the first time.
  explicit DefinitionRegistry(store::Store* store) : store_(store) {}

  // Holds every workflow of `compiled` (InvalidArgument when it has errors)
  // and writes the versions the store does not have. A version already held
  // is kept as is (same text, same model); the newest of an id becomes the
  // last one deployed. Returns the first store failure, after which the
  // workflows deployed so far stay deployed (PutDefinition is idempotent, so
  // deploying again completes the job).
  Status Deploy(const dsl::CompileResult& compiled, int64_t now_ms);
  Status Deploy(const std::vector<std::shared_ptr<const model::Workflow>>& workflows,
                int64_t now_ms);

  // The version new cases of `workflow_id` start on; NotFound when none.
  Result<std::shared_ptr<const model::Workflow>> Newest(const std::string& workflow_id) const;
  // A given version (16 hex digits, model::Workflow::VersionHex()); NotFound
  // when it is not held (e.g. stored cases of a version not compiled since a
  // restart).
  Result<std::shared_ptr<const model::Workflow>> Get(const std::string& workflow_id,
                                                     const std::string& version) const;
  // Every held version, by (id, deployment order).
  std::vector<std::shared_ptr<const model::Workflow>> All() const;

 private:
  store::Store* store_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const model::Workflow>> versions_;
  std::map<std::string, std::shared_ptr<const model::Workflow>> newest_;
  std::vector<std::shared_ptr<const model::Workflow>> order_;  // Deployment order.
};

}  // namespace zgtflow::runtime
