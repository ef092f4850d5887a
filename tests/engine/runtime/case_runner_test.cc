// CaseRunner and TimerWorker over a MemoryStore on a virtual clock: one
// transaction per step, hash-chained history, durable timers, outbox, child
// cases, correlation, versions.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>

#include "engine/core/replay.h"
#include "engine/runtime/audit_chain.h"
#include "engine/runtime/json_codec.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

using model::Value;
using testing::At;

constexpr const char* kRectData = R"({"subject": "平台稳定性不达标", "findings": "月度宕机 3 次"})";

CaseView MustCreate(testing::Runtime& rt, const std::string& workflow, const std::string& role,
                    const std::string& data) {
  Result<CaseView> view = rt.runner.Create(workflow, role, "", data);
  REQUIRE(view.ok());
  INFO((view->rejection ? view->rejection->code + ": " + view->rejection->message : ""));
  REQUIRE(view->accepted());
  CHECK(view->follow_up_errors.empty());
  return *view;
}

CaseView MustSubmit(testing::Runtime& rt, const std::string& id, const core::Input& input) {
  Result<CaseView> view = rt.runner.Submit(id, input);
  INFO(view.status().message());
  REQUIRE(view.ok());
  INFO((view->rejection ? view->rejection->code + ": " + view->rejection->message : ""));
  REQUIRE(view->accepted());
  CHECK(view->follow_up_errors.empty());
  return *view;
}

std::vector<store::HistoryRow> History(testing::Runtime& rt, const std::string& id) {
  auto history = rt.store->GetHistory(id);
  REQUIRE(history.ok());
  return *history;
}

// A Store that reports a conflict on the first `conflicts` updates, as if
// another node had committed first; everything else goes to a MemoryStore.
class ConflictingStore : public store::MemoryStore {
 public:
  explicit ConflictingStore(int conflicts) : conflicts_(conflicts) {}
  Status CommitStep(const store::StepCommit& commit) override {
    ++commits;
    if (!commit.create && conflicts_ > 0) {
      --conflicts_;
      return Status(StatusCode::kConflict, "another step got there first");
    }
    return store::MemoryStore::CommitStep(commit);
  }
  std::atomic<int> commits{0};

 private:
  std::atomic<int> conflicts_;
};

TEST_CASE("a created rectification is stored with its first history entry, timers and notice",
          "[runtime]") {
  testing::Runtime rt;
  CaseView view = MustCreate(rt, "rectification", "management_unit", kRectData);
  CHECK(view.row.revision == 1);
  CHECK(view.row.state == "[\"rectifying\"]");
  CHECK(view.row.status == store::CaseStatus::kRunning);
  CHECK(view.row.workflow == "rectification");
  CHECK(view.row.version == rt.registry.Newest("rectification").value()->VersionHex());

  auto stored = rt.store->GetCase(view.row.id);
  REQUIRE(stored.ok());
  CHECK(stored->snapshot == view.row.snapshot);
  auto data = ParseObject(stored->data);
  REQUIRE(data.ok());
  CHECK(data->at("subject") == Value::Text("平台稳定性不达标"));
  CHECK(data->at("due") ==
        Value::DateTime(calendar::Instant{At("2026-05-02T09:00:00+08:00")}));

  auto history = History(rt, view.row.id);
  REQUIRE(history.size() == 1);
  CHECK(history[0].seq == 1);
  CHECK(history[0].prev_hash.empty());
  CHECK(history[0].at_ms == At("2026-03-02T09:00:00+08:00"));
  CHECK(history[0].actor == "management_unit");

  auto timers = rt.store->GetTimers(view.row.id);
  REQUIRE(timers.ok());
  REQUIRE(timers->size() == 3);  // 14 days and 3 days before the deadline, and the deadline.
  CHECK(timers->back().due_at_ms == At("2026-05-02T09:00:00+08:00"));
  CHECK(timers->back().state == "rectifying");
  CHECK(stored->next_due_ms == At("2026-04-18T09:00:00+08:00"));
}

TEST_CASE("a refused start stores nothing and carries the rejection", "[runtime]") {
  testing::Runtime rt;
  auto view = rt.runner.Create("rectification", "project_company", "", kRectData);
  REQUIRE(view.ok());
  REQUIRE(view->rejection);
  CHECK(view->rejection->code == "role-not-allowed");
  CHECK(rt.store->ListCaseIds()->empty());

  auto bad_json = rt.runner.Create("rectification", "management_unit", "", "{not json");
  CHECK(bad_json.status().code() == StatusCode::kInvalidArgument);
  CHECK(rt.runner.Create("no_such_flow", "management_unit", "", "{}").status().code() ==
        StatusCode::kNotFound);
  CHECK(rt.runner.Submit("no-such-case", core::Input::Event("submit", "project_company"))
            .status()
            .code() == StatusCode::kNotFound);
}

TEST_CASE("events advance the case; history runs 1, 2, … and its chain verifies", "[runtime]") {
  testing::Runtime rt;
  CaseView created = MustCreate(rt, "rectification", "management_unit", kRectData);
  rt.clock.Advance(3600 * 1000);
  CaseView submitted =
      MustSubmit(rt, created.row.id, core::Input::Event("submit", "project_company"));
  CHECK(submitted.row.state == "[\"verifying\"]");
  CHECK(submitted.row.revision == 2);
  CHECK(rt.store->GetTimers(created.row.id)->empty());  // Leaving the state cancelled them.
  CHECK_FALSE(rt.store->GetCase(created.row.id)->next_due_ms.has_value());

  core::Input refused = core::Input::Event("accept", "project_company");
  auto rejected = rt.runner.Submit(created.row.id, refused);
  REQUIRE(rejected.ok());
  REQUIRE(rejected->rejection);
  CHECK(rejected->row.revision == 2);

  CaseView accepted = MustSubmit(rt, created.row.id, core::Input::Event("accept", "management_unit"));
  CHECK(accepted.row.status == store::CaseStatus::kCompleted);
  CHECK(accepted.row.state == "[\"closed\"]");

  auto history = History(rt, created.row.id);
  REQUIRE(history.size() == 3);
  for (size_t i = 0; i < history.size(); ++i) CHECK(history[i].seq == static_cast<int64_t>(i) + 1);
  CHECK(history[1].at_ms == At("2026-03-02T10:00:00+08:00"));
  CHECK(VerifyChain(created.row.id, history, accepted.row.revision).ok());
}

TEST_CASE("a stale expected revision is a conflict and changes nothing", "[runtime]") {
  testing::Runtime rt;
  CaseView created = MustCreate(rt, "rectification", "management_unit", kRectData);
  auto stale = rt.runner.Submit(created.row.id, core::Input::Event("submit", "project_company"), 0);
  CHECK(stale.status().code() == StatusCode::kConflict);
  CHECK(rt.store->GetCase(created.row.id)->revision == 1);
  CHECK(History(rt, created.row.id).size() == 1);

  auto current = rt.runner.Submit(created.row.id, core::Input::Event("submit", "project_company"), 1);
  REQUIRE(current.ok());
  CHECK(current->accepted());
  CHECK(current->row.revision == 2);
}

TEST_CASE("a conflicting commit is retried, unless the caller named a revision", "[runtime]") {
  ConflictingStore flaky(2);
  testing::Runtime rt(&flaky);
  CaseView created = MustCreate(rt, "rectification", "management_unit", kRectData);
  CaseView submitted =
      MustSubmit(rt, created.row.id, core::Input::Event("submit", "project_company"));
  CHECK(submitted.row.revision == 2);
  CHECK(flaky.commits == 4);  // The create, two conflicts, the success.

  ConflictingStore once(1);
  testing::Runtime strict(&once);
  CaseView other = MustCreate(strict, "rectification", "management_unit", kRectData);
  auto refused = strict.runner.Submit(other.row.id, core::Input::Event("submit", "project_company"), 1);
  CHECK(refused.status().code() == StatusCode::kConflict);
  CHECK(strict.store->GetCase(other.row.id)->revision == 1);

  ConflictingStore always(1000);
  testing::Runtime busy(&always);
  CaseView third = MustCreate(busy, "rectification", "management_unit", kRectData);
  CHECK(busy.runner.Submit(third.row.id, core::Input::Event("submit", "project_company"))
            .status()
            .code() == StatusCode::kConflict);
}

TEST_CASE("after two months the deadline timer fires through the TimerWorker: penalty",
          "[runtime]") {
  testing::Runtime rt;
  CaseView created = MustCreate(rt, "rectification", "management_unit", kRectData);
  auto before = rt.store->GetTimers(created.row.id);
  REQUIRE(before.ok());
  REQUIRE(before->size() == 3);

  // Not yet due: nothing fires.
  rt.clock.Set(At("2026-04-01T09:00:00+08:00"));
  CHECK(rt.timers.RunOnce(10).value() == 0);

  rt.clock.Set(At("2026-05-02T09:00:00+08:00"));  // Two months on.
  Result<int> fired = rt.timers.RunOnce(10);
  REQUIRE(fired.ok());
  CHECK(*fired == 3);  // Both reminders, then the deadline, in due order.
  auto row = rt.store->GetCase(created.row.id);
  REQUIRE(row.ok());
  CHECK(row->state == "[\"penalty\"]");
  CHECK(row->status == store::CaseStatus::kCompleted);
  CHECK(rt.store->CountTimers().value() == 0);

  auto history = History(rt, created.row.id);
  REQUIRE(history.size() == 4);
  for (size_t i = 1; i < history.size(); ++i) {
    auto input = DecodeInput(history[i].input);
    REQUIRE(input.ok());
    CHECK(input->kind == core::InputKind::kTimerFired);
    CHECK(input->timer_id == (*before)[i - 1].timer_id);
  }
  CHECK(VerifyChain(created.row.id, history, row->revision).ok());
}

TEST_CASE("firing the same timer twice has no second effect", "[runtime]") {
  testing::Runtime rt;
  CaseView created = MustCreate(rt, "rectification", "management_unit", kRectData);
  uint32_t reminder = rt.store->GetTimers(created.row.id)->front().timer_id;
  rt.clock.Set(At("2026-04-18T09:00:00+08:00"));
  CHECK(rt.timers.RunOnce(10).value() == 1);
  auto outbox_after_first = rt.store->GetOutbox(created.row.id).value().size();

  // A second delivery of the same timer (another node's late claim).
  auto again = rt.runner.Submit(created.row.id, core::Input::TimerFired(reminder));
  REQUIRE(again.ok());
  REQUIRE(again->rejection);
  CHECK(again->rejection->code == "unknown-timer");
  CHECK(rt.store->GetCase(created.row.id)->revision == 2);
  CHECK(rt.store->GetOutbox(created.row.id).value().size() == outbox_after_first);
  CHECK(rt.timers.RunOnce(10).value() == 0);  // And the worker finds nothing left to fire.
}

TEST_CASE("a timer claimed by a node that died is taken over after its lease", "[runtime]") {
  testing::Runtime rt;
  CaseView created = MustCreate(rt, "rectification", "management_unit", kRectData);
  rt.clock.Set(At("2026-04-18T09:00:00+08:00"));
  // Node "dead" claims the reminder and never fires it.
  auto claimed = rt.store->ClaimDueTimers("dead", rt.clock.NowMs(), 60000, 10);
  REQUIRE(claimed.ok());
  REQUIRE(claimed->size() == 1);
  CHECK(rt.timers.RunOnce(10).value() == 0);  // Still leased.
  rt.clock.Advance(60000);
  CHECK(rt.timers.RunOnce(10).value() == 1);
  CHECK(rt.store->GetCase(created.row.id)->revision == 2);
}

TEST_CASE("replaying the stored history gives the stored snapshot", "[runtime]") {
  testing::Runtime rt;
  CaseView created = MustCreate(rt, "rectification", "management_unit", kRectData);
  rt.clock.Set(At("2026-04-20T15:30:00+08:00"));
  REQUIRE(rt.timers.RunOnce(10).ok());
  MustSubmit(rt, created.row.id, core::Input::Event("submit", "project_company"));
  MustSubmit(rt, created.row.id, core::Input::Event("reject", "management_unit"));

  auto row = rt.store->GetCase(created.row.id);
  REQUIRE(row.ok());
  std::vector<core::HistoryEntry> entries;
  for (const store::HistoryRow& stored : History(rt, created.row.id)) {
    core::HistoryEntry entry;
    entry.seq = stored.seq;
    entry.at = calendar::Instant{stored.at_ms};
    auto input = DecodeInput(stored.input);
    auto effects = DecodeEffects(stored.effects);
    REQUIRE(input.ok());
    REQUIRE(effects.ok());
    entry.input = *input;
    entry.effects = *effects;
    entries.push_back(std::move(entry));
  }
  REQUIRE(entries.size() == 4);
  auto workflow = rt.registry.Get(row->workflow, row->version);
  REQUIRE(workflow.ok());
  auto replayed = core::Replay(**workflow, entries, &rt.calendar);
  INFO(replayed.status().message());
  REQUIRE(replayed.ok());
  auto snapshot = DecodeCaseState(row->snapshot);
  REQUIRE(snapshot.ok());
  CHECK(*replayed == *snapshot);
  CHECK(EncodeCaseState(*replayed) == row->snapshot);
}

TEST_CASE("notify effects land in the outbox with stable idempotency keys", "[runtime]") {
  testing::Runtime rt;
  CaseView created = MustCreate(rt, "rectification", "management_unit", kRectData);
  rt.clock.Set(At("2026-05-03T09:00:00+08:00"));
  REQUIRE(rt.timers.RunOnce(10).value() == 3);

  auto outbox = rt.store->GetOutbox(created.row.id);
  REQUIRE(outbox.ok());
  // The notice at the start, two reminders, two penalty notices at the deadline.
  REQUIRE(outbox->size() == 5);
  std::set<std::string> keys;
  for (const store::OutboxRow& row : *outbox) {
    CHECK(row.adapter == "notify");
    CHECK(row.status == store::OutboxStatus::kPending);
    keys.insert(row.idempotency_key);
    auto payload = nlohmann::json::parse(row.payload);
    CHECK(payload["case_id"] == created.row.id);
    CHECK(payload["workflow"] == "rectification");
  }
  CHECK(keys.size() == 5);
  CHECK(keys.count(created.row.id + ":1:0") == 1);
  CHECK(keys.count(created.row.id + ":4:0") == 1);
  CHECK(keys.count(created.row.id + ":4:1") == 1);
  auto first = nlohmann::json::parse((*outbox)[0].payload);
  CHECK(first["role"] == "project_company");
  CHECK(first["text"].get<std::string>().find("2026-05-02T09:00:00+08:00") != std::string::npos);
}

TEST_CASE("a failed assessment starts a stored child rectification whose end concludes it",
          "[runtime]") {
  testing::Runtime rt;
  CaseView assessment = MustCreate(rt, "annual_assessment", "management_unit", R"({"year": 2025})");
  CaseView failed = MustSubmit(
      rt, assessment.row.id,
      core::Input::Event("fail", "management_unit",
                         {{"construction_ok", Value::Bool(true)},
                          {"operation_ok", Value::Bool(false)},
                          {"om_ok", Value::Bool(true)}}));
  CHECK(failed.row.state == "[\"rectifying\"]");

  auto children = rt.store->ListChildren(assessment.row.id);
  REQUIRE(children.ok());
  REQUIRE(children->size() == 1);
  const store::CaseRow& child = children->front();
  CHECK(child.id == assessment.row.id + ".1");
  CHECK(child.parent_id == assessment.row.id);
  CHECK(child.workflow == "rectification");
  CHECK(child.state == "[\"rectifying\"]");
  CHECK(ParseObject(child.data)->at("subject") == Value::Text("年度考核未达要求"));
  CHECK(VerifyChain(child.id, History(rt, child.id), child.revision).ok());

  MustSubmit(rt, child.id, core::Input::Event("submit", "project_company"));
  MustSubmit(rt, child.id, core::Input::Event("accept", "management_unit"));
  auto parent = rt.store->GetCase(assessment.row.id);
  REQUIRE(parent.ok());
  CHECK(parent->state == "[\"concluded\"]");
  CHECK(parent->status == store::CaseStatus::kCompleted);
  auto last = DecodeInput(History(rt, assessment.row.id).back().input);
  REQUIRE(last.ok());
  CHECK(last->kind == core::InputKind::kChildDone);
  CHECK(last->child_id == child.id);
}

TEST_CASE("case_in is answered from the store and recorded with the input", "[runtime]") {
  testing::Runtime rt;
  const std::string app =
      R"({"app_name": "园区通", "category": "政务", "terminals": ["app"], "connected_to_base": true, "credit_code": "91350200MA2XYZ"})";
  auto early = rt.runner.Create("app_listing", "ecosystem_unit", "", app);
  REQUIRE(early.ok());
  REQUIRE(early->rejection);  // Not authorised yet.

  CaseView partner = MustCreate(rt, "partner_onboarding", "ecosystem_unit",
                                R"({"company": "某科技公司", "credit_code": "91350200MA2XYZ"})");
  MustSubmit(rt, partner.row.id, core::Input::Event("review", "project_company"));
  MustSubmit(rt, partner.row.id, core::Input::Event("approve", "project_company"));
  MustSubmit(rt, partner.row.id, core::Input::Event("consent", "management_unit"));

  CaseView listed = MustCreate(rt, "app_listing", "ecosystem_unit", app);
  CHECK(listed.row.state == "[\"submitted\"]");
  auto input = DecodeInput(History(rt, listed.row.id).front().input);
  REQUIRE(input.ok());
  CHECK(input->facts.at("case_in(partner_onboarding,authorized,credit_code)") == Value::Bool(true));
}

TEST_CASE("send … matching reaches the correlated case through the store", "[runtime]") {
  testing::Runtime rt;
  CaseView partner = MustCreate(rt, "partner_onboarding", "ecosystem_unit",
                                R"({"company": "某科技公司", "credit_code": "91350200MA2XYZ"})");
  CaseView other = MustCreate(rt, "partner_onboarding", "ecosystem_unit",
                              R"({"company": "另一公司", "credit_code": "91350200MA2OTHER"})");
  MustSubmit(rt, partner.row.id, core::Input::Event("review", "project_company"));
  MustSubmit(rt, partner.row.id, core::Input::Event("approve", "project_company"));
  MustSubmit(rt, partner.row.id, core::Input::Event("consent", "management_unit"));

  CaseView violation = MustCreate(
      rt, "partner_violation", "project_company",
      R"({"company": "某科技公司", "credit_code": "91350200MA2XYZ", "activity": "冒用品牌"})");
  MustSubmit(rt, violation.row.id,
             core::Input::Event("revoke", "project_company", {{"reason", Value::Text("冒用品牌")}}));
  CHECK(rt.store->GetCase(partner.row.id)->state == "[\"revoked\"]");
  // The other partner was in `applied`, with another credit code: untouched.
  CHECK(rt.store->GetCase(other.row.id)->revision == 1);
}

TEST_CASE("a changed workflow is a new version; running cases stay on theirs", "[runtime]") {
  testing::Runtime rt;
  CaseView old_case = MustCreate(rt, "rectification", "management_unit", kRectData);
  const std::string old_version = old_case.row.version;

  std::string text = testing::ReadRuntimeFile(std::string(ZGT_SOURCE_DIR) +
                                              "/workflows/rectification.flow");
  const std::string from = "default 2 months";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), "default 1 month");
  REQUIRE(rt.registry.Deploy(testing::CompileShipped("rectification.flow", text), rt.clock.NowMs()).ok());
  // Deploying the same texts again adds nothing.
  REQUIRE(rt.registry.Deploy(testing::CompileShipped("rectification.flow", text), rt.clock.NowMs()).ok());

  const std::string new_version = rt.registry.Newest("rectification").value()->VersionHex();
  CHECK(new_version != old_version);
  auto definitions = rt.store->ListDefinitions();
  REQUIRE(definitions.ok());
  int rectification_rows = 0;
  for (const auto& row : *definitions) rectification_rows += row.workflow == "rectification";
  CHECK(rectification_rows == 2);

  CaseView new_case = MustCreate(rt, "rectification", "management_unit", kRectData);
  CHECK(new_case.row.version == new_version);
  CHECK(ParseObject(new_case.row.data)->at("due") ==
        Value::DateTime(calendar::Instant{At("2026-04-02T09:00:00+08:00")}));

  CaseView old_submitted =
      MustSubmit(rt, old_case.row.id, core::Input::Event("submit", "project_company"));
  CHECK(old_submitted.row.version == old_version);
}

}  // namespace
}  // namespace zgtflow::runtime
