// ⑥ DefinitionRegistry (see definition_registry.h).
#include "engine/runtime/definition_registry.h"

#include <algorithm>

namespace zgtflow::runtime {

Status DefinitionRegistry::Deploy(const dsl::CompileResult& compiled, int64_t now_ms) {
  if (!compiled.ok()) {
    return Status::InvalidArgument("the workflows did not compile; nothing was deployed");
  }
  return Deploy(compiled.workflows, now_ms);
}

Status DefinitionRegistry::Deploy(
    const std::vector<std::shared_ptr<const model::Workflow>>& workflows, int64_t now_ms) {
  for (const auto& workflow : workflows) {
    if (workflow == nullptr) continue;
    // Written before it is held, so a case never runs on a version the store
    // does not know (a restart can then recompile it from the stored text).
    if (store_ != nullptr) {
      store::DefinitionRow row;
      row.workflow = workflow->id;
      row.version = workflow->VersionHex();
      row.source = workflow->source;
      row.source_path = workflow->source_path;
      row.deployed_at_ms = now_ms;
      Status status = store_->PutDefinition(row);
      if (!status.ok()) return status;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    auto key = std::make_pair(workflow->id, workflow->VersionHex());
    auto [it, inserted] = versions_.emplace(key, workflow);
    if (inserted) order_.push_back(workflow);
    newest_[workflow->id] = it->second;
  }
  return Status::Ok();
}

Result<std::shared_ptr<const model::Workflow>> DefinitionRegistry::Newest(
    const std::string& workflow_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = newest_.find(workflow_id);
  if (it == newest_.end()) return Status::NotFound("no workflow '" + workflow_id + "' is deployed");
  return it->second;
}

Result<std::shared_ptr<const model::Workflow>> DefinitionRegistry::Get(
    const std::string& workflow_id, const std::string& version) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = versions_.find({workflow_id, version});
  if (it == versions_.end()) {
    return Status::NotFound("workflow '" + workflow_id + "' version " + version + " is not deployed");
  }
  return it->second;
}

std::vector<std::shared_ptr<const model::Workflow>> DefinitionRegistry::All() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<const model::Workflow>> all = order_;
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a->id < b->id; });
  return all;
}

}  // namespace zgtflow::runtime
