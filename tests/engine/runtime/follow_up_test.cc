// Durable follow-ups: a step's child starts, child.done and `send … matching`
// are written with the step; when they were not carried out (a crash right
// after the commit, simulated by a runner that does not run them), the
// recovery pass carries each out exactly once, on memory and on SQLite.
#include <catch2/catch.hpp>

#include <memory>

#include "engine/runtime/follow_up_worker.h"
#include "engine/runtime/json_codec.h"
#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

using model::Value;

// A runtime on the named backend ("memory" or "sqlite"), plus a runner that
// commits like the real one but leaves every follow-up to the recovery pass.
struct Crashy {
  explicit Crashy(const std::string& backend) {
    if (backend == "sqlite") {
      auto opened = store::OpenStore("sqlite:" + dir.File("zgtflow.db"));
      REQUIRE(opened.ok());
      owned = std::move(opened).value();
    }
    rt = std::make_unique<testing::Runtime>(owned.get());
    CaseRunner::Options options;
    options.run_follow_ups = false;
    runner = std::make_unique<CaseRunner>(rt->store, &rt->registry, &rt->clock, &rt->calendar,
                                          options);
    worker = std::make_unique<FollowUpWorker>(&rt->runner, &rt->clock, "node-b", 60000, 10000);
  }

  CaseView Must(Result<CaseView> view) {
    INFO(view.status().message());
    REQUIRE(view.ok());
    INFO((view->rejection ? view->rejection->code + ": " + view->rejection->message : ""));
    REQUIRE(view->accepted());
    return *view;
  }

  std::vector<store::FollowUpRow> Pending(const std::string& case_id) {
    auto rows = rt->store->GetFollowUps(case_id);
    REQUIRE(rows.ok());
    return *rows;
  }

  size_t HistorySize(const std::string& case_id) {
    auto history = rt->store->GetHistory(case_id);
    REQUIRE(history.ok());
    return history->size();
  }

  testing::TempDir dir;
  std::unique_ptr<store::Store> owned;
  std::unique_ptr<testing::Runtime> rt;
  std::unique_ptr<CaseRunner> runner;
  std::unique_ptr<FollowUpWorker> worker;
};

core::Input Fail() {
  return core::Input::Event("fail", "management_unit",
                            {{"construction_ok", Value::Bool(true)},
                             {"operation_ok", Value::Bool(false)},
                             {"om_ok", Value::Bool(true)}});
}

void ChildStartIsRecoveredOnce(const std::string& backend) {
  Crashy c(backend);
  CaseView assessment =
      c.Must(c.runner->Create("annual_assessment", "management_unit", "", R"({"year": 2025})"));
  const std::string id = assessment.row.id;
  c.Must(c.runner->Submit(id, Fail()));
  // The commit holds the child's start; the child does not exist yet.
  auto pending = c.Pending(id);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].key == id + ":2:0");
  CHECK(pending[0].kind == "start_child");
  CHECK(pending[0].target == id + ".1");
  CHECK(c.rt->store->GetCase(id + ".1").status().code() == StatusCode::kNotFound);

  // The periodic pass leaves rows younger than its grace to their runner.
  CHECK(c.worker->RunOnce(100).value() == 0);
  c.rt->clock.Advance(11000);
  store::FollowUpRow stale = pending[0];
  CHECK(c.worker->RunOnce(100).value() == 1);
  CHECK(c.worker->failed() == 0);
  auto child = c.rt->store->GetCase(id + ".1");
  REQUIRE(child.ok());
  CHECK(child->parent_id == id);
  CHECK(child->state == "[\"rectifying\"]");
  CHECK(c.HistorySize(id + ".1") == 1);
  CHECK(c.Pending(id).empty());

  // Again, and a stale copy run by a node that woke up late: nothing more.
  CHECK(c.worker->RunOnce(100).value() == 0);
  std::vector<std::string> errors;
  c.rt->runner.RunFollowUp(stale, &errors);
  CHECK(errors.empty());
  CHECK(c.HistorySize(id + ".1") == 1);
  CHECK(c.HistorySize(id) == 2);

  // The child ends (its child.done to the parent left pending too); at serve
  // start RecoverAll takes every row at once, whatever its age.
  c.Must(c.runner->Submit(id + ".1", core::Input::Event("submit", "project_company")));
  c.Must(c.runner->Submit(id + ".1", core::Input::Event("accept", "management_unit")));
  CHECK(c.rt->store->GetCase(id)->state == "[\"rectifying\"]");
  auto done = c.Pending(id + ".1");
  REQUIRE(done.size() == 1);
  CHECK(done[0].kind == "submit");
  CHECK(done[0].target == id);
  CHECK(c.worker->RecoverAll(100).value() == 1);
  CHECK(c.rt->store->GetCase(id)->state == "[\"concluded\"]");
  CHECK(c.HistorySize(id) == 3);
  c.rt->runner.RunFollowUp(done[0], &errors);
  CHECK(errors.empty());
  CHECK(c.HistorySize(id) == 3);
  CHECK(c.worker->RecoverAll(100).value() == 0);
}

TEST_CASE("a child start left by a crash is carried out once by the recovery pass (memory)",
          "[runtime]") {
  ChildStartIsRecoveredOnce("memory");
}

TEST_CASE("a child start left by a crash is carried out once by the recovery pass (SQLite)",
          "[runtime]") {
  ChildStartIsRecoveredOnce("sqlite");
}

void SendIsRecoveredOnce(const std::string& backend) {
  Crashy c(backend);
  CaseView partner = c.Must(c.rt->runner.Create(
      "partner_onboarding", "ecosystem_unit", "",
      R"({"company": "某科技公司", "credit_code": "91350200MA2XYZ"})"));
  c.Must(c.rt->runner.Submit(partner.row.id, core::Input::Event("review", "project_company")));
  c.Must(c.rt->runner.Submit(partner.row.id, core::Input::Event("approve", "project_company")));
  c.Must(c.rt->runner.Submit(partner.row.id, core::Input::Event("consent", "management_unit")));
  const int64_t revision = c.rt->store->GetCase(partner.row.id)->revision;
  CaseView violation = c.Must(c.rt->runner.Create(
      "partner_violation", "project_company", "",
      R"({"company": "某科技公司", "credit_code": "91350200MA2XYZ", "activity": "冒用品牌"})"));
  c.Must(c.runner->Submit(violation.row.id, core::Input::Event("revoke", "project_company",
                                                               {{"reason", Value::Text("冒用品牌")}})));
  auto pending = c.Pending(violation.row.id);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].target == partner.row.id);
  CHECK(c.rt->store->GetCase(partner.row.id)->revision == revision);
  CHECK(c.worker->RecoverAll(100).value() == 1);
  CHECK(c.rt->store->GetCase(partner.row.id)->state == "[\"revoked\"]");
  CHECK(c.rt->store->GetCase(partner.row.id)->revision == revision + 1);
  c.rt->runner.RunFollowUp(pending[0]);
  CHECK(c.rt->store->GetCase(partner.row.id)->revision == revision + 1);
  CHECK(c.Pending(violation.row.id).empty());
}

TEST_CASE("a send … matching left by a crash reaches its receiver once (memory)", "[runtime]") {
  SendIsRecoveredOnce("memory");
}

TEST_CASE("a send … matching left by a crash reaches its receiver once (SQLite)", "[runtime]") {
  SendIsRecoveredOnce("sqlite");
}

TEST_CASE("follow-ups carried out right after their commit leave no pending row", "[runtime]") {
  testing::Runtime rt;
  auto assessment = rt.runner.Create("annual_assessment", "management_unit", "", R"({"year": 2025})");
  REQUIRE(assessment.ok());
  auto failed = rt.runner.Submit(assessment->row.id, Fail());
  REQUIRE(failed.ok());
  CHECK(failed->follow_up_errors.empty());
  CHECK(rt.store->GetCase(assessment->row.id + ".1").ok());
  CHECK(rt.store->GetFollowUps(assessment->row.id).value().empty());
}

}  // namespace
}  // namespace zgtflow::runtime
