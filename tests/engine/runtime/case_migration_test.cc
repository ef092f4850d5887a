// Case migration over a MemoryStore on a virtual clock: a checked state map,
// one revision-checked commit per case, a hash-chained kMigrate history entry
// that ReplayVersions understands, deadlines kept, and the case running on the
// new version afterwards.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/core/replay.h"
#include "engine/runtime/audit_chain.h"
#include "engine/runtime/case_migration.h"
#include "engine/runtime/json_codec.h"
#include "engine/runtime/version_diff.h"
#include "engine/store/open/open_store.h"
#include "tests/support/postgres_server.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

using testing::At;

constexpr const char* kRectData = R"({"subject": "平台稳定性不达标", "findings": "月度宕机 3 次"})";

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string ShippedRectification() {
  return testing::ReadRuntimeFile(std::string(ZGT_SOURCE_DIR) + "/workflows/rectification.flow");
}

// Version 2: `verifying` is renamed `reviewing`.
std::string RenamedRectification() {
  return Replaced(ShippedRectification(), "verifying", "reviewing");
}

// Version 3: a new required field, `reviewer`, that running cases lack.
std::string ReviewerRequiredRectification() {
  return Replaced(ShippedRectification(), "    findings           text      \"问题描述\"\n",
                  "    findings           text      \"问题描述\"\n"
                  "    reviewer           text      \"复核人\"  required\n");
}

std::shared_ptr<const model::Workflow> DeployText(testing::Runtime& rt, const std::string& text) {
  dsl::CompileResult compiled = testing::CompileShipped("rectification.flow", text);
  REQUIRE(rt.registry.Deploy(compiled, rt.clock.NowMs()).ok());
  return rt.registry.Newest("rectification").value();
}

std::string CreateCase(testing::Runtime& rt) {
  Result<CaseView> view = rt.runner.Create("rectification", "management_unit", "", kRectData);
  REQUIRE(view.ok());
  REQUIRE(view->accepted());
  return view->row.id;
}

void Submit(testing::Runtime& rt, const std::string& id, const std::string& event,
            const std::string& role, const std::string& expect_state) {
  Result<CaseView> view = rt.runner.Submit(id, core::Input::Event(event, role));
  INFO(view.status().message());
  REQUIRE(view.ok());
  INFO((view->rejection ? view->rejection->code + ": " + view->rejection->message : ""));
  REQUIRE(view->accepted());
  CHECK(view->row.state == expect_state);
}

std::vector<core::HistoryEntry> Entries(testing::Runtime& rt, const std::string& id) {
  std::vector<core::HistoryEntry> entries;
  auto history = rt.store->GetHistory(id);
  REQUIRE(history.ok());
  for (const store::HistoryRow& stored : *history) {
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
  return entries;
}

// Replays case `id`'s whole history from `v1` across the stored versions and
// checks it reproduces `snapshot` and ends on `last`.
void CheckReplay(testing::Runtime& rt, const model::Workflow& v1, const std::string& id,
                 const std::string& snapshot, const model::Workflow* last) {
  const model::Workflow* ended = nullptr;
  auto lookup = [&](const std::string& version) -> const model::Workflow* {
    auto found = rt.registry.Get("rectification", version);
    return found.ok() ? found->get() : nullptr;
  };
  auto replayed = core::ReplayVersions(v1, lookup, Entries(rt, id), &rt.calendar, &ended);
  INFO(replayed.status().message());
  REQUIRE(replayed.ok());
  CHECK(EncodeCaseState(*replayed) == snapshot);
  CHECK(ended == last);
}

std::vector<int64_t> DueTimes(testing::Runtime& rt, const std::string& id) {
  std::vector<int64_t> due;
  auto timers = rt.store->GetTimers(id);
  REQUIRE(timers.ok());
  for (const store::TimerRow& timer : *timers) due.push_back(timer.due_at_ms);
  return due;
}

TEST_CASE("a case in a state the new version lacks is refused without a map; nothing is written",
          "[runtime]") {
  testing::Runtime rt;
  auto v1 = rt.registry.Newest("rectification").value();
  std::string id = CreateCase(rt);
  Submit(rt, id, "submit", "project_company", "[\"verifying\"]");
  auto v2 = DeployText(rt, RenamedRectification());
  REQUIRE(v1->version != v2->version);

  Result<CaseMigration> plan =
      PlanCaseMigration(*rt.store, *v1, *v2, id, {}, "management_unit", rt.clock.NowMs(), &rt.calendar);
  REQUIRE(plan.ok());
  REQUIRE(plan->refusal);
  CHECK(plan->refusal->code == "unmapped-state");
  CHECK(plan->refusal->message.find("'verifying'") != std::string::npos);
  CHECK(!CommitCaseMigration(*rt.store, *plan).ok());
  auto row = rt.store->GetCase(id);
  REQUIRE(row.ok());
  CHECK(row->revision == 2);
  CHECK(row->version == v1->VersionHex());

  // Into a top-level final state, or a state the new version lacks: refused.
  plan = PlanCaseMigration(*rt.store, *v1, *v2, id, {{"verifying", "closed"}}, "", rt.clock.NowMs(),
                           &rt.calendar);
  REQUIRE(plan.ok());
  REQUIRE(plan->refusal);
  CHECK(plan->refusal->code == "bad-structure");
  plan = PlanCaseMigration(*rt.store, *v1, *v2, id, {{"verifying", "nowhere"}}, "",
                           rt.clock.NowMs(), &rt.calendar);
  REQUIRE(plan.ok());
  REQUIRE(plan->refusal);
  CHECK(plan->refusal->code == "unknown-state");
}

TEST_CASE("a required field added by the new version refuses the move", "[runtime]") {
  testing::Runtime rt;
  auto v1 = rt.registry.Newest("rectification").value();
  std::string id = CreateCase(rt);
  auto v3 = DeployText(rt, ReviewerRequiredRectification());
  REQUIRE(v3->FindField("reviewer") >= 0);
  Result<CaseMigration> plan = PlanCaseMigration(*rt.store, *v1, *v3, id, {}, "",
                                                 rt.clock.NowMs(), &rt.calendar);
  REQUIRE(plan.ok());
  REQUIRE(plan->refusal);
  CHECK(plan->refusal->code == "missing-field");
  CHECK(plan->refusal->field == "reviewer");

  // A default that does not fit the field's type, or names no field, refuses too.
  plan = PlanCaseMigration(*rt.store, *v1, *v3, id, {}, "", rt.clock.NowMs(), &rt.calendar,
                           {{"reviewer", model::Value::Number(3)}});
  REQUIRE(plan.ok());
  REQUIRE(plan->refusal);
  CHECK(plan->refusal->code == "bad-type");
  plan = PlanCaseMigration(*rt.store, *v1, *v3, id, {}, "", rt.clock.NowMs(), &rt.calendar,
                           {{"reviewer", model::Value::Text("王工")},
                            {"nobody", model::Value::Text("x")}});
  REQUIRE(plan.ok());
  REQUIRE(plan->refusal);
  CHECK(plan->refusal->code == "unknown-field");
  CHECK(plan->refusal->field == "nobody");
}

TEST_CASE("a migration's defaults fill the fields a case lacks, and replay with it",
          "[runtime]") {
  testing::Runtime rt;
  auto v1 = rt.registry.Newest("rectification").value();
  std::string id = CreateCase(rt);
  auto v3 = DeployText(rt, ReviewerRequiredRectification());
  // "subject" has a value already: its default is not used.
  const model::Object defaults = {{"reviewer", model::Value::Text("王工")},
                                  {"subject", model::Value::Text("不该覆盖")}};
  Result<CaseMigration> plan = PlanCaseMigration(*rt.store, *v1, *v3, id, {}, "management_unit",
                                                 rt.clock.NowMs(), &rt.calendar, defaults);
  REQUIRE(plan.ok());
  INFO((plan->refusal ? plan->refusal->message : ""));
  REQUIRE(!plan->refusal);
  CHECK(plan->defaulted == std::vector<std::string>{"reviewer"});
  REQUIRE(CommitCaseMigration(*rt.store, *plan).ok());

  auto row = rt.store->GetCase(id);
  REQUIRE(row.ok());
  Result<model::Object> data = ParseObject(row->data);
  REQUIRE(data.ok());
  CHECK(data->at("reviewer") == model::Value::Text("王工"));
  CHECK(data->at("subject") == model::Value::Text("平台稳定性不达标"));

  CheckReplay(rt, *v1, id, row->snapshot, v3.get());
}

// Two cases on v1 (one waiting, one in verifying) migrated to v2 with
// verifying -> reviewing; every property checked on `rt`'s store.
void MigrateAndCheck(testing::Runtime& rt) {
  auto v1 = rt.registry.Newest("rectification").value();
  std::string waiting = CreateCase(rt);    // In rectifying, with its 3 deadline timers.
  std::string verifying = CreateCase(rt);  // Submitted: in verifying.
  Submit(rt, verifying, "submit", "project_company", "[\"verifying\"]");
  const std::vector<int64_t> deadlines = DueTimes(rt, waiting);
  REQUIRE(deadlines.size() == 3);
  auto v2 = DeployText(rt, RenamedRectification());
  rt.clock.Set(At("2026-03-20T10:00:00+08:00"));

  const core::StateMap map = {{"verifying", "reviewing"}};
  for (const std::string& id : {waiting, verifying}) {
    Result<CaseMigration> plan = PlanCaseMigration(*rt.store, *v1, *v2, id, map, "management_unit",
                                                   rt.clock.NowMs(), &rt.calendar);
    REQUIRE(plan.ok());
    INFO((plan->refusal ? plan->refusal->message : ""));
    REQUIRE(!plan->refusal);
    REQUIRE(CommitCaseMigration(*rt.store, *plan).ok());
    // A second commit of the same plan is a stale revision.
    CHECK(CommitCaseMigration(*rt.store, *plan).code() == StatusCode::kConflict);
  }

  // The row is on v2; the deadlines did not move (same timer definitions).
  auto row = rt.store->GetCase(waiting);
  REQUIRE(row.ok());
  CHECK(row->version == v2->VersionHex());
  CHECK(row->revision == 2);
  CHECK(DueTimes(rt, waiting) == deadlines);
  auto moved = rt.store->GetCase(verifying);
  REQUIRE(moved.ok());
  CHECK(moved->state == "[\"reviewing\"]");

  for (const std::string& id : {waiting, verifying}) {
    auto history = rt.store->GetHistory(id);
    REQUIRE(history.ok());
    auto last = DecodeInput(history->back().input);
    REQUIRE(last.ok());
    CHECK(last->kind == core::InputKind::kMigrate);
    CHECK(history->back().actor == "management_unit");
    auto stored = rt.store->GetCase(id);
    REQUIRE(stored.ok());
    CHECK(VerifyChain(id, *history, stored->revision).ok());

    // Replay across the versions reproduces the stored state.
    CheckReplay(rt, *v1, id, stored->snapshot, v2.get());
    // Plain Replay (one version) refuses the migration entry.
    CHECK(!core::Replay(*v1, Entries(rt, id), &rt.calendar).ok());
  }

  // The cases go on under v2: accept from reviewing; the kept deadline fires.
  Submit(rt, verifying, "accept", "management_unit", "[\"closed\"]");
  rt.clock.Set(At("2026-05-03T09:00:00+08:00"));
  REQUIRE(rt.timers.RunOnce(10).ok());
  auto after = rt.store->GetCase(waiting);
  REQUIRE(after.ok());
  CHECK(after->state == "[\"penalty\"]");
  auto history = rt.store->GetHistory(waiting);
  REQUIRE(history.ok());
  CHECK(VerifyChain(waiting, *history, after->revision).ok());
}

TEST_CASE("migrated cases keep their deadlines, chain and replay, and run on the new version",
          "[runtime]") {
  testing::Runtime rt;
  MigrateAndCheck(rt);
}

TEST_CASE("migration on PostgreSQL: one chained commit per case, replayable", "[runtime]") {
  testing::PostgresServer server;
  INFO(server.error());
  REQUIRE(server.ok());
  std::string url = server.CreateDatabase("migration");
  REQUIRE(!url.empty());
  auto opened = store::OpenStore(url);
  INFO(opened.status().message());
  REQUIRE(opened.ok());
  testing::Runtime rt(opened.value().get());
  MigrateAndCheck(rt);
}

TEST_CASE("the version diff names a renamed state as removed and added, and a required field",
          "[runtime]") {
  testing::Runtime rt;
  auto v1 = rt.registry.Newest("rectification").value();
  std::string text = Replaced(RenamedRectification(),
                              "    findings           text      \"问题描述\"\n",
                              "    findings           text      \"问题描述\"\n"
                              "    reviewer           text      \"复核人\"  required\n");
  auto v2 = DeployText(rt, text);
  VersionDiff diff = DiffVersions(*v1, *v2);
  std::vector<std::string> lines;
  for (const VersionChange& change : diff.changes) lines.push_back(change.Line());
  auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  std::string all;
  for (const std::string& line : lines) all += line + "\n";
  INFO(all);
  CHECK(has("- state verifying \"整改验收中\" (atomic)"));
  CHECK(has("+ state reviewing \"整改验收中\" (atomic)"));
  CHECK(has("+ field reviewer text required (running cases have no value: migrating them is refused)"));
  CHECK(has("- transition rectifying: on submit by project_company -> verifying do { record "
            "\"项目公司提交整改完成材料：{subject}\" }"));
  CHECK(diff.removed_states == std::vector<std::string>{"verifying"});
  CHECK(DiffVersions(*v1, *v1).same());
}

}  // namespace
}  // namespace zgtflow::runtime
