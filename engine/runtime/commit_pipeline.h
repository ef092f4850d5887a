// ⑥ CommitPipeline: group commit without a blocked thread per commit. A
// caller hands over a StepCommit with a callback and goes on at once; a few
// committer threads take whatever commits wait, write them with one
// Store::CommitSteps, and call each commit's callback with its own Status.
//
// Why beside CommitBatcher: with CommitBatcher each input in flight holds a
// thread asleep until its batch commits, so every transition costs a wake-up
// and two context switches; on two cores with 64 inputs in flight that was
// most of the runtime's CPU (docs/performance.md). Here the callbacks run on
// the committer that wrote the batch, and a callback that steps the case
// again hands the next commit over without any thread switching.
//
// An input is still acknowledged only after its own commit: the callback is
// the acknowledgement. A callback must not block on this pipeline (it may
// hand over further commits); it may call the store and CommitBatcher.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/base/status.h"
#include "engine/runtime/commit_totals.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

class CommitPipeline {
 public:
  // Called once per commit, on a committer thread, with the commit moved
  // back to the caller.
  using Committed = std::function<void(Status, store::StepCommit)>;

  struct Options {
    size_t max_batch = 256;  // Commits per CommitSteps call at most.
    // Batches inside CommitSteps at once at most; 0 = what the store says
    // (Store::ConcurrentCommitSteps). One more committer thread than this
    // runs the callbacks of a batch while the next one is written.
    int max_in_flight = 0;
  };

  // `store` is not owned and outlives the pipeline.
  explicit CommitPipeline(store::Store* store);
  CommitPipeline(store::Store* store, Options options);
  CommitPipeline(const CommitPipeline&) = delete;
  CommitPipeline& operator=(const CommitPipeline&) = delete;
  // Commits everything handed over, including what callbacks hand over
  // meanwhile, then stops the committers.
  ~CommitPipeline();

  // Queues `commit`; `done` is called once it is committed or refused.
  // Thread-safe; never blocks on the store.
  void Commit(store::StepCommit commit, Committed done);

  // Totals so far (tests, the benchmark).
  const CommitTotals& totals() const { return totals_; }

 private:
  struct Pending {
    store::StepCommit commit;
    Committed done;
  };

  // Commits waiting before a second batch starts beside a running one
  // (as CommitBatcher: batches of one or two gain nothing from overlapping).
  static constexpr size_t kMinQueueToOverlap = 4;

  void RunCommitter();
  // Whether a committer may take a batch now; the lock is held.
  bool MayStartBatch() const;

  store::Store* store_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;       // Handed over, not yet in a batch.
  std::vector<std::thread> committers_;  // Started by the first Commit.
  int committing_ = 0;  // Committers inside CommitSteps.
  int active_ = 0;      // Committers committing or running callbacks.
  bool stopping_ = false;
  CommitTotals totals_;
};

}  // namespace zgtflow::runtime
