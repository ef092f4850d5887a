// ⑥ PollingLoop: one loop for every worker thread.
#include "engine/runtime/polling_loop.h"

#include <chrono>
#include <utility>

namespace zgtflow::runtime {

void PollingLoop::Start(int64_t period_ms, int limit, Batch run_batch) {
  Stop();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this, period_ms, limit, run_batch = std::move(run_batch)] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      Result<int> handled = run_batch(limit);
      lock.lock();
      if (handled.ok() && *handled >= limit) continue;  // More may be due: no pause.
      wake_.wait_for(lock, std::chrono::milliseconds(period_ms), [this] { return stopping_; });
    }
  });
}

void PollingLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace zgtflow::runtime
