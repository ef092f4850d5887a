// Test support for the group-commit tests (CommitBatcher, CommitPipeline): a
// MemoryStore whose batches take a while and that records them, and a commit
// creating a bare case. Header-only.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/store/memory/memory_store.h"

namespace zgtflow::testing {

// A MemoryStore whose CommitSteps takes `delay`, so that commits arriving
// meanwhile must wait and form the next batch. It records each batch's size
// and the most batches that ran at once, and says it can run `parallel`.
class SlowStore : public store::MemoryStore {
 public:
  SlowStore(std::chrono::milliseconds delay, int parallel) : delay_(delay), parallel_(parallel) {}

  std::vector<Status> CommitSteps(const std::vector<store::StepCommit>& commits) override {
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      sizes.push_back(commits.size());
    }
    std::this_thread::sleep_for(delay_);
    std::vector<Status> out = store::MemoryStore::CommitSteps(commits);
    --running;
    return out;
  }
  int ConcurrentCommitSteps() const override { return parallel_; }

  std::mutex mutex;
  std::vector<size_t> sizes;  // Guarded by mutex.
  std::atomic<int> running{0};
  std::atomic<int> most{0};

 private:
  std::chrono::milliseconds delay_;
  int parallel_;
};

// The commit that creates case `id` (workflow "w", revision 1).
inline store::StepCommit NewCaseCommit(const std::string& id) {
  store::StepCommit commit;
  commit.create = true;
  commit.case_row.id = id;
  commit.case_row.workflow = "w";
  commit.case_row.version = "0000000000000000";
  commit.case_row.revision = 1;
  commit.history.seq = 1;
  commit.history.hash = "h-" + id;
  return commit;
}

}  // namespace zgtflow::testing
