// ⑤ The Store conformance suite: the one behaviour every backend must have
// (temporal's common/persistence/tests). Each clause of store.h is a test case.
//
// To run it on a backend, write tests/engine/store/<backend>_store_test.cc:
//
//   #include "tests/engine/store/store_conformance.h"
//   namespace {
//   // Returns a NEW, EMPTY store (no rows in any table), or nullptr when it
//   // cannot (the test then fails saying so). Called once per test case.
//   std::unique_ptr<zgtflow::store::Store> MakeFreshStore() { … }
//   }  // namespace
//   ZGT_STORE_CONFORMANCE("postgres", MakeFreshStore)
//
// The first argument prefixes every test name ("postgres: …"); the second is
// any callable returning std::unique_ptr<Store>. Every case is tagged [store].
// The suite never sleeps: times are plain numbers passed as now_ms.
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/store/store.h"

namespace zgtflow::store::conformance {

using StoreFactory = std::function<std::unique_ptr<Store>()>;

inline std::unique_ptr<Store> Fresh(const StoreFactory& make) {
  std::unique_ptr<Store> store = make();
  INFO("the factory could not make a fresh store");
  REQUIRE(store != nullptr);
  return store;
}

// A commit creating case `id` at revision 1, at time `at_ms`.
inline StepCommit Create(const std::string& id, int64_t at_ms = 1000,
                         const std::string& workflow = "rectification",
                         const std::string& state = "[\"rectifying\"]") {
  StepCommit commit;
  commit.create = true;
  commit.expected_revision = 0;
  CaseRow& row = commit.case_row;
  row.id = id;
  row.workflow = workflow;
  row.version = "0123456789abcdef";
  row.state = state;
  row.snapshot = "{\"revision\":1}";
  row.data = "{\"title\":\"t\"}";
  row.parties = "{\"responsible_unit\":[\"unit-a\"]}";
  row.revision = 1;
  row.created_at_ms = at_ms;
  row.updated_at_ms = at_ms;
  commit.history.case_id = id;
  commit.history.seq = 1;
  commit.history.input = "{\"kind\":\"start\"}";
  commit.history.actor = "supervisor";
  commit.history.effects = "[]";
  commit.history.at_ms = at_ms;
  commit.history.hash = "h1";
  return commit;
}

// The next step after `row`, at `at_ms`.
inline StepCommit Next(const CaseRow& row, int64_t at_ms) {
  StepCommit commit;
  commit.case_row = row;
  commit.case_row.revision = row.revision + 1;
  commit.case_row.updated_at_ms = at_ms;
  commit.expected_revision = row.revision;
  commit.history.case_id = row.id;
  commit.history.seq = row.revision + 1;
  commit.history.input = "{\"kind\":\"event\",\"name\":\"e" + std::to_string(row.revision + 1) + "\"}";
  commit.history.actor = "responsible_unit";
  commit.history.effects = "[]";
  commit.history.at_ms = at_ms;
  commit.history.prev_hash = "h" + std::to_string(row.revision);
  commit.history.hash = "h" + std::to_string(row.revision + 1);
  return commit;
}

inline TimerRow Timer(uint32_t id, int64_t due_at_ms, const std::string& state = "rectifying") {
  TimerRow timer;
  timer.timer_id = id;
  timer.due_at_ms = due_at_ms;
  timer.state = state;
  return timer;
}

inline OutboxRow Out(const std::string& adapter, const std::string& key, int64_t at_ms = 0) {
  OutboxRow out;
  out.adapter = adapter;
  out.payload = "{\"to\":\"unit-a\"}";
  out.idempotency_key = key;
  out.next_attempt_at_ms = at_ms;
  return out;
}

inline CaseRow Get(Store& store, const std::string& id) {
  auto row = store.GetCase(id);
  INFO("GetCase(" << id << "): " << row.status().message());
  REQUIRE(row.ok());
  return *row;
}

inline void Commit(Store& store, const StepCommit& commit) {
  Status status = store.CommitStep(commit);
  INFO("CommitStep(" << commit.case_row.id << " r" << commit.case_row.revision
                     << "): " << status.message());
  REQUIRE(status.ok());
}

template <typename T>
T Must(Result<T> result) {
  INFO(result.status().message());
  REQUIRE(result.ok());
  return std::move(result).value();
}

inline std::vector<std::string> Ids(const std::vector<CaseRow>& rows) {
  std::vector<std::string> ids;
  for (const auto& row : rows) ids.push_back(row.id);
  return ids;
}

inline std::vector<std::string> Ids(const std::vector<TimerRow>& rows) {
  std::vector<std::string> ids;
  for (const auto& row : rows) ids.push_back(row.case_id + "/" + std::to_string(row.timer_id));
  return ids;
}

// What one case has in the store, to show a refused commit changed nothing.
struct CaseTrace {
  int64_t revision = 0;
  std::string state;
  std::vector<int64_t> history_seqs;
  std::vector<std::string> timers;
  std::vector<std::string> outbox_keys;
  int64_t timer_count = 0;
  bool operator==(const CaseTrace& o) const {
    return revision == o.revision && state == o.state && history_seqs == o.history_seqs &&
           timers == o.timers && outbox_keys == o.outbox_keys && timer_count == o.timer_count;
  }
};

inline CaseTrace Trace(Store& store, const std::string& id) {
  CaseTrace trace;
  auto row = store.GetCase(id);
  if (row.ok()) {
    trace.revision = row->revision;
    trace.state = row->state;
  }
  for (const auto& h : Must(store.GetHistory(id))) trace.history_seqs.push_back(h.seq);
  trace.timers = Ids(Must(store.GetTimers(id)));
  for (const auto& o : Must(store.GetOutbox(id))) trace.outbox_keys.push_back(o.idempotency_key);
  trace.timer_count = Must(store.CountTimers());
  return trace;
}

// ---- definitions ----

inline void DefinitionsInsertOnceAndListInOrder(const StoreFactory& make) {
  auto store = Fresh(make);
  DefinitionRow v2{"rectification", "00000000000000b2", "workflow rectification {}", "w/r.flow", 200};
  DefinitionRow v1{"rectification", "00000000000000a1", "workflow rectification {  }", "w/r.flow", 100};
  DefinitionRow inc{"incident", "00000000000000c3", "workflow incident {}", "w/i.flow", 300};
  REQUIRE(store->PutDefinition(v2).ok());
  REQUIRE(store->PutDefinition(inc).ok());
  REQUIRE(store->PutDefinition(v1).ok());
  DefinitionRow again = v1;
  again.source = "changed";
  again.deployed_at_ms = 999;
  REQUIRE(store->PutDefinition(again).ok());  // Same (workflow, version): nothing changes.
  auto rows = Must(store->ListDefinitions());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].workflow == "incident");
  CHECK(rows[1].version == "00000000000000a1");
  CHECK(rows[1].source == "workflow rectification {  }");
  CHECK(rows[1].deployed_at_ms == 100);
  CHECK(rows[1].source_path == "w/r.flow");
  CHECK(rows[2].version == "00000000000000b2");
}

// ---- cases ----

inline void CreatedCaseReadsBackWithHistorySeqOne(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.case_row.next_due_ms = 5000;
  create.case_row.parent_id = "";
  Commit(*store, create);
  CaseRow row = Get(*store, "c1");
  CHECK(row.workflow == "rectification");
  CHECK(row.version == "0123456789abcdef");
  CHECK(row.status == CaseStatus::kRunning);
  CHECK(row.state == "[\"rectifying\"]");
  CHECK(row.snapshot == "{\"revision\":1}");
  CHECK(row.data == "{\"title\":\"t\"}");
  CHECK(row.parties == "{\"responsible_unit\":[\"unit-a\"]}");
  CHECK(row.parent_id.empty());
  CHECK(row.revision == 1);
  CHECK(row.created_at_ms == 1000);
  CHECK(row.updated_at_ms == 1000);
  REQUIRE(row.next_due_ms.has_value());
  CHECK(*row.next_due_ms == 5000);
  auto history = Must(store->GetHistory("c1"));
  REQUIRE(history.size() == 1);
  CHECK(history[0].case_id == "c1");
  CHECK(history[0].seq == 1);
  CHECK(history[0].input == "{\"kind\":\"start\"}");
  CHECK(history[0].actor == "supervisor");
  CHECK(history[0].effects == "[]");
  CHECK(history[0].at_ms == 1000);
  CHECK(history[0].prev_hash.empty());
  CHECK(history[0].hash == "h1");
}

inline void UnknownCaseIsNotFoundWithEmptyHistory(const StoreFactory& make) {
  auto store = Fresh(make);
  auto row = store->GetCase("nope");
  REQUIRE_FALSE(row.ok());
  CHECK(row.status().code() == StatusCode::kNotFound);
  CHECK(Must(store->GetHistory("nope")).empty());
  CHECK(Must(store->GetTimers("nope")).empty());
  CHECK(Must(store->GetOutbox("nope")).empty());
  CHECK(Must(store->ListChildren("nope")).empty());
}

inline void StepsAppendHistoryAndReplaceTheCaseRow(const StoreFactory& make) {
  auto store = Fresh(make);
  Commit(*store, Create("c1", 1000));
  CaseRow row = Get(*store, "c1");
  for (int i = 0; i < 4; ++i) {
    StepCommit next = Next(row, 2000 + i);
    next.case_row.state = "[\"reviewing\",\"waiting\"]";
    next.case_row.data = "{\"n\":" + std::to_string(i) + "}";
    next.case_row.status = i == 3 ? CaseStatus::kCompleted : CaseStatus::kRunning;
    next.case_row.next_due_ms = std::nullopt;
    Commit(*store, next);
    row = Get(*store, "c1");
  }
  CHECK(row.revision == 5);
  CHECK(row.updated_at_ms == 2003);
  CHECK(row.created_at_ms == 1000);
  CHECK(row.status == CaseStatus::kCompleted);
  CHECK(row.data == "{\"n\":3}");
  CHECK(row.state == "[\"reviewing\",\"waiting\"]");
  CHECK_FALSE(row.next_due_ms.has_value());
  auto history = Must(store->GetHistory("c1"));
  REQUIRE(history.size() == 5);
  for (size_t i = 0; i < history.size(); ++i) CHECK(history[i].seq == static_cast<int64_t>(i + 1));
  CHECK(history[4].prev_hash == "h4");
  CHECK(history[4].hash == "h5");
  CHECK(history[4].at_ms == 2003);
}

inline void CreatingAnIdTwiceIsAConflictThatWritesNothing(const StoreFactory& make) {
  auto store = Fresh(make);
  Commit(*store, Create("c1", 1000));
  CaseTrace before = Trace(*store, "c1");
  StepCommit again = Create("c1", 1500, "incident");
  again.add_timers.push_back(Timer(1, 9000));
  again.outbox.push_back(Out("log", "c1:1:0"));
  Status status = store->CommitStep(again);
  CHECK(status.code() == StatusCode::kConflict);
  CHECK(Trace(*store, "c1") == before);
  CHECK(Get(*store, "c1").workflow == "rectification");
}

inline void AStaleRevisionIsAConflictThatWritesNothing(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.add_timers.push_back(Timer(1, 9000));
  create.outbox.push_back(Out("log", "c1:1:0"));
  Commit(*store, create);
  CaseRow first = Get(*store, "c1");
  Commit(*store, Next(first, 2000));
  CaseTrace before = Trace(*store, "c1");
  StepCommit stale = Next(first, 3000);  // Read at revision 1; the store is at 2.
  stale.case_row.state = "[\"closed\"]";
  stale.add_timers.push_back(Timer(2, 9500));
  stale.cancel_timers.push_back(1);
  stale.outbox.push_back(Out("webhook", "c1:2:0"));
  Status status = store->CommitStep(stale);
  CHECK(status.code() == StatusCode::kConflict);
  CHECK(Trace(*store, "c1") == before);
  CHECK(before.revision == 2);
  CHECK(before.timers == std::vector<std::string>{"c1/1"});
  CHECK(Must(store->GetHistory("c1"))[1].at_ms == 2000);
}

inline void AnUpdateOfAnUnknownCaseIsNotFound(const StoreFactory& make) {
  auto store = Fresh(make);
  CaseRow ghost = Create("ghost").case_row;
  StepCommit next = Next(ghost, 2000);
  next.outbox.push_back(Out("log", "ghost:2:0"));
  CHECK(store->CommitStep(next).code() == StatusCode::kNotFound);
  CHECK(Must(store->ListCaseIds()).empty());
  CHECK(Must(store->GetOutbox("ghost")).empty());
}

inline void CommitsBreakingTheRulesAreRefusedAndWriteNothing(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.add_timers.push_back(Timer(1, 9000));
  Commit(*store, create);
  CaseRow row = Get(*store, "c1");
  CaseTrace before = Trace(*store, "c1");
  auto refused = [&](StepCommit commit, StatusCode code) {
    commit.add_timers.push_back(Timer(7, 8000));
    commit.outbox.push_back(Out("log", "c1:x:0"));
    Status status = store->CommitStep(commit);
    CHECK(status.code() == code);
    CHECK(Trace(*store, "c1") == before);
  };
  {
    INFO("the history seq differs from the case revision");
    StepCommit commit = Next(row, 2000);
    commit.history.seq = 3;
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("the revision jumps by two");
    StepCommit commit = Next(row, 2000);
    commit.case_row.revision = 3;
    commit.history.seq = 3;
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("a timer id still pending is added again");
    StepCommit commit = Next(row, 2000);
    commit.add_timers.push_back(Timer(1, 9999));
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("one timer id is added twice in one commit");
    StepCommit commit = Next(row, 2000);
    commit.add_timers.push_back(Timer(3, 9999));
    commit.add_timers.push_back(Timer(3, 9998));
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("the history entry names another case");
    StepCommit commit = Next(row, 2000);
    commit.history.case_id = "c2";
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("a timer names another case");
    StepCommit commit = Next(row, 2000);
    TimerRow timer = Timer(4, 9000);
    timer.case_id = "c2";
    commit.add_timers.push_back(timer);
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("an outbox row names another case");
    StepCommit commit = Next(row, 2000);
    OutboxRow out = Out("log", "c2:2:0");
    out.case_id = "c2";
    commit.outbox.push_back(out);
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("the state column is not a JSON array of names");
    StepCommit commit = Next(row, 2000);
    commit.case_row.state = "rectifying";
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("the parties column is not a JSON object of name lists");
    StepCommit commit = Next(row, 2000);
    commit.case_row.parties = "{\"responsible_unit\":\"unit-a\"}";
    refused(commit, StatusCode::kInvalidArgument);
  }
  {
    INFO("the case has no id");
    StepCommit commit = Create("", 1000);
    CHECK(store->CommitStep(commit).code() == StatusCode::kInvalidArgument);
  }
  {
    INFO("a create not at revision 1");
    StepCommit commit = Create("c9", 1000);
    commit.case_row.revision = 2;
    commit.history.seq = 2;
    CHECK(store->CommitStep(commit).code() == StatusCode::kInvalidArgument);
    CHECK_FALSE(store->GetCase("c9").ok());
    CHECK(Must(store->GetHistory("c9")).empty());
  }
  // The refusals left the case usable.
  Commit(*store, Next(row, 3000));
  CHECK(Get(*store, "c1").revision == 2);
}

inline void EmptyCaseIdsInRowsAreFilledWithTheCaseId(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.history.case_id = "";
  create.add_timers.push_back(Timer(1, 9000));  // case_id "".
  create.outbox.push_back(Out("log", "c1:1:0"));  // case_id "".
  Commit(*store, create);
  CHECK(Must(store->GetHistory("c1"))[0].case_id == "c1");
  CHECK(Must(store->GetTimers("c1"))[0].case_id == "c1");
  CHECK(Must(store->GetOutbox("c1"))[0].case_id == "c1");
}

// ---- lists ----

// Cases a (rectification, rectifying, unit-a), b (rectification, reviewing,
// unit-b), c (incident, [responding, reporting], unit-a and unit-c).
inline void SeedThreeCases(Store& store) {
  StepCommit a = Create("a", 1000, "rectification", "[\"rectifying\"]");
  a.case_row.next_due_ms = 5000;
  Commit(store, a);
  StepCommit b = Create("b", 2000, "rectification", "[\"reviewing\"]");
  b.case_row.parties = "{\"responsible_unit\":[\"unit-b\"]}";
  b.case_row.next_due_ms = 9000;
  Commit(store, b);
  StepCommit c = Create("c", 3000, "incident", "[\"responding\",\"reporting\"]");
  c.case_row.parties = "{\"reporter\":[\"unit-c\"],\"responsible_unit\":[\"unit-x\",\"unit-a\"]}";
  Commit(store, c);
}

inline void GetCasesReadsTheExistingCasesOnceEachInIdOrder(const StoreFactory& make) {
  auto store = Fresh(make);
  SeedThreeCases(*store);
  Commit(*store, Next(Get(*store, "b"), 2500));
  std::vector<CaseRow> rows =
      Must(store->GetCases({"c", "missing", "b", "a", "c", "no'; DROP TABLE cases; --"}));
  CHECK(Ids(rows) == std::vector<std::string>{"a", "b", "c"});
  for (const CaseRow& row : rows) {
    CaseRow one = Get(*store, row.id);
    CHECK(row.revision == one.revision);
    CHECK(row.state == one.state);
    CHECK(row.parties == one.parties);
    CHECK(row.snapshot == one.snapshot);
    CHECK(row.last_hash == one.last_hash);
    CHECK(row.next_due_ms == one.next_due_ms);
  }
  CHECK(rows[1].revision == 2);
  CHECK(Must(store->GetCases({})).empty());
  CHECK(Must(store->GetCases({"x", "y"})).empty());
  // More ids than one SQLite statement binds: every case still comes back.
  std::vector<std::string> many;
  for (int i = 0; i < 1200; ++i) many.push_back("none-" + std::to_string(i));
  many.push_back("c");
  CHECK(Ids(Must(store->GetCases(many))) == std::vector<std::string>{"c"});
}

inline void ListsFilterByWorkflowStateAndParty(const StoreFactory& make) {
  auto store = Fresh(make);
  SeedThreeCases(*store);
  auto list = [&](CaseFilter filter) { return Ids(Must(store->ListCases(filter))); };
  using V = std::vector<std::string>;
  CaseFilter all;
  CHECK(list(all) == V{"c", "b", "a"});
  CaseFilter workflow;
  workflow.workflow = "rectification";
  CHECK(list(workflow) == V{"b", "a"});
  CaseFilter state;
  state.state = "reporting";
  CHECK(list(state) == V{"c"});
  state.state = "report";  // Whole names only.
  CHECK(list(state).empty());
  CaseFilter party;
  party.party = "unit-a";
  CHECK(list(party) == V{"c", "a"});
  party.party = "responsible_unit";  // Roles are not parties.
  CHECK(list(party).empty());
  CaseFilter both;
  both.workflow = "rectification";
  both.party = "unit-a";
  CHECK(list(both) == V{"a"});
}

inline void ListsFilterOverdueCasesAgainstNow(const StoreFactory& make) {
  auto store = Fresh(make);
  SeedThreeCases(*store);  // a due 5000, b due 9000, c none.
  auto list = [&](bool overdue, int64_t now) {
    CaseFilter filter;
    filter.overdue = overdue;
    filter.now_ms = now;
    return Ids(Must(store->ListCases(filter)));
  };
  using V = std::vector<std::string>;
  CHECK(list(true, 4000).empty());
  CHECK(list(true, 5000).empty());  // Due at now is not yet overdue.
  CHECK(list(true, 5001) == V{"a"});
  CHECK(list(true, 10000) == V{"b", "a"});
  CHECK(list(false, 5001) == V{"c", "b"});
}

inline void ListsOrderByLatestUpdateThenIdAndPage(const StoreFactory& make) {
  auto store = Fresh(make);
  Commit(*store, Create("m", 1000));
  Commit(*store, Create("k", 1000));
  Commit(*store, Create("z", 500));
  Commit(*store, Create("a", 200));
  Commit(*store, Next(Get(*store, "a"), 3000));  // Updated last: first.
  auto page = [&](int limit, int offset) {
    CaseFilter filter;
    filter.limit = limit;
    filter.offset = offset;
    return Ids(Must(store->ListCases(filter)));
  };
  using V = std::vector<std::string>;
  CHECK(page(50, 0) == V{"a", "k", "m", "z"});
  CHECK(page(2, 0) == V{"a", "k"});
  CHECK(page(2, 2) == V{"m", "z"});
  CHECK(page(2, 3) == V{"z"});
  CHECK(page(2, 4).empty());
  CHECK(page(0, 1) == V{"k", "m", "z"});  // limit <= 0: no limit.
}

inline void ChildrenAreListedByCreationTimeThenId(const StoreFactory& make) {
  auto store = Fresh(make);
  Commit(*store, Create("parent", 1000));
  Commit(*store, Create("other", 1000));
  for (auto [id, at] : std::vector<std::pair<std::string, int64_t>>{
           {"k2", 3000}, {"k1", 2000}, {"k0", 3000}, {"stranger", 1500}}) {
    StepCommit child = Create(id, at, "evidence");
    if (id != "stranger") child.case_row.parent_id = "parent";
    else child.case_row.parent_id = "other";
    Commit(*store, child);
  }
  CHECK(Ids(Must(store->ListChildren("parent"))) == std::vector<std::string>{"k1", "k0", "k2"});
  CHECK(Get(*store, "k1").parent_id == "parent");
  CHECK(Ids(Must(store->ListChildren("k1"))).empty());
}

inline void CaseIdsAndTimerCountCoverEveryCase(const StoreFactory& make) {
  auto store = Fresh(make);
  CHECK(Must(store->CountTimers()) == 0);
  StepCommit a = Create("a", 1000);
  a.add_timers = {Timer(1, 5000), Timer(2, 6000)};
  Commit(*store, a);
  StepCommit b = Create("b", 1000);
  b.add_timers = {Timer(1, 7000)};
  Commit(*store, b);
  Commit(*store, Create("c", 1000));
  auto ids = Must(store->ListCaseIds());
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::string>{"a", "b", "c"});
  CHECK(Must(store->CountTimers()) == 3);
  Must(store->ClaimDueTimers("n1", 10000, 1000, 10));  // Claimed timers still count.
  CHECK(Must(store->CountTimers()) == 3);
}

// ---- timers ----

inline void TimersAreAddedCancelledAndDeletedWhenFired(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.add_timers = {Timer(2, 8000, "rectifying"), Timer(1, 5000, "rectifying"),
                       Timer(3, 5000, "overall")};
  Commit(*store, create);
  auto timers = Must(store->GetTimers("c1"));
  REQUIRE(timers.size() == 3);
  CHECK(Ids(timers) == std::vector<std::string>{"c1/1", "c1/3", "c1/2"});
  CHECK(timers[0].due_at_ms == 5000);
  CHECK(timers[0].state == "rectifying");
  CHECK(timers[1].state == "overall");
  CHECK(timers[0].claimed_by.empty());
  CHECK(timers[0].claimed_until_ms == 0);

  StepCommit cancel = Next(Get(*store, "c1"), 2000);
  cancel.cancel_timers = {2, 42};  // 42 is not pending: not an error.
  Commit(*store, cancel);
  CHECK(Ids(Must(store->GetTimers("c1"))) == std::vector<std::string>{"c1/1", "c1/3"});

  auto claimed = Must(store->ClaimDueTimers("n1", 5000, 60000, 10));
  REQUIRE(claimed.size() == 2);
  StepCommit fire = Next(Get(*store, "c1"), 5001);
  fire.fired_timer = 1;
  fire.add_timers = {Timer(4, 12000)};
  Commit(*store, fire);
  CHECK(Ids(Must(store->GetTimers("c1"))) == std::vector<std::string>{"c1/3", "c1/4"});
  CHECK(Must(store->CountTimers()) == 2);
}

inline void CancelAndReAddOfOneTimerIdReplacesIt(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.add_timers = {Timer(1, 5000), Timer(2, 6000)};
  Commit(*store, create);
  Must(store->ClaimDueTimers("n1", 6000, 60000, 10));
  StepCommit step = Next(Get(*store, "c1"), 6000);
  step.cancel_timers = {1};
  step.fired_timer = 2;
  step.add_timers = {Timer(1, 9000, "again"), Timer(2, 16000, "every")};  // `every`: same id, next period.
  Commit(*store, step);
  auto timers = Must(store->GetTimers("c1"));
  REQUIRE(timers.size() == 2);
  CHECK(timers[0].due_at_ms == 9000);
  CHECK(timers[0].state == "again");
  CHECK(timers[0].claimed_by.empty());  // A new timer starts unclaimed.
  CHECK(timers[1].due_at_ms == 16000);
  CHECK(timers[1].claimed_by.empty());
}

inline void DueTimersAreClaimedInDueCaseTimerOrderUpToTheLimit(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit b = Create("b", 1000);
  b.add_timers = {Timer(2, 3000), Timer(1, 3000), Timer(9, 1000)};
  Commit(*store, b);
  StepCommit a = Create("a", 1000);
  a.add_timers = {Timer(5, 3000), Timer(6, 2000), Timer(7, 3001)};
  Commit(*store, a);
  auto first = Must(store->ClaimDueTimers("n1", 3000, 10000, 3));
  CHECK(Ids(first) == std::vector<std::string>{"b/9", "a/6", "a/5"});
  for (const auto& timer : first) {
    CHECK(timer.claimed_by == "n1");
    CHECK(timer.claimed_until_ms == 13000);
  }
  auto rest = Must(store->ClaimDueTimers("n2", 3000, 10000, 10));
  CHECK(Ids(rest) == std::vector<std::string>{"b/1", "b/2"});  // a/7 is not yet due.
  CHECK(Must(store->ClaimDueTimers("n2", 3000, 10000, 10)).empty());
  auto stored = Must(store->GetTimers("a"));
  REQUIRE(stored.size() == 3);
  CHECK(stored[0].claimed_by == "n1");  // a/6
  CHECK(stored[2].claimed_by.empty());  // a/7
}

inline void AClaimedTimerIsClaimedAgainOnlyAfterItsLeaseExpires(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.add_timers = {Timer(1, 2000)};
  Commit(*store, create);
  CHECK(Must(store->ClaimDueTimers("n1", 1999, 5000, 10)).empty());  // Not yet due.
  REQUIRE(Must(store->ClaimDueTimers("n1", 2000, 5000, 10)).size() == 1);  // Lease to 7000.
  CHECK(Must(store->ClaimDueTimers("n2", 2500, 5000, 10)).empty());
  CHECK(Must(store->ClaimDueTimers("n1", 6999, 5000, 10)).empty());
  auto taken = Must(store->ClaimDueTimers("n2", 7000, 5000, 10));  // The lease expired.
  REQUIRE(taken.size() == 1);
  CHECK(taken[0].claimed_by == "n2");
  CHECK(taken[0].claimed_until_ms == 12000);
  CHECK(Must(store->GetTimers("c1"))[0].claimed_by == "n2");
}

// ---- outbox ----

inline void OutboxRowsGetIncreasingIdsAndAreClaimedInOrderWithALease(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit a = Create("a", 1000);
  a.outbox = {Out("log", "a:1:0", 1000), Out("webhook", "a:1:1", 1000)};
  Commit(*store, a);
  StepCommit b = Create("b", 1000);
  b.outbox = {Out("log", "b:1:0", 500), Out("log", "b:1:1", 4000)};
  Commit(*store, b);
  auto rows = Must(store->GetOutbox("a"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id > 0);
  CHECK(rows[1].id > rows[0].id);
  CHECK(rows[0].adapter == "log");
  CHECK(rows[0].payload == "{\"to\":\"unit-a\"}");
  CHECK(rows[0].idempotency_key == "a:1:0");
  CHECK(rows[0].status == OutboxStatus::kPending);
  CHECK(rows[0].attempts == 0);
  CHECK(rows[0].case_id == "a");
  auto b_rows = Must(store->GetOutbox("b"));
  REQUIRE(b_rows.size() == 2);
  CHECK(b_rows[0].id > rows[1].id);

  auto claimed = Must(store->ClaimOutbox("n1", 1000, 30000, 2));
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].idempotency_key == "b:1:0");  // Earliest attempt time first, then id.
  CHECK(claimed[1].idempotency_key == "a:1:0");
  CHECK(claimed[0].claimed_by == "n1");
  CHECK(claimed[0].claimed_until_ms == 31000);
  auto next = Must(store->ClaimOutbox("n2", 1000, 30000, 10));
  REQUIRE(next.size() == 1);  // b:1:1 is not yet due.
  CHECK(next[0].idempotency_key == "a:1:1");
  CHECK(Must(store->ClaimOutbox("n2", 30999, 30000, 10)).size() == 1);  // Only b:1:1, now due.
  auto expired = Must(store->ClaimOutbox("n3", 31000, 30000, 10));  // n1's and n2's first leases are over.
  std::vector<std::string> keys;
  for (const auto& row : expired) keys.push_back(row.idempotency_key);
  CHECK(keys == std::vector<std::string>{"b:1:0", "a:1:0", "a:1:1"});  // Not b:1:1, held to 60999.
}

inline void ADeliveredOutboxRowIsNeverClaimedAgain(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit a = Create("a", 1000);
  a.outbox = {Out("log", "a:1:0", 1000)};
  Commit(*store, a);
  auto claimed = Must(store->ClaimOutbox("n1", 1000, 100, 10));
  REQUIRE(claimed.size() == 1);
  REQUIRE(store->MarkDelivered(claimed[0].id).ok());
  CHECK(Must(store->ClaimOutbox("n1", 999999, 100, 10)).empty());
  auto rows = Must(store->GetOutbox("a"));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].status == OutboxStatus::kDelivered);
  CHECK(rows[0].claimed_by.empty());
  CHECK(store->MarkDelivered(claimed[0].id + 1000).code() == StatusCode::kNotFound);
}

inline void AFailedOutboxRowIsRetriedAtItsNextAttemptAndADeadOneNever(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit a = Create("a", 1000);
  a.outbox = {Out("webhook", "a:1:0", 1000)};
  Commit(*store, a);
  int64_t id = Must(store->ClaimOutbox("n1", 1000, 30000, 10)).at(0).id;
  REQUIRE(store->MarkFailed(id, "HTTP 503", 5000, false).ok());
  auto row = Must(store->GetOutbox("a")).at(0);
  CHECK(row.attempts == 1);
  CHECK(row.last_error == "HTTP 503");
  CHECK(row.next_attempt_at_ms == 5000);
  CHECK(row.status == OutboxStatus::kPending);
  CHECK(row.claimed_by.empty());
  CHECK(Must(store->ClaimOutbox("n1", 4999, 30000, 10)).empty());  // Lease cleared, not yet due.
  REQUIRE(Must(store->ClaimOutbox("n2", 5000, 30000, 10)).size() == 1);
  REQUIRE(store->MarkFailed(id, "连接超时", 0, true).ok());
  row = Must(store->GetOutbox("a")).at(0);
  CHECK(row.attempts == 2);
  CHECK(row.last_error == "连接超时");
  CHECK(row.status == OutboxStatus::kDead);
  CHECK(Must(store->ClaimOutbox("n1", 999999999, 30000, 10)).empty());
  CHECK(store->MarkFailed(id + 1000, "x", 0, false).code() == StatusCode::kNotFound);
}

// ---- text ----

inline void UnicodeTextRoundTripsThroughEveryColumn(const StoreFactory& make) {
  auto store = Fresh(make);
  const std::string id = "案件-2024-整改-001";
  StepCommit create = Create(id, 1000, "整改通知", "[\"整改中\",\"🚧 审核\"]");
  create.case_row.data = "{\"标题\":\"关于某公司数据安全问题的整改通知\",\"quote\":\"\\\"x\\\"\"}";
  create.case_row.parties = "{\"责任单位\":[\"广西壮族自治区某科技有限公司\"]}";
  create.case_row.snapshot = "{\"s\":\"零\\u0000宽\"}";
  create.history.actor = "监管部门/张三";
  create.history.input = "{\"事件\":\"下发通知\"}";
  create.add_timers = {Timer(1, 5000, "整改中")};
  create.outbox = {Out("短信", id + ":1:0")};
  create.outbox[0].payload = "{\"内容\":\"请于5个工作日内完成整改。\"}";
  Commit(*store, create);
  CaseRow row = Get(*store, id);
  CHECK(row.workflow == "整改通知");
  CHECK(row.state == "[\"整改中\",\"🚧 审核\"]");
  CHECK(row.data == create.case_row.data);
  CHECK(row.parties == create.case_row.parties);
  CHECK(row.snapshot == create.case_row.snapshot);
  auto history = Must(store->GetHistory(id));
  REQUIRE(history.size() == 1);
  CHECK(history[0].actor == "监管部门/张三");
  CHECK(history[0].input == "{\"事件\":\"下发通知\"}");
  CHECK(Must(store->GetTimers(id)).at(0).state == "整改中");
  auto out = Must(store->GetOutbox(id));
  REQUIRE(out.size() == 1);
  CHECK(out[0].adapter == "短信");
  CHECK(out[0].payload == "{\"内容\":\"请于5个工作日内完成整改。\"}");
  CaseFilter filter;
  filter.state = "🚧 审核";
  filter.party = "广西壮族自治区某科技有限公司";
  filter.workflow = "整改通知";
  CHECK(Ids(Must(store->ListCases(filter))) == std::vector<std::string>{id});
  CHECK(Must(store->ListCaseIds()) == std::vector<std::string>{id});
}

// ---- concurrency ----

inline void CommitsFromEightThreadsOnDifferentCasesAllLand(const StoreFactory& make) {
  auto store = Fresh(make);
  constexpr int kThreads = 8;
  constexpr int kSteps = 25;
  std::vector<std::vector<std::string>> errors(kThreads);  // Catch2 asserts are not thread-safe.
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, &errors, t] {
      std::string id = "case-" + std::to_string(t);
      StepCommit create = Create(id, 1000);
      create.add_timers = {Timer(1, 5000 + t)};
      Status status = store->CommitStep(create);
      if (!status.ok()) errors[t].push_back("create: " + status.message());
      CaseRow row = create.case_row;
      for (int i = 0; i < kSteps; ++i) {
        StepCommit next = Next(row, 2000 + i);
        next.outbox = {Out("log", id + ":" + std::to_string(next.case_row.revision) + ":0")};
        status = store->CommitStep(next);
        if (!status.ok()) errors[t].push_back("step " + std::to_string(i) + ": " + status.message());
        row = next.case_row;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(errors[t].empty());
    std::string id = "case-" + std::to_string(t);
    CHECK(Get(*store, id).revision == kSteps + 1);
    CHECK(Must(store->GetHistory(id)).size() == static_cast<size_t>(kSteps + 1));
    CHECK(Must(store->GetOutbox(id)).size() == static_cast<size_t>(kSteps));
  }
  CHECK(Must(store->CountTimers()) == kThreads);
  CHECK(Must(store->ListCaseIds()).size() == static_cast<size_t>(kThreads));
}

inline void OfTwoCommitsRacingOnOneCaseExactlyOneWins(const StoreFactory& make) {
  auto store = Fresh(make);
  Commit(*store, Create("c1", 1000));
  for (int round = 0; round < 20; ++round) {
    CaseRow row = Get(*store, "c1");
    Status results[2];
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        StepCommit next = Next(row, 2000 + round);
        next.case_row.data = "{\"winner\":" + std::to_string(t) + "}";
        next.add_timers = {Timer(100 + t, 9000)};
        next.outbox = {Out("log", "c1:" + std::to_string(round) + ":" + std::to_string(t))};
        ready.fetch_add(1);
        while (ready.load() < 2) std::this_thread::yield();
        results[t] = store->CommitStep(next);
      });
    }
    for (auto& thread : threads) thread.join();
    INFO("round " << round << ": " << results[0].message() << " / " << results[1].message());
    int wins = results[0].ok() + results[1].ok();
    REQUIRE(wins == 1);
    int winner = results[0].ok() ? 0 : 1;
    CHECK(results[1 - winner].code() == StatusCode::kConflict);
    CaseRow after = Get(*store, "c1");
    CHECK(after.revision == row.revision + 1);
    CHECK(after.data == "{\"winner\":" + std::to_string(winner) + "}");
    // Only the winner's timer and outbox row exist.
    auto timers = Must(store->GetTimers("c1"));
    REQUIRE(timers.size() == 1);
    CHECK(timers[0].timer_id == static_cast<uint32_t>(100 + winner));
    StepCommit clear = Next(after, 3000 + round);  // Remove it for the next round.
    clear.cancel_timers = {timers[0].timer_id};
    Commit(*store, clear);
  }
  auto outbox = Must(store->GetOutbox("c1"));
  CHECK(outbox.size() == 20);
  CHECK(Must(store->GetHistory("c1")).size() == 41);
}

// CountCases agrees with ListCases for every filter; CountOutbox with the rows.
inline void CountsAgreeWithTheLists(const StoreFactory& make) {
  auto store = Fresh(make);
  SeedThreeCases(*store);
  std::vector<CaseFilter> filters(7);
  filters[1].workflow = "rectification";
  filters[2].state = "reporting";
  filters[3].party = "unit-a";
  filters[4].overdue = true;
  filters[4].now_ms = 6000;
  filters[5].overdue = false;
  filters[5].now_ms = 6000;
  filters[6].workflow = "rectification";
  filters[6].limit = 1;  // Ignored by the count.
  filters[6].offset = 1;
  for (const CaseFilter& filter : filters) {
    CaseFilter all = filter;
    all.limit = 0;
    all.offset = 0;
    CHECK(Must(store->CountCases(filter)) ==
          static_cast<int64_t>(Must(store->ListCases(all)).size()));
  }
  CHECK(Must(store->CountCases(filters[0])) == 3);
  CHECK(Must(store->CountCases(filters[4])) == 1);
  OutboxCounts empty = Must(store->CountOutbox());
  CHECK(empty.pending == 0);
  CHECK(empty.dead == 0);
  StepCommit d = Create("d", 4000);
  d.outbox = {Out("log", "d:1:0", 4000), Out("log", "d:1:1", 4000), Out("log", "d:1:2", 4000)};
  Commit(*store, d);
  auto rows = Must(store->GetOutbox("d"));
  REQUIRE(rows.size() == 3);
  REQUIRE(store->MarkDelivered(rows[0].id).ok());
  REQUIRE(store->MarkFailed(rows[1].id, "down", 9000, /*dead=*/false).ok());
  REQUIRE(store->MarkFailed(rows[2].id, "down", 0, /*dead=*/true).ok());
  OutboxCounts counts = Must(store->CountOutbox());
  CHECK(counts.delivered == 1);
  CHECK(counts.pending == 1);
  CHECK(counts.dead == 1);
  CHECK(counts.failed_attempts == 2);
}

// Principals and sessions (web/auth): stored as given, ids unique, sessions
// deleted on logout.
inline void PrincipalsAndSessionsRoundTripAndIdsAreUnique(const StoreFactory& make) {
  auto store = make();
  PrincipalRow user;
  user.id = "user-李雷";
  user.kind = "user";
  user.name = "李雷";
  user.role = "partner_company";
  user.party = "某合作公司";
  user.secret_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  user.created_at_ms = 1700000000000;
  REQUIRE(store->PutPrincipal(user).ok());
  CHECK(store->PutPrincipal(user).code() == StatusCode::kConflict);
  PrincipalRow back = Must(store->GetPrincipal("user-李雷"));
  CHECK(back.kind == "user");
  CHECK(back.name == "李雷");
  CHECK(back.role == "partner_company");
  CHECK(back.party == "某合作公司");
  CHECK(back.secret_hash == user.secret_hash);
  CHECK(back.created_at_ms == user.created_at_ms);
  CHECK(store->GetPrincipal("user-nobody").status().code() == StatusCode::kNotFound);

  SessionRow session{"5e55", "user-李雷", "c5rf", 1700000000000, 1700000060000};
  REQUIRE(store->PutSession(session).ok());
  CHECK(store->PutSession(session).code() == StatusCode::kConflict);
  SessionRow read = Must(store->GetSession("5e55"));
  CHECK(read.principal_id == "user-李雷");
  CHECK(read.csrf_token == "c5rf");
  CHECK(read.created_at_ms == 1700000000000);
  CHECK(read.expires_at_ms == 1700000060000);
  REQUIRE(store->DeleteSession("5e55").ok());
  CHECK(store->GetSession("5e55").status().code() == StatusCode::kNotFound);
  CHECK(store->DeleteSession("5e55").ok());
}

// ---- durable runtime (issue 5): the chain's last link on the case row ----

inline void TheCaseRowCarriesTheNewestHistoryHash(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.case_row.last_hash = "ignored";  // The store takes history.hash.
  Commit(*store, create);
  CaseRow row = Get(*store, "c1");
  CHECK(row.last_hash == "h1");
  Commit(*store, Next(row, 2000));
  row = Get(*store, "c1");
  CHECK(row.last_hash == "h2");
  // A refused commit leaves it.
  StepCommit stale = Next(row, 3000);
  stale.expected_revision = 1;
  stale.case_row.revision = 2;
  stale.history.seq = 2;
  stale.history.hash = "stale";
  CHECK(store->CommitStep(stale).code() == StatusCode::kConflict);
  CHECK(Get(*store, "c1").last_hash == "h2");
  auto listed = Must(store->ListCases(CaseFilter{}));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].last_hash == "h2");
}

inline FollowUpRow FollowUp(const std::string& key, const std::string& target,
                            int64_t created_at_ms) {
  FollowUpRow row;
  row.key = key;
  row.kind = "submit";
  row.target = target;
  row.input = "{\"kind\":\"event\"}";
  row.created_at_ms = created_at_ms;
  return row;
}

inline std::vector<std::string> Keys(const std::vector<FollowUpRow>& rows) {
  std::vector<std::string> keys;
  for (const auto& row : rows) keys.push_back(row.key);
  return keys;
}

inline void FollowUpsAreWrittenWithTheStepAndDeletedByTheStepCarryingThemOut(
    const StoreFactory& make) {
  auto store = Fresh(make);
  Commit(*store, Create("c2", 1000));
  StepCommit create = Create("c1", 1000);
  create.follow_ups = {FollowUp("c1:1:0", "c2", 1000), FollowUp("c1:1:1", "c3", 1000)};
  create.follow_ups[1].kind = "start_child";
  create.follow_ups[1].workflow = "rectification";
  Commit(*store, create);
  auto pending = Must(store->GetFollowUps("c1"));
  REQUIRE(Keys(pending) == std::vector<std::string>{"c1:1:0", "c1:1:1"});
  CHECK(pending[0].case_id == "c1");
  CHECK(pending[0].target == "c2");
  CHECK(pending[0].input == "{\"kind\":\"event\"}");
  CHECK(pending[1].kind == "start_child");
  CHECK(pending[1].workflow == "rectification");
  CHECK(pending[1].created_at_ms == 1000);
  // c2's step carries out c1:1:0: the row goes with the commit.
  StepCommit step = Next(Get(*store, "c2"), 2000);
  step.follow_up_done = "c1:1:0";
  Commit(*store, step);
  CHECK(Keys(Must(store->GetFollowUps("c1"))) == std::vector<std::string>{"c1:1:1"});
  // Carried out again (a re-run): refused, nothing written.
  StepCommit again = Next(Get(*store, "c2"), 3000);
  again.follow_up_done = "c1:1:0";
  CHECK(store->CommitStep(again).code() == StatusCode::kFailedPrecondition);
  CHECK(Get(*store, "c2").revision == 2);
  CHECK(Must(store->GetHistory("c2")).size() == 2);
  // A created child carries out its start the same way.
  StepCommit child = Create("c3", 4000);
  child.follow_up_done = "c1:1:1";
  Commit(*store, child);
  CHECK(Must(store->GetFollowUps("c1")).empty());
  // Dropping: an unknown key is no error.
  StepCommit more = Next(Get(*store, "c1"), 5000);
  more.follow_ups = {FollowUp("c1:2:0", "c2", 5000)};
  Commit(*store, more);
  CHECK(store->DropFollowUp("c1:2:0").ok());
  CHECK(store->DropFollowUp("c1:2:0").ok());
  CHECK(Must(store->GetFollowUps("c1")).empty());
  // Malformed: an empty or repeated key, a row of another case.
  StepCommit bad = Next(Get(*store, "c1"), 6000);
  bad.follow_ups = {FollowUp("", "c2", 6000)};
  CHECK(store->CommitStep(bad).code() == StatusCode::kInvalidArgument);
  bad.follow_ups = {FollowUp("k", "c2", 6000), FollowUp("k", "c2", 6000)};
  CHECK(store->CommitStep(bad).code() == StatusCode::kInvalidArgument);
  bad.follow_ups = {FollowUp("k", "c2", 6000)};
  bad.follow_ups[0].case_id = "c2";
  CHECK(store->CommitStep(bad).code() == StatusCode::kInvalidArgument);
  CHECK(Get(*store, "c1").revision == 2);
}

inline void PendingFollowUpsAreClaimedOldestFirstUnderALease(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit a = Create("a", 1000);
  a.follow_ups = {FollowUp("a:1:0", "x", 1000), FollowUp("a:1:1", "y", 1000)};
  Commit(*store, a);
  StepCommit b = Create("b", 500);
  b.follow_ups = {FollowUp("b:1:0", "x", 500)};
  Commit(*store, b);
  StepCommit c = Create("c", 9000);
  c.follow_ups = {FollowUp("c:1:0", "x", 9000)};
  Commit(*store, c);
  // Only rows created by 1000, oldest first, up to the limit.
  auto first = Must(store->ClaimFollowUps("node-a", 1000, 10000, 5000, 2));
  CHECK(Keys(first) == std::vector<std::string>{"b:1:0", "a:1:0"});
  CHECK(first[0].claimed_by == "node-a");
  CHECK(first[0].claimed_until_ms == 15000);
  auto second = Must(store->ClaimFollowUps("node-b", 1000, 10000, 5000, 10));
  CHECK(Keys(second) == std::vector<std::string>{"a:1:1"});
  CHECK(Must(store->ClaimFollowUps("node-b", 1000, 14999, 5000, 10)).empty());
  // Once the leases ran out, another node takes them over.
  auto later = Must(store->ClaimFollowUps("node-b", 20000, 20000, 5000, 10));
  CHECK(Keys(later) == std::vector<std::string>{"b:1:0", "a:1:0", "a:1:1", "c:1:0"});
}

inline void CommitStepsAppliesEachCommitOnItsOwn(const StoreFactory& make) {
  auto store = Fresh(make);
  Commit(*store, Create("c1", 1000));
  Commit(*store, Create("c2", 1000));
  CaseRow c1 = Get(*store, "c1");
  CaseRow c2 = Get(*store, "c2");
  std::vector<StepCommit> batch;
  batch.push_back(Next(c1, 2000));                 // 0: ok
  StepCommit stale = Next(c2, 2000);               // 1: stale revision
  stale.expected_revision = 0;
  stale.case_row.revision = 1;
  stale.history.seq = 1;
  batch.push_back(stale);
  batch.push_back(Create("c3", 2000));             // 2: ok, with a timer and outbox row
  batch.back().add_timers = {Timer(1, 9000)};
  batch.back().outbox = {Out("log", "c3:1:0")};
  batch.push_back(Create("c1", 2000));             // 3: exists
  StepCommit broken = Next(c2, 2000);              // 4: malformed
  broken.case_row.id.clear();
  batch.push_back(broken);
  batch.push_back(Next(c2, 2100));                 // 5: ok
  StepCommit missing = Next(c2, 2200);             // 6: names no pending follow-up
  missing.case_row.id = "c4";
  missing.history.case_id = "c4";
  batch.push_back(missing);
  StepCommit gone = Next(c2, 2300);
  gone.follow_up_done = "nope";
  std::vector<Status> result = store->CommitSteps(batch);
  REQUIRE(result.size() == batch.size());
  CHECK(result[0].ok());
  CHECK(result[1].code() == StatusCode::kConflict);
  CHECK(result[2].ok());
  CHECK(result[3].code() == StatusCode::kConflict);
  CHECK(result[4].code() == StatusCode::kInvalidArgument);
  CHECK(result[5].ok());
  CHECK(result[6].code() == StatusCode::kNotFound);
  CHECK(Get(*store, "c1").revision == 2);
  CHECK(Get(*store, "c2").revision == 2);
  CHECK(Get(*store, "c2").updated_at_ms == 2100);
  CHECK(Get(*store, "c3").revision == 1);
  CHECK(Must(store->GetTimers("c3")).size() == 1);
  CHECK(Must(store->GetOutbox("c3")).size() == 1);
  CHECK(Must(store->GetHistory("c1")).size() == 2);
  CHECK(Must(store->GetHistory("c2")).size() == 2);
  CHECK(store->GetCase("c4").status().code() == StatusCode::kNotFound);
  // Two steps of one case in one batch apply in order; a refused follow-up
  // step writes nothing; an empty batch is no error.
  CaseRow now = Get(*store, "c1");
  StepCommit first = Next(now, 3000);
  CaseRow mid = first.case_row;
  StepCommit second = Next(mid, 3001);
  std::vector<Status> pair = store->CommitSteps({first, second, gone});
  REQUIRE(pair.size() == 3);
  CHECK(pair[0].ok());
  CHECK(pair[1].ok());
  CHECK(pair[2].code() == StatusCode::kFailedPrecondition);
  CHECK(Get(*store, "c1").revision == 4);
  CHECK(Get(*store, "c1").last_hash == "h4");
  CHECK(Get(*store, "c2").revision == 2);
  CHECK(store->CommitSteps({}).empty());
}

inline void CommitStepsOfDistinctCasesRefusesEachBadCommitAlone(const StoreFactory& make) {
  // One commit per case, so a backend may write the batch set-wise (the
  // PostgreSQL fast path): each refusal must still be the commit's own.
  auto store = Fresh(make);
  for (const char* id : {"a", "b", "c", "d", "e"}) Commit(*store, Create(id, 1000));
  StepCommit with_timers = Next(Get(*store, "e"), 1500);
  with_timers.add_timers = {Timer(1, 9000), Timer(2, 9500)};
  Commit(*store, with_timers);
  StepCommit parent = Next(Get(*store, "d"), 1500);
  parent.follow_ups = {FollowUp("d:2:0", "a", 1500)};
  Commit(*store, parent);

  std::vector<StepCommit> batch;
  StepCommit ok = Next(Get(*store, "a"), 2000);      // 0: ok, carries out d:2:0,
  ok.follow_up_done = "d:2:0";                        //    with an outbox row and a timer
  ok.outbox = {Out("log", "a:2:0"), Out("notify", "a:2:1")};
  ok.add_timers = {Timer(7, 8000)};
  batch.push_back(ok);
  StepCommit stale = Next(Get(*store, "b"), 2000);   // 1: stale revision
  stale.expected_revision = 0;
  stale.case_row.revision = 1;
  stale.history.seq = 1;
  batch.push_back(stale);
  batch.push_back(Create("c", 2000));                 // 2: exists
  StepCommit missing = Next(Get(*store, "c"), 2000);  // 3: no such case
  missing.case_row.id = "zz";
  missing.history.case_id = "zz";
  batch.push_back(missing);
  StepCommit not_pending = Next(Get(*store, "d"), 2000);  // 4: follow-up not pending
  not_pending.follow_up_done = "d:9:9";
  batch.push_back(not_pending);
  StepCommit replace = Next(Get(*store, "e"), 2000);  // 5: ok: fires 1, re-arms 2, adds 3
  replace.fired_timer = 1;
  replace.cancel_timers = {2};
  replace.add_timers = {Timer(2, 12000, "waiting"), Timer(3, 13000)};
  batch.push_back(replace);
  StepCommit fresh = Create("f", 2000);                // 6: ok, a new case
  fresh.add_timers = {Timer(1, 9000)};
  batch.push_back(fresh);
  std::vector<Status> result = store->CommitSteps(batch);
  REQUIRE(result.size() == batch.size());
  CHECK(result[0].ok());
  CHECK(result[1].code() == StatusCode::kConflict);
  CHECK(result[2].code() == StatusCode::kConflict);
  CHECK(result[3].code() == StatusCode::kNotFound);
  CHECK(result[4].code() == StatusCode::kFailedPrecondition);
  CHECK(result[5].ok());
  CHECK(result[6].ok());

  CHECK(Get(*store, "a").revision == 2);
  CHECK(Get(*store, "a").last_hash == "h2");
  CHECK(Must(store->GetHistory("a")).size() == 2);
  CHECK(Must(store->GetFollowUps("d")).empty());
  auto outbox = Must(store->GetOutbox("a"));
  REQUIRE(outbox.size() == 2);
  CHECK(outbox[0].idempotency_key == "a:2:0");
  CHECK(outbox[1].idempotency_key == "a:2:1");
  CHECK(outbox[0].id < outbox[1].id);
  CHECK(Must(store->GetTimers("a")).size() == 1);
  // Refused commits wrote nothing.
  CHECK(Get(*store, "b").revision == 1);
  CHECK(Must(store->GetHistory("b")).size() == 1);
  CHECK(Get(*store, "c").revision == 1);
  CHECK(store->GetCase("zz").status().code() == StatusCode::kNotFound);
  CHECK(Get(*store, "d").revision == 2);
  CHECK(Must(store->GetHistory("d")).size() == 2);
  // e: timer 1 gone (fired), 2 re-armed with its new due time, 3 added.
  auto timers = Must(store->GetTimers("e"));
  REQUIRE(timers.size() == 2);
  CHECK(timers[0].timer_id == 2);
  CHECK(timers[0].due_at_ms == 12000);
  CHECK(timers[0].state == "waiting");
  CHECK(timers[1].timer_id == 3);
  CHECK(Get(*store, "f").revision == 1);
  CHECK(Must(store->GetTimers("f")).size() == 1);

  // A timer id the step adds while it is still pending (not cancelled):
  // malformed, refused alone.
  std::vector<StepCommit> second;
  StepCommit clash = Next(Get(*store, "e"), 3000);
  clash.add_timers = {Timer(3, 14000)};
  second.push_back(clash);
  second.push_back(Next(Get(*store, "b"), 3000));
  std::vector<Status> again = store->CommitSteps(second);
  REQUIRE(again.size() == 2);
  CHECK(again[0].code() == StatusCode::kInvalidArgument);
  CHECK(again[1].ok());
  CHECK(Get(*store, "e").revision == 3);
  CHECK(Must(store->GetTimers("e"))[1].due_at_ms == 13000);
  CHECK(Get(*store, "b").revision == 2);
}

inline void CommitStepsFromEightThreadsAllLand(const StoreFactory& make) {
  auto store = Fresh(make);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::vector<StepCommit> batch;
      for (int i = 0; i < 10; ++i) batch.push_back(Create("t" + std::to_string(t) + "-" + std::to_string(i)));
      for (const Status& status : store->CommitSteps(batch)) {
        if (!status.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  CHECK(Must(store->ListCaseIds()).size() == 80);
}

// ---- durable runtime (issue 5): delivery attempts ----

inline void DeliveryAttemptsAreAppendedAndListedPerCaseInOrder(const StoreFactory& make) {
  auto store = Fresh(make);
  CHECK(Must(store->ListDeliveryAttempts("c1")).empty());
  auto attempt = [](const std::string& case_id, int n, const std::string& outcome,
                    const std::string& error) {
    DeliveryAttemptRow a;
    a.case_id = case_id;
    a.outbox_id = 7;
    a.attempt = n;
    a.channel = "webhook";
    a.outcome = outcome;
    a.error = error;
    a.at_ms = 1000 * n;
    return a;
  };
  REQUIRE(store->AddDeliveryAttempt(attempt("c1", 1, "retry", "answered 503 — 稍后")).ok());
  REQUIRE(store->AddDeliveryAttempt(attempt("c2", 1, "delivered", "")).ok());
  REQUIRE(store->AddDeliveryAttempt(attempt("c1", 2, "dead", "answered 503")).ok());
  auto c1 = Must(store->ListDeliveryAttempts("c1"));
  REQUIRE(c1.size() == 2);
  CHECK(c1[0].id < c1[1].id);
  CHECK(c1[0].case_id == "c1");
  CHECK(c1[0].outbox_id == 7);
  CHECK(c1[0].attempt == 1);
  CHECK(c1[0].channel == "webhook");
  CHECK(c1[0].outcome == "retry");
  CHECK(c1[0].error == "answered 503 — 稍后");
  CHECK(c1[0].at_ms == 1000);
  CHECK(c1[1].attempt == 2);
  CHECK(c1[1].outcome == "dead");
  auto c2 = Must(store->ListDeliveryAttempts("c2"));
  REQUIRE(c2.size() == 1);
  CHECK(c2[0].outcome == "delivered");
  CHECK(c2[0].error.empty());
}

// ---- the web view's reads (issue 6 performance) ----

inline void CaseDetailHoldsTheCaseWithItsHistoryOutboxAndAttempts(const StoreFactory& make) {
  auto store = Fresh(make);
  StepCommit create = Create("c1", 1000);
  create.outbox = {Out("log", "c1:1:0"), Out("webhook", "c1:1:1")};
  Commit(*store, create);
  Commit(*store, Next(Get(*store, "c1"), 2000));
  Commit(*store, Create("c2", 1500));  // Another case's rows stay out.
  DeliveryAttemptRow attempt;
  attempt.case_id = "c1";
  attempt.outbox_id = 1;
  attempt.attempt = 1;
  attempt.channel = "log";
  attempt.outcome = "delivered";
  attempt.at_ms = 2500;
  REQUIRE(store->AddDeliveryAttempt(attempt).ok());
  attempt.case_id = "c2";
  REQUIRE(store->AddDeliveryAttempt(attempt).ok());

  CaseDetail detail = Must(store->GetCaseDetail("c1"));
  CHECK(detail.row.id == "c1");
  CHECK(detail.row.revision == 2);
  CHECK(detail.row.last_hash == "h2");
  REQUIRE(detail.history.size() == 2);
  CHECK(detail.history[0].seq == 1);
  CHECK(detail.history[1].seq == 2);
  CHECK(detail.history[1].prev_hash == "h1");
  REQUIRE(detail.outbox.size() == 2);
  CHECK(detail.outbox[0].idempotency_key == "c1:1:0");
  CHECK(detail.outbox[1].adapter == "webhook");
  CHECK(detail.outbox[0].id < detail.outbox[1].id);
  REQUIRE(detail.attempts.size() == 1);
  CHECK(detail.attempts[0].case_id == "c1");
  CHECK(detail.attempts[0].outcome == "delivered");

  CaseDetail other = Must(store->GetCaseDetail("c2"));
  CHECK(other.row.id == "c2");
  CHECK(other.history.size() == 1);
  CHECK(other.outbox.empty());
  CHECK(other.attempts.size() == 1);

  // Quotes in an id are data, not SQL.
  Result<CaseDetail> missing = store->GetCaseDetail("no'; DROP TABLE cases; --");
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK(store->GetCaseDetail("c9").status().code() == StatusCode::kNotFound);
  CHECK(Get(*store, "c2").id == "c2");
}

inline void CaseCountsGroupByWorkflowStateAndStatus(const StoreFactory& make) {
  auto store = Fresh(make);
  CaseCounts empty = Must(store->CountCasesByState());
  CHECK(empty.by_state.empty());
  CHECK(empty.steps == 0);
  CHECK_FALSE(empty.earliest_running_due_ms.has_value());

  StepCommit a = Create("a", 1000);  // rectification, [rectifying], due 9000.
  a.case_row.next_due_ms = 9000;
  Commit(*store, a);
  Commit(*store, Next(Get(*store, "a"), 2000));  // Two steps.
  StepCommit b = Create("b", 1000);
  b.case_row.next_due_ms = 7000;
  Commit(*store, b);
  // Two active states (a parallel state): counted under each.
  Commit(*store, Create("c", 1000, "rectification", "[\"review\",\"rectifying\"]"));
  StepCommit done = Create("d", 1000, "rectification", "[\"closed\"]");
  done.case_row.status = CaseStatus::kCompleted;
  done.case_row.next_due_ms = 100;  // A completed case's due time is not a lag.
  Commit(*store, done);
  Commit(*store, Create("e", 1000, "evidence", "[]"));  // No active state.
  Commit(*store, Create("f", 1000, "evidence", "[\"收集\"]"));

  CaseCounts counts = Must(store->CountCasesByState());
  auto line = [](const CaseStateCount& c) {
    return c.workflow + "/" + c.state + "/" + CaseStatusText(c.status) + "=" +
           std::to_string(c.cases);
  };
  std::vector<std::string> lines;
  for (const CaseStateCount& c : counts.by_state) lines.push_back(line(c));
  CHECK(lines == std::vector<std::string>{"evidence//running=1", "evidence/收集/running=1",
                                          "rectification/closed/completed=1",
                                          "rectification/rectifying/running=3",
                                          "rectification/review/running=1"});
  CHECK(counts.steps == 7);  // a: 2, the five others: 1 each.
  REQUIRE(counts.earliest_running_due_ms.has_value());
  CHECK(*counts.earliest_running_due_ms == 7000);
}

inline void DeepPagesOfAFilteredListMatchTheWholeList(const StoreFactory& make) {
  auto store = Fresh(make);
  for (int i = 0; i < 30; ++i) {
    // Ties in updated_at (i / 3) are ordered by id.
    std::string id = "k" + std::to_string(100 + (i * 7) % 30);
    Commit(*store, Create(id, 1000 + i / 3, i % 2 == 0 ? "rectification" : "evidence"));
  }
  CaseFilter filter;
  filter.workflow = "rectification";
  filter.limit = 0;
  std::vector<std::string> all = Ids(Must(store->ListCases(filter)));
  REQUIRE(all.size() == 15);
  for (int offset : {1, 4, 13, 14, 15, 20}) {
    filter.limit = 4;
    filter.offset = offset;
    std::vector<std::string> expected;
    for (int i = offset; i < std::min<int>(offset + 4, all.size()); ++i) expected.push_back(all[i]);
    INFO("offset " << offset);
    CHECK(Ids(Must(store->ListCases(filter))) == expected);
  }
}

}  // namespace zgtflow::store::conformance

// Defines one Catch2 test case per clause, named "BACKEND: sentence".
#define ZGT_STORE_CONFORMANCE_CASE(backend, factory, sentence, check)  \
  TEST_CASE(backend ": " sentence, "[store]") {                         \
    ::zgtflow::store::conformance::check(factory);                      \
  }

#define ZGT_STORE_CONFORMANCE(backend, factory)                                                    \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a definition is inserted once and listed by workflow, then deployment time",                \
      DefinitionsInsertOnceAndListInOrder)                                                         \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "principals and sessions round-trip, ids are unique, a deleted session is gone",             \
      PrincipalsAndSessionsRoundTripAndIdsAreUnique)                                               \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "case and outbox counts agree with the lists",                                               \
      CountsAgreeWithTheLists)                                                                     \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a created case reads back as committed, with history seq 1",                                \
      CreatedCaseReadsBackWithHistorySeqOne)                                                       \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "an unknown case is not found and has no history, timers, outbox or children",               \
      UnknownCaseIsNotFoundWithEmptyHistory)                                                       \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "each step appends history in seq order and replaces the case row",                          \
      StepsAppendHistoryAndReplaceTheCaseRow)                                                      \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "creating an existing case id is a conflict that writes nothing",                            \
      CreatingAnIdTwiceIsAConflictThatWritesNothing)                                               \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a commit from a stale revision is a conflict that writes nothing",                          \
      AStaleRevisionIsAConflictThatWritesNothing)                                                  \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a step on a case that does not exist is not found and writes nothing",                      \
      AnUpdateOfAnUnknownCaseIsNotFound)                                                           \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a commit breaking the commit rules is refused and writes nothing",                          \
      CommitsBreakingTheRulesAreRefusedAndWriteNothing)                                            \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "rows of a commit with an empty case id take the case's id",                                 \
      EmptyCaseIdsInRowsAreFilledWithTheCaseId)                                                    \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "case lists filter by workflow, whole state name and party",                                 \
      ListsFilterByWorkflowStateAndParty)                                                          \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "case lists select overdue cases by next due time before now",                              \
      ListsFilterOverdueCasesAgainstNow)                                                           \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "case lists run from the latest update, then by id, paged by limit and offset",              \
      ListsOrderByLatestUpdateThenIdAndPage)                                                       \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a case's children are listed by creation time, then id",                                    \
      ChildrenAreListedByCreationTimeThenId)                                                       \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "case ids and the timer count cover every case",                                             \
      CaseIdsAndTimerCountCoverEveryCase)                                                          \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "timers are added, cancelled, and deleted with the step that fires them",                    \
      TimersAreAddedCancelledAndDeletedWhenFired)                                                  \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "cancelling and adding one timer id in a step replaces the timer",                           \
      CancelAndReAddOfOneTimerIdReplacesIt)                                                        \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "due timers are claimed in due, case, timer order up to the limit",                          \
      DueTimersAreClaimedInDueCaseTimerOrderUpToTheLimit)                                          \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a claimed timer is claimed again only once its lease has expired",                          \
      AClaimedTimerIsClaimedAgainOnlyAfterItsLeaseExpires)                                         \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "outbox rows get increasing ids and are claimed in order under a lease",                     \
      OutboxRowsGetIncreasingIdsAndAreClaimedInOrderWithALease)                                    \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a delivered outbox row is never claimed again",                                             \
      ADeliveredOutboxRowIsNeverClaimedAgain)                                                      \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a failed outbox row is retried at its next attempt time and a dead one never",              \
      AFailedOutboxRowIsRetriedAtItsNextAttemptAndADeadOneNever)                                   \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "Unicode text round-trips through every column and filter",                                  \
      UnicodeTextRoundTripsThroughEveryColumn)                                                     \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "commits from 8 threads on different cases all land",                                       \
      CommitsFromEightThreadsOnDifferentCasesAllLand)                                              \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "of two commits racing on one case exactly one wins",                                        \
      OfTwoCommitsRacingOnOneCaseExactlyOneWins)                                                   \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "follow-ups are written with their step and deleted by the step carrying them out",          \
      FollowUpsAreWrittenWithTheStepAndDeletedByTheStepCarryingThemOut)                            \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "pending follow-ups are claimed oldest first under a lease",                                 \
      PendingFollowUpsAreClaimedOldestFirstUnderALease)                                            \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "CommitSteps applies each commit of a batch on its own",                                     \
      CommitStepsAppliesEachCommitOnItsOwn)                                                        \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "CommitSteps of distinct cases refuses each bad commit alone",                               \
      CommitStepsOfDistinctCasesRefusesEachBadCommitAlone)                                         \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "CommitSteps from 8 threads all land",                                                       \
      CommitStepsFromEightThreadsAllLand)                                                          \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "the case row carries the hash of its newest history entry",                                 \
      TheCaseRowCarriesTheNewestHistoryHash)                                                    \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "delivery attempts are appended and listed per case in order",                               \
      DeliveryAttemptsAreAppendedAndListedPerCaseInOrder)                                          \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "a case's detail holds the case with its own history, outbox and delivery attempts",         \
      CaseDetailHoldsTheCaseWithItsHistoryOutboxAndAttempts)                                       \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "cases are counted by workflow, each active state and status, with steps and earliest due",  \
      CaseCountsGroupByWorkflowStateAndStatus)                                                     \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "deep pages of a filtered case list are the whole list's rows at that offset",               \
      DeepPagesOfAFilteredListMatchTheWholeList)                                                   \
  ZGT_STORE_CONFORMANCE_CASE(backend, factory,                                                     \
      "GetCases reads the existing cases among the ids, once each, in id order",                   \
      GetCasesReadsTheExistingCasesOnceEachInIdOrder)
