// ⑤ SqliteStore: the embedded default Store, one database file in WAL mode,
// on the SQLite3 C API. The schema comes from engine/store/sqlite/schema/.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "engine/store/store.h"

struct sqlite3;

namespace zgtflow::store {
namespace sqlite {
class StatementCache;
}  // namespace sqlite

struct SqliteOptions {
  // How long a call waits for another process's lock on the file before it
  // returns kUnavailable.
  int busy_timeout_ms = 5000;
  // PRAGMA synchronous=FULL: a commit is on disk when CommitStep returns, so
  // not even a power cut loses an acknowledged step. false: NORMAL, which in
  // WAL mode survives a process crash but may lose the last commits on power
  // loss, for about twice the commits per second.
  bool synchronous_full = true;
};

// Threads: ONE connection, guarded by a mutex; every method holds it for its
// whole transaction. SQLite admits one writer per file anyway, so this loses
// only concurrent reads during a write, and it keeps every call atomic without
// per-thread connections. Several processes (or several SqliteStores) may
// open one file: writes take the file's write lock first (BEGIN IMMEDIATE),
// waiting up to busy_timeout_ms, so revision checks and claims stay exact
// across them.
class SqliteStore : public Store {
 public:
  // Opens or creates the database file at `path` (its folder must exist),
  // switches it to WAL mode, and applies pending migrations in one transaction,
  // recording each in schema_migrations. kUnavailable when the file cannot be
  // opened or stays locked; kInternal when a migration fails (nothing applied).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteOptions& options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Versions recorded in schema_migrations, ascending.
  Result<std::vector<int>> AppliedMigrations();

  Status PutDefinition(const DefinitionRow& definition) override;
  Result<std::vector<DefinitionRow>> ListDefinitions() override;

  Status CommitStep(const StepCommit& commit) override;
  Result<CaseRow> GetCase(const std::string& case_id) override;
  Result<std::vector<CaseRow>> ListCases(const CaseFilter& filter) override;
  Result<std::vector<CaseRow>> ListChildren(const std::string& case_id) override;
  Result<std::vector<HistoryRow>> GetHistory(const std::string& case_id) override;
  Result<std::vector<std::string>> ListCaseIds() override;

  Result<std::vector<TimerRow>> ClaimDueTimers(const std::string& node, int64_t now_ms,
                                               int64_t lease_ms, int limit) override;
  Result<std::vector<TimerRow>> GetTimers(const std::string& case_id) override;
  Result<int64_t> CountTimers() override;

  Result<std::vector<OutboxRow>> ClaimOutbox(const std::string& node, int64_t now_ms,
                                             int64_t lease_ms, int limit) override;
  Status MarkDelivered(int64_t outbox_id) override;
  Status MarkFailed(int64_t outbox_id, const std::string& error, int64_t next_attempt_at_ms,
                    bool dead) override;
  Result<std::vector<OutboxRow>> GetOutbox(const std::string& case_id) override;
  // One BEGIN IMMEDIATE … COMMIT for the batch, a SAVEPOINT per commit.
  std::vector<Status> CommitSteps(const std::vector<StepCommit>& commits) override;
  Result<std::vector<FollowUpRow>> ClaimFollowUps(const std::string& node,
                                                  int64_t created_before_ms, int64_t now_ms,
                                                  int64_t lease_ms, int limit) override;
  Status DropFollowUp(const std::string& key) override;
  Result<std::vector<FollowUpRow>> GetFollowUps(const std::string& case_id) override;
  Status AddDeliveryAttempt(const DeliveryAttemptRow& attempt) override;
  Result<std::vector<DeliveryAttemptRow>> ListDeliveryAttempts(const std::string& case_id) override;
  Status PutPrincipal(const PrincipalRow& principal) override;
  Result<PrincipalRow> GetPrincipal(const std::string& id) override;
  Status PutSession(const SessionRow& session) override;
  Result<SessionRow> GetSession(const std::string& id) override;
  Status DeleteSession(const std::string& id) override;
  Result<OutboxCounts> CountOutbox() override;
  Result<int64_t> CountCases(const CaseFilter& filter) override;

 private:
  explicit SqliteStore(sqlite3* db);
  Status Migrate();
  // CommitStep's writes, inside the transaction CommitStep opened.
  Status WriteStep(const StepCommit& commit);
  // Cases selected by `sql_tail` (WHERE … ORDER BY …) with ?1, ?2, … bound
  // to `params`; the caller holds mutex_.
  Result<std::vector<CaseRow>> QueryCases(const std::string& sql_tail,
                                          const std::vector<std::variant<int64_t, std::string>>& params);

  sqlite3* db_;
  std::mutex mutex_;
  // Prepared statements reused under mutex_ (parsing dominated small calls).
  std::unique_ptr<sqlite::StatementCache> cache_;
};

}  // namespace zgtflow::store
