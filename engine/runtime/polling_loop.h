// ⑥ PollingLoop: the background thread of a worker (timers, outbox) that calls
// one batch function again at once while it keeps finding full batches, and
// otherwise waits `period_ms` or until stopped. Tests call the batch
// function directly and never start a loop.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "engine/base/status.h"

namespace zgtflow::runtime {

class PollingLoop {
 public:
  // `run_batch(limit)` returns how many items it handled.
  using Batch = std::function<Result<int>(int limit)>;

  PollingLoop() = default;
  PollingLoop(const PollingLoop&) = delete;
  PollingLoop& operator=(const PollingLoop&) = delete;
  ~PollingLoop() { Stop(); }

  // Starts the thread (stopping a running one first).
  void Start(int64_t period_ms, int limit, Batch run_batch);
  // Stops and joins the thread; the batch in progress finishes first.
  void Stop();

 private:
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace zgtflow::runtime
