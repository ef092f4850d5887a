// ⑥ Clock: where the runtime reads the time, once per input (core::Step reads
// none). SystemClock for production, VirtualClock for tests that must never sleep.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace zgtflow::runtime {

// Milliseconds since the Unix epoch (UTC). Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;
};

// The machine's wall clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told to (xstate's SimulatedClock). Set and
// Advance may be called from another thread than the readers.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(int64_t now_ms = 0) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_.load(); }
  void Set(int64_t now_ms) { now_ms_.store(now_ms); }
  void Advance(int64_t delta_ms) { now_ms_.fetch_add(delta_ms); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace zgtflow::runtime
