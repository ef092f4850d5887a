// ⑥ CommitTotals: what a group commit (CommitBatcher, CommitPipeline) has
// written so far, for tests and the benchmark, and the timed
// Store::CommitSteps call both make. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "engine/base/status.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

class CommitTotals {
 public:
  // Writes `commits` with one store->CommitSteps, counts the batch and its
  // time, and returns one status per commit (a store that answered fewer
  // gets an Internal error for each missing one).
  std::vector<Status> CommitTimed(store::Store* store, const std::vector<store::StepCommit>& commits);

  int64_t batches() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return batches_;
  }
  int64_t commits() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return commits_;
  }
  // Wall time inside Store::CommitSteps, summed over batches (with several
  // in flight it can exceed the elapsed time): how busy the store is.
  int64_t commit_micros() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return micros_;
  }

 private:
  // One Store::CommitSteps call of `commits` commits that took `micros`.
  void AddBatch(size_t commits, int64_t micros) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++batches_;
    commits_ += static_cast<int64_t>(commits);
    micros_ += micros;
  }

  mutable std::mutex mutex_;
  int64_t batches_ = 0;
  int64_t commits_ = 0;
  int64_t micros_ = 0;
};

}  // namespace zgtflow::runtime
