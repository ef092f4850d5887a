// CaseRunner::CreateAsync / SubmitAsync through a CommitPipeline: the
// callback gets what Create and Submit would return, once the step is
// committed; refusals, unknown cases, conflicts (retried) and follow-ups
// behave as in the blocking calls; many chains on SQLite store every step once.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>
#include <vector>

#include "engine/runtime/audit_chain.h"
#include "engine/runtime/commit_pipeline.h"
#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

constexpr const char* kRectData = R"({"subject": "平台稳定性不达标", "findings": "月度宕机 3 次"})";

// A runtime whose second runner commits async calls through its own
// pipeline (over `store`, or the runtime's memory store).
struct Pipelined {
  explicit Pipelined(store::Store* store = nullptr)
      : rt(store), pipeline(rt.store), runner(rt.store, &rt.registry, &rt.clock, &rt.calendar,
                                              Options(&pipeline)) {}
  static CaseRunner::Options Options(CommitPipeline* pipeline) {
    CaseRunner::Options options;
    options.pipeline = pipeline;
    return options;
  }
  testing::Runtime rt;
  CommitPipeline pipeline;
  CaseRunner runner;
};

Result<CaseView> CreateAndWait(CaseRunner& runner, const std::string& workflow,
                               const std::string& role, const std::string& data) {
  std::promise<Result<CaseView>> answer;
  runner.CreateAsync(workflow, role, "", data, {}, "", "",
                     [&](Result<CaseView> view) { answer.set_value(std::move(view)); });
  return answer.get_future().get();
}

Result<CaseView> SubmitAndWait(CaseRunner& runner, const std::string& id, core::Input input) {
  std::promise<Result<CaseView>> answer;
  runner.SubmitAsync(id, std::move(input),
                     [&](Result<CaseView> view) { answer.set_value(std::move(view)); });
  return answer.get_future().get();
}

TEST_CASE("CreateAsync and SubmitAsync store what Create and Submit store", "[runtime]") {
  Pipelined p;
  auto& [rt, pipeline, runner] = p;
  Result<CaseView> created = CreateAndWait(runner, "rectification", "management_unit", kRectData);
  REQUIRE(created.ok());
  REQUIRE(created->accepted());
  CHECK(created->row.state == "[\"rectifying\"]");
  // 14 days and 3 days before the two-month deadline, and the deadline.
  CHECK(rt.store->GetTimers(created->row.id)->size() == 3);

  Result<CaseView> submitted =
      SubmitAndWait(runner, created->row.id, core::Input::Event("submit", "project_company"));
  REQUIRE(submitted.ok());
  REQUIRE(submitted->accepted());
  CHECK(submitted->row.state == "[\"verifying\"]");
  CHECK(submitted->row.revision == 2);
  CHECK(rt.store->GetTimers(created->row.id)->empty());

  auto history = rt.store->GetHistory(created->row.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(VerifyChain(created->row.id, *history, 2).ok());
  CHECK(rt.store->GetCase(created->row.id)->last_hash == history->back().hash);
  CHECK(pipeline.totals().commits() == 2);
}

TEST_CASE("a refused async input comes back with its rejection and stores nothing",
          "[runtime]") {
  Pipelined p;
  auto& [rt, pipeline, runner] = p;
  Result<CaseView> created = CreateAndWait(runner, "rectification", "management_unit", kRectData);
  REQUIRE(created.ok());
  // Only the management unit accepts a rectification.
  Result<CaseView> refused =
      SubmitAndWait(runner, created->row.id, core::Input::Event("accept", "project_company"));
  REQUIRE(refused.ok());
  REQUIRE(refused->rejection);
  CHECK(refused->row.revision == 1);
  CHECK(rt.store->GetHistory(created->row.id)->size() == 1);

  Result<CaseView> unknown =
      SubmitAndWait(runner, "no-such-case", core::Input::Event("submit", "project_company"));
  CHECK(unknown.status().code() == StatusCode::kNotFound);
  Result<CaseView> no_workflow = CreateAndWait(runner, "no_such_workflow", "management_unit", "");
  CHECK(no_workflow.status().code() == StatusCode::kNotFound);
}

// A MemoryStore whose batches refuse the first `conflicts` updates with a
// conflict, as if another node had committed first.
class ConflictingStore : public store::MemoryStore {
 public:
  explicit ConflictingStore(int conflicts) : conflicts_(conflicts) {}
  std::vector<Status> CommitSteps(const std::vector<store::StepCommit>& commits) override {
    std::vector<Status> out;
    for (const store::StepCommit& commit : commits) {
      ++commits_seen;
      if (!commit.create && conflicts_ > 0) {
        --conflicts_;
        out.push_back(Status(StatusCode::kConflict, "another step got there first"));
      } else {
        out.push_back(store::MemoryStore::CommitStep(commit));
      }
    }
    return out;
  }
  std::atomic<int> commits_seen{0};

 private:
  std::atomic<int> conflicts_;
};

TEST_CASE("an async commit refused as a conflict is stepped again and retried", "[runtime]") {
  ConflictingStore flaky(2);
  Pipelined p(&flaky);
  auto& [rt, pipeline, runner] = p;
  Result<CaseView> created = CreateAndWait(runner, "rectification", "management_unit", kRectData);
  REQUIRE(created.ok());
  Result<CaseView> submitted =
      SubmitAndWait(runner, created->row.id, core::Input::Event("submit", "project_company"));
  REQUIRE(submitted.ok());
  CHECK(submitted->accepted());
  CHECK(submitted->row.revision == 2);
  CHECK(flaky.commits_seen == 4);  // The create, two conflicts, the success.

  ConflictingStore always(1000);
  Pipelined q(&always);
  auto& [busy, busy_pipeline, busy_runner] = q;
  Result<CaseView> other = CreateAndWait(busy_runner, "rectification", "management_unit", kRectData);
  REQUIRE(other.ok());
  Result<CaseView> gave_up =
      SubmitAndWait(busy_runner, other->row.id, core::Input::Event("submit", "project_company"));
  CHECK(gave_up.status().code() == StatusCode::kConflict);
  CHECK(busy.store->GetCase(other->row.id)->revision == 1);
}

TEST_CASE("an async step's follow-ups run before its callback: a failed assessment's child",
          "[runtime]") {
  Pipelined p;
  auto& [rt, pipeline, runner] = p;
  Result<CaseView> assessment =
      CreateAndWait(runner, "annual_assessment", "management_unit", R"({"year": 2025})");
  REQUIRE(assessment.ok());
  Result<CaseView> failed = SubmitAndWait(
      runner, assessment->row.id,
      core::Input::Event("fail", "management_unit",
                         {{"construction_ok", model::Value::Bool(true)},
                          {"operation_ok", model::Value::Bool(false)},
                          {"om_ok", model::Value::Bool(true)}}));
  REQUIRE(failed.ok());
  CHECK(failed->follow_up_errors.empty());
  auto children = rt.store->ListChildren(assessment->row.id);
  REQUIRE(children.ok());
  REQUIRE(children->size() == 1);
  CHECK(children->front().workflow == "rectification");
}

// 16 chains, each running 4 rectifications (create, submit, accept) one
// input at a time from the callbacks, on SQLite: every case ends closed with
// 3 history entries whose chain verifies.
TEST_CASE("chains of async inputs on SQLite store every step once", "[runtime]") {
  testing::TempDir dir;
  auto opened = store::OpenStore("sqlite:" + dir.File("zgtflow.db"));
  REQUIRE(opened.ok());
  constexpr int kChains = 16;
  constexpr int kCases = 4;
  std::atomic<int> failures{0};
  std::atomic<int> ended{0};
  std::vector<std::string> ids(kChains * kCases);
  // Declared before the pipeline, so that its committers (which may still be
  // returning from the last callback) stop before these go.
  std::function<void(int, int)> run_case;
  Pipelined p(opened.value().get());
  auto& [rt, pipeline, runner] = p;
  {
    run_case = [&](int chain, int n) {
      if (n == kCases) {
        ++ended;
        return;
      }
      const std::string id = "rect-" + std::to_string(chain) + "-" + std::to_string(n);
      ids[chain * kCases + n] = id;
      runner.CreateAsync(
          "rectification", "management_unit", "", kRectData, {}, "", id,
          [&, chain, n, id](Result<CaseView> created) {
            if (!created.ok() || !created->accepted()) ++failures;
            runner.SubmitAsync(
                id, core::Input::Event("submit", "project_company"),
                [&, chain, n, id](Result<CaseView> submitted) {
                  if (!submitted.ok() || !submitted->accepted()) ++failures;
                  runner.SubmitAsync(id, core::Input::Event("accept", "management_unit"),
                                     [&, chain, n](Result<CaseView> accepted) {
                                       if (!accepted.ok() || !accepted->accepted()) ++failures;
                                       run_case(chain, n + 1);
                                     });
                });
          });
    };
    for (int chain = 0; chain < kChains; ++chain) run_case(chain, 0);
    while (ended.load() < kChains) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(pipeline.totals().commits() == kChains * kCases * 3);
    CHECK(pipeline.totals().batches() < pipeline.totals().commits());
  }
  CHECK(failures == 0);
  for (const std::string& id : ids) {
    auto row = rt.store->GetCase(id);
    REQUIRE(row.ok());
    CHECK(row->state == "[\"closed\"]");
    auto history = rt.store->GetHistory(id);
    REQUIRE(history.ok());
    CHECK(history->size() == 3);
    CHECK(VerifyChain(id, *history, row->revision).ok());
  }
}

}  // namespace
}  // namespace zgtflow::runtime
