// ⑤ Default bodies of Store's group-commit and follow-up methods (store.h):
// every backend overrides them; the defaults keep older wrappers compiling.
#include "engine/store/store.h"

namespace zgtflow::store {

std::vector<Status> Store::CommitSteps(const std::vector<StepCommit>& commits) {
  std::vector<Status> out;
  out.reserve(commits.size());
  for (const StepCommit& commit : commits) out.push_back(CommitStep(commit));
  return out;
}

Result<std::vector<FollowUpRow>> Store::ClaimFollowUps(const std::string&, int64_t, int64_t,
                                                       int64_t, int) {
  return Status::Internal("this store keeps no follow-ups");
}

Status Store::DropFollowUp(const std::string&) {
  return Status::Internal("this store keeps no follow-ups");
}

Result<std::vector<FollowUpRow>> Store::GetFollowUps(const std::string&) {
  return Status::Internal("this store keeps no follow-ups");
}

}  // namespace zgtflow::store
