// SqliteStatement over sqlite3_prepare_v2 / bind / step / column.
#include "engine/store/sqlite/sqlite_statement.h"

#include <atomic>

namespace zgtflow::store::sqlite {

Status SqliteStatus(sqlite3* db, int rc, const std::string& doing) {
  std::string message = doing + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {  // The primary code; extended codes carry more bits.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status(StatusCode::kUnavailable, message);
    case SQLITE_CONSTRAINT:
      return Status(StatusCode::kConflict, message);
    default:
      return Status::Internal(message);
  }
}

namespace {
// The test-only hook (see the header); relaxed atomics are enough as tests
// set it before the statements they want to fail.
std::atomic<StatementFaultHook> fault_hook{nullptr};
std::atomic<void*> fault_hook_arg{nullptr};

bool FaultInjected(const char* sql) {
  StatementFaultHook hook = fault_hook.load();
  return hook != nullptr && hook(fault_hook_arg.load(), sql != nullptr ? sql : "");
}
}  // namespace

void SetStatementFaultHookForTesting(StatementFaultHook hook, void* arg) {
  fault_hook_arg.store(arg);
  fault_hook.store(hook);
}

Status SqliteExec(sqlite3* db, const char* sql) {
  if (FaultInjected(sql)) return Status::Internal(std::string("running ") + sql + ": injected fault");
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, std::string("running ") + sql);
  return Status::Ok();
}

SqliteStatement::SqliteStatement(sqlite3* db, const std::string& sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    status_ = SqliteStatus(db, rc, "preparing " + sql);
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }
}

SqliteStatement::SqliteStatement(StatementCache* cache, sqlite3* db, const std::string& sql)
    : db_(db) {
  auto found = cache->idle_.find(sql);
  if (found != cache->idle_.end()) {
    stmt_ = found->second;
    cache->idle_.erase(found);
  } else {
    int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
      status_ = SqliteStatus(db, rc, "preparing " + sql);
      sqlite3_finalize(stmt_);
      stmt_ = nullptr;
      return;
    }
  }
  cache_ = cache;
  sql_ = sql;
}

SqliteStatement::~SqliteStatement() {
  if (cache_ != nullptr && stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    cache_->idle_.emplace(std::move(sql_), stmt_);
    return;
  }
  sqlite3_finalize(stmt_);
}

StatementCache::~StatementCache() {
  for (auto& [sql, stmt] : idle_) sqlite3_finalize(stmt);
}

// Bind errors (an index out of range) are programming errors that the next
// Step reports as SQLITE_RANGE/MISUSE, so their codes are not kept here.
void SqliteStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value));
}

void SqliteStatement::Bind(int index, const std::string& text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::Bind(int index, const std::optional<int64_t>& value) {
  if (value) {
    Bind(index, *value);
  } else {
    sqlite3_bind_null(stmt_, index);
  }
}

int SqliteStatement::Step() {
  if (stmt_ == nullptr) return SQLITE_MISUSE;
  if (FaultInjected(sqlite3_sql(stmt_))) return SQLITE_IOERR;
  return sqlite3_step(stmt_);
}

Status SqliteStatement::Run(const std::string& doing) {
  if (!status_.ok()) return status_;
  int rc = Step();
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  return Error(rc, doing);
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteStatement::Text(int column) const {
  // Bytes first, then length: the order SQLite documents for TEXT columns.
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<int64_t> SqliteStatement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

}  // namespace zgtflow::store::sqlite
