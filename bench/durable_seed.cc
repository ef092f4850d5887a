// Seeding the durable benchmark's store (see durable_seed.h): one SQL
// statement per table copies the template case, so 100,000 cases take
// seconds rather than the minute their steps would.
#include "bench/durable_seed.h"

#include <sqlite3.h>

#include <pqxx/pqxx>

namespace zgtflow::bench {
namespace {

constexpr const char* kCaseColumns =
    "workflow, version, status, state, snapshot, data, parties, parent_id, revision,"
    " created_at_ms, updated_at_ms, next_due_ms, last_hash";
constexpr const char* kHistoryColumns = "seq, input, actor, effects, at_ms, prev_hash, hash";

// Runs one statement to its end, with `?1` bound to `template_id` if used.
Status RunSqlite(sqlite3* db, const std::string& sql, const std::string& template_id) {
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  if (rc == SQLITE_OK && sqlite3_bind_parameter_count(statement) > 0) {
    sqlite3_bind_text(statement, 1, template_id.c_str(), -1, SQLITE_TRANSIENT);
  }
  while (rc == SQLITE_OK && (rc = sqlite3_step(statement)) == SQLITE_ROW) rc = SQLITE_OK;
  Status status;
  if (rc != SQLITE_DONE) status = Status::Internal("seeding: " + sql + ": " + sqlite3_errmsg(db));
  sqlite3_finalize(statement);
  return status;
}

Status SeedSqlite(const std::string& path, const std::string& template_id, int64_t count) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::Internal("seeding: cannot open " + path);
  }
  sqlite3_busy_timeout(db, 10000);
  const std::string numbers = "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g"
                              " WHERE x < " + std::to_string(count) + ") ";
  const std::string statements[] = {
      "BEGIN IMMEDIATE",
      numbers + "INSERT INTO cases (id, " + kCaseColumns + ") SELECT 'seed-' || g.x, " +
          kCaseColumns + " FROM cases, g WHERE cases.id = ?1",
      numbers + "INSERT INTO history (case_id, " + kHistoryColumns + ") SELECT 'seed-' || g.x, " +
          kHistoryColumns + " FROM history, g WHERE history.case_id = ?1",
      "COMMIT",
      "ANALYZE",
      "PRAGMA wal_checkpoint(TRUNCATE)",
  };
  Status status;
  for (const std::string& sql : statements) {
    status = RunSqlite(db, sql, template_id);
    if (!status.ok()) break;
  }
  if (!status.ok()) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return status;
}

Status SeedPostgres(const std::string& url, const std::string& template_id, int64_t count) {
  try {
    pqxx::connection connection(url);
    {
      pqxx::work txn(connection);
      txn.exec_params(std::string("INSERT INTO cases (id, ") + kCaseColumns +
                          ") SELECT 'seed-' || g, " + kCaseColumns +
                          " FROM cases, generate_series(1, $2::bigint) g WHERE cases.id = $1",
                      template_id, count);
      txn.exec_params(std::string("INSERT INTO history (case_id, ") + kHistoryColumns +
                          ") SELECT 'seed-' || g, " + kHistoryColumns +
                          " FROM history, generate_series(1, $2::bigint) g"
                          " WHERE history.case_id = $1",
                      template_id, count);
      txn.commit();
    }
    // ANALYZE also invalidates the plans other sessions cached for these
    // tables, so the store's prepared statements are planned again.
    pqxx::nontransaction after(connection);
    after.exec("ANALYZE");
    after.exec("CHECKPOINT");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("seeding: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace

Status SeedCases(const std::string& sqlite_path, const std::string& postgres_url,
                 const std::string& template_id, int64_t count) {
  if (count <= 0) return Status::Ok();
  if (!sqlite_path.empty()) return SeedSqlite(sqlite_path, template_id, count);
  if (!postgres_url.empty()) return SeedPostgres(postgres_url, template_id, count);
  return Status::Ok();
}

}  // namespace zgtflow::bench
