// ⑥ CommitPipeline (see commit_pipeline.h): committer threads that take the
// queue in batches. Threads are woken per batch, never per commit: a commit
// handed over wakes a committer only when it is the first one while all are
// idle, or when enough wait for a second batch to start beside a running one.
#include "engine/runtime/commit_pipeline.h"

#include <utility>

namespace zgtflow::runtime {

CommitPipeline::CommitPipeline(store::Store* store) : CommitPipeline(store, Options()) {}

CommitPipeline::CommitPipeline(store::Store* store, Options options)
    : store_(store), options_(options) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  if (options_.max_in_flight <= 0) options_.max_in_flight = store_->ConcurrentCommitSteps();
  if (options_.max_in_flight <= 0) options_.max_in_flight = 1;
}

CommitPipeline::~CommitPipeline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& committer : committers_) committer.join();
}

void CommitPipeline::Commit(store::StepCommit commit, Committed done) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (committers_.empty()) {
    for (int i = 0; i <= options_.max_in_flight; ++i) {
      committers_.emplace_back([this] { RunCommitter(); });
    }
  }
  queue_.push_back(Pending{std::move(commit), std::move(done)});
  const size_t waiting = queue_.size();
  const bool worth_waking = (waiting == 1 && active_ == 0) || waiting == kMinQueueToOverlap;
  lock.unlock();
  if (worth_waking) wake_.notify_one();
}

bool CommitPipeline::MayStartBatch() const {
  return !queue_.empty() && committing_ < options_.max_in_flight &&
         (active_ == 0 || queue_.size() >= kMinQueueToOverlap);
}

void CommitPipeline::RunCommitter() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] {
      return MayStartBatch() || (stopping_ && queue_.empty() && active_ == 0);
    });
    if (!MayStartBatch()) return;  // Stopping, and nothing is left to commit.
    std::vector<Pending> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    ++committing_;
    ++active_;
    lock.unlock();

    std::vector<store::StepCommit> commits;
    commits.reserve(batch.size());
    for (Pending& pending : batch) commits.push_back(std::move(pending.commit));
    std::vector<Status> results = totals_.CommitTimed(store_, commits);
    lock.lock();
    --committing_;
    lock.unlock();
    // A slot inside the store is free: a waiting committer may take the
    // commits queued meanwhile while this one runs the callbacks.
    wake_.notify_all();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].done(std::move(results[i]), std::move(commits[i]));
    }

    lock.lock();
    --active_;
    // Committers waiting only for this one to finish may now stop.
    if (stopping_) wake_.notify_all();
  }
}

}  // namespace zgtflow::runtime
