// ⑤ Default bodies of Store's group-commit and follow-up methods (store.h):
// every backend overrides them; the defaults keep older wrappers compiling.
// GetCases's default (GetCase per id) is what the memory store uses.
#include <algorithm>

#include "engine/store/store.h"

namespace zgtflow::store {

std::vector<Status> Store::CommitSteps(const std::vector<StepCommit>& commits) {
  std::vector<Status> out;
  out.reserve(commits.size());
  for (const StepCommit& commit : commits) out.push_back(CommitStep(commit));
  return out;
}

std::vector<std::string> Store::SortedDistinct(std::vector<std::string> case_ids) {
  std::sort(case_ids.begin(), case_ids.end());
  case_ids.erase(std::unique(case_ids.begin(), case_ids.end()), case_ids.end());
  return case_ids;
}

Result<std::vector<CaseRow>> Store::GetCases(const std::vector<std::string>& case_ids) {
  std::vector<CaseRow> out;
  for (const std::string& id : SortedDistinct(case_ids)) {
    Result<CaseRow> row = GetCase(id);
    if (row.ok()) {
      out.push_back(std::move(row).value());
    } else if (row.status().code() != StatusCode::kNotFound) {
      return row.status();
    }
  }
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
