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
#include <vector>

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

TEST_CASE("pages of a rolled-back transaction never overwrite another connection's commits",
          "[store]") {
  TempFolder folder;
  sqlite3* a = Open(folder.File(), WalAppendVfsName());
  sqlite3* b = Open(folder.File(), WalAppendVfsName());
  Exec(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
  Exec(a, "CREATE TABLE u (id INTEGER PRIMARY KEY, body BLOB)");
  // A's transaction spills pages into the WAL (a cache of 10 pages), then
  // rolls back: its frames lie past the WAL's end, where B writes next.
  Exec(a, "PRAGMA cache_size=10");
  Exec(a, "BEGIN");
  Exec(a, InsertRows(0, 300));
  Exec(a, "ROLLBACK");
  // B commits into those places; then A writes again, further on.
  Exec(b,
       "WITH RECURSIVE ids(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM ids WHERE id < 299)"
       " INSERT INTO u (id, body) SELECT id, zeroblob(300) FROM ids");
  Exec(a, "INSERT INTO t (id, body) VALUES (1000, x'00')");
  sqlite3_close(a);
  sqlite3_close(b);

  sqlite3* reader = Open(folder.File(), nullptr);
  CHECK(IntegrityCheck(reader) == "ok");
  CHECK(Scalar(reader, "SELECT count(*) FROM u") == 300);
  CHECK(Scalar(reader, "SELECT count(*) FROM t") == 1);
  sqlite3_close(reader);
}

TEST_CASE("frames still buffered when the WAL write lock is released are dropped, not written",
          "[store]") {
  // The VFS's own calls, as SQLite makes them for one connection: its
  // database file and its WAL, under names made the way SQLite makes them.
  TempFolder folder;
  const std::string path = folder.File();
  sqlite3_vfs* vfs = sqlite3_vfs_find(WalAppendVfsName());
  REQUIRE(vfs != nullptr);
  sqlite3_filename name = sqlite3_create_filename(path.c_str(), (path + "-journal").c_str(),
                                                  (path + "-wal").c_str(), 0, nullptr);
  std::vector<char> db_memory(vfs->szOsFile), wal_memory(vfs->szOsFile);
  auto* db = reinterpret_cast<sqlite3_file*>(db_memory.data());
  auto* wal = reinterpret_cast<sqlite3_file*>(wal_memory.data());
  int flags = 0;
  REQUIRE(vfs->xOpen(vfs, name, db, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                     &flags) == SQLITE_OK);
  REQUIRE(vfs->xOpen(vfs, sqlite3_filename_wal(name), wal,
                     SQLITE_OPEN_WAL | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                     &flags) == SQLITE_OK);
  auto wal_size = [&] {
    sqlite3_int64 size = -1;
    REQUIRE(wal->pMethods->xFileSize(wal, &size) == SQLITE_OK);
    return size;
  };
  const std::vector<char> page(4096, 'p');
  // A frame of page 2 that ends no commit (the header's second field is 0),
  // as a transaction writes when it spills: buffered.
  unsigned char header[24] = {0, 0, 0, 2};
  REQUIRE(wal->pMethods->xWrite(wal, header, 24, 32) == SQLITE_OK);
  REQUIRE(wal->pMethods->xWrite(wal, page.data(), 4096, 56) == SQLITE_OK);
  // The transaction rolls back and the connection releases the write lock
  // (the default VFS refuses the unlock here, no WAL index being mapped;
  // the VFS has dropped the frame before it passes the call on).
  db->pMethods->xShmLock(db, 0, 1, SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE);
  CHECK(wal_size() == 0);
  // A commit frame (database size 3 after it) is in the file at once.
  header[7] = 3;
  REQUIRE(wal->pMethods->xWrite(wal, header, 24, 32) == SQLITE_OK);
  REQUIRE(wal->pMethods->xWrite(wal, page.data(), 4096, 56) == SQLITE_OK);
  db->pMethods->xShmLock(db, 0, 1, SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE);
  CHECK(wal_size() == 56 + 4096);
  wal->pMethods->xClose(wal);
  db->pMethods->xClose(db);
  sqlite3_free_filename(name);
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
