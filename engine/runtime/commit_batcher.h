// ⑥ CommitBatcher: group commit across cases. Concurrent CaseRunner calls hand
// their StepCommit to Commit() and block until it is committed; whoever
// arrives while fewer than `max_in_flight` batches are in flight becomes a
// leader and commits every waiting commit in one Store::CommitSteps (one
// transaction, one WAL flush); those arriving meanwhile wait and form the
// next batch. Each commit is still atomic and revision-checked on its own,
// and each caller gets its own Status, so an input is acknowledged only after
// its own commit.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

#include "engine/base/status.h"
#include "engine/runtime/commit_totals.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

class CommitBatcher {
 public:
  struct Options {
    size_t max_batch = 256;  // Commits per CommitSteps call at most.
    // Batches committed at the same time at most; 0 = what the store says
    // it can run at once (Store::ConcurrentCommitSteps: 2 on a SQLite file,
    // one written while the other syncs; 2 on PostgreSQL, one written while
    // the other waits for its round trip; 1 in memory).
    int max_in_flight = 0;
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

  // Totals so far (tests, the benchmark).
  const CommitTotals& totals() const { return totals_; }

 private:
  // One blocked caller. Each has its own condition variable, so a finished
  // batch wakes exactly its callers (and at most one next leader), not every
  // thread waiting: with 64 callers a shared one woke ~64 threads per batch.
  struct Waiter {
    store::StepCommit* commit;
    Status status;
    bool done = false;  // Committed (status set).
    bool lead = false;  // Handed the lead: commit the queue.
    std::condition_variable wake;
  };

  // Commits waiting before a second (third, …) batch starts beside the
  // first rather than waiting for a leader to hand on its lead.
  static constexpr size_t kMinQueueToOverlap = 4;

  // Takes up to max_batch waiters off the queue; the lock is held.
  std::deque<Waiter*> TakeBatch();
  // A leader leaving passes its lead on (or gives it up); the lock is held.
  void HandOffLead();

  store::Store* store_;
  Options options_;
  mutable std::mutex mutex_;
  std::deque<Waiter*> queue_;  // Waiting for a batch, in arrival order.
  int leaders_ = 0;            // Batches in flight (or about to be).
  CommitTotals totals_;
};

}  // namespace zgtflow::runtime
