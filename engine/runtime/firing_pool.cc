// ⑥ FiringPool (see firing_pool.h).
#include "engine/runtime/firing_pool.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

namespace zgtflow::runtime {

FiringPool::FiringPool(int lanes, size_t chunk, FireChunk fire)
    : chunk_(std::max<size_t>(1, chunk)), fire_(std::move(fire)) {
  const int count = std::max(1, lanes);
  for (int i = 0; i < count; ++i) lanes_.push_back(std::make_unique<Lane>());
  for (auto& lane : lanes_) lane->thread = std::thread([this, l = lane.get()] { RunLane(l); });
}

FiringPool::~FiringPool() {
  for (auto& lane : lanes_) {
    {
      std::lock_guard<std::mutex> lock(lane->mutex);
      lane->stopping = true;
    }
    lane->wake.notify_one();
  }
  for (auto& lane : lanes_) lane->thread.join();
}

void FiringPool::Add(std::vector<store::TimerRow> timers) {
  if (timers.empty()) return;
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    pending_ += static_cast<int64_t>(timers.size());
  }
  std::vector<std::vector<store::TimerRow>> parts(lanes_.size());
  for (store::TimerRow& timer : timers) {
    parts[std::hash<std::string>{}(timer.case_id) % lanes_.size()].push_back(std::move(timer));
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    Lane& lane = *lanes_[i];
    {
      std::lock_guard<std::mutex> lock(lane.mutex);
      for (store::TimerRow& timer : parts[i]) lane.queue.push_back(std::move(timer));
    }
    lane.wake.notify_one();
  }
}

int64_t FiringPool::pending() const {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  return pending_;
}

void FiringPool::WaitBelow(int64_t below, int64_t timeout_ms) {
  std::unique_lock<std::mutex> lock(pending_mutex_);
  drained_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                    [&] { return pending_ < below; });
}

void FiringPool::RunLane(Lane* lane) {
  std::unique_lock<std::mutex> lock(lane->mutex);
  while (true) {
    lane->wake.wait(lock, [&] { return lane->stopping || !lane->queue.empty(); });
    // Stopping still fires what was handed in: each claim is fired or its
    // lease runs out, and firing is cheaper than waiting out the lease.
    if (lane->queue.empty()) return;
    std::vector<store::TimerRow> chunk;
    while (!lane->queue.empty() && chunk.size() < chunk_) {
      chunk.push_back(std::move(lane->queue.front()));
      lane->queue.pop_front();
    }
    lock.unlock();
    fire_(chunk);
    {
      std::lock_guard<std::mutex> pending_lock(pending_mutex_);
      pending_ -= static_cast<int64_t>(chunk.size());
    }
    drained_.notify_all();
    lock.lock();
  }
}

}  // namespace zgtflow::runtime
