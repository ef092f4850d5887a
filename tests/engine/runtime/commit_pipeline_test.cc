// CommitPipeline: commits handed over with a callback are written in shared
// batches, each callback gets its own commit back with its own Status, a
// callback may hand over the next commit, and destroying the pipeline
// commits everything handed over.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "engine/runtime/commit_pipeline.h"
#include "engine/store/memory/memory_store.h"
#include "tests/engine/runtime/slow_store.h"

namespace zgtflow::runtime {
namespace {

using testing::NewCaseCommit;
using testing::SlowStore;

TEST_CASE("commits handed to the pipeline while a batch is written share the next batch",
          "[runtime]") {
  SlowStore store(std::chrono::milliseconds(30), 1);
  std::atomic<int> ok{0};
  {
    CommitPipeline pipeline(&store);
    pipeline.Commit(NewCaseCommit("first"), [&](Status status, store::StepCommit commit) {
      if (status.ok() && commit.case_row.id == "first") ++ok;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (int i = 0; i < 8; ++i) {
      const std::string id = "c" + std::to_string(i);
      // Each callback gets its own commit back.
      pipeline.Commit(NewCaseCommit(id), [&, id](Status status, store::StepCommit commit) {
        if (status.ok() && commit.case_row.id == id) ++ok;
      });
    }
  }  // Destroyed: everything handed over is committed first.
  CHECK(ok == 9);
  CHECK(store.ListCaseIds().value().size() == 9);
  REQUIRE(store.sizes.size() >= 2);
  CHECK(store.sizes[0] == 1);
  CHECK(store.sizes.size() <= 3);
}

TEST_CASE("each commit in a pipeline batch gets its own status", "[runtime]") {
  store::MemoryStore store;
  REQUIRE(store.CommitStep(NewCaseCommit("taken")).ok());
  std::mutex mutex;
  std::map<std::string, StatusCode> codes;
  {
    CommitPipeline pipeline(&store);
    for (const std::string id : {"a", "taken", "", "b"}) {
      pipeline.Commit(NewCaseCommit(id), [&, id](Status status, store::StepCommit) {
        std::lock_guard<std::mutex> lock(mutex);
        codes[id] = status.code();
      });
    }
  }
  CHECK(codes.at("a") == StatusCode::kOk);
  CHECK(codes.at("taken") == StatusCode::kConflict);
  CHECK(codes.at("") == StatusCode::kInvalidArgument);
  CHECK(codes.at("b") == StatusCode::kOk);
}

TEST_CASE("chains of commits, each handed over by the last one's callback, run to the end",
          "[runtime]") {
  // 32 chains of 40 commits on a store that runs 3 batches at once: no
  // thread per chain, the committers run the callbacks, batches overlap up
  // to the store's limit and never beyond it.
  SlowStore store(std::chrono::milliseconds(1), 3);
  constexpr int kChains = 32;
  constexpr int kLength = 40;
  std::atomic<int> ok{0};
  std::mutex threads_mutex;
  std::set<std::thread::id> callback_threads;
  int64_t batches = 0;
  int64_t commits = 0;
  // Declared before the pipeline, so that its committers (which may still be
  // returning from the last callback) stop before it goes.
  std::function<void(int, int)> next;
  {
    CommitPipeline pipeline(&store);
    next = [&](int chain, int n) {
      const std::string id = std::to_string(chain) + "-" + std::to_string(n);
      pipeline.Commit(NewCaseCommit(id), [&, chain, n, id](Status status, store::StepCommit commit) {
        {
          std::lock_guard<std::mutex> lock(threads_mutex);
          callback_threads.insert(std::this_thread::get_id());
        }
        if (status.ok() && commit.case_row.id == id) ++ok;
        if (n + 1 < kLength) next(chain, n + 1);
      });
    };
    for (int chain = 0; chain < kChains; ++chain) next(chain, 0);
    // Wait for the chains' ends before reading the totals.
    while (ok.load() < kChains * kLength) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    batches = pipeline.totals().batches();
    commits = pipeline.totals().commits();
  }
  CHECK(ok == kChains * kLength);
  CHECK(store.ListCaseIds().value().size() == static_cast<size_t>(kChains * kLength));
  CHECK(commits == kChains * kLength);
  CHECK(batches < commits / 4);  // Group commit: many commits per batch.
  CHECK(store.most.load() <= 3);
  CHECK(callback_threads.size() <= 4);  // The store's 3 in flight + 1.
}

TEST_CASE("destroying a pipeline commits every commit still queued", "[runtime]") {
  SlowStore store(std::chrono::milliseconds(5), 1);
  std::atomic<int> called{0};
  {
    CommitPipeline::Options options;
    options.max_batch = 10;
    CommitPipeline pipeline(&store, options);
    for (int i = 0; i < 100; ++i) {
      pipeline.Commit(NewCaseCommit("q" + std::to_string(i)),
                      [&](Status status, store::StepCommit) {
                        if (status.ok()) ++called;
                      });
    }
  }
  CHECK(called == 100);
  CHECK(store.ListCaseIds().value().size() == 100);
  for (size_t size : store.sizes) CHECK(size <= 10);
}

}  // namespace
}  // namespace zgtflow::runtime
