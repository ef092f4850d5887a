// OutboxWorker over a MemoryStore on a virtual clock: delivery, retries with
// backoff and jitter, dead letters, lease takeover, notify routing, and call
// replies and failures coming back into the case.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <thread>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/runtime/adapter.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/definition_registry.h"
#include "engine/runtime/json_codec.h"
#include "engine/runtime/outbox_worker.h"
#include "engine/store/memory/memory_store.h"
#include "tests/support/compile_one.h"

namespace zgtflow::runtime {
namespace {

constexpr const char* kProbeFlow = R"(
workflow probe "核查" {
  data {
    x text "对象"
    verdict text "结论"
  }
  initial state checking "核查中" {
    entry {
      call ext.check(x) on reply -> checked on failure -> failed
      notify management_unit "请核查 {x}"
    }
    on checked -> passed
    on failed -> rejected
  }
  final state passed "通过"
  final state rejected "未通过"
}
)";

constexpr int64_t kT0 = 1772413200000;  // 2026-03-02T09:00:00+08:00.

// An in-process adapter that records what it was given and answers by script.
class ScriptedAdapter final : public Adapter {
 public:
  explicit ScriptedAdapter(std::function<DeliveryResult(const store::OutboxRow&)> answer)
      : answer_(std::move(answer)) {}
  DeliveryResult Deliver(const store::OutboxRow& row) override {
    std::lock_guard<std::mutex> lock(mutex_);
    seen.push_back(row);
    return answer_(row);
  }
  std::vector<store::OutboxRow> seen;

 private:
  std::mutex mutex_;
  std::function<DeliveryResult(const store::OutboxRow&)> answer_;
};

struct Rig {
  explicit Rig(OutboxOptions options = {})
      : clock(kT0), registry(&store), runner(&store, &registry, &clock, nullptr),
        worker(&store, &runner, &adapters, &clock, "node-a", 30000, WithFixedJitter(options)) {
    Status deployed = registry.Deploy({testing::CompileOne(kProbeFlow)}, kT0);
    REQUIRE(deployed.ok());
  }
  static OutboxOptions WithFixedJitter(OutboxOptions options) {
    if (!options.jitter) options.jitter = [] { return 0.0; };
    return options;
  }

  std::string Start(const std::string& x = "平台A") {
    Result<CaseView> view = runner.Create("probe", "management_unit", "", R"({"x": ")" + x + "\"}");
    REQUIRE(view.ok());
    INFO((view->rejection ? view->rejection->message : ""));
    REQUIRE(view->accepted());
    return view->row.id;
  }
  store::OutboxRow Row(const std::string& case_id, const std::string& adapter) {
    auto rows = store.GetOutbox(case_id);
    REQUIRE(rows.ok());
    for (const store::OutboxRow& row : *rows) {
      if (row.adapter == adapter) return row;
    }
    FAIL("no outbox row for adapter " << adapter);
    return {};
  }
  CaseView Load(const std::string& case_id) {
    Result<CaseView> view = runner.Load(case_id);
    REQUIRE(view.ok());
    return *view;
  }

  store::MemoryStore store;
  VirtualClock clock;
  DefinitionRegistry registry;
  CaseRunner runner;
  AdapterRegistry adapters;
  OutboxWorker worker;
};

NotifyRouting Routes(const std::string& json) {
  Result<NotifyRouting> routing = ParseNotifyRouting(json);
  REQUIRE(routing.ok());
  return *routing;
}

DeliveryResult AlwaysOk(const store::OutboxRow&) { return DeliveryResult::Ok(); }

TEST_CASE("a delivered notify row is marked delivered after reaching its routed channel",
          "[runtime]") {
  Rig rig;
  ScriptedAdapter sms(AlwaysOk);
  ScriptedAdapter ext(AlwaysOk);
  REQUIRE(rig.adapters.Register("sms", &sms));
  REQUIRE(rig.adapters.Register("ext", &ext));
  rig.adapters.SetNotifyRouting(Routes(R"({"management_unit": ["sms"]})"));
  std::string id = rig.Start();

  Result<int> delivered = rig.worker.RunOnce(10);
  REQUIRE(delivered.ok());
  CHECK(*delivered == 2);
  store::OutboxRow notify = rig.Row(id, "notify");
  CHECK(notify.status == store::OutboxStatus::kDelivered);
  CHECK(notify.attempts == 0);
  REQUIRE(sms.seen.size() == 1);
  CHECK(sms.seen[0].idempotency_key == notify.idempotency_key);
  auto payload = ParseObject(sms.seen[0].payload);
  REQUIRE(payload.ok());
  CHECK(payload->at("text") == model::Value::Text("请核查 平台A"));
  CHECK(payload->at("role") == model::Value::Text("management_unit"));

  // Nothing is delivered twice.
  rig.clock.Advance(3600000);
  CHECK(*rig.worker.RunOnce(10) == 0);
  CHECK(sms.seen.size() == 1);
}

TEST_CASE("a notify for a role without a route uses the * route, and with none goes dead",
          "[runtime]") {
  Rig rig;
  ScriptedAdapter log(AlwaysOk);
  ScriptedAdapter ext(AlwaysOk);
  REQUIRE(rig.adapters.Register("log", &log));
  REQUIRE(rig.adapters.Register("ext", &ext));

  SECTION("the * route") {
    rig.adapters.SetNotifyRouting(Routes(R"({"supervisor": ["nothing"], "*": ["log"]})"));
    std::string id = rig.Start();
    REQUIRE(rig.worker.RunOnce(10).ok());
    CHECK(rig.Row(id, "notify").status == store::OutboxStatus::kDelivered);
    CHECK(log.seen.size() == 1);
  }
  SECTION("no route") {
    rig.adapters.SetNotifyRouting(Routes(R"({"supervisor": ["log"]})"));
    std::string id = rig.Start();
    REQUIRE(rig.worker.RunOnce(10).ok());
    store::OutboxRow row = rig.Row(id, "notify");
    CHECK(row.status == store::OutboxStatus::kDead);
    CHECK(row.last_error.find("management_unit") != std::string::npos);
    CHECK(log.seen.empty());
  }
}

TEST_CASE("a notify routing file that is not an object of name lists is refused by key",
          "[runtime]") {
  CHECK_FALSE(ParseNotifyRouting("{").ok());
  CHECK_FALSE(ParseNotifyRouting("[]").ok());
  Result<NotifyRouting> bad = ParseNotifyRouting(R"({"a": ["log"], "b": "log"})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().field() == "b");
  CHECK_FALSE(ParseNotifyRouting(R"({"a": [""]})").ok());
  Result<NotifyRouting> good = ParseNotifyRouting(R"({"a": ["log", "webhook"], "*": []})");
  REQUIRE(good.ok());
  CHECK(good->routes.at("a") == std::vector<std::string>{"log", "webhook"});
  CHECK(good->routes.at("*").empty());
}

TEST_CASE("the example notify routing file parses", "[runtime]") {
  Result<NotifyRouting> routing =
      ParseNotifyRouting(testing::ReadProjectFile("adapters/notify_routes.example.json"));
  INFO(routing.status().message());
  REQUIRE(routing.ok());
  CHECK(routing->routes.count("*") == 1);
}

TEST_CASE("a failing adapter is retried at doubling intervals and goes dead after max attempts",
          "[runtime]") {
  OutboxOptions options;
  options.max_attempts = 4;
  options.base_backoff_ms = 1000;
  options.max_backoff_ms = 60000;
  Rig rig(options);
  ScriptedAdapter down([](const store::OutboxRow&) { return DeliveryResult::Retry("503"); });
  ScriptedAdapter ext(AlwaysOk);
  REQUIRE(rig.adapters.Register("down", &down));
  REQUIRE(rig.adapters.Register("ext", &ext));
  rig.adapters.SetNotifyRouting(Routes(R"({"*": ["down"]})"));
  std::string id = rig.Start();

  const std::vector<int64_t> waits = {1000, 2000, 4000};
  int64_t now = kT0;
  for (size_t attempt = 1; attempt <= waits.size(); ++attempt) {
    REQUIRE(rig.worker.RunOnce(10).ok());
    store::OutboxRow row = rig.Row(id, "notify");
    CHECK(row.status == store::OutboxStatus::kPending);
    CHECK(row.attempts == static_cast<int>(attempt));
    CHECK(row.last_error == "503");
    CHECK(row.next_attempt_at_ms == now + waits[attempt - 1]);
    // Not tried again before it is due.
    rig.clock.Set(row.next_attempt_at_ms - 1);
    REQUIRE(rig.worker.RunOnce(10).ok());
    CHECK(down.seen.size() == attempt);
    now = row.next_attempt_at_ms;
    rig.clock.Set(now);
  }
  REQUIRE(rig.worker.RunOnce(10).ok());
  store::OutboxRow row = rig.Row(id, "notify");
  CHECK(row.status == store::OutboxStatus::kDead);
  CHECK(row.attempts == 4);
  CHECK(row.last_error.find("503") != std::string::npos);
  CHECK(down.seen.size() == 4);
  CHECK(rig.worker.dead() == 1);
  CHECK(rig.worker.retried() == 3);

  rig.clock.Advance(86400000);
  REQUIRE(rig.worker.RunOnce(10).ok());
  CHECK(down.seen.size() == 4);
}

TEST_CASE("jitter lengthens the backoff by its fraction, and the backoff is capped",
          "[runtime]") {
  OutboxOptions options;
  options.max_attempts = 10;
  options.base_backoff_ms = 1000;
  options.max_backoff_ms = 3000;
  options.jitter_fraction = 0.5;
  options.jitter = [] { return 0.5; };
  Rig rig(options);
  ScriptedAdapter down([](const store::OutboxRow&) { return DeliveryResult::Retry("timeout"); });
  ScriptedAdapter ext(AlwaysOk);
  REQUIRE(rig.adapters.Register("down", &down));
  REQUIRE(rig.adapters.Register("ext", &ext));
  rig.adapters.SetNotifyRouting(Routes(R"({"*": ["down"]})"));
  std::string id = rig.Start();

  // backoff × 1.25: 1000 → 1250, 2000 → 2500, then capped 3000 → 3750.
  const std::vector<int64_t> waits = {1250, 2500, 3750, 3750};
  for (int64_t wait : waits) {
    const int64_t now = rig.clock.NowMs();
    REQUIRE(rig.worker.RunOnce(10).ok());
    store::OutboxRow row = rig.Row(id, "notify");
    CHECK(row.next_attempt_at_ms - now == wait);
    rig.clock.Set(row.next_attempt_at_ms);
  }
}

TEST_CASE("a non-retryable failure makes a row dead at once", "[runtime]") {
  Rig rig;
  ScriptedAdapter refusing([](const store::OutboxRow&) { return DeliveryResult::Fail("400"); });
  ScriptedAdapter ext(AlwaysOk);
  REQUIRE(rig.adapters.Register("refusing", &refusing));
  REQUIRE(rig.adapters.Register("ext", &ext));
  rig.adapters.SetNotifyRouting(Routes(R"({"*": ["refusing"]})"));
  std::string id = rig.Start();
  REQUIRE(rig.worker.RunOnce(10).ok());
  store::OutboxRow row = rig.Row(id, "notify");
  CHECK(row.status == store::OutboxStatus::kDead);
  CHECK(row.attempts == 1);
  CHECK(row.last_error == "400");
}

TEST_CASE("a claim whose lease expired is delivered by another node", "[runtime]") {
  Rig rig;
  ScriptedAdapter log(AlwaysOk);
  ScriptedAdapter ext(AlwaysOk);
  REQUIRE(rig.adapters.Register("log", &log));
  REQUIRE(rig.adapters.Register("ext", &ext));
  rig.adapters.SetNotifyRouting(Routes(R"({"*": ["log"]})"));
  std::string id = rig.Start();

  // node-z claims everything and dies before delivering.
  auto claimed = rig.store.ClaimOutbox("node-z", kT0, 30000, 10);
  REQUIRE(claimed.ok());
  REQUIRE(claimed->size() == 2);

  OutboxWorker node_b(&rig.store, &rig.runner, &rig.adapters, &rig.clock, "node-b", 30000);
  CHECK(*node_b.RunOnce(10) == 0);
  rig.clock.Advance(29999);
  CHECK(*node_b.RunOnce(10) == 0);
  CHECK(log.seen.empty());
  rig.clock.Advance(1);
  CHECK(*node_b.RunOnce(10) == 2);
  CHECK(log.seen.size() == 1);
  CHECK(rig.Row(id, "notify").status == store::OutboxStatus::kDelivered);
  CHECK(rig.Load(id).row.state == "[\"passed\"]");
}

TEST_CASE("a call's reply comes back into the case as its reply event with the payload",
          "[runtime]") {
  Rig rig;
  ScriptedAdapter ext([](const store::OutboxRow&) {
    return DeliveryResult::Ok(R"({"verdict": "合格"})");
  });
  ScriptedAdapter log(AlwaysOk);
  REQUIRE(rig.adapters.Register("ext", &ext));
  REQUIRE(rig.adapters.Register("log", &log));
  rig.adapters.SetNotifyRouting(Routes(R"({"*": ["log"]})"));
  std::string id = rig.Start();
  CHECK(rig.Load(id).row.state == "[\"checking\"]");

  REQUIRE(rig.worker.RunOnce(10).ok());
  REQUIRE(ext.seen.size() == 1);
  auto payload = ParseObject(ext.seen[0].payload);
  REQUIRE(payload.ok());
  CHECK(payload->at("operation") == model::Value::Text("check"));
  CHECK(payload->at("arguments") ==
        model::Value::MakeList({model::Value::Text("平台A")}));

  CaseView view = rig.Load(id);
  CHECK(view.row.state == "[\"passed\"]");
  CHECK(view.row.status == store::CaseStatus::kCompleted);
  auto data = ParseObject(view.row.data);
  REQUIRE(data.ok());
  CHECK(data->at("verdict") == model::Value::Text("合格"));
  CHECK(rig.Row(id, "ext").status == store::OutboxStatus::kDelivered);
  auto history = rig.store.GetHistory(id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(history->back().input.find("adapter-reply") != std::string::npos);
}

TEST_CASE("a call that fails for good comes back into the case as its failure event",
          "[runtime]") {
  OutboxOptions options;
  options.max_attempts = 2;
  Rig rig(options);
  ScriptedAdapter log(AlwaysOk);
  REQUIRE(rig.adapters.Register("log", &log));
  rig.adapters.SetNotifyRouting(Routes(R"({"*": ["log"]})"));

  SECTION("retries exhausted") {
    ScriptedAdapter ext([](const store::OutboxRow&) { return DeliveryResult::Retry("503"); });
    REQUIRE(rig.adapters.Register("ext", &ext));
    std::string id = rig.Start();
    REQUIRE(rig.worker.RunOnce(10).ok());
    CHECK(rig.Load(id).row.state == "[\"checking\"]");
    rig.clock.Advance(3600000);
    REQUIRE(rig.worker.RunOnce(10).ok());
    CHECK(ext.seen.size() == 2);
    CHECK(rig.Row(id, "ext").status == store::OutboxStatus::kDead);
    CHECK(rig.Load(id).row.state == "[\"rejected\"]");
  }
  SECTION("an unknown adapter") {
    std::string id = rig.Start();  // No "ext" registered.
    REQUIRE(rig.worker.RunOnce(10).ok());
    store::OutboxRow row = rig.Row(id, "ext");
    CHECK(row.status == store::OutboxStatus::kDead);
    CHECK(row.last_error == "no adapter named 'ext' is registered");
    CHECK(rig.Load(id).row.state == "[\"rejected\"]");
    auto history = rig.store.GetHistory(id);
    REQUIRE(history.ok());
    CHECK(history->back().input.find("no adapter named") != std::string::npos);
  }
}

TEST_CASE("an adapter that throws despite its contract is retried, not fatal", "[runtime]") {
  Rig rig;
  ScriptedAdapter throwing(
      [](const store::OutboxRow&) -> DeliveryResult { throw std::runtime_error("boom"); });
  REQUIRE(rig.adapters.Register("ext", &throwing));
  rig.adapters.SetNotifyRouting(Routes(R"({"*": []})"));
  std::string id = rig.Start();
  REQUIRE(rig.worker.RunOnce(10).ok());
  store::OutboxRow row = rig.Row(id, "ext");
  CHECK(row.status == store::OutboxStatus::kPending);
  CHECK(row.last_error.find("boom") != std::string::npos);
  // An empty route delivers nowhere and is done.
  CHECK(rig.Row(id, "notify").status == store::OutboxStatus::kDelivered);
}

TEST_CASE("the background loop delivers rows until stopped", "[runtime]") {
  Rig rig;
  ScriptedAdapter log(AlwaysOk);
  ScriptedAdapter ext(AlwaysOk);
  REQUIRE(rig.adapters.Register("log", &log));
  REQUIRE(rig.adapters.Register("ext", &ext));
  rig.adapters.SetNotifyRouting(Routes(R"({"*": ["log"]})"));
  std::string id = rig.Start();
  rig.worker.Start(5, 10);
  for (int i = 0; i < 1000 && rig.worker.delivered() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  rig.worker.Stop();
  CHECK(rig.worker.delivered() == 2);
  CHECK(rig.Load(id).row.state == "[\"passed\"]");
}

}  // namespace
}  // namespace zgtflow::runtime
