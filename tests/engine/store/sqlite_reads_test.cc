// SqliteStore's read connections: reads are not queued behind a write in
// progress, they see each commit as soon as it returned, and many readers
// beside one writer always see whole commits. Uses the statement hook to hold
// a write open at a known point instead of sleeping, so nothing depends on
// timing (the 20 s bounds only turn a regression into a failure, not a hang).
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/store/sqlite/sqlite_statement.h"
#include "engine/store/sqlite/sqlite_store.h"
#include "tests/engine/store/store_conformance.h"

namespace {

namespace fs = std::filesystem;
using zgtflow::store::CaseDetail;
using zgtflow::store::CaseRow;
using zgtflow::store::SqliteStore;
namespace conformance = zgtflow::store::conformance;

constexpr auto kBound = std::chrono::seconds(20);

// A database file in its own temporary folder, removed at the end.
class TempDb {
 public:
  TempDb() {
    std::random_device random;
    dir_ = fs::temp_directory_path() /
           ("zgt-sqlite-reads-" + std::to_string(random()) + "-" + std::to_string(random()));
    fs::create_directories(dir_);
  }
  ~TempDb() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string path() const { return (dir_ / "store.db").string(); }

 private:
  fs::path dir_;
};

// Holds the first statement whose SQL starts with `prefix` until released.
class WriteGate {
 public:
  explicit WriteGate(std::string prefix) : prefix_(std::move(prefix)) {
    zgtflow::store::sqlite::SetStatementFaultHookForTesting(&WriteGate::Hook, this);
  }
  ~WriteGate() {
    Release();
    zgtflow::store::sqlite::SetStatementFaultHookForTesting(nullptr, nullptr);
  }
  bool WaitUntilHeld() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, kBound, [&] { return held_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  static bool Hook(void* arg, const char* sql) {
    auto* self = static_cast<WriteGate*>(arg);
    std::unique_lock<std::mutex> lock(self->mutex_);
    if (self->held_ || std::string(sql).rfind(self->prefix_, 0) != 0) return false;
    self->held_ = true;
    self->changed_.notify_all();
    self->changed_.wait_for(lock, kBound, [&] { return self->released_; });
    return false;  // The statement then runs normally.
  }

  std::string prefix_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  bool released_ = false;
};

std::unique_ptr<SqliteStore> Open(const std::string& path) {
  auto store = SqliteStore::Open(path);
  INFO(store.status().message());
  REQUIRE(store.ok());
  return std::move(store).value();
}

}  // namespace

TEST_CASE("SQLite reads run while a write of the same store is held open mid-transaction",
          "[store]") {
  TempDb db;
  auto store = Open(db.path());
  conformance::Commit(*store, conformance::Create("c1", 1000));
  CaseRow before = conformance::Get(*store, "c1");

  auto gate = std::make_unique<WriteGate>("INSERT INTO history");
  // The step's case row is updated, then the writer stops before its history
  // insert, holding the store's write mutex and the file's write lock.
  auto write = std::async(std::launch::async, [&] {
    return store->CommitStep(conformance::Next(before, 2000));
  });
  REQUIRE(gate->WaitUntilHeld());

  // Reads on other threads finish while the write is held: they neither
  // wait for the writer's mutex nor see its uncommitted row.
  auto read = std::async(std::launch::async, [&] {
    CaseDetail detail = conformance::Must(store->GetCaseDetail("c1"));
    auto listed = conformance::Must(store->ListCases({}));
    return std::make_pair(detail, listed.size());
  });
  bool read_done = read.wait_for(kBound) == std::future_status::ready;
  gate->Release();
  REQUIRE(write.wait_for(kBound) == std::future_status::ready);
  REQUIRE(read_done);
  auto [detail, listed] = read.get();
  CHECK(detail.row.revision == 1);
  CHECK(detail.history.size() == 1);
  CHECK(listed == 1);

  // Once CommitStep returned, every read sees the commit.
  CHECK(write.get().ok());
  gate.reset();
  CHECK(conformance::Get(*store, "c1").revision == 2);
  CHECK(conformance::Must(store->GetHistory("c1")).size() == 2);
}

TEST_CASE("SQLite readers beside one writer see every commit whole and as soon as it returned",
          "[store]") {
  TempDb db;
  auto store = Open(db.path());
  conformance::Commit(*store, conformance::Create("c1", 1000));
  constexpr int kSteps = 150;
  std::atomic<bool> writing{true};
  std::atomic<int> torn{0}, went_back{0}, reads{0}, stale_after_commit{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 6; ++t) {
    readers.emplace_back([&] {
      int64_t last = 0;
      while (writing.load()) {
        auto detail = store->GetCaseDetail("c1");
        if (!detail.ok()) {
          ++torn;
          continue;
        }
        // One read transaction: the row and its history are from one commit.
        if (static_cast<int64_t>(detail->history.size()) != detail->row.revision) ++torn;
        if (detail->row.revision < last) ++went_back;
        last = detail->row.revision;
        ++reads;
      }
    });
  }
  CaseRow row = conformance::Get(*store, "c1");
  for (int i = 0; i < kSteps; ++i) {
    zgtflow::Status status = store->CommitStep(conformance::Next(row, 2000 + i));
    if (!status.ok()) break;
    auto read = store->GetCase("c1");
    if (!read.ok() || read->revision != row.revision + 1) ++stale_after_commit;
    row = read.ok() ? *read : row;
  }
  writing = false;
  for (auto& reader : readers) reader.join();
  CHECK(row.revision == kSteps + 1);
  CHECK(torn == 0);
  CHECK(went_back == 0);
  CHECK(stale_after_commit == 0);
  CHECK(reads > 0);
}
