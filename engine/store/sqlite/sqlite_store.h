// ⑤ SqliteStore: the embedded default Store, one database file in WAL mode,
// on the SQLite3 C API. The schema comes from engine/store/sqlite/schema/.
#pragma once

#include <cstdint>
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
class WalCheckpointer;
class WalSync;
}  // namespace sqlite

struct SqliteOptions {
  // How long a call waits for another process's lock on the file before it
  // returns kUnavailable.
  int busy_timeout_ms = 5000;
  // true: a commit is on disk when CommitStep returns, so not even a power
  // cut loses an acknowledged step (as PRAGMA synchronous=FULL; the store
  // syncs the WAL itself, outside its write lock, see wal_sync.h). false:
  // NORMAL, which in WAL mode survives a process crash but may lose the last
  // commits on power loss.
  bool synchronous_full = true;
  // A file's WAL is copied back into it by a thread of the store's own once
  // it holds this many frames (pages), outside the commits' way
  // (wal_checkpointer.h); 0 leaves it to SQLite (every 1,000 frames, inside
  // the commit that reaches them).
  int checkpoint_frames = 10000;
  // true: the writer's connection writes each commit's WAL frames in one
  // write, not two per page (wal_append_vfs.h). false: SQLite's default VFS.
  bool one_write_per_commit = true;
};

// Threads: writes go through ONE connection, guarded by a mutex; every write
// holds it for its whole transaction (SQLite admits one writer per file
// anyway). Reads (GetCase, ListCases, GetHistory, GetOutbox, GetPrincipal, …)
// run on a pool of read-only connections instead, each statement in its own
// implicit transaction, so the web server's threads read in parallel beside
// the writer (WAL mode), and a read started after a commit returned sees it.
// Should a read connection fail to open, that read uses the writer's
// connection under its mutex instead. Several processes (or several SqliteStores) may
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

  // fdatasyncs of the WAL made so that commits were durable when they
  // returned (0 when synchronous_full is off or the database is in memory).
  int64_t WalSyncs() const;
  // Checkpoints run by the store's checkpointer (0 without one).
  int64_t WalCheckpoints() const;

  // Versions recorded in schema_migrations, ascending.
  Result<std::vector<int>> AppliedMigrations();

  Status PutDefinition(const DefinitionRow& definition) override;
  Result<std::vector<DefinitionRow>> ListDefinitions() override;

  Status CommitStep(const StepCommit& commit) override;
  Result<CaseRow> GetCase(const std::string& case_id) override;
  Result<std::vector<CaseRow>> GetCases(const std::vector<std::string>& case_ids) override;
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
  // Three batches at once when commits sync outside the write lock: one
  // writes while the others' WAL frames reach the disk (their syncs
  // overlap, wal_sync.h). Three beat two by about 6 % with 64 inputs in
  // flight and tied with 8 clients (docs/performance.md).
  int ConcurrentCommitSteps() const override { return wal_sync_ ? kBatchesInFlight : 1; }
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
  // One read transaction on one read connection.
  Result<CaseDetail> GetCaseDetail(const std::string& case_id) override;
  Result<CaseCounts> CountCasesByState() override;

 private:
  explicit SqliteStore(sqlite3* db);
  Status Migrate();
  // CommitStep's writes, inside the transaction CommitStep opened.
  // `refused_cleanly` is set when the commit was refused before it wrote
  // anything (stale revision, existing or missing case, follow-up not
  // pending): the transaction is intact and holds none of its rows.
  Status WriteStep(const StepCommit& commit, bool* refused_cleanly);
  // CommitSteps' transaction(s), under mutex_: sets (*out)[i] for each i in
  // `valid`, and *ticket for WalSync when it committed (else 0).
  void WriteSteps(const std::vector<StepCommit>& commits, const std::vector<size_t>& valid,
                  std::vector<Status>* out, uint64_t* ticket);
  // After an autocommit write under mutex_: waits until it is on disk (when
  // FULL durability is kept by wal_sync_), else returns `written`.
  Status Durable(Status written);

  sqlite3* db_;
  std::mutex mutex_;
  // Prepared statements reused under mutex_ (parsing dominated small calls).
  std::unique_ptr<sqlite::StatementCache> cache_;
  // Set when commits must be on disk before they return (synchronous_full
  // on a file): the syncs run outside mutex_ (wal_sync.h).
  std::unique_ptr<sqlite::WalSync> wal_sync_;
  // Set for a file when SqliteOptions::checkpoint_frames > 0.
  std::unique_ptr<sqlite::WalCheckpointer> checkpointer_;
  static constexpr int kBatchesInFlight = 3;

  // ---- read connections (sqlite_store_reads.cc) ----
  struct Reader;  // One read-only connection and its statement cache.
  struct ReaderDeleter {
    void operator()(Reader* reader) const;
  };
  using ReaderPtr = std::unique_ptr<Reader, ReaderDeleter>;
  // A connection for one read call: a pooled reader, or the writer's
  // connection under mutex_ when no reader can be opened.
  class ReadLease {
   public:
    explicit ReadLease(SqliteStore* store);
    ~ReadLease();
    ReadLease(const ReadLease&) = delete;
    ReadLease& operator=(const ReadLease&) = delete;
    sqlite3* db() const;
    sqlite::StatementCache* cache() const;

   private:
    SqliteStore* store_;
    ReaderPtr reader_;
    std::unique_lock<std::mutex> writer_lock_;
  };
  // Cases selected by `sql_tail` (WHERE … ORDER BY …) with ?1, ?2, … bound
  // to `params`, on the lease's connection.
  Result<std::vector<CaseRow>> QueryCases(ReadLease& lease, const std::string& sql_tail,
                                          const std::vector<std::variant<int64_t, std::string>>& params);
  Result<std::vector<HistoryRow>> HistoryOf(ReadLease& lease, const std::string& case_id);
  Result<std::vector<OutboxRow>> OutboxOf(ReadLease& lease, const std::string& case_id);
  Result<std::vector<DeliveryAttemptRow>> AttemptsOf(ReadLease& lease, const std::string& case_id);
  ReaderPtr TakeReader();  // Null when no read connection could be opened.
  void ReturnReader(ReaderPtr reader);

  std::string path_;          // The database file, opened again by each reader.
  int busy_timeout_ms_ = 5000;
  std::mutex readers_mutex_;
  std::vector<ReaderPtr> idle_readers_;  // Guarded by readers_mutex_.
};

}  // namespace zgtflow::store
