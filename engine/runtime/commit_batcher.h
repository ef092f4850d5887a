// ⑥ CommitBatcher: group commit across cases. Concurrent CaseRunner calls hand
// their StepCommit to Commit() and block until it is committed; whoever
// arrives while no batch is in flight becomes the leader and commits every
// waiting commit in one Store::CommitSteps (one transaction, one WAL flush);
// those arriving meanwhile wait and form the next batch. Each commit is still
// atomic and revision-checked on its own, and each caller gets its own
// Status, so an input is acknowledged only after its own commit.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

#include "engine/base/status.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

class CommitBatcher {
 public:
  struct Options {
    size_t max_batch = 256;  // Commits per CommitSteps call at most.
  };

  // `store` is not owned and outlives the batcher.
  explicit CommitBatcher(store::Store* store);
  CommitBatcher(store::Store* store, Options options);
  CommitBatcher(const CommitBatcher&) = delete;
  CommitBatcher& operator=(const CommitBatcher&) = delete;

  // Commits `commit` (together with others waiting) and returns its Status,
  // as Store::CommitStep would. `commit` is moved from while its batch is in
  // flight and moved back before the call returns. Thread-safe.
  Status Commit(store::StepCommit& commit);

  // Totals so far (metrics, tests, the benchmark).
  int64_t batches() const;
  int64_t commits() const;

 private:
  struct Waiter {
    store::StepCommit* commit;
    Status status;
    bool done = false;
  };

  store::Store* store_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::deque<Waiter*> queue_;   // Waiting for a batch, in arrival order.
  bool leader_active_ = false;  // A batch is in flight.
  int64_t batches_ = 0;
  int64_t commits_ = 0;
};

}  // namespace zgtflow::runtime
