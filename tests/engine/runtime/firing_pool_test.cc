// FiringPool: every timer handed in is fired once, one case's timers in the
// order they were handed in, pending() counts what has not fired, and the
// pool's end fires what is still queued.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/runtime/firing_pool.h"

namespace zgtflow::runtime {
namespace {

store::TimerRow Timer(const std::string& case_id, uint32_t timer_id) {
  store::TimerRow timer;
  timer.case_id = case_id;
  timer.timer_id = timer_id;
  return timer;
}

TEST_CASE("a firing pool fires each timer once, one case's timers in the order handed in",
          "[runtime]") {
  std::mutex mutex;
  std::map<std::string, std::vector<uint32_t>> fired;  // Case → timer ids in firing order.
  {
    FiringPool pool(4, 3, [&](const std::vector<store::TimerRow>& timers) {
      std::lock_guard<std::mutex> lock(mutex);
      for (const store::TimerRow& timer : timers) fired[timer.case_id].push_back(timer.timer_id);
    });
    // Three claims, each with every case's next timers.
    for (uint32_t claim = 0; claim < 3; ++claim) {
      std::vector<store::TimerRow> timers;
      for (int c = 0; c < 25; ++c) {
        for (uint32_t t = 0; t < 2; ++t) timers.push_back(Timer("c" + std::to_string(c), claim * 2 + t));
      }
      pool.Add(std::move(timers));
    }
  }  // The pool's end waits for every timer handed in.
  REQUIRE(fired.size() == 25);
  for (const auto& [id, timers] : fired) {
    INFO(id);
    CHECK(timers == std::vector<uint32_t>{0, 1, 2, 3, 4, 5});
  }
}

TEST_CASE("a firing pool counts timers as pending until their chunk fired", "[runtime]") {
  std::mutex gate;
  gate.lock();  // Holds the lanes inside their first chunk.
  std::atomic<int> fired{0};
  FiringPool pool(2, 100, [&](const std::vector<store::TimerRow>& timers) {
    std::lock_guard<std::mutex> wait(gate);
    fired += static_cast<int>(timers.size());
  });
  std::vector<store::TimerRow> timers;
  for (int c = 0; c < 10; ++c) timers.push_back(Timer("case-" + std::to_string(c), 1));
  pool.Add(timers);
  CHECK(pool.pending() == 10);
  pool.WaitBelow(1, 50);  // Times out: nothing can fire yet.
  CHECK(pool.pending() == 10);
  CHECK(fired == 0);
  gate.unlock();
  pool.WaitBelow(1, 10000);
  CHECK(pool.pending() == 0);
  CHECK(fired == 10);
}

}  // namespace
}  // namespace zgtflow::runtime
