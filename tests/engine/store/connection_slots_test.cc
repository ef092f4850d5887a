// ConnectionSlots (the PostgreSQL store's bound on calls at once): never more
// holders than slots, and a freed slot goes to the caller waiting longest.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/store/postgres/connection_slots.h"

namespace zgtflow::store::postgres {
namespace {

void WaitForWaiters(const ConnectionSlots& slots, size_t count) {
  while (slots.waiting() < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST_CASE("connection slots let no more callers in at once than there are slots", "[store]") {
  ConnectionSlots slots(3);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        ConnectionSlot slot(&slots);
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        // Held a while, so other callers overlap even on a slow (sanitized) build.
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        --inside;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(most.load() <= 3);
  CHECK(most.load() >= 2);  // The callers did overlap.
  CHECK(slots.waiting() == 0);
}

TEST_CASE("a freed connection slot goes to the caller that waited longest", "[store]") {
  ConnectionSlots slots(1);
  slots.Acquire();
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int caller = 0; caller < 4; ++caller) {
    threads.emplace_back([&, caller] {
      ConnectionSlot slot(&slots);
      std::lock_guard<std::mutex> lock(mutex);
      order.push_back(caller);
    });
    WaitForWaiters(slots, static_cast<size_t>(caller) + 1);  // Queued in this order.
  }
  slots.Release();
  for (std::thread& thread : threads) thread.join();
  CHECK(order == std::vector<int>{0, 1, 2, 3});
}

}  // namespace
}  // namespace zgtflow::store::postgres
