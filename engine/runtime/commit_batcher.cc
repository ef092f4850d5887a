// ⑥ CommitBatcher (see commit_batcher.h): leader/follower group commit. The
// commits are moved into the batch and back, not copied: a snapshot is the
// bulk of a commit.
#include "engine/runtime/commit_batcher.h"

#include <utility>
#include <vector>

namespace zgtflow::runtime {

CommitBatcher::CommitBatcher(store::Store* store) : CommitBatcher(store, Options()) {}

CommitBatcher::CommitBatcher(store::Store* store, Options options)
    : store_(store), options_(options) {
  if (options_.max_batch == 0) options_.max_batch = 1;
}

Status CommitBatcher::Commit(store::StepCommit& commit) {
  Waiter me{&commit, Status::Ok(), false};
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&me);
  done_.wait(lock, [&] { return me.done || !leader_active_; });
  if (me.done) return me.status;
  // Leader: commit batches (oldest waiters first) until this caller's is in.
  leader_active_ = true;
  while (!me.done) {
    std::vector<Waiter*> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    std::vector<store::StepCommit> commits;
    commits.reserve(batch.size());
    for (Waiter* waiter : batch) commits.push_back(std::move(*waiter->commit));
    std::vector<Status> results = store_->CommitSteps(commits);
    for (size_t i = 0; i < batch.size(); ++i) {
      *batch[i]->commit = std::move(commits[i]);
      batch[i]->status = i < results.size()
                             ? results[i]
                             : Status::Internal("the store answered fewer statuses than commits");
    }
    lock.lock();
    for (Waiter* waiter : batch) waiter->done = true;
    ++batches_;
    commits_ += static_cast<int64_t>(batch.size());
    done_.notify_all();
  }
  leader_active_ = false;
  // A waiter that arrived during the last batch leads the next one.
  done_.notify_all();
  return me.status;
}

int64_t CommitBatcher::batches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return batches_;
}

int64_t CommitBatcher::commits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return commits_;
}

}  // namespace zgtflow::runtime
