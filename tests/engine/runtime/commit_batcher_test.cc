// CommitBatcher: concurrent commits share CommitSteps calls, each caller gets
// its own commit's Status, and a CaseRunner using it stores what it would
// store without it.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "engine/runtime/audit_chain.h"
#include "engine/runtime/commit_batcher.h"
#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/engine/runtime/runtime_fixture.h"
#include "tests/engine/runtime/slow_store.h"

namespace zgtflow::runtime {
namespace {

using testing::NewCaseCommit;
using testing::SlowStore;

TEST_CASE("commits arriving while a batch is in flight are committed together in the next",
          "[runtime]") {
  SlowStore store(std::chrono::milliseconds(30), 1);
  CommitBatcher batcher(&store);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  // One commit first, so the other eight arrive while it is in flight.
  std::thread first([&] {
    store::StepCommit commit = NewCaseCommit("first");
    if (batcher.Commit(commit).ok()) ++ok;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      store::StepCommit commit = NewCaseCommit("c" + std::to_string(i));
      Status status = batcher.Commit(commit);
      // The commit comes back to its owner after its batch.
      if (status.ok() && commit.case_row.id == "c" + std::to_string(i)) ++ok;
    });
  }
  first.join();
  for (auto& thread : threads) thread.join();
  CHECK(ok == 9);
  CHECK(batcher.totals().commits() == 9);
  CHECK(store.ListCaseIds().value().size() == 9);
  REQUIRE(store.sizes.size() >= 2);
  CHECK(store.sizes[0] == 1);
  CHECK(store.sizes.size() <= 3);  // 8 waiters: one batch, or two if one came late.
  CHECK(batcher.totals().batches() == static_cast<int64_t>(store.sizes.size()));
}

TEST_CASE("a store that can commit several batches at once gets that many in flight, no more",
          "[runtime]") {
  // Says it can run 3 batches at once; each takes 2 ms.
  SlowStore store(std::chrono::milliseconds(2), 3);
  CommitBatcher batcher(&store);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 32; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        store::StepCommit commit = NewCaseCommit("c" + std::to_string(t) + "-" + std::to_string(i));
        if (batcher.Commit(commit).ok()) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 32 * 20);
  CHECK(batcher.totals().commits() == 32 * 20);
  CHECK(store.ListCaseIds().value().size() == 32 * 20);
  CHECK(store.most.load() == 3);
  // Group commit still happened: fewer batches than commits.
  CHECK(batcher.totals().batches() < batcher.totals().commits());
}

TEST_CASE("many callers through a fast store all return, each with its own commit", "[runtime]") {
  // No sleeping store: leaders hand the lead on constantly; a lost hand-off
  // would leave a caller waiting forever (the test would hang).
  store::MemoryStore store;
  for (int in_flight : {1, 4}) {
    CommitBatcher::Options options;
    options.max_in_flight = in_flight;
    options.max_batch = 8;
    CommitBatcher batcher(&store, options);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 64; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          const std::string id =
              std::to_string(in_flight) + "-" + std::to_string(t) + "-" + std::to_string(i);
          store::StepCommit commit = NewCaseCommit(id);
          if (batcher.Commit(commit).ok() && commit.case_row.id == id) ++ok;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(ok == 64 * 200);
    CHECK(batcher.totals().commits() == 64 * 200);
  }
}

TEST_CASE("each caller of the batcher gets its own commit's status", "[runtime]") {
  store::MemoryStore store;
  CommitBatcher batcher(&store);
  store::StepCommit a = NewCaseCommit("a");
  REQUIRE(batcher.Commit(a).ok());
  store::StepCommit again = NewCaseCommit("a");
  CHECK(batcher.Commit(again).code() == StatusCode::kConflict);
  store::StepCommit bad = NewCaseCommit("");
  CHECK(batcher.Commit(bad).code() == StatusCode::kInvalidArgument);
  store::StepCommit b = NewCaseCommit("b");
  CHECK(batcher.Commit(b).ok());
}

// 8 threads drive app_listing cases through one runner on SQLite with the
// batcher: every case ends listed with 7 history entries whose chain verifies.
TEST_CASE("a runner committing through the batcher on SQLite stores every step once",
          "[runtime]") {
  testing::TempDir dir;
  auto opened = store::OpenStore("sqlite:" + dir.File("zgtflow.db"));
  REQUIRE(opened.ok());
  testing::Runtime rt(opened.value().get());
  CommitBatcher batcher(rt.store);
  CaseRunner::Options options;
  options.batcher = &batcher;
  CaseRunner runner(rt.store, &rt.registry, &rt.clock, &rt.calendar, options);
  // app_listing needs an authorised partner first (case_in).
  const std::string code = "91350200MA2XYZ";
  auto partner = runner.Create("partner_onboarding", "ecosystem_unit", "",
                               R"({"company": "某科技公司", "credit_code": ")" + code + "\"}");
  REQUIRE(partner.ok());
  REQUIRE(partner->accepted());
  for (const auto& [event, role] : std::vector<std::pair<std::string, std::string>>{
           {"review", "project_company"}, {"approve", "project_company"},
           {"consent", "management_unit"}}) {
    REQUIRE(runner.Submit(partner->row.id, core::Input::Event(event, role))->accepted());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        auto view = runner.Create(
            "app_listing", "ecosystem_unit", "",
            R"({"app_name": "应用)" + std::to_string(t * 10 + i) +
                R"(", "category": "政务", "terminals": ["app"], "connected_to_base": true, "credit_code": ")" +
                code + "\"}",
            {}, "", "app-" + std::to_string(t) + "-" + std::to_string(i));
        if (!view.ok() || !view->accepted()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  CHECK(batcher.totals().commits() == 24 + 4);
  for (int t = 0; t < 8; ++t) {
    for (int i = 0; i < 3; ++i) {
      const std::string id = "app-" + std::to_string(t) + "-" + std::to_string(i);
      auto row = rt.store->GetCase(id);
      REQUIRE(row.ok());
      auto history = rt.store->GetHistory(id);
      REQUIRE(history.ok());
      CHECK(static_cast<int64_t>(history->size()) == row->revision);
      CHECK(VerifyChain(id, *history, row->revision).ok());
      CHECK(row->last_hash == history->back().hash);
    }
  }
}

}  // namespace
}  // namespace zgtflow::runtime
