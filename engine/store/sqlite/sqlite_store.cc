// SqliteStore: SQL over the schema of schema/0001_init.sql. Writes run in
// BEGIN IMMEDIATE transactions so that the write lock is taken before the
// revision is read: a check-then-write can never interleave with another
// process's, and a busy file is reported at BEGIN, before anything is done.
#include "engine/store/sqlite/sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <sqlite3.h>

#include "engine/store/commit_rules.h"
#include "engine/store/sqlite/sqlite_migrations.h"
#include "engine/store/sqlite/sqlite_statement.h"
#include "engine/store/sqlite/wal_append_vfs.h"
#include "engine/store/sqlite/wal_checkpointer.h"
#include "engine/store/sqlite/wal_sync.h"

namespace zgtflow::store {

using sqlite::SqliteExec;
using sqlite::SqliteStatement;
using sqlite::SqliteStatus;

namespace {

// Rolls back unless Commit() succeeded, so every early return undoes the
// transaction's writes. With a WalSync (synchronous=FULL asked for), Commit
// also waits until the commit is on disk; CommitUnsynced leaves that to the
// caller, who waits after releasing the writer's lock.
class Transaction {
 public:
  Transaction(sqlite3* db, sqlite::WalSync* sync) : db_(db), sync_(sync) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Status Begin() {
    Status status = SqliteExec(db_, "BEGIN IMMEDIATE");
    open_ = status.ok();
    return status;
  }
  Status Commit() {
    uint64_t ticket = 0;
    Status status = CommitUnsynced(&ticket);
    if (status.ok() && sync_ != nullptr) status = sync_->SyncThrough(ticket);
    return status;
  }
  // A claim's COMMIT: a claim is a lease, not an outcome. One lost to a
  // power cut only lets the rows be claimed again (firings and deliveries
  // are idempotent), so it does not wait for a sync; the next synced commit
  // covers it anyway.
  Status CommitClaim() {
    uint64_t unsynced = 0;
    return CommitUnsynced(&unsynced);
  }
  // The COMMIT alone; *ticket is for WalSync::SyncThrough (0 without one).
  Status CommitUnsynced(uint64_t* ticket) {
    Status status = SqliteExec(db_, "COMMIT");
    if (status.ok()) open_ = false;
    *ticket = status.ok() && sync_ != nullptr ? sync_->Committed() : 0;
    return status;
  }

 private:
  sqlite3* db_;
  sqlite::WalSync* sync_;
  bool open_ = false;
};

// SQLite's LIMIT: a negative number means no limit.
int64_t SqlLimit(int limit) { return limit <= 0 ? -1 : limit; }

const char kCaseColumns[] =
    "id, workflow, version, status, state, snapshot, data, parties, parent_id, revision, "
    "created_at_ms, updated_at_ms, next_due_ms, last_hash";

CaseRow ReadCase(const SqliteStatement& s) {
  CaseRow row;
  row.id = s.Text(0);
  row.workflow = s.Text(1);
  row.version = s.Text(2);
  row.status = CaseStatusOf(s.Text(3));
  row.state = s.Text(4);
  row.snapshot = s.Text(5);
  row.data = s.Text(6);
  row.parties = s.Text(7);
  row.parent_id = s.Text(8);
  row.revision = s.Int(9);
  row.created_at_ms = s.Int(10);
  row.updated_at_ms = s.Int(11);
  row.next_due_ms = s.OptionalInt(12);
  row.last_hash = s.Text(13);
  return row;
}

const char kTimerColumns[] = "case_id, timer_id, due_at_ms, state, claimed_by, claimed_until_ms";

TimerRow ReadTimer(const SqliteStatement& s) {
  TimerRow row;
  row.case_id = s.Text(0);
  row.timer_id = static_cast<uint32_t>(s.Int(1));
  row.due_at_ms = s.Int(2);
  row.state = s.Text(3);
  row.claimed_by = s.Text(4);
  row.claimed_until_ms = s.Int(5);
  return row;
}

const char kOutboxColumns[] =
    "id, case_id, adapter, payload, idempotency_key, attempts, next_attempt_at_ms, status, "
    "last_error, claimed_by, claimed_until_ms";

OutboxRow ReadOutbox(const SqliteStatement& s) {
  OutboxRow row;
  row.id = s.Int(0);
  row.case_id = s.Text(1);
  row.adapter = s.Text(2);
  row.payload = s.Text(3);
  row.idempotency_key = s.Text(4);
  row.attempts = static_cast<int>(s.Int(5));
  row.next_attempt_at_ms = s.Int(6);
  row.status = OutboxStatusOf(s.Text(7));
  row.last_error = s.Text(8);
  row.claimed_by = s.Text(9);
  row.claimed_until_ms = s.Int(10);
  return row;
}

// Runs a prepared SELECT to the end, reading each row with `read`.
template <typename T, typename Read>
Result<std::vector<T>> ReadAll(SqliteStatement& s, Read read, const std::string& doing) {
  if (!s.ok()) return s.status();
  std::vector<T> rows;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) rows.push_back(read(s));
  if (rc != SQLITE_DONE) return s.Error(rc, doing);
  return rows;
}

// Binds ?1..?14 of the case INSERT and UPDATE: the row's columns and the
// hash of the history entry the step appends (cases.last_hash).
void BindCaseRow(SqliteStatement& s, const CaseRow& row, const std::string& last_hash) {
  s.Bind(1, row.id);
  s.Bind(2, row.workflow);
  s.Bind(3, row.version);
  s.Bind(4, std::string(CaseStatusText(row.status)));
  s.Bind(5, row.state);
  s.Bind(6, row.snapshot);
  s.Bind(7, row.data);
  s.Bind(8, row.parties);
  s.Bind(9, row.parent_id);
  s.Bind(10, row.revision);
  s.Bind(11, row.created_at_ms);
  s.Bind(12, row.updated_at_ms);
  s.Bind(13, row.next_due_ms);
  s.Bind(14, last_hash);
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteOptions& options) {
  sqlite3* db = nullptr;
  // NOMUTEX: SqliteStore's own mutex already serializes every use.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      options.one_write_per_commit ? sqlite::WalAppendVfsName() : nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "opening " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return Status(StatusCode::kUnavailable, message);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db));
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  store->path_ = path;  // Read connections open the same file (sqlite_store.h).
  store->busy_timeout_ms_ = options.busy_timeout_ms;
  sqlite3_extended_result_codes(db, 1);
  // journal_mode returns a row ("wal"); anything else means the file system
  // refused WAL (e.g. a network share), which SQLite would silently accept.
  {
    SqliteStatement wal(db, "PRAGMA journal_mode=WAL");
    if (!wal.ok()) return Status(StatusCode::kUnavailable, wal.status().message());
    int step = wal.Step();
    if (step != SQLITE_ROW) {
      Status status = wal.Error(step, "switching " + path + " to WAL mode");
      return Status(StatusCode::kUnavailable, status.message());
    }
    if (wal.Text(0) != "wal") {
      return Status(StatusCode::kUnavailable, path + " cannot use WAL mode (journal_mode " +
                                                  wal.Text(0) + ")");
    }
  }
  // FULL durability on a file is kept by WalSync outside the writer's lock
  // (see wal_sync.h), so SQLite itself runs NORMAL; an in-memory database
  // has nothing to sync.
  const bool sync_outside = options.synchronous_full && !store->path_.empty();
  if (sync_outside) {
    // SQLite's own absolute name of the file, whatever the working folder.
    const char* file = sqlite3_db_filename(db, "main");
    const std::string main_file = file != nullptr && *file != '\0' ? file : store->path_;
    store->wal_sync_ = std::make_unique<sqlite::WalSync>(main_file + "-wal");
  }
  Status status = SqliteExec(db, options.synchronous_full && !sync_outside
                                     ? "PRAGMA synchronous=FULL"
                                     : "PRAGMA synchronous=NORMAL");
  if (status.ok()) status = store->Migrate();
  if (!status.ok()) return status;
  if (options.checkpoint_frames > 0 && !store->path_.empty()) {
    store->checkpointer_ = std::make_unique<sqlite::WalCheckpointer>(
        db, &store->mutex_, store->path_, options.checkpoint_frames, options.busy_timeout_ms);
  }
  return store;
}

SqliteStore::SqliteStore(sqlite3* db) : db_(db), cache_(new sqlite::StatementCache()) {}

SqliteStore::~SqliteStore() {
  // Readers close first: the last connection to close checkpoints the WAL
  // into the file and removes it, which a read-only one cannot do.
  idle_readers_.clear();
  checkpointer_.reset();  // Its connection closes too; its hook is removed.
  cache_.reset();  // Its statements are finalized before the connection closes.
  sqlite3_close_v2(db_);
}

Status SqliteStore::Migrate() {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(db_, wal_sync_.get());
  if (Status s = tx.Begin(); !s.ok()) return Status(StatusCode::kUnavailable, s.message());
  if (Status s = SqliteExec(db_,
                            "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                            " applied_at_ms INTEGER NOT NULL)");
      !s.ok()) {
    return s;
  }
  int64_t applied = 0;
  {
    SqliteStatement s(cache_.get(), db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!s.ok()) return s.status();
    int rc = s.Step();
    if (rc != SQLITE_ROW) return s.Error(rc, "reading schema_migrations");
    applied = s.Int(0);
  }
  for (const sqlite::Migration& migration : sqlite::Migrations()) {
    if (migration.version <= applied) continue;
    if (Status s = SqliteExec(db_, migration.sql); !s.ok()) {
      return Status::Internal("migration " + std::string(migration.name) + " failed: " +
                              s.message());
    }
    SqliteStatement record(
        cache_.get(), db_, "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?1, ?2, ?3)");
    record.Bind(1, static_cast<int64_t>(migration.version));
    record.Bind(2, std::string(migration.name));
    record.Bind(3, NowMs());
    if (Status s = record.Run("recording a migration"); !s.ok()) return s;
  }
  return tx.Commit();
}

Result<std::vector<int>> SqliteStore::AppliedMigrations() {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement s(cache_.get(), db_, "SELECT version FROM schema_migrations ORDER BY version");
  return ReadAll<int>(s, [](const SqliteStatement& st) { return static_cast<int>(st.Int(0)); },
                      "reading schema_migrations");
}

// ---- definitions ----

Status SqliteStore::PutDefinition(const DefinitionRow& d) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement s(cache_.get(), db_,
                    "INSERT INTO definitions (workflow, version, source, source_path, deployed_at_ms)"
                    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (workflow, version) DO NOTHING");
  if (!s.ok()) return s.status();
  s.Bind(1, d.workflow);
  s.Bind(2, d.version);
  s.Bind(3, d.source);
  s.Bind(4, d.source_path);
  s.Bind(5, d.deployed_at_ms);
  return Durable(s.Run("storing definition " + d.workflow));
}

Result<std::vector<DefinitionRow>> SqliteStore::ListDefinitions() {
  ReadLease lease(this);
  SqliteStatement s(lease.cache(), lease.db(),
                    "SELECT workflow, version, source, source_path, deployed_at_ms FROM definitions"
                    " ORDER BY workflow, deployed_at_ms, version");
  return ReadAll<DefinitionRow>(
      s,
      [](const SqliteStatement& st) {
        return DefinitionRow{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4)};
      },
      "listing definitions");
}

// ---- cases ----

int64_t SqliteStore::WalSyncs() const { return wal_sync_ ? wal_sync_->syncs() : 0; }

int64_t SqliteStore::WalCheckpoints() const {
  return checkpointer_ ? checkpointer_->checkpoints() : 0;
}

Status SqliteStore::Durable(Status written) {
  if (!written.ok() || !wal_sync_) return written;
  return wal_sync_->SyncThrough(wal_sync_->Committed());
}

Status SqliteStore::CommitStep(const StepCommit& commit) {
  if (Status status = CheckStepCommit(commit); !status.ok()) return status;
  uint64_t ticket = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(db_, wal_sync_.get());
    if (Status s = tx.Begin(); !s.ok()) return s;
    bool refused_cleanly = false;
    if (Status s = WriteStep(commit, &refused_cleanly); !s.ok()) return s;  // ~Transaction rolls back.
    if (Status s = tx.CommitUnsynced(&ticket); !s.ok()) return s;
  }
  // On disk before it is acknowledged; the next writer goes on meanwhile.
  return wal_sync_ ? wal_sync_->SyncThrough(ticket) : Status::Ok();
}

std::vector<Status> SqliteStore::CommitSteps(const std::vector<StepCommit>& commits) {
  std::vector<Status> out(commits.size());
  std::vector<size_t> valid;
  for (size_t i = 0; i < commits.size(); ++i) {
    out[i] = CheckStepCommit(commits[i]);
    if (out[i].ok()) valid.push_back(i);
  }
  if (valid.empty()) return out;
  uint64_t ticket = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    WriteSteps(commits, valid, &out, &ticket);
  }
  // On disk before any is acknowledged; the next batch is written meanwhile.
  if (ticket != 0) {
    if (Status s = wal_sync_->SyncThrough(ticket); !s.ok()) {
      for (size_t i : valid) {
        if (out[i].ok()) out[i] = s;
      }
    }
  }
  return out;
}

void SqliteStore::WriteSteps(const std::vector<StepCommit>& commits,
                             const std::vector<size_t>& valid, std::vector<Status>* result,
                             uint64_t* ticket) {
  std::vector<Status>& out = *result;
  // Fast path: the commits one after another in one transaction, no
  // savepoints. A commit refused before it wrote anything (a stale
  // revision, an existing or missing case, a follow-up not pending: the
  // common refusals) leaves the transaction clean, so the batch goes on.
  // Any other failure rolls the whole batch back and it goes again below,
  // with a savepoint per commit.
  {
    Transaction tx(db_, wal_sync_.get());
    if (Status s = tx.Begin(); !s.ok()) {
      for (size_t i : valid) out[i] = s;
      return;
    }
    bool clean = true;
    for (size_t i : valid) {
      bool refused_cleanly = false;
      out[i] = WriteStep(commits[i], &refused_cleanly);
      if (!out[i].ok() && !refused_cleanly) {
        clean = false;
        break;
      }
    }
    if (clean) {
      if (Status s = tx.CommitUnsynced(ticket); !s.ok()) {
        for (size_t i : valid) out[i] = s;
      }
      return;
    }
  }  // ~Transaction rolled the fast path back.
  Transaction tx(db_, wal_sync_.get());
  if (Status s = tx.Begin(); !s.ok()) {
    for (size_t i : valid) out[i] = s;
    return;
  }
  // One savepoint per commit: a refused one is rolled back alone, and the
  // batch still ends in one COMMIT (one WAL sync).
  for (size_t i : valid) {
    if (Status s = SqliteExec(db_, "SAVEPOINT step"); !s.ok()) {
      for (size_t j : valid) out[j] = s;
      return;
    }
    bool refused_cleanly = false;
    out[i] = WriteStep(commits[i], &refused_cleanly);
    Status end = out[i].ok() ? SqliteExec(db_, "RELEASE step")
                             : SqliteExec(db_, "ROLLBACK TO step");
    if (end.ok() && !out[i].ok()) end = SqliteExec(db_, "RELEASE step");
    if (!end.ok()) {
      for (size_t j : valid) out[j] = end;
      return;
    }
  }
  if (Status s = tx.CommitUnsynced(ticket); !s.ok()) {
    for (size_t i : valid) out[i] = s;
  }
}

Status SqliteStore::WriteStep(const StepCommit& commit, bool* refused_cleanly) {
  const CaseRow& row = commit.case_row;
  *refused_cleanly = false;
  if (!commit.follow_up_done.empty()) {
    // First, so that a follow-up carried out already writes nothing at all.
    SqliteStatement s(cache_.get(), db_, "DELETE FROM follow_ups WHERE key = ?1");
    if (!s.ok()) return s.status();
    s.Bind(1, commit.follow_up_done);
    if (Status st = s.Run("carrying out follow-up " + commit.follow_up_done); !st.ok()) return st;
    if (sqlite3_changes(db_) == 0) {
      *refused_cleanly = true;
      return Status(StatusCode::kFailedPrecondition,
                    "follow-up " + commit.follow_up_done + " is not pending");
    }
  }
  // Refused from here on, the commit has written nothing unless it carried
  // out a follow-up just above.
  const bool wrote_nothing = commit.follow_up_done.empty();
  if (commit.create) {
    SqliteStatement s(cache_.get(), db_,
                      "INSERT INTO cases (id, workflow, version, status, state, snapshot, data,"
                      " parties, parent_id, revision, created_at_ms, updated_at_ms, next_due_ms,"
                      " last_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                      " ?13, ?14)");
    if (!s.ok()) return s.status();
    BindCaseRow(s, row, commit.history.hash);
    if (Status st = s.Run("writing case " + row.id); !st.ok()) {
      // The primary key: the case exists (or a create raced this one). A
      // constraint aborts only its statement, the transaction stays.
      if (st.code() != StatusCode::kConflict) return st;
      *refused_cleanly = wrote_nothing;
      return Status(StatusCode::kConflict, "case " + row.id + " exists");
    }
  } else {
    // The revision check is the UPDATE's own WHERE: no read before the write.
    SqliteStatement s(cache_.get(), db_,
                      "UPDATE cases SET workflow = ?2, version = ?3, status = ?4, state = ?5,"
                      " snapshot = ?6, data = ?7, parties = ?8, parent_id = ?9, revision = ?10,"
                      " created_at_ms = ?11, updated_at_ms = ?12, next_due_ms = ?13,"
                      " last_hash = ?14 WHERE id = ?1 AND revision = ?15");
    if (!s.ok()) return s.status();
    BindCaseRow(s, row, commit.history.hash);
    s.Bind(15, commit.expected_revision);
    if (Status st = s.Run("writing case " + row.id); !st.ok()) return st;
    if (sqlite3_changes(db_) == 0) {
      // Nothing written: say why.
      SqliteStatement read(cache_.get(), db_, "SELECT revision FROM cases WHERE id = ?1");
      if (!read.ok()) return read.status();
      read.Bind(1, row.id);
      int rc = read.Step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return read.Error(rc, "reading case " + row.id);
      *refused_cleanly = wrote_nothing;
      if (rc == SQLITE_DONE) return Status::NotFound("no case " + row.id);
      return Status(StatusCode::kConflict, "case " + row.id + " is at revision " +
                                               std::to_string(read.Int(0)) + ", not " +
                                               std::to_string(commit.expected_revision));
    }
  }
  {
    const HistoryRow& h = commit.history;
    SqliteStatement s(cache_.get(), db_,
                      "INSERT INTO history (case_id, seq, input, actor, effects, at_ms, prev_hash,"
                      " hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!s.ok()) return s.status();
    s.Bind(1, row.id);
    s.Bind(2, h.seq);
    s.Bind(3, h.input);
    s.Bind(4, h.actor);
    s.Bind(5, h.effects);
    s.Bind(6, h.at_ms);
    s.Bind(7, h.prev_hash);
    s.Bind(8, h.hash);
    if (Status st = s.Run("appending history of " + row.id); !st.ok()) {
      // seq == revision was checked: an existing entry means the table holds
      // history the case row does not account for.
      return Status::Internal(st.message());
    }
  }
  // Deletes before inserts: cancel + add of one id replaces the timer.
  std::vector<uint32_t> deleted = commit.cancel_timers;
  if (commit.fired_timer) deleted.push_back(*commit.fired_timer);
  if (!deleted.empty()) {
    SqliteStatement s(cache_.get(), db_, "DELETE FROM timers WHERE case_id = ?1 AND timer_id = ?2");
    if (!s.ok()) return s.status();
    for (uint32_t id : deleted) {
      s.Reset();
      s.Bind(1, row.id);
      s.Bind(2, static_cast<int64_t>(id));
      if (Status st = s.Run("deleting a timer of " + row.id); !st.ok()) return st;
    }
  }
  if (!commit.add_timers.empty()) {
    SqliteStatement s(cache_.get(), db_,
                      "INSERT INTO timers (case_id, timer_id, due_at_ms, state, claimed_by,"
                      " claimed_until_ms) VALUES (?1, ?2, ?3, ?4, '', 0)");
    if (!s.ok()) return s.status();
    for (const TimerRow& timer : commit.add_timers) {
      s.Reset();
      s.Bind(1, row.id);
      s.Bind(2, static_cast<int64_t>(timer.timer_id));
      s.Bind(3, timer.due_at_ms);
      s.Bind(4, timer.state);
      Status st = s.Run("adding timer " + std::to_string(timer.timer_id) + " of " + row.id);
      if (st.code() == StatusCode::kConflict) {  // The id is still pending: a malformed commit.
        return Status::InvalidArgument("timer " + std::to_string(timer.timer_id) + " of case " +
                                           row.id + " is pending",
                                       "timer_id");
      }
      if (!st.ok()) return st;
    }
  }
  if (!commit.outbox.empty()) {
    SqliteStatement s(cache_.get(), db_,
                      "INSERT INTO outbox (case_id, adapter, payload, idempotency_key, attempts,"
                      " next_attempt_at_ms, status, last_error, claimed_by, claimed_until_ms)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', 0)");
    if (!s.ok()) return s.status();
    for (const OutboxRow& out : commit.outbox) {
      s.Reset();
      s.Bind(1, row.id);
      s.Bind(2, out.adapter);
      s.Bind(3, out.payload);
      s.Bind(4, out.idempotency_key);
      s.Bind(5, static_cast<int64_t>(out.attempts));
      s.Bind(6, out.next_attempt_at_ms);
      s.Bind(7, std::string(OutboxStatusText(out.status)));
      s.Bind(8, out.last_error);
      if (Status st = s.Run("adding an outbox row of " + row.id); !st.ok()) return st;
    }
  }
  if (!commit.follow_ups.empty()) {
    SqliteStatement s(cache_.get(), db_,
                      "INSERT INTO follow_ups (key, case_id, kind, target, workflow, input,"
                      " created_at_ms, claimed_by, claimed_until_ms)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', 0)");
    if (!s.ok()) return s.status();
    for (const FollowUpRow& f : commit.follow_ups) {
      s.Reset();
      s.Bind(1, f.key);
      s.Bind(2, row.id);
      s.Bind(3, f.kind);
      s.Bind(4, f.target);
      s.Bind(5, f.workflow);
      s.Bind(6, f.input);
      s.Bind(7, f.created_at_ms);
      if (Status st = s.Run("adding follow-up " + f.key); !st.ok()) return st;
    }
  }
  return Status::Ok();
}

// ---- follow-ups ----

namespace {

const char kFollowUpColumns[] =
    "key, case_id, kind, target, workflow, input, created_at_ms, claimed_by, claimed_until_ms";

FollowUpRow ReadFollowUp(const SqliteStatement& s) {
  FollowUpRow row;
  row.key = s.Text(0);
  row.case_id = s.Text(1);
  row.kind = s.Text(2);
  row.target = s.Text(3);
  row.workflow = s.Text(4);
  row.input = s.Text(5);
  row.created_at_ms = s.Int(6);
  row.claimed_by = s.Text(7);
  row.claimed_until_ms = s.Int(8);
  return row;
}

}  // namespace

Result<std::vector<FollowUpRow>> SqliteStore::ClaimFollowUps(const std::string& node,
                                                             int64_t created_before_ms,
                                                             int64_t now_ms, int64_t lease_ms,
                                                             int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(db_, wal_sync_.get());
  if (Status s = tx.Begin(); !s.ok()) return s;
  std::vector<FollowUpRow> due;
  {
    SqliteStatement s(cache_.get(), db_, std::string("SELECT ") + kFollowUpColumns +
                               " FROM follow_ups WHERE created_at_ms <= ?1"
                               " AND (claimed_by = '' OR claimed_until_ms <= ?2)"
                               " ORDER BY created_at_ms, key LIMIT ?3");
    if (!s.ok()) return s.status();
    s.Bind(1, created_before_ms);
    s.Bind(2, now_ms);
    s.Bind(3, SqlLimit(limit));
    auto rows = ReadAll<FollowUpRow>(s, ReadFollowUp, "finding pending follow-ups");
    if (!rows.ok()) return rows.status();
    due = std::move(rows).value();
  }
  SqliteStatement claim(cache_.get(), db_,
                        "UPDATE follow_ups SET claimed_by = ?1, claimed_until_ms = ?2 WHERE key = ?3");
  if (!claim.ok()) return claim.status();
  for (FollowUpRow& row : due) {
    row.claimed_by = node;
    row.claimed_until_ms = now_ms + lease_ms;
    claim.Reset();
    claim.Bind(1, node);
    claim.Bind(2, row.claimed_until_ms);
    claim.Bind(3, row.key);
    if (Status s = claim.Run("claiming a follow-up"); !s.ok()) return s;
  }
  if (Status s = tx.CommitClaim(); !s.ok()) return s;
  return due;
}

Status SqliteStore::DropFollowUp(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement s(cache_.get(), db_, "DELETE FROM follow_ups WHERE key = ?1");
  if (!s.ok()) return s.status();
  s.Bind(1, key);
  return Durable(s.Run("dropping follow-up " + key));
}

Result<std::vector<FollowUpRow>> SqliteStore::GetFollowUps(const std::string& case_id) {
  ReadLease lease(this);
  SqliteStatement s(lease.cache(), lease.db(), std::string("SELECT ") + kFollowUpColumns +
                             " FROM follow_ups WHERE case_id = ?1 ORDER BY key");
  if (!s.ok()) return s.status();
  s.Bind(1, case_id);
  return ReadAll<FollowUpRow>(s, ReadFollowUp, "reading follow-ups of " + case_id);
}

Result<CaseRow> SqliteStore::GetCase(const std::string& case_id) {
  ReadLease lease(this);
  auto rows = QueryCases(lease, "WHERE id = ?1", {case_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("no case " + case_id);
  return rows->front();
}

Result<std::vector<CaseRow>> SqliteStore::GetCases(const std::vector<std::string>& case_ids) {
  const std::vector<std::string> ids = SortedDistinct(case_ids);
  // Chunks keep each statement under SQLite's limit on bound parameters;
  // the ids are sorted, so the chunks' rows come out in id order.
  constexpr size_t kChunk = 500;
  ReadLease lease(this);
  std::vector<CaseRow> out;
  for (size_t first = 0; first < ids.size(); first += kChunk) {
    std::vector<std::variant<int64_t, std::string>> params;
    std::string in;
    for (size_t i = first; i < std::min(ids.size(), first + kChunk); ++i) {
      params.emplace_back(ids[i]);
      in += (in.empty() ? "?" : ", ?") + std::to_string(params.size());
    }
    auto rows = QueryCases(lease, "WHERE id IN (" + in + ") ORDER BY id", params);
    if (!rows.ok()) return rows.status();
    for (CaseRow& row : rows.value()) out.push_back(std::move(row));
  }
  return out;
}

namespace {

using SqlParams = std::vector<std::variant<int64_t, std::string>>;

// The WHERE clause of ListCases and CountCases for `filter`; its values are
// appended to `params` (bound as ?1, ?2, … in order).
std::string CaseFilterWhere(const CaseFilter& filter, SqlParams* params) {
  auto param = [&](std::variant<int64_t, std::string> value) {
    params->push_back(std::move(value));
    return "?" + std::to_string(params->size());
  };
  std::string where = "WHERE 1";
  if (!filter.workflow.empty()) where += " AND workflow = " + param(filter.workflow);
  // "" is a valid empty column (commit_rules.h); json_each would reject it.
  if (!filter.state.empty()) {
    where += " AND EXISTS (SELECT 1 FROM json_each(CASE state WHEN '' THEN '[]' ELSE state END)"
             " AS s WHERE s.value = " + param(filter.state) + ")";
  }
  if (!filter.party.empty()) {
    where += " AND EXISTS (SELECT 1 FROM json_each(CASE parties WHEN '' THEN '{}' ELSE parties END)"
             " AS r, json_each(r.value) AS p WHERE p.value = " + param(filter.party) + ")";
  }
  if (filter.overdue) {
    std::string now = param(filter.now_ms);
    where += *filter.overdue ? " AND next_due_ms IS NOT NULL AND next_due_ms < " + now
                             : " AND (next_due_ms IS NULL OR next_due_ms >= " + now + ")";
  }
  return where;
}

void BindAll(SqliteStatement& s, const SqlParams& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    if (const auto* text = std::get_if<std::string>(&params[i])) {
      s.Bind(index, *text);
    } else {
      s.Bind(index, std::get<int64_t>(params[i]));
    }
  }
}

}  // namespace

Result<std::vector<CaseRow>> SqliteStore::QueryCases(
    ReadLease& lease, const std::string& sql_tail,
    const std::vector<std::variant<int64_t, std::string>>& params) {
  SqliteStatement s(lease.cache(), lease.db(),
                    std::string("SELECT ") + kCaseColumns + " FROM cases " + sql_tail);
  if (!s.ok()) return s.status();
  BindAll(s, params);
  return ReadAll<CaseRow>(s, ReadCase, "listing cases");
}

Result<std::vector<CaseRow>> SqliteStore::ListCases(const CaseFilter& filter) {
  ReadLease lease(this);
  SqlParams params;
  std::string where = CaseFilterWhere(filter, &params);
  std::string page = " ORDER BY updated_at_ms DESC, id LIMIT ?" + std::to_string(params.size() + 1) +
                     " OFFSET ?" + std::to_string(params.size() + 2);
  params.push_back(SqlLimit(filter.limit));
  params.push_back(static_cast<int64_t>(std::max(filter.offset, 0)));
  if (filter.offset <= 0) return QueryCases(lease, where + page, params);
  // A deep page: the rows skipped by OFFSET are found in the index alone
  // (cases_by_update holds updated_at_ms, id and the rowid), and only the
  // page's own rows are read from the table, instead of reading (snapshot
  // and all) every skipped row.
  return QueryCases(lease,
                    "WHERE rowid IN (SELECT rowid FROM cases " + where + page +
                        ") ORDER BY updated_at_ms DESC, id",
                    params);
}

Result<std::vector<CaseRow>> SqliteStore::ListChildren(const std::string& case_id) {
  if (case_id.empty()) return std::vector<CaseRow>{};  // '' is "no parent", not a case.
  ReadLease lease(this);
  // parent_id <> '': lets SQLite use the partial index cases_by_parent.
  return QueryCases(lease, "WHERE parent_id = ?1 AND parent_id <> '' ORDER BY created_at_ms, id",
                    {case_id});
}

Result<std::vector<HistoryRow>> SqliteStore::GetHistory(const std::string& case_id) {
  ReadLease lease(this);
  return HistoryOf(lease, case_id);
}

Result<std::vector<HistoryRow>> SqliteStore::HistoryOf(ReadLease& lease,
                                                       const std::string& case_id) {
  SqliteStatement s(lease.cache(), lease.db(),
                    "SELECT case_id, seq, input, actor, effects, at_ms, prev_hash, hash"
                    " FROM history WHERE case_id = ?1 ORDER BY seq");
  if (!s.ok()) return s.status();
  s.Bind(1, case_id);
  return ReadAll<HistoryRow>(
      s,
      [](const SqliteStatement& st) {
        return HistoryRow{st.Text(0), st.Int(1), st.Text(2), st.Text(3),
                          st.Text(4), st.Int(5), st.Text(6), st.Text(7)};
      },
      "reading history of " + case_id);
}

Result<std::vector<std::string>> SqliteStore::ListCaseIds() {
  ReadLease lease(this);
  SqliteStatement s(lease.cache(), lease.db(), "SELECT id FROM cases ORDER BY id");
  return ReadAll<std::string>(s, [](const SqliteStatement& st) { return st.Text(0); },
                              "listing case ids");
}

// ---- timers ----

Result<std::vector<TimerRow>> SqliteStore::ClaimDueTimers(const std::string& node, int64_t now_ms,
                                                          int64_t lease_ms, int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(db_, wal_sync_.get());
  if (Status s = tx.Begin(); !s.ok()) return s;
  std::vector<TimerRow> due;
  {
    SqliteStatement s(cache_.get(), db_, std::string("SELECT ") + kTimerColumns +
                               " FROM timers WHERE due_at_ms <= ?1"
                               " AND (claimed_by = '' OR claimed_until_ms <= ?1)"
                               " ORDER BY due_at_ms, case_id, timer_id LIMIT ?2");
    if (!s.ok()) return s.status();
    s.Bind(1, now_ms);
    s.Bind(2, SqlLimit(limit));
    auto rows = ReadAll<TimerRow>(s, ReadTimer, "finding due timers");
    if (!rows.ok()) return rows.status();
    due = std::move(rows).value();
  }
  SqliteStatement claim(cache_.get(), db_,
                        "UPDATE timers SET claimed_by = ?1, claimed_until_ms = ?2"
                        " WHERE case_id = ?3 AND timer_id = ?4");
  if (!claim.ok()) return claim.status();
  for (TimerRow& timer : due) {
    timer.claimed_by = node;
    timer.claimed_until_ms = now_ms + lease_ms;
    claim.Reset();
    claim.Bind(1, node);
    claim.Bind(2, timer.claimed_until_ms);
    claim.Bind(3, timer.case_id);
    claim.Bind(4, static_cast<int64_t>(timer.timer_id));
    if (Status s = claim.Run("claiming a timer"); !s.ok()) return s;
  }
  if (Status s = tx.CommitClaim(); !s.ok()) return s;
  return due;
}

Result<std::vector<TimerRow>> SqliteStore::GetTimers(const std::string& case_id) {
  ReadLease lease(this);
  SqliteStatement s(lease.cache(), lease.db(), std::string("SELECT ") + kTimerColumns +
                             " FROM timers WHERE case_id = ?1 ORDER BY due_at_ms, timer_id");
  if (!s.ok()) return s.status();
  s.Bind(1, case_id);
  return ReadAll<TimerRow>(s, ReadTimer, "reading timers of " + case_id);
}

Result<int64_t> SqliteStore::CountTimers() {
  ReadLease lease(this);
  SqliteStatement s(lease.cache(), lease.db(), "SELECT COUNT(*) FROM timers");
  if (!s.ok()) return s.status();
  int rc = s.Step();
  if (rc != SQLITE_ROW) return s.Error(rc, "counting timers");
  return s.Int(0);
}

// ---- outbox ----

Result<std::vector<OutboxRow>> SqliteStore::ClaimOutbox(const std::string& node, int64_t now_ms,
                                                        int64_t lease_ms, int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(db_, wal_sync_.get());
  if (Status s = tx.Begin(); !s.ok()) return s;
  std::vector<OutboxRow> due;
  {
    SqliteStatement s(cache_.get(), db_, std::string("SELECT ") + kOutboxColumns +
                               " FROM outbox WHERE status = 'pending' AND next_attempt_at_ms <= ?1"
                               " AND (claimed_by = '' OR claimed_until_ms <= ?1)"
                               " ORDER BY next_attempt_at_ms, id LIMIT ?2");
    if (!s.ok()) return s.status();
    s.Bind(1, now_ms);
    s.Bind(2, SqlLimit(limit));
    auto rows = ReadAll<OutboxRow>(s, ReadOutbox, "finding due outbox rows");
    if (!rows.ok()) return rows.status();
    due = std::move(rows).value();
  }
  SqliteStatement claim(cache_.get(), db_, "UPDATE outbox SET claimed_by = ?1, claimed_until_ms = ?2 WHERE id = ?3");
  if (!claim.ok()) return claim.status();
  for (OutboxRow& out : due) {
    out.claimed_by = node;
    out.claimed_until_ms = now_ms + lease_ms;
    claim.Reset();
    claim.Bind(1, node);
    claim.Bind(2, out.claimed_until_ms);
    claim.Bind(3, out.id);
    if (Status s = claim.Run("claiming an outbox row"); !s.ok()) return s;
  }
  if (Status s = tx.CommitClaim(); !s.ok()) return s;
  return due;
}

Status SqliteStore::MarkDelivered(int64_t outbox_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement s(cache_.get(), db_,
                    "UPDATE outbox SET status = 'delivered', claimed_by = '', claimed_until_ms = 0"
                    " WHERE id = ?1");
  if (!s.ok()) return s.status();
  s.Bind(1, outbox_id);
  if (Status st = s.Run("marking outbox row delivered"); !st.ok()) return st;
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no outbox row " + std::to_string(outbox_id));
  return Durable(Status::Ok());
}

Status SqliteStore::MarkFailed(int64_t outbox_id, const std::string& error,
                               int64_t next_attempt_at_ms, bool dead) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement s(cache_.get(), db_,
                    dead ? "UPDATE outbox SET attempts = attempts + 1, last_error = ?2,"
                           " status = 'dead', claimed_by = '', claimed_until_ms = 0 WHERE id = ?1"
                         : "UPDATE outbox SET attempts = attempts + 1, last_error = ?2,"
                           " next_attempt_at_ms = ?3, claimed_by = '', claimed_until_ms = 0"
                           " WHERE id = ?1");
  if (!s.ok()) return s.status();
  s.Bind(1, outbox_id);
  s.Bind(2, error);
  if (!dead) s.Bind(3, next_attempt_at_ms);
  if (Status st = s.Run("marking outbox row failed"); !st.ok()) return st;
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no outbox row " + std::to_string(outbox_id));
  return Durable(Status::Ok());
}

Result<std::vector<OutboxRow>> SqliteStore::GetOutbox(const std::string& case_id) {
  ReadLease lease(this);
  return OutboxOf(lease, case_id);
}

Result<std::vector<OutboxRow>> SqliteStore::OutboxOf(ReadLease& lease, const std::string& case_id) {
  SqliteStatement s(lease.cache(), lease.db(), std::string("SELECT ") + kOutboxColumns +
                             " FROM outbox WHERE case_id = ?1 ORDER BY id");
  if (!s.ok()) return s.status();
  s.Bind(1, case_id);
  return ReadAll<OutboxRow>(s, ReadOutbox, "reading outbox of " + case_id);
}

// ---- delivery attempts ----

Status SqliteStore::AddDeliveryAttempt(const DeliveryAttemptRow& a) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement s(cache_.get(), db_,
                    "INSERT INTO delivery_attempts (case_id, outbox_id, attempt, channel, outcome,"
                    " error, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!s.ok()) return s.status();
  s.Bind(1, a.case_id);
  s.Bind(2, a.outbox_id);
  s.Bind(3, static_cast<int64_t>(a.attempt));
  s.Bind(4, a.channel);
  s.Bind(5, a.outcome);
  s.Bind(6, a.error);
  s.Bind(7, a.at_ms);
  return Durable(s.Run("adding a delivery attempt of " + a.case_id));
}

Result<std::vector<DeliveryAttemptRow>> SqliteStore::ListDeliveryAttempts(
    const std::string& case_id) {
  ReadLease lease(this);
  return AttemptsOf(lease, case_id);
}

Result<std::vector<DeliveryAttemptRow>> SqliteStore::AttemptsOf(ReadLease& lease,
                                                                const std::string& case_id) {
  SqliteStatement s(lease.cache(), lease.db(),
                    "SELECT id, case_id, outbox_id, attempt, channel, outcome, error, at_ms"
                    " FROM delivery_attempts WHERE case_id = ?1 ORDER BY id");
  if (!s.ok()) return s.status();
  s.Bind(1, case_id);
  return ReadAll<DeliveryAttemptRow>(
      s,
      [](const SqliteStatement& st) {
        DeliveryAttemptRow row;
        row.id = st.Int(0);
        row.case_id = st.Text(1);
        row.outbox_id = st.Int(2);
        row.attempt = static_cast<int>(st.Int(3));
        row.channel = st.Text(4);
        row.outcome = st.Text(5);
        row.error = st.Text(6);
        row.at_ms = st.Int(7);
        return row;
      },
      "reading delivery attempts of " + case_id);
}

// ---- principals and sessions ----

Status SqliteStore::PutPrincipal(const PrincipalRow& p) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (p.id.empty()) return Status::InvalidArgument("principal id is empty", "id");
  SqliteStatement s(cache_.get(), db_,
                    "INSERT INTO principals (id, kind, name, role, party, secret_hash,"
                    " created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!s.ok()) return s.status();
  s.Bind(1, p.id);
  s.Bind(2, p.kind);
  s.Bind(3, p.name);
  s.Bind(4, p.role);
  s.Bind(5, p.party);
  s.Bind(6, p.secret_hash);
  s.Bind(7, p.created_at_ms);
  // A taken id is a constraint violation: kConflict.
  return Durable(s.Run("adding principal " + p.id));
}

Result<PrincipalRow> SqliteStore::GetPrincipal(const std::string& id) {
  ReadLease lease(this);
  SqliteStatement s(lease.cache(), lease.db(),
                    "SELECT id, kind, name, role, party, secret_hash, created_at_ms"
                    " FROM principals WHERE id = ?1");
  if (!s.ok()) return s.status();
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no principal '" + id + "'");
  if (rc != SQLITE_ROW) return s.Error(rc, "reading principal " + id);
  PrincipalRow row;
  row.id = s.Text(0);
  row.kind = s.Text(1);
  row.name = s.Text(2);
  row.role = s.Text(3);
  row.party = s.Text(4);
  row.secret_hash = s.Text(5);
  row.created_at_ms = s.Int(6);
  return row;
}

Status SqliteStore::PutSession(const SessionRow& session) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (session.id.empty()) return Status::InvalidArgument("session id is empty", "id");
  SqliteStatement s(cache_.get(), db_,
                    "INSERT INTO sessions (id, principal_id, csrf_token, created_at_ms,"
                    " expires_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!s.ok()) return s.status();
  s.Bind(1, session.id);
  s.Bind(2, session.principal_id);
  s.Bind(3, session.csrf_token);
  s.Bind(4, session.created_at_ms);
  s.Bind(5, session.expires_at_ms);
  return Durable(s.Run("adding a session"));
}

Result<SessionRow> SqliteStore::GetSession(const std::string& id) {
  ReadLease lease(this);
  SqliteStatement s(lease.cache(), lease.db(),
                    "SELECT id, principal_id, csrf_token, created_at_ms, expires_at_ms"
                    " FROM sessions WHERE id = ?1");
  if (!s.ok()) return s.status();
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no such session");
  if (rc != SQLITE_ROW) return s.Error(rc, "reading a session");
  SessionRow row;
  row.id = s.Text(0);
  row.principal_id = s.Text(1);
  row.csrf_token = s.Text(2);
  row.created_at_ms = s.Int(3);
  row.expires_at_ms = s.Int(4);
  return row;
}

Status SqliteStore::DeleteSession(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement s(cache_.get(), db_, "DELETE FROM sessions WHERE id = ?1");
  if (!s.ok()) return s.status();
  s.Bind(1, id);
  return Durable(s.Run("deleting a session"));
}

Result<OutboxCounts> SqliteStore::CountOutbox() {
  ReadLease lease(this);
  SqliteStatement s(lease.cache(), lease.db(), "SELECT status, COUNT(*), COALESCE(SUM(attempts), 0) FROM outbox"
                         " GROUP BY status");
  if (!s.ok()) return s.status();
  OutboxCounts counts;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    OutboxStatus status = OutboxStatusOf(s.Text(0));
    int64_t rows = s.Int(1);
    counts.failed_attempts += s.Int(2);
    if (status == OutboxStatus::kDelivered) counts.delivered += rows;
    else if (status == OutboxStatus::kDead) counts.dead += rows;
    else counts.pending += rows;
  }
  if (rc != SQLITE_DONE) return s.Error(rc, "counting the outbox");
  return counts;
}

Result<int64_t> SqliteStore::CountCases(const CaseFilter& filter) {
  ReadLease lease(this);
  SqlParams params;
  std::string where = CaseFilterWhere(filter, &params);
  SqliteStatement s(lease.cache(), lease.db(), "SELECT COUNT(*) FROM cases " + where);
  if (!s.ok()) return s.status();
  BindAll(s, params);
  int rc = s.Step();
  if (rc != SQLITE_ROW) return s.Error(rc, "counting cases");
  return s.Int(0);
}
// ---- end principals and sessions ----

// ---- the web view's reads ----

Result<CaseDetail> SqliteStore::GetCaseDetail(const std::string& case_id) {
  ReadLease lease(this);
  // One read transaction: the case and its lists come from the same commit.
  if (Status s = SqliteExec(lease.db(), "BEGIN"); !s.ok()) return s;
  Result<CaseDetail> out = [&]() -> Result<CaseDetail> {
    CaseDetail detail;
    auto rows = QueryCases(lease, "WHERE id = ?1", {case_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return Status::NotFound("no case " + case_id);
    detail.row = std::move(rows->front());
    auto history = HistoryOf(lease, case_id);
    if (!history.ok()) return history.status();
    detail.history = std::move(history).value();
    auto outbox = OutboxOf(lease, case_id);
    if (!outbox.ok()) return outbox.status();
    detail.outbox = std::move(outbox).value();
    auto attempts = AttemptsOf(lease, case_id);
    if (!attempts.ok()) return attempts.status();
    detail.attempts = std::move(attempts).value();
    return detail;
  }();
  // Ends the read (a reader left in a transaction is closed, not reused).
  SqliteExec(lease.db(), "COMMIT");
  return out;
}

Result<CaseCounts> SqliteStore::CountCasesByState() {
  ReadLease lease(this);
  if (Status s = SqliteExec(lease.db(), "BEGIN"); !s.ok()) return s;
  Result<CaseCounts> out = [&]() -> Result<CaseCounts> {
    CaseCounts counts;
    {
      // By the state column's text; SplitCaseStates splits it into names.
      SqliteStatement s(lease.cache(), lease.db(),
                        "SELECT workflow, state, status, COUNT(*) FROM cases GROUP BY 1, 2, 3");
      if (!s.ok()) return s.status();
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        CaseStateCount count;
        count.workflow = s.Text(0);
        count.state = s.Text(1);
        count.status = CaseStatusOf(s.Text(2));
        count.cases = s.Int(3);
        counts.by_state.push_back(std::move(count));
      }
      if (rc != SQLITE_DONE) return s.Error(rc, "counting cases by state");
    }
    SqliteStatement s(lease.cache(), lease.db(),
                      "SELECT COALESCE(SUM(revision), 0),"
                      " MIN(CASE WHEN status = 'running' THEN next_due_ms END) FROM cases");
    if (!s.ok()) return s.status();
    int rc = s.Step();
    if (rc != SQLITE_ROW) return s.Error(rc, "summing case revisions");
    counts.steps = s.Int(0);
    counts.earliest_running_due_ms = s.OptionalInt(1);
    return counts;
  }();
  SqliteExec(lease.db(), "COMMIT");
  if (out.ok()) SplitCaseStates(&out.value());
  return out;
}

}  // namespace zgtflow::store
