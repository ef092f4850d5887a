// ⑥ FiringPool: the timer worker's firing threads in the background. Each
// thread (lane) fires its own queue in the order timers were handed in; a
// timer goes to the lane its case id picks, so one case's timers fire one
// after another, in due order, while other cases' fire beside them. The
// claimer hands in the next claim while the earlier ones still fire, instead
// of waiting for a whole claim's slowest thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/store/records.h"

namespace zgtflow::runtime {

class FiringPool {
 public:
  // Fires one lane's chunk of timers, in order (called on that lane's thread).
  using FireChunk = std::function<void(const std::vector<store::TimerRow>& timers)>;

  // `lanes` threads (at least 1); a lane takes at most `chunk` timers at a
  // time off its queue and hands them to `fire`.
  FiringPool(int lanes, size_t chunk, FireChunk fire);
  ~FiringPool();  // Fires every timer handed in, then joins the threads.
  FiringPool(const FiringPool&) = delete;
  FiringPool& operator=(const FiringPool&) = delete;

  // Queues `timers` (in due order) on their cases' lanes.
  void Add(std::vector<store::TimerRow> timers);
  // Timers handed in whose chunk has not finished firing.
  int64_t pending() const;
  // Returns once pending() < `below`, or after `timeout_ms`.
  void WaitBelow(int64_t below, int64_t timeout_ms);

 private:
  struct Lane {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<store::TimerRow> queue;  // Guarded by mutex.
    bool stopping = false;              // Guarded by mutex.
    std::thread thread;
  };
  void RunLane(Lane* lane);

  const size_t chunk_;
  const FireChunk fire_;
  mutable std::mutex pending_mutex_;
  std::condition_variable drained_;
  int64_t pending_ = 0;  // Guarded by pending_mutex_.
  std::vector<std::unique_ptr<Lane>> lanes_;
};

}  // namespace zgtflow::runtime
