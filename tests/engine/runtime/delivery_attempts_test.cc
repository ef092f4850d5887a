// Each delivery attempt of the OutboxWorker is recorded for the case's
// history (Store::ListDeliveryAttempts, runtime::DeliveryAttemptsJson), and
// the shipped notify routes send every role of the measures somewhere.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "engine/runtime/adapter.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/definition_registry.h"
#include "engine/runtime/delivery_log.h"
#include "engine/runtime/outbox_worker.h"
#include "engine/store/memory/memory_store.h"
#include "tests/support/compile_one.h"

namespace zgtflow::runtime {
namespace {

constexpr const char* kNotifyFlow = R"(
workflow ping "通知" {
  data {
    x text "对象"
  }
  initial state waiting "等待" {
    entry { notify management_unit "请处理 {x}" }
    on done -> finished
  }
  final state finished "完成"
}
)";

constexpr int64_t kT0 = 1772413200000;  // 2026-03-02T09:00:00+08:00.

class CountingAdapter final : public Adapter {
 public:
  explicit CountingAdapter(int failures) : failures_(failures) {}
  DeliveryResult Deliver(const store::OutboxRow&) override {
    if (calls_++ < failures_) return DeliveryResult::Retry("answered 503");
    return DeliveryResult::Ok();
  }

 private:
  int failures_;
  int calls_ = 0;
};

struct Rig {
  explicit Rig(int max_attempts)
      : clock(kT0), registry(&store), runner(&store, &registry, &clock, nullptr),
        worker(&store, &runner, &adapters, &clock, "node-a", 30000, Options(max_attempts)) {
    REQUIRE(registry.Deploy({testing::CompileOne(kNotifyFlow)}, kT0).ok());
  }
  static OutboxOptions Options(int max_attempts) {
    OutboxOptions options;
    options.max_attempts = max_attempts;
    options.base_backoff_ms = 1000;
    options.jitter = [] { return 0.0; };
    return options;
  }
  std::string Start() {
    Result<CaseView> view = runner.Create("ping", "management_unit", "", R"({"x": "平台A"})");
    REQUIRE(view.ok());
    REQUIRE(view->accepted());
    return view->row.id;
  }
  // Runs the worker at now, then at every retry time, `rounds` times.
  void Drive(int rounds) {
    for (int i = 0; i < rounds; ++i) {
      REQUIRE(worker.RunOnce(10).ok());
      clock.Advance(10000);
    }
  }

  store::MemoryStore store;
  VirtualClock clock;
  DefinitionRegistry registry;
  CaseRunner runner;
  AdapterRegistry adapters;
  OutboxWorker worker;
};

TEST_CASE("each channel's delivery attempt is recorded with its number, outcome and error",
          "[runtime]") {
  Rig rig(5);
  CountingAdapter log(0);
  CountingAdapter hook(2);  // Fails twice, then takes it.
  REQUIRE(rig.adapters.Register("log", &log));
  REQUIRE(rig.adapters.Register("hook", &hook));
  Result<NotifyRouting> routes = ParseNotifyRouting(R"({"*": ["log", "hook"]})");
  REQUIRE(routes.ok());
  rig.adapters.SetNotifyRouting(*routes);
  std::string id = rig.Start();
  rig.Drive(3);

  auto attempts = rig.store.ListDeliveryAttempts(id);
  REQUIRE(attempts.ok());
  // Attempt n: log delivered, then hook failed (n = 1, 2) or delivered (n = 3).
  REQUIRE(attempts->size() == 6);
  const std::vector<std::string> expected = {"1 log delivered", "1 hook retry",
                                             "2 log delivered", "2 hook retry",
                                             "3 log delivered", "3 hook delivered"};
  for (size_t i = 0; i < expected.size(); ++i) {
    const store::DeliveryAttemptRow& a = (*attempts)[i];
    CHECK(std::to_string(a.attempt) + " " + a.channel + " " + a.outcome == expected[i]);
    CHECK(a.case_id == id);
    CHECK(a.error == (a.outcome == "retry" ? "answered 503" : ""));
  }
  CHECK((*attempts)[0].at_ms == kT0);
  CHECK((*attempts)[2].at_ms == kT0 + 10000);

  Result<nlohmann::json> json = DeliveryAttemptsJson(rig.store, id);
  REQUIRE(json.ok());
  REQUIRE(json->size() == 6);
  CHECK((*json)[1]["channel"] == "hook");
  CHECK((*json)[1]["outcome"] == "retry");
  CHECK((*json)[1]["error"] == "answered 503");
  CHECK((*json)[1]["attempt"] == 1);
  CHECK((*json)[0]["at"] == "2026-03-02T09:00:00+08:00");
  CHECK((*json)[0]["at_ms"] == kT0);
}

TEST_CASE("the last failed attempt is recorded as dead, and an unroutable row as dead at once",
          "[runtime]") {
  Rig rig(2);
  CountingAdapter hook(100);
  REQUIRE(rig.adapters.Register("hook", &hook));
  SECTION("attempts run out") {
    Result<NotifyRouting> routes = ParseNotifyRouting(R"({"*": ["hook"]})");
    REQUIRE(routes.ok());
    rig.adapters.SetNotifyRouting(*routes);
    std::string id = rig.Start();
    rig.Drive(4);
    auto attempts = rig.store.ListDeliveryAttempts(id);
    REQUIRE(attempts.ok());
    REQUIRE(attempts->size() == 2);
    CHECK((*attempts)[0].outcome == "retry");
    CHECK((*attempts)[1].outcome == "dead");
    CHECK((*attempts)[1].attempt == 2);
  }
  SECTION("no route") {
    Result<NotifyRouting> routes = ParseNotifyRouting(R"({"police": ["hook"]})");
    REQUIRE(routes.ok());
    rig.adapters.SetNotifyRouting(*routes);
    std::string id = rig.Start();
    rig.Drive(2);
    auto attempts = rig.store.ListDeliveryAttempts(id);
    REQUIRE(attempts.ok());
    REQUIRE(attempts->size() == 1);
    CHECK((*attempts)[0].channel == "");
    CHECK((*attempts)[0].outcome == "dead");
    CHECK((*attempts)[0].error.find("management_unit") != std::string::npos);
  }
}

TEST_CASE("a case without deliveries has an empty attempt list", "[runtime]") {
  store::MemoryStore store;
  Result<nlohmann::json> json = DeliveryAttemptsJson(store, "nobody");
  REQUIRE(json.ok());
  CHECK(json->is_array());
  CHECK(json->empty());
}

TEST_CASE("the shipped notify routes send every role of the measures to a channel",
          "[runtime]") {
  Result<NotifyRouting> routing =
      ParseNotifyRouting(testing::ReadProjectFile("config/notify_routes.json"));
  INFO(routing.status().message());
  REQUIRE(routing.ok());
  for (const char* role : {"management_unit", "owner_unit", "project_company", "ecosystem_unit",
                           "infra_provider", "gov_department", "police", "cac", "hotline_12345",
                           "*"}) {
    INFO(role);
    REQUIRE(routing->routes.count(role) == 1);
    CHECK_FALSE(routing->routes.at(role).empty());
  }
}

}  // namespace
}  // namespace zgtflow::runtime
