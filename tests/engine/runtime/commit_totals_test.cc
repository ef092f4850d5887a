// CommitTotals::CommitTimed: the one timed CommitSteps call of CommitBatcher
// and CommitPipeline — one status per commit even from a store that answers
// fewer, and each batch counted.
#include <catch2/catch.hpp>

#include <vector>

#include "engine/runtime/commit_totals.h"
#include "engine/store/memory/memory_store.h"
#include "tests/engine/runtime/slow_store.h"

namespace zgtflow::runtime {
namespace {

using testing::NewCaseCommit;

// Answers only the first commit's status (a broken store).
class ShortAnsweringStore : public store::MemoryStore {
 public:
  std::vector<Status> CommitSteps(const std::vector<store::StepCommit>& commits) override {
    std::vector<Status> all = store::MemoryStore::CommitSteps(commits);
    all.resize(all.empty() ? 0 : 1);
    return all;
  }
};

TEST_CASE("CommitTimed gives every commit a status and counts the batch", "[runtime]") {
  ShortAnsweringStore store;
  CommitTotals totals;
  std::vector<store::StepCommit> commits = {NewCaseCommit("a"), NewCaseCommit("b"),
                                            NewCaseCommit("c")};
  std::vector<Status> results = totals.CommitTimed(&store, commits);
  REQUIRE(results.size() == 3);
  CHECK(results[0].ok());
  CHECK(results[1].code() == StatusCode::kInternal);
  CHECK(results[2].message() == "the store answered fewer statuses than commits");
  CHECK(totals.batches() == 1);
  CHECK(totals.commits() == 3);

  store::MemoryStore plain;
  results = totals.CommitTimed(&plain, {NewCaseCommit("d")});
  CHECK(results.size() == 1);
  CHECK(results[0].ok());
  CHECK(totals.batches() == 2);
  CHECK(totals.commits() == 4);
  CHECK(totals.commit_micros() >= 0);
}

}  // namespace
}  // namespace zgtflow::runtime
