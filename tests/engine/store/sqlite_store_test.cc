// SqliteStore against the Store conformance suite, plus what only a file
// database has: data that outlives the object, migrations recorded once,
// and several stores (as several processes would) sharing one file.
#include "engine/store/sqlite/sqlite_store.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include <sqlite3.h>

#include "engine/store/open/open_store.h"
#include "engine/store/sqlite/sqlite_migrations.h"
#include "tests/engine/store/store_conformance.h"

namespace {

namespace fs = std::filesystem;
using zgtflow::Status;
using zgtflow::StatusCode;
using zgtflow::store::SqliteStore;
using zgtflow::store::Store;
namespace conformance = zgtflow::store::conformance;

// A folder under the system temp dir for this process's databases, removed
// (with every file in it) when the test process exits.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() /
            ("zgt-sqlite-test-" + std::to_string(random()) + "-" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  // A new database file name, unique in this process.
  std::string NewFile() {
    return (path_ / ("store-" + std::to_string(++count_) + ".db")).string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  std::atomic<int> count_{0};
};

TempDir& Temp() {
  static TempDir dir;
  return dir;
}

std::unique_ptr<SqliteStore> OpenFile(const std::string& path) {
  auto store = SqliteStore::Open(path);
  if (!store.ok()) {
    UNSCOPED_INFO("SqliteStore::Open(" << path << "): " << store.status().message());
    return nullptr;
  }
  return std::move(store).value();
}

std::unique_ptr<Store> MakeSqliteStore() { return OpenFile(Temp().NewFile()); }

}  // namespace

ZGT_STORE_CONFORMANCE("sqlite", MakeSqliteStore)

TEST_CASE("a SQLite store keeps cases, history, timers and outbox across reopening", "[store]") {
  std::string path = Temp().NewFile();
  {
    auto store = OpenFile(path);
    REQUIRE(store);
    auto create = conformance::Create("c1", 1000);
    create.add_timers = {conformance::Timer(1, 5000)};
    create.outbox = {conformance::Out("log", "c1:1:0")};
    conformance::Commit(*store, create);
  }
  auto store = OpenFile(path);
  REQUIRE(store);
  CHECK(conformance::Get(*store, "c1").revision == 1);
  CHECK(conformance::Must(store->GetHistory("c1")).size() == 1);
  CHECK(conformance::Must(store->GetTimers("c1")).size() == 1);
  CHECK(conformance::Must(store->GetOutbox("c1")).size() == 1);
}

TEST_CASE("a SQLite store applies each migration once and records it in schema_migrations",
          "[store]") {
  std::string path = Temp().NewFile();
  std::vector<int> all;
  for (const auto& migration : zgtflow::store::sqlite::Migrations()) all.push_back(migration.version);
  REQUIRE_FALSE(all.empty());
  CHECK(all.front() == 1);
  for (int round = 0; round < 2; ++round) {
    auto store = OpenFile(path);
    REQUIRE(store);
    CHECK(conformance::Must(store->AppliedMigrations()) == all);
  }
}

TEST_CASE("a SQLite database is in WAL mode after opening", "[store]") {
  std::string path = Temp().NewFile();
  REQUIRE(OpenFile(path));
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_CASE("SQLite commits from many threads return synced to disk, sharing syncs", "[store]") {
  auto store = OpenFile(Temp().NewFile());
  REQUIRE(store);
  const int64_t before = store->WalSyncs();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto commit = conformance::Create("s" + std::to_string(t) + "-" + std::to_string(i));
        if (!store->CommitStep(commit).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  const int64_t syncs = store->WalSyncs() - before;
  CHECK(syncs >= 1);
  CHECK(syncs <= 160);
  // Without FULL durability nothing waits for the disk.
  zgtflow::store::SqliteOptions normal;
  normal.synchronous_full = false;
  auto fast = SqliteStore::Open(Temp().NewFile(), normal);
  REQUIRE(fast.ok());
  REQUIRE((*fast)->CommitStep(conformance::Create("n1")).ok());
  CHECK((*fast)->WalSyncs() == 0);
}

TEST_CASE("migration 7 keeps every history entry of a database made before it, in seq order",
          "[store]") {
  // A database as migrations 1 to 6 left it, with two cases' entries.
  std::string path = Temp().NewFile();
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::string sql =
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at_ms INTEGER NOT NULL);";
    for (const auto& migration : zgtflow::store::sqlite::Migrations()) {
      if (migration.version >= 7) break;
      sql += migration.sql;
      sql += ";INSERT INTO schema_migrations VALUES (" + std::to_string(migration.version) +
             ", '" + migration.name + "', 0);";
    }
    for (int seq = 3; seq >= 1; --seq) {  // Out of order, interleaved.
      for (const char* id : {"old-b", "old-a"}) {
        sql += "INSERT INTO history VALUES ('" + std::string(id) + "', " + std::to_string(seq) +
               ", '{}', 'supervisor', '[]', " + std::to_string(1000 + seq) + ", 'p" +
               std::to_string(seq) + "', 'h" + std::to_string(seq) + "');";
      }
    }
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO((error != nullptr ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
  }
  auto store = OpenFile(path);
  REQUIRE(store);
  CHECK(conformance::Must(store->AppliedMigrations()).back() >= 7);
  for (const char* id : {"old-a", "old-b"}) {
    auto history = conformance::Must(store->GetHistory(id));
    REQUIRE(history.size() == 3);
    for (int seq = 1; seq <= 3; ++seq) {
      const auto& entry = history[seq - 1];
      CHECK(entry.case_id == id);
      CHECK(entry.seq == seq);
      CHECK(entry.at_ms == 1000 + seq);
      CHECK(entry.hash == "h" + std::to_string(seq));
    }
  }
  // (case_id, seq) is still unique.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const int duplicate = sqlite3_exec(
      db, "INSERT INTO history VALUES ('old-a', 2, '{}', 'x', '[]', 0, '', '')", nullptr, nullptr,
      nullptr);
  CHECK((duplicate & 0xff) == SQLITE_CONSTRAINT);
  sqlite3_close(db);
}

TEST_CASE("the SQLite store checkpoints its WAL on its own thread and keeps it bounded",
          "[store]") {
  // Frames of the WAL file as SQLite lays it out: a 32-byte header, then a
  // 24-byte header and a page per frame.
  auto wal_frames = [](const std::string& db_path) {
    std::error_code error;
    const auto size = fs::file_size(db_path + "-wal", error);
    return error || size < 32 ? 0 : static_cast<int64_t>((size - 32) / (24 + 4096));
  };
  std::string path = Temp().NewFile();
  zgtflow::store::SqliteOptions options;
  options.checkpoint_frames = 40;
  {
    auto opened = SqliteStore::Open(path, options);
    REQUIRE(opened.ok());
    auto store = std::move(opened).value();
    for (int i = 0; i < 300; ++i) {
      auto create = conformance::Create("w" + std::to_string(i), 1000 + i);
      conformance::Commit(*store, create);
      // Never past the writer's own mark (4 x 40 frames) and a step's pages.
      REQUIRE(wal_frames(path) <= 4 * 40 + 16);
    }
    // The thread's rounds copied frames into the file (a connection that
    // never read the file once made checkpoints that copied nothing).
    for (int wait = 0; wait < 500 && store->WalCheckpoints() == 0; ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(store->WalCheckpoints() >= 1);
    CHECK(conformance::Must(store->ListCaseIds()).size() == 300);
  }
  // Whatever was copied back or left in the WAL is there after reopening.
  auto store = OpenFile(path);
  REQUIRE(store);
  CHECK(conformance::Must(store->ListCaseIds()).size() == 300);
  CHECK(conformance::Get(*store, "w299").revision == 1);

  // checkpoint_frames 0: SQLite's own autocheckpoint, no thread.
  zgtflow::store::SqliteOptions plain;
  plain.checkpoint_frames = 0;
  auto opened = SqliteStore::Open(Temp().NewFile(), plain);
  REQUIRE(opened.ok());
  conformance::Commit(**opened, conformance::Create("p1", 1000));
  CHECK((*opened)->WalCheckpoints() == 0);
}

TEST_CASE("two SQLite stores on one file see each other's commits and exactly one racing commit wins",
          "[store]") {
  std::string path = Temp().NewFile();
  auto first = OpenFile(path);
  auto second = OpenFile(path);
  REQUIRE(first);
  REQUIRE(second);
  conformance::Commit(*first, conformance::Create("c1", 1000));
  for (int round = 0; round < 10; ++round) {
    auto row = conformance::Get(*second, "c1");
    Status results[2];
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        Store& store = t == 0 ? static_cast<Store&>(*first) : *second;
        auto next = conformance::Next(row, 2000 + round);
        ready.fetch_add(1);
        while (ready.load() < 2) std::this_thread::yield();
        results[t] = store.CommitStep(next);
      });
    }
    for (auto& thread : threads) thread.join();
    INFO("round " << round << ": " << results[0].message() << " / " << results[1].message());
    CHECK(results[0].ok() + results[1].ok() == 1);
    CHECK((results[0].code() == StatusCode::kConflict || results[1].code() == StatusCode::kConflict));
  }
  CHECK(conformance::Get(*first, "c1").revision == 11);
  CHECK(conformance::Must(second->GetHistory("c1")).size() == 11);
}

TEST_CASE("two SQLite stores on one file never claim the same timer within its lease", "[store]") {
  std::string path = Temp().NewFile();
  auto first = OpenFile(path);
  auto second = OpenFile(path);
  REQUIRE(first);
  REQUIRE(second);
  auto create = conformance::Create("c1", 1000);
  for (uint32_t id = 1; id <= 50; ++id) create.add_timers.push_back(conformance::Timer(id, 2000));
  conformance::Commit(*first, create);
  std::vector<zgtflow::store::TimerRow> claimed[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      Store& store = t == 0 ? static_cast<Store&>(*first) : *second;
      for (int i = 0; i < 25; ++i) {
        auto rows = store.ClaimDueTimers("node-" + std::to_string(t), 3000, 60000, 2);
        if (rows.ok()) claimed[t].insert(claimed[t].end(), rows->begin(), rows->end());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<uint32_t> ids;
  for (const auto& rows : claimed) {
    for (const auto& row : rows) CHECK(ids.insert(row.timer_id).second);
  }
  CHECK(ids.size() == 50);
}

TEST_CASE("OpenStore opens memory and SQLite stores and refuses unknown URLs", "[store]") {
  auto memory = zgtflow::store::OpenStore("memory:");
  REQUIRE(memory.ok());
  conformance::Commit(**memory, conformance::Create("c1"));

  fs::path nested = Temp().path() / "var" / "deep" / "zgtflow.db";
  auto sqlite = zgtflow::store::OpenStore("sqlite:" + nested.string());
  INFO(sqlite.status().message());
  REQUIRE(sqlite.ok());
  conformance::Commit(**sqlite, conformance::Create("c1"));
  CHECK(fs::exists(nested));

  auto unknown = zgtflow::store::OpenStore("mysql://localhost/x");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kInvalidArgument);
  CHECK(zgtflow::store::OpenStore("sqlite:").status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("OpenStore reports a SQLite file it cannot create as unavailable", "[store]") {
  fs::path blocker = Temp().path() / "a-file";
  { std::ofstream(blocker.string()) << "x"; }
  auto store = zgtflow::store::OpenStore("sqlite:" + (blocker / "sub" / "db.sqlite").string());
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kUnavailable);
}
