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
  if (options_.max_in_flight <= 0) options_.max_in_flight = store_->ConcurrentCommitSteps();
  if (options_.max_in_flight <= 0) options_.max_in_flight = 1;
}

std::deque<CommitBatcher::Waiter*> CommitBatcher::TakeBatch() {
  std::deque<Waiter*> batch;
  while (!queue_.empty() && batch.size() < options_.max_batch) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  return batch;
}

void CommitBatcher::HandOffLead() {
  // The oldest waiter that is not a leader already commits the queue next;
  // a queue of leaders only (or none) needs no more.
  for (Waiter* waiter : queue_) {
    if (!waiter->lead) {
      waiter->lead = true;
      waiter->wake.notify_one();
      return;
    }
  }
  --leaders_;
}

Status CommitBatcher::Commit(store::StepCommit& commit) {
  Waiter me{&commit, Status::Ok(), false, false, {}};
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&me);
  // A batch beside one in flight only once a few commits wait: batches of
  // one or two cost a round trip (or a sync) each and gain nothing from
  // overlapping; those few wait and join the next batch instead.
  if (leaders_ == 0 ||
      (leaders_ < options_.max_in_flight && queue_.size() >= kMinQueueToOverlap)) {
    ++leaders_;
    me.lead = true;
  } else {
    me.wake.wait(lock, [&] { return me.done || me.lead; });
    // Handed the lead but committed meanwhile by another leader: the lead
    // is still this caller's to pass on, below.
    if (me.done && !me.lead) return me.status;
  }
  // Leader: commit batches (oldest waiters first) until this caller's is in.
  while (!me.done) {
    std::deque<Waiter*> batch = TakeBatch();
    if (batch.empty()) {
      // Another leader took this caller's commit: wait for it like anyone.
      me.lead = false;
      --leaders_;
      me.wake.wait(lock, [&] { return me.done || me.lead; });
      if (me.done) break;
      continue;
    }
    lock.unlock();
    std::vector<store::StepCommit> commits;
    commits.reserve(batch.size());
    for (Waiter* waiter : batch) commits.push_back(std::move(*waiter->commit));
    std::vector<Status> results = totals_.CommitTimed(store_, commits);
    for (size_t i = 0; i < batch.size(); ++i) {
      *batch[i]->commit = std::move(commits[i]);
      batch[i]->status = std::move(results[i]);
    }
    lock.lock();
    for (Waiter* waiter : batch) {
      waiter->done = true;
      // `me` is not waiting; the others may return (and free their Waiter)
      // as soon as the lock is released, so this is the last touch.
      if (waiter != &me) waiter->wake.notify_one();
    }
  }
  if (me.lead) HandOffLead();
  return me.status;
}

}  // namespace zgtflow::runtime
