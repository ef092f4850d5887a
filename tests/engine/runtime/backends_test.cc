// The runtime writes the same rows through SQLite as through memory: the same
// inputs at the same instants give identical snapshots and history hashes.
#include <catch2/catch.hpp>

#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

// A rectification that runs into its deadline, and an assessment whose child
// rectification is accepted; fixed case ids so both stores can be compared.
void Drive(testing::Runtime& rt) {
  auto rect = rt.runner.Create("rectification", "management_unit", "管理单位",
                               R"({"subject": "平台稳定性不达标"})", {{"project_company", {"某项目公司"}}},
                               "", "rect-1");
  REQUIRE(rect.ok());
  REQUIRE(rect->accepted());
  auto assessment = rt.runner.Create("annual_assessment", "management_unit", "",
                                     R"({"year": 2025})", {}, "", "assess-1");
  REQUIRE(assessment.ok());
  auto failed = rt.runner.Submit(
      "assess-1", core::Input::Event("fail", "management_unit",
                                     {{"construction_ok", model::Value::Bool(false)},
                                      {"operation_ok", model::Value::Bool(true)},
                                      {"om_ok", model::Value::Bool(true)}}));
  REQUIRE(failed.ok());
  REQUIRE(failed->accepted());
  rt.clock.Advance(86400000);
  REQUIRE(rt.runner.Submit("assess-1.1", core::Input::Event("submit", "project_company"))->accepted());
  REQUIRE(rt.runner.Submit("assess-1.1", core::Input::Event("accept", "management_unit"))->accepted());
  rt.clock.Set(testing::At("2026-05-10T09:00:00+08:00"));
  REQUIRE(rt.timers.RunOnce(100).value() == 3);
}

TEST_CASE("SQLite and memory stores end with the same cases and history hashes", "[runtime]") {
  testing::Runtime in_memory;
  Drive(in_memory);

  testing::TempDir dir;
  auto opened = store::OpenStore("sqlite:" + dir.File("zgtflow.db"));
  REQUIRE(opened.ok());
  testing::Runtime on_disk(opened.value().get());
  Drive(on_disk);

  auto ids = in_memory.store->ListCaseIds();
  REQUIRE(ids.ok());
  REQUIRE(ids->size() == 3);
  CHECK(on_disk.store->ListCaseIds().value().size() == 3);
  for (const std::string& id : *ids) {
    INFO(id);
    auto a = in_memory.store->GetCase(id);
    auto b = on_disk.store->GetCase(id);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->snapshot == b->snapshot);
    CHECK(a->state == b->state);
    CHECK(a->data == b->data);
    CHECK(a->parent_id == b->parent_id);
    CHECK(a->next_due_ms == b->next_due_ms);
    auto ha = in_memory.store->GetHistory(id).value();
    auto hb = on_disk.store->GetHistory(id).value();
    REQUIRE(ha.size() == hb.size());
    for (size_t i = 0; i < ha.size(); ++i) CHECK(ha[i].hash == hb[i].hash);
    CHECK(in_memory.store->GetOutbox(id).value().size() == on_disk.store->GetOutbox(id).value().size());
  }
  CHECK(on_disk.store->GetCase("rect-1")->state == "[\"penalty\"]");
  CHECK(on_disk.store->GetCase("assess-1")->state == "[\"concluded\"]");
}

}  // namespace
}  // namespace zgtflow::runtime
