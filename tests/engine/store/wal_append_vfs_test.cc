// The WAL-append VFS: a commit's WAL frames reach the file in a few writes,
// every committed row is there for other connections and after a crash, and
// transactions that spill pages to the WAL before they commit still read
// them back and roll back cleanly.
#include "engine/store/sqlite/wal_append_vfs.h"

#include <catch2/catch.hpp>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

namespace zgtflow::store::sqlite {
namespace {

namespace fs = std::filesystem;

struct TempFolder {
  TempFolder() {
    std::random_device random;
    path = fs::temp_directory_path() / ("zgt-wal-append-" + std::to_string(random()));
    fs::create_directories(path);
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string File() const { return (path / "test.db").string(); }
  fs::path path;
};

// A connection in WAL mode at synchronous=NORMAL (the store's writer),
// through the VFS when `vfs` is set, else through SQLite's default.
sqlite3* Open(const std::string& file, const char* vfs) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) ==
          SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
  return db;
}

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO(sql << ": " << (error != nullptr ? error : ""));
  sqlite3_free(error);
  REQUIRE(rc == SQLITE_OK);
}

int64_t Scalar(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  const int64_t value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  return value;
}

std::string IntegrityCheck(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  std::string result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  sqlite3_finalize(statement);
  return result;
}

// `rows` rows of 300 random bytes each into table t, ids from `first` on.
std::string InsertRows(int first, int rows) {
  return "WITH RECURSIVE ids(id) AS (SELECT " + std::to_string(first) +
         " UNION ALL SELECT id + 1 FROM ids WHERE id < " + std::to_string(first + rows - 1) +
         ") INSERT INTO t (id, body) SELECT id, randomblob(300) FROM ids";
}

TEST_CASE("a commit's WAL pages reach the file in a few writes, seen by other connections",
          "[store]") {
  REQUIRE(WalAppendVfsName() != nullptr);
  TempFolder folder;
  sqlite3* writer = Open(folder.File(), WalAppendVfsName());
  sqlite3* reader = Open(folder.File(), nullptr);
  Exec(writer, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
  Exec(writer, "CREATE INDEX t_body ON t (body)");  // Scattered pages: many frames.

  const WalAppendCounts before = WalAppendTotals();
  for (int batch = 0; batch < 10; ++batch) {
    Exec(writer, "BEGIN");
    Exec(writer, InsertRows(batch * 200, 200));
    Exec(writer, "COMMIT");
    // Read at once on another connection: every committed row is there.
    CHECK(Scalar(reader, "SELECT count(*) FROM t") == (batch + 1) * 200);
  }
  const WalAppendCounts after = WalAppendTotals();
  const int64_t asked = after.writes - before.writes;
  const int64_t made = after.flushes - before.flushes;
  INFO("writes asked " << asked << ", made " << made);
  // Each commit writes over 30 pages, two writes each: at least 600 asked;
  // the VFS makes one per commit.
  CHECK(asked >= 600);
  CHECK(made <= 10);
  CHECK(IntegrityCheck(reader) == "ok");
  sqlite3_close(reader);
  sqlite3_close(writer);
}

TEST_CASE("a transaction bigger than the page cache spills to the WAL and still commits or rolls "
          "back",
          "[store]") {
  TempFolder folder;
  sqlite3* writer = Open(folder.File(), WalAppendVfsName());
  // 20 pages of cache: a 6 MB transaction spills most of its pages into the
  // WAL before COMMIT and reads them back from there.
  Exec(writer, "PRAGMA cache_size=20");
  Exec(writer, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
  Exec(writer, "CREATE INDEX t_body ON t (body)");

  Exec(writer, "BEGIN");
  Exec(writer, InsertRows(0, 20000));
  CHECK(Scalar(writer, "SELECT count(*) FROM t WHERE length(body) = 300") == 20000);
  Exec(writer, "ROLLBACK");
  CHECK(Scalar(writer, "SELECT count(*) FROM t") == 0);

  Exec(writer, "BEGIN");
  Exec(writer, InsertRows(0, 20000));
  Exec(writer, "UPDATE t SET body = randomblob(200) WHERE id % 3 = 0");  // Pages written again.
  Exec(writer, "COMMIT");

  sqlite3* reader = Open(folder.File(), nullptr);
  CHECK(Scalar(reader, "SELECT count(*) FROM t") == 20000);
  CHECK(Scalar(reader, "SELECT count(*) FROM t WHERE length(body) = 200") == 6667);
  CHECK(IntegrityCheck(reader) == "ok");
  sqlite3_close(reader);
  sqlite3_close(writer);
}

// A child process commits 5 transactions of 100 rows through the VFS, then,
// when `mid_transaction`, writes 5,000 more rows without committing (a
// page cache of 20 spills them into the WAL), and is killed with SIGKILL.
void CommitAndDie(const std::string& file, bool mid_transaction) {
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // No Catch2 in here: plain calls.
    sqlite3* db = nullptr;
    sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, WalAppendVfsName());
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=20",
                 nullptr, nullptr, nullptr);
    for (int batch = 0; batch < 5; ++batch) {
      const std::string sql = "BEGIN; " + InsertRows(batch * 100, 100) + "; COMMIT";
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) _exit(3);
    }
    if (mid_transaction) {
      sqlite3_exec(db, ("BEGIN; " + InsertRows(1000, 5000)).c_str(), nullptr, nullptr, nullptr);
    }
    kill(getpid(), SIGKILL);
    _exit(4);  // Not reached.
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
}

TEST_CASE("a process killed after its commits or mid-transaction keeps every commit, nothing more",
          "[store]") {
  const bool mid_transaction = GENERATE(false, true);
  INFO("killed mid-transaction: " << mid_transaction);
  TempFolder folder;
  const std::string file = folder.File();
  {
    sqlite3* db = Open(file, nullptr);
    Exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
    sqlite3_close(db);
  }
  CommitAndDie(file, mid_transaction);
  sqlite3* db = Open(file, nullptr);  // Recovers the WAL the child left.
  CHECK(Scalar(db, "SELECT count(*) FROM t") == 500);
  CHECK(Scalar(db, "SELECT max(id) FROM t") == 499);
  CHECK(IntegrityCheck(db) == "ok");
  sqlite3_close(db);
}

}  // namespace
}  // namespace zgtflow::store::sqlite
