// TimerWorker with several firing threads, called once per claim (RunOnce)
// and in the background (Start): each due timer of many cases fires exactly
// once, a case's timers still in due order, and the observer sees every
// firing with its commit time.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/runtime/commit_pipeline.h"
#include "engine/runtime/json_codec.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

constexpr const char* kRectData = R"({"subject": "平台稳定性不达标"})";

// 40 rectification cases, each with two reminders and a deadline pending.
std::vector<std::string> CreateRectifications(testing::Runtime& rt) {
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    Result<CaseView> view = rt.runner.Create("rectification", "management_unit", "", kRectData);
    REQUIRE(view.ok());
    REQUIRE(view->accepted());
    ids.push_back(view->row.id);
  }
  REQUIRE(rt.store->CountTimers().value() == 120);
  return ids;
}

TEST_CASE("a timer worker firing on 4 threads fires every due timer once, in due order per case",
          "[runtime]") {
  testing::Runtime rt;
  std::vector<std::string> ids = CreateRectifications(rt);

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

// Runs `worker` in the background until the 120 timers of `ids` fired, and
// checks each fired once and in due order.
void FireInBackground(testing::Runtime& rt, TimerWorker& worker,
                      const std::vector<std::string>& ids) {
  std::mutex mutex;
  int64_t observed = 0;
  worker.SetFiringThreads(4);
  worker.SetFiredObserver([&](const store::TimerRow&, int64_t) {
    std::lock_guard<std::mutex> lock(mutex);
    ++observed;
  });
  rt.clock.Set(testing::At("2026-05-02T09:00:00+08:00"));
  // Claims of at most 16 timers beside the pending ones: 120 due timers
  // take several claims made while earlier firings run.
  worker.Start(/*period_ms=*/5, /*limit=*/16);
  for (int i = 0; i < 2000 && rt.store->CountTimers().value() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  worker.Stop();
  CHECK(rt.store->CountTimers().value() == 0);
  CHECK(observed == 120);
  CHECK(worker.dropped() == 0);
  CHECK(worker.failed() == 0);
  for (const std::string& id : ids) {
    auto row = rt.store->GetCase(id);
    REQUIRE(row.ok());
    CHECK(row->state == "[\"penalty\"]");
    // Start, two reminders, the deadline: each once, so in due order (a
    // reminder after the deadline would have been refused and left out).
    CHECK(rt.store->GetHistory(id).value().size() == 4);
  }
}

TEST_CASE("a timer worker in the background claims more while earlier timers fire, each once",
          "[runtime]") {
  testing::Runtime rt;
  std::vector<std::string> ids = CreateRectifications(rt);
  FireInBackground(rt, rt.timers, ids);
}

TEST_CASE("a background timer worker firing through a commit pipeline fires each timer once, "
          "in due order",
          "[runtime]") {
  testing::Runtime rt;
  std::vector<std::string> ids = CreateRectifications(rt);
  CommitPipeline pipeline(rt.store);
  CaseRunner::Options options;
  options.pipeline = &pipeline;
  CaseRunner runner(rt.store, &rt.registry, &rt.clock, &rt.calendar, options);
  TimerWorker worker(rt.store, &runner, &rt.clock, "node-p", 60000);
  FireInBackground(rt, worker, ids);
  // The firings went through the pipeline, many to a batch.
  CHECK(pipeline.totals().commits() == 120);
  CHECK(pipeline.totals().batches() < pipeline.totals().commits());
}

}  // namespace
}  // namespace zgtflow::runtime
