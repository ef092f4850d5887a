// ⑤ ConnectionSlots: how many of the PostgreSQL store's calls run on the
// server at once. Callers beyond that wait, first come first served, for a
// slot. On a small machine, 50 web requests each on its own connection make
// 50 backends compete for the cores with the server's own threads; a few
// busy connections do more work per second and answer the waiting sooner
// (docs/performance.md, "Web view").
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace zgtflow::store::postgres {

class ConnectionSlots {
 public:
  explicit ConnectionSlots(size_t slots) : free_(slots < 1 ? 1 : slots) {}

  // Waits for a slot; the slot is the caller's until Release.
  void Acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (free_ > 0 && waiting_.empty()) {
      --free_;
      return;
    }
    Waiter me;
    waiting_.push_back(&me);
    me.wake.wait(lock, [&] { return me.granted; });
  }

  // Callers waiting for a slot now.
  size_t waiting() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_.size();
  }

  // Hands the slot to the longest waiting caller, or frees it.
  void Release() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (waiting_.empty()) {
      ++free_;
      return;
    }
    Waiter* next = waiting_.front();
    waiting_.pop_front();
    next->granted = true;
    next->wake.notify_one();
  }

 private:
  struct Waiter {
    std::condition_variable wake;
    bool granted = false;
  };
  mutable std::mutex mutex_;
  size_t free_;                  // Guarded by mutex_.
  std::deque<Waiter*> waiting_;  // Guarded by mutex_; oldest first.
};

// Holds one slot for a scope.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(ConnectionSlots* slots) : slots_(slots) { slots_->Acquire(); }
  ~ConnectionSlot() { slots_->Release(); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  ConnectionSlots* slots_;
};

}  // namespace zgtflow::store::postgres
