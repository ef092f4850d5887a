// ⑥ CommitTotals (see commit_totals.h).
#include "engine/runtime/commit_totals.h"

#include <chrono>

namespace zgtflow::runtime {

std::vector<Status> CommitTotals::CommitTimed(store::Store* store,
                                              const std::vector<store::StepCommit>& commits) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<Status> results = store->CommitSteps(commits);
  const int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();
  AddBatch(commits.size(), micros);
  results.resize(commits.size(),
                 Status::Internal("the store answered fewer statuses than commits"));
  return results;
}

}  // namespace zgtflow::runtime
