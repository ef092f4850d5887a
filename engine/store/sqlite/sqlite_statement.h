// ⑤ SqliteStatement: one prepared statement of the SQLite C API, finalized
// when it goes out of scope; and SqliteStatus, SQLite result codes as Status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include <sqlite3.h>

#include "engine/base/status.h"

namespace zgtflow::store::sqlite {

// The Status for SQLite result `rc` while `doing` something, carrying
// SQLite's message: kUnavailable for SQLITE_BUSY and SQLITE_LOCKED (the busy
// timeout ran out: retry later), kConflict for constraint violations, kInternal
// for anything else.
Status SqliteStatus(sqlite3* db, int rc, const std::string& doing);

// Runs `sql` (one or more statements, no parameters).
Status SqliteExec(sqlite3* db, const char* sql);

// Test-only fault injection (tests/engine/store/fault_injection_test.cc):
// while a hook is set, SqliteExec and SqliteStatement::Step ask it before
// each statement; when it answers true the statement is not run and fails
// as a disk I/O error would (SQLITE_IOERR; kInternal). Process-wide: set it
// only while one thread uses SQLite stores. nullptr removes it.
using StatementFaultHook = bool (*)(void* arg, const char* sql);
void SetStatementFaultHookForTesting(StatementFaultHook hook, void* arg);

// Prepared statements kept for reuse on one connection, by SQL text (parsing
// is a large part of a small statement's cost). A borrowed statement leaves
// the cache until its SqliteStatement ends, so one text used twice at once
// gets two. Not thread-safe: the caller holds the connection's lock.
class StatementCache {
 public:
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  ~StatementCache();  // Finalizes every kept statement.

 private:
  friend class SqliteStatement;
  std::unordered_multimap<std::string, sqlite3_stmt*> idle_;
};

// Usage: SqliteStatement s(db, "SELECT … WHERE id = ?1"); if (!s.ok()) return
// s.status(); s.Bind(1, id); while ((rc = s.Step()) == SQLITE_ROW) { s.Text(0) … }
// Parameters and columns are numbered as SQLite numbers them (binds from 1,
// columns from 0). Not thread-safe: the caller holds the connection's lock.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql);
  // Borrows a statement of `sql` from `cache` (preparing one when none is
  // idle) and gives it back, reset and unbound, when destroyed.
  SqliteStatement(StatementCache* cache, sqlite3* db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }  // Why preparing failed.

  void Bind(int index, int64_t value);
  void Bind(int index, const std::string& text);  // Copied (SQLITE_TRANSIENT).
  void Bind(int index, const std::optional<int64_t>& value);  // NULL when empty.

  // SQLITE_ROW, SQLITE_DONE or an error code (see Error()).
  int Step();
  // Steps a statement that returns no rows: Ok, or the Status of the failure.
  Status Run(const std::string& doing);
  // The Status for an error code Step() returned.
  Status Error(int rc, const std::string& doing) const { return SqliteStatus(db_, rc, doing); }
  // Clears the previous run and its bindings, to run the statement again.
  void Reset();

  int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
  StatementCache* cache_ = nullptr;  // Not null: stmt_ goes back there.
  std::string sql_;                  // The cache key, when cached.
};

}  // namespace zgtflow::store::sqlite
