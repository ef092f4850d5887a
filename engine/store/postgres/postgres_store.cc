// ⑤ PostgreSQL Store: SQL through libpqxx 6, a small connection pool, and
// every pqxx exception turned into Status here (nothing leaves this folder).
#include "engine/store/postgres/postgres_store.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "engine/store/commit_rules.h"
#include "engine/store/postgres/array_literal.h"
#include "engine/store/postgres/batch_statement.h"
#include "engine/store/postgres/connection_slots.h"
#include "engine/store/postgres/migrations.h"

namespace zgtflow::store {
namespace {

using postgres::ArrayLiteral;

// Calls on the server at once (ConnectionSlots): ZGT_PG_CONNECTIONS when set
// (a node with many cores beside a small server may want fewer), otherwise
// twice the cores, at least 4 (the group commit's batches in flight). On the
// 2-core machine of docs/performance.md, 4 busy connections served 1.6x the
// case pages of one connection per request (50) and fired timers 1.4x as
// fast. Each slot's connection stays open for the next call.
constexpr const char* kConnectionsVariable = "ZGT_PG_CONNECTIONS";
constexpr long kMaxConnections = 1000;

Result<size_t> ConnectionSlotCount() {
  const char* set = std::getenv(kConnectionsVariable);
  if (set == nullptr || *set == '\0') {
    return std::max<size_t>(4, 2 * static_cast<size_t>(std::thread::hardware_concurrency()));
  }
  char* end = nullptr;
  errno = 0;
  const long count = std::strtol(set, &end, 10);
  if (errno != 0 || *end != '\0' || count < 1 || count > kMaxConnections) {
    return Status::InvalidArgument(std::string(kConnectionsVariable) + " is \"" + set +
                                       "\": give a number of connections from 1 to " +
                                       std::to_string(kMaxConnections),
                                   kConnectionsVariable);
  }
  return static_cast<size_t>(count);
}

std::optional<int64_t> OptionalInt(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<int64_t>();
}

// The CaseFilter of ListCases and CountCases, bound as $1 workflow, $2 state,
// $3 party, $4 overdue (NULL = either), $5 now_ms. Every filter is always
// bound; an empty one matches everything. NULLIF keeps an empty JSON column
// from failing the cast.
const char kCaseFilterWhere[] =
    " ($1 = '' OR workflow = $1)"
    " AND ($2 = '' OR COALESCE(jsonb_typeof(NULLIF(state, '')::jsonb) = 'array'"
    "      AND NULLIF(state, '')::jsonb ? $2, false))"
    " AND ($3 = '' OR EXISTS (SELECT 1 FROM jsonb_each("
    "      CASE WHEN jsonb_typeof(NULLIF(parties, '')::jsonb) = 'object'"
    "      THEN parties::jsonb ELSE '{}'::jsonb END) AS p(role, names)"
    "      WHERE jsonb_typeof(p.names) = 'array' AND p.names ? $3))"
    " AND ($4::boolean IS NULL"
    "      OR $4 = (next_due_ms IS NOT NULL AND next_due_ms < $5))";

// Column lists and their decoders, kept side by side so they cannot drift.
constexpr const char* kCaseColumns =
    "id, workflow, version, status, state, snapshot, data, parties, parent_id, revision,"
    " created_at_ms, updated_at_ms, next_due_ms, last_hash";

CaseRow DecodeCase(const pqxx::row& row) {
  CaseRow c;
  c.id = row[0].as<std::string>();
  c.workflow = row[1].as<std::string>();
  c.version = row[2].as<std::string>();
  c.status = CaseStatusOf(row[3].as<std::string>());
  c.state = row[4].as<std::string>();
  c.snapshot = row[5].as<std::string>();
  c.data = row[6].as<std::string>();
  c.parties = row[7].as<std::string>();
  c.parent_id = row[8].as<std::string>();
  c.revision = row[9].as<int64_t>();
  c.created_at_ms = row[10].as<int64_t>();
  c.updated_at_ms = row[11].as<int64_t>();
  c.next_due_ms = OptionalInt(row[12]);
  c.last_hash = row[13].as<std::string>();
  return c;
}

constexpr const char* kTimerColumns =
    "case_id, timer_id, due_at_ms, state, claimed_by, claimed_until_ms";

TimerRow DecodeTimer(const pqxx::row& row) {
  TimerRow t;
  t.case_id = row[0].as<std::string>();
  t.timer_id = static_cast<uint32_t>(row[1].as<int64_t>());
  t.due_at_ms = row[2].as<int64_t>();
  t.state = row[3].as<std::string>();
  t.claimed_by = row[4].as<std::string>();
  t.claimed_until_ms = row[5].as<int64_t>();
  return t;
}

constexpr const char* kOutboxColumns =
    "id, case_id, adapter, payload, idempotency_key, attempts, next_attempt_at_ms, status,"
    " last_error, claimed_by, claimed_until_ms";

OutboxRow DecodeOutbox(const pqxx::row& row) {
  OutboxRow o;
  o.id = row[0].as<int64_t>();
  o.case_id = row[1].as<std::string>();
  o.adapter = row[2].as<std::string>();
  o.payload = row[3].as<std::string>();
  o.idempotency_key = row[4].as<std::string>();
  o.attempts = row[5].as<int>();
  o.next_attempt_at_ms = row[6].as<int64_t>();
  o.status = OutboxStatusOf(row[7].as<std::string>());
  o.last_error = row[8].as<std::string>();
  o.claimed_by = row[9].as<std::string>();
  o.claimed_until_ms = row[10].as<int64_t>();
  return o;
}

constexpr const char* kHistoryColumns =
    "case_id, seq, input, actor, effects, at_ms, prev_hash, hash";

HistoryRow DecodeHistory(const pqxx::row& row) {
  HistoryRow h;
  h.case_id = row[0].as<std::string>();
  h.seq = row[1].as<int64_t>();
  h.input = row[2].as<std::string>();
  h.actor = row[3].as<std::string>();
  h.effects = row[4].as<std::string>();
  h.at_ms = row[5].as<int64_t>();
  h.prev_hash = row[6].as<std::string>();
  h.hash = row[7].as<std::string>();
  return h;
}

constexpr const char* kAttemptColumns =
    "id, case_id, outbox_id, attempt, channel, outcome, error, at_ms";

DeliveryAttemptRow DecodeAttempt(const pqxx::row& row) {
  DeliveryAttemptRow a;
  a.id = row[0].as<int64_t>();
  a.case_id = row[1].as<std::string>();
  a.outbox_id = row[2].as<int64_t>();
  a.attempt = row[3].as<int>();
  a.channel = row[4].as<std::string>();
  a.outcome = row[5].as<std::string>();
  a.error = row[6].as<std::string>();
  a.at_ms = row[7].as<int64_t>();
  return a;
}

FollowUpRow DecodeFollowUp(const pqxx::row& row) {
  FollowUpRow f;
  f.key = row[0].as<std::string>();
  f.case_id = row[1].as<std::string>();
  f.kind = row[2].as<std::string>();
  f.target = row[3].as<std::string>();
  f.workflow = row[4].as<std::string>();
  f.input = row[5].as<std::string>();
  f.created_at_ms = row[6].as<int64_t>();
  f.claimed_by = row[7].as<std::string>();
  f.claimed_until_ms = row[8].as<int64_t>();
  return f;
}

// SQLSTATE classes that mean "the server went away or is going away": 08
// (connection exception), 57P (operator intervention: shutdown, crash
// recovery, cannot connect now), 53300 too many connections.
bool IsUnavailableState(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P", 0) == 0 || sqlstate == "53300";
}

// Maps the exception in flight to a Status; `broken` says whether the
// connection should be thrown away. Must be called inside a catch block.
Status StatusFromException(const char* what_call, bool* broken) {
  std::string prefix = std::string("postgres ") + what_call + ": ";
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    *broken = true;
    return Status(StatusCode::kUnavailable, prefix + e.what());
  } catch (const pqxx::in_doubt_error& e) {
    // The commit's outcome is unknown: the caller re-reads and retries.
    *broken = true;
    return Status(StatusCode::kUnavailable, prefix + e.what());
  } catch (const pqxx::transaction_rollback& e) {
    // serialization_failure, deadlock_detected: another transaction won.
    return Status(StatusCode::kConflict, prefix + e.what());
  } catch (const pqxx::unique_violation& e) {
    return Status(StatusCode::kConflict, prefix + e.what());
  } catch (const pqxx::sql_error& e) {
    if (IsUnavailableState(e.sqlstate())) {
      *broken = true;
      return Status(StatusCode::kUnavailable, prefix + e.what());
    }
    return Status(StatusCode::kInternal, prefix + e.what());
  } catch (const std::exception& e) {
    // Conversion errors, usage errors, std::bad_alloc: a broken invariant.
    // The connection may be in an unknown state, so it is not reused.
    *broken = true;
    return Status(StatusCode::kInternal, prefix + e.what());
  } catch (...) {
    *broken = true;
    return Status(StatusCode::kInternal, prefix + "unknown exception");
  }
}

class PostgresStore : public Store {
 public:
  // At most `slot_count` calls on the server at once, each on its own connection.
  PostgresStore(std::string url, size_t slot_count)
      : url_(std::move(url)), slot_count_(slot_count), slots_(slot_count_) {}

  // Opens the first connection and applies migrations on it.
  Status Open() {
    return Run("open", [](pqxx::connection& c) { postgres::ApplyMigrations(c); });
  }

  Status PutDefinition(const DefinitionRow& d) override {
    return Run("PutDefinition", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      txn.exec_params(
          "INSERT INTO definitions (workflow, version, source, source_path, deployed_at_ms)"
          " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workflow, version) DO NOTHING",
          d.workflow, d.version, d.source, d.source_path, d.deployed_at_ms);
      txn.commit();
    });
  }

  // Reads of one statement run outside any transaction block (autocommit,
  // pqxx::nontransaction): one round trip instead of BEGIN, query, COMMIT,
  // and the statement still sees every commit that returned before it.
  Result<std::vector<DefinitionRow>> ListDefinitions() override {
    std::vector<DefinitionRow> out;
    Status s = Run("ListDefinitions", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec(
          "SELECT workflow, version, source, source_path, deployed_at_ms FROM definitions"
          " ORDER BY workflow, deployed_at_ms, version");
      out.clear();
      for (const pqxx::row& row : r) {
        DefinitionRow d;
        d.workflow = row[0].as<std::string>();
        d.version = row[1].as<std::string>();
        d.source = row[2].as<std::string>();
        d.source_path = row[3].as<std::string>();
        d.deployed_at_ms = row[4].as<int64_t>();
        out.push_back(std::move(d));
      }
    });
    if (!s.ok()) return s;
    return out;
  }

  Status CommitStep(const StepCommit& commit) override {
    if (Status malformed = CheckStepCommit(commit); !malformed.ok()) return malformed;
    Status outcome;
    Status s = Run("CommitStep", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      outcome = WriteStep(txn, commit);
      if (outcome.ok()) txn.commit();  // Otherwise rolled back by ~work.
    });
    if (!s.ok()) return s;
    return outcome;
  }

  // Two batches on two pooled connections: one is written while the other
  // waits for its round trip and WAL flush. More only split the same commits
  // into smaller batches, and on the server a batch costs much the same
  // whether it carries 12 commits or 24: with 64 inputs in flight, 2 gave
  // 13,400 transitions/s against 11,000 with 4, and 8 clients 4,900 against
  // 4,600 (docs/performance.md).
  int ConcurrentCommitSteps() const override { return 2; }

  // One transaction for the batch, a subtransaction (SAVEPOINT) per commit:
  // a refused commit is rolled back alone and the batch ends in one COMMIT.
  std::vector<Status> CommitSteps(const std::vector<StepCommit>& commits) override {
    std::vector<Status> out(commits.size());
    std::vector<size_t> valid;
    for (size_t i = 0; i < commits.size(); ++i) {
      out[i] = CheckStepCommit(commits[i]);
      if (out[i].ok()) valid.push_back(i);
    }
    if (valid.empty()) return out;
    std::set<std::string> ids, follow_ups;
    size_t carrying_out = 0;
    for (size_t i : valid) {
      ids.insert(commits[i].case_row.id);
      if (commits[i].follow_up_done.empty()) continue;
      follow_ups.insert(commits[i].follow_up_done);
      ++carrying_out;
    }
    // Set-wise writes need each case, and each follow-up carried out, once.
    if (ids.size() == valid.size() && follow_ups.size() == carrying_out) {
      // Fast path: one statement. It is atomic, so when it fails nothing
      // was written: a lost connection fails the batch, anything else
      // (a deadlock, a constraint) goes again through the transaction of a
      // statement per table, which tells each commit its own failure.
      Status s = Run("CommitSteps", [&](pqxx::connection& c) {
        postgres::CommitInOneStatement(c, commits, valid, &out);
      });
      if (s.ok()) return out;
      if (s.code() == StatusCode::kUnavailable) {
        for (size_t i : valid) out[i] = s;
        return out;
      }
      return CommitDistinct(commits, valid, out);
    }
    // Several steps of one case: each after the one before, by savepoints.
    Status s = Run("CommitSteps", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      for (size_t i : valid) {
        pqxx::subtransaction sub(txn, "step");
        try {
          out[i] = WriteStep(sub, commits[i]);
        } catch (const pqxx::broken_connection&) {
          throw;
        } catch (const pqxx::in_doubt_error&) {
          throw;
        } catch (...) {
          bool broken = false;
          out[i] = StatusFromException("CommitSteps", &broken);
          if (broken) throw;
        }
        if (out[i].ok()) {
          sub.commit();
        } else {
          sub.abort();
        }
      }
      txn.commit();
    });
    if (!s.ok()) {
      for (size_t i : valid) out[i] = s;
    }
    return out;
  }

  // CommitSteps of commits of distinct cases, in a fixed number of round
  // trips whatever the batch size: the case rows (and named follow-ups) are
  // locked and checked first, so the writes, one multi-row statement per
  // table, cannot fail for one commit alone; each refused commit is simply
  // left out of them.
  std::vector<Status> CommitDistinct(const std::vector<StepCommit>& commits,
                                     const std::vector<size_t>& valid, std::vector<Status> out) {
    Status s = Run("CommitSteps", [&](pqxx::connection& c) {
      for (size_t i : valid) out[i] = Status::Ok();
      pqxx::work txn(c);
      ArrayLiteral ids;
      for (size_t i : valid) ids.Add(commits[i].case_row.id);
      std::map<std::string, int64_t> revisions;
      for (const pqxx::row& row : txn.exec_params(
               "SELECT id, revision FROM cases WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE",
               ids.str())) {
        revisions[row[0].as<std::string>()] = row[1].as<int64_t>();
      }
      ArrayLiteral named;
      for (size_t i : valid) {
        if (!commits[i].follow_up_done.empty()) named.Add(commits[i].follow_up_done);
      }
      std::set<std::string> pending;
      if (!named.empty()) {
        for (const pqxx::row& row : txn.exec_params(
                 "SELECT key FROM follow_ups WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE",
                 named.str())) {
          pending.insert(row[0].as<std::string>());
        }
      }
      std::vector<size_t> go;
      ArrayLiteral with_adds;
      for (size_t i : valid) {
        const StepCommit& commit = commits[i];
        const CaseRow& k = commit.case_row;
        auto found = revisions.find(k.id);
        if (!commit.follow_up_done.empty() && !pending.count(commit.follow_up_done)) {
          out[i] = Status(StatusCode::kFailedPrecondition,
                          "follow-up " + commit.follow_up_done + " is not pending");
        } else if (commit.create && found != revisions.end()) {
          out[i] = Status(StatusCode::kConflict, "case " + k.id + " already exists");
        } else if (!commit.create && found == revisions.end()) {
          out[i] = Status::NotFound("case " + k.id + " does not exist");
        } else if (!commit.create && found->second != commit.expected_revision) {
          out[i] = Status(StatusCode::kConflict,
                          "case " + k.id + " is at revision " + std::to_string(found->second) +
                              ", the step expected " + std::to_string(commit.expected_revision));
        } else {
          go.push_back(i);
          if (!commit.create && !commit.add_timers.empty()) with_adds.Add(k.id);
        }
      }
      if (!with_adds.empty()) {
        // An added id still pending after the commit's deletes is malformed.
        std::set<std::pair<std::string, int64_t>> timers;
        for (const pqxx::row& row : txn.exec_params(
                 "SELECT case_id, timer_id FROM timers WHERE case_id = ANY($1::text[])",
                 with_adds.str())) {
          timers.insert({row[0].as<std::string>(), row[1].as<int64_t>()});
        }
        std::vector<size_t> kept;
        for (size_t i : go) {
          const StepCommit& commit = commits[i];
          std::set<int64_t> deleted(commit.cancel_timers.begin(), commit.cancel_timers.end());
          if (commit.fired_timer) deleted.insert(*commit.fired_timer);
          Status status;
          for (const TimerRow& t : commit.add_timers) {
            const int64_t id = static_cast<int64_t>(t.timer_id);
            if (timers.count({commit.case_row.id, id}) && !deleted.count(id)) {
              status = Status::InvalidArgument("timer " + std::to_string(t.timer_id) + " of case " +
                                                   commit.case_row.id + " is still pending",
                                               "timer_id");
              break;
            }
          }
          out[i] = status;
          if (status.ok()) kept.push_back(i);
        }
        go = std::move(kept);
      }
      // Creates first: one racing another transaction's create loses here,
      // before any of its other rows is written.
      {
        ArrayLiteral a[14];
        for (size_t i : go) {
          if (!commits[i].create) continue;
          const CaseRow& k = commits[i].case_row;
          a[0].Add(k.id); a[1].Add(k.workflow); a[2].Add(k.version);
          a[3].Add(std::string(CaseStatusText(k.status))); a[4].Add(k.state); a[5].Add(k.snapshot);
          a[6].Add(k.data); a[7].Add(k.parties); a[8].Add(k.parent_id); a[9].Add(k.revision);
          a[10].Add(k.created_at_ms); a[11].Add(k.updated_at_ms); a[12].Add(k.next_due_ms);
          a[13].Add(commits[i].history.hash);
        }
        if (!a[0].empty()) {
          std::set<std::string> inserted;
          for (const pqxx::row& row : txn.exec_params(
                   "INSERT INTO cases (id, workflow, version, status, state, snapshot, data, parties,"
                   " parent_id, revision, created_at_ms, updated_at_ms, next_due_ms, last_hash)"
                   " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
                   " $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[],"
                   " $11::bigint[], $12::bigint[], $13::bigint[], $14::text[])"
                   " ON CONFLICT (id) DO NOTHING RETURNING id",
                   a[0].str(), a[1].str(), a[2].str(), a[3].str(), a[4].str(), a[5].str(),
                   a[6].str(), a[7].str(), a[8].str(), a[9].str(), a[10].str(), a[11].str(),
                   a[12].str(), a[13].str())) {
            inserted.insert(row[0].as<std::string>());
          }
          std::vector<size_t> kept;
          for (size_t i : go) {
            if (commits[i].create && !inserted.count(commits[i].case_row.id)) {
              out[i] = Status(StatusCode::kConflict,
                              "case " + commits[i].case_row.id + " already exists");
            } else {
              kept.push_back(i);
            }
          }
          go = std::move(kept);
        }
      }
      {
        ArrayLiteral a[14];
        for (size_t i : go) {
          if (commits[i].create) continue;
          const CaseRow& k = commits[i].case_row;
          a[0].Add(k.id); a[1].Add(k.workflow); a[2].Add(k.version);
          a[3].Add(std::string(CaseStatusText(k.status))); a[4].Add(k.state); a[5].Add(k.snapshot);
          a[6].Add(k.data); a[7].Add(k.parties); a[8].Add(k.parent_id); a[9].Add(k.revision);
          a[10].Add(k.created_at_ms); a[11].Add(k.updated_at_ms); a[12].Add(k.next_due_ms);
          a[13].Add(commits[i].history.hash);
        }
        if (!a[0].empty()) {
          txn.exec_params(
              "UPDATE cases AS c SET workflow = v.workflow, version = v.version,"
              " status = v.status, state = v.state, snapshot = v.snapshot, data = v.data,"
              " parties = v.parties, parent_id = v.parent_id, revision = v.revision,"
              " created_at_ms = v.created_at_ms, updated_at_ms = v.updated_at_ms,"
              " next_due_ms = v.next_due_ms, last_hash = v.last_hash"
              " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
              " $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[],"
              " $12::bigint[], $13::bigint[], $14::text[]) AS v(id, workflow, version, status,"
              " state, snapshot, data, parties, parent_id, revision, created_at_ms,"
              " updated_at_ms, next_due_ms, last_hash) WHERE c.id = v.id",
              a[0].str(), a[1].str(), a[2].str(), a[3].str(), a[4].str(), a[5].str(),
              a[6].str(), a[7].str(), a[8].str(), a[9].str(), a[10].str(), a[11].str(),
              a[12].str(), a[13].str());
        }
      }
      if (go.empty()) {
        txn.commit();
        return;
      }
      {
        ArrayLiteral a[8];
        for (size_t i : go) {
          const HistoryRow& h = commits[i].history;
          a[0].Add(commits[i].case_row.id); a[1].Add(h.seq); a[2].Add(h.input); a[3].Add(h.actor);
          a[4].Add(h.effects); a[5].Add(h.at_ms); a[6].Add(h.prev_hash); a[7].Add(h.hash);
        }
        txn.exec_params(
            "INSERT INTO history (case_id, seq, input, actor, effects, at_ms, prev_hash, hash)"
            " SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],"
            " $6::bigint[], $7::text[], $8::text[])",
            a[0].str(), a[1].str(), a[2].str(), a[3].str(), a[4].str(), a[5].str(), a[6].str(),
            a[7].str());
      }
      {
        ArrayLiteral cases, timer_ids;
        for (size_t i : go) {
          std::vector<uint32_t> removed = commits[i].cancel_timers;
          if (commits[i].fired_timer) removed.push_back(*commits[i].fired_timer);
          for (uint32_t id : removed) {
            cases.Add(commits[i].case_row.id);
            timer_ids.Add(static_cast<int64_t>(id));
          }
        }
        if (!cases.empty()) {
          txn.exec_params(
              "DELETE FROM timers t USING unnest($1::text[], $2::bigint[]) AS d(case_id, timer_id)"
              " WHERE t.case_id = d.case_id AND t.timer_id = d.timer_id",
              cases.str(), timer_ids.str());
        }
      }
      {
        ArrayLiteral a[4];
        for (size_t i : go) {
          for (const TimerRow& t : commits[i].add_timers) {
            a[0].Add(commits[i].case_row.id); a[1].Add(static_cast<int64_t>(t.timer_id));
            a[2].Add(t.due_at_ms); a[3].Add(t.state);
          }
        }
        if (!a[0].empty()) {
          txn.exec_params(
              "INSERT INTO timers (case_id, timer_id, due_at_ms, state, claimed_by,"
              " claimed_until_ms) SELECT c, t, d, s, '', 0"
              " FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) AS v(c, t, d, s)",
              a[0].str(), a[1].str(), a[2].str(), a[3].str());
        }
      }
      {
        ArrayLiteral a[8];
        for (size_t i : go) {
          for (const OutboxRow& o : commits[i].outbox) {
            a[0].Add(commits[i].case_row.id); a[1].Add(o.adapter); a[2].Add(o.payload);
            a[3].Add(o.idempotency_key); a[4].Add(static_cast<int64_t>(o.attempts));
            a[5].Add(o.next_attempt_at_ms); a[6].Add(std::string(OutboxStatusText(o.status)));
            a[7].Add(o.last_error);
          }
        }
        if (!a[0].empty()) {
          // Ordered by position, so ids increase in commit order.
          txn.exec_params(
              "INSERT INTO outbox (case_id, adapter, payload, idempotency_key, attempts,"
              " next_attempt_at_ms, status, last_error, claimed_by, claimed_until_ms)"
              " SELECT c, a, p, k, n, t, s, e, '', 0 FROM unnest($1::text[], $2::text[],"
              " $3::text[], $4::text[], $5::int[], $6::bigint[], $7::text[], $8::text[])"
              " WITH ORDINALITY AS v(c, a, p, k, n, t, s, e, o) ORDER BY o",
              a[0].str(), a[1].str(), a[2].str(), a[3].str(), a[4].str(), a[5].str(),
              a[6].str(), a[7].str());
        }
      }
      {
        ArrayLiteral done;
        for (size_t i : go) {
          if (!commits[i].follow_up_done.empty()) done.Add(commits[i].follow_up_done);
        }
        if (!done.empty()) {
          txn.exec_params("DELETE FROM follow_ups WHERE key = ANY($1::text[])", done.str());
        }
        ArrayLiteral a[7];
        for (size_t i : go) {
          for (const FollowUpRow& f : commits[i].follow_ups) {
            a[0].Add(commits[i].case_row.id); a[1].Add(f.key); a[2].Add(f.kind);
            a[3].Add(f.target); a[4].Add(f.workflow); a[5].Add(f.input); a[6].Add(f.created_at_ms);
          }
        }
        if (!a[0].empty()) {
          txn.exec_params(
              "INSERT INTO follow_ups (case_id, key, kind, target, workflow, input, created_at_ms,"
              " claimed_by, claimed_until_ms) SELECT c, k, d, t, w, i, m, '', 0"
              " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
              " $6::text[], $7::bigint[]) AS v(c, k, d, t, w, i, m)",
              a[0].str(), a[1].str(), a[2].str(), a[3].str(), a[4].str(), a[5].str(),
              a[6].str());
        }
      }
      txn.commit();
    });
    if (!s.ok()) {
      for (size_t i : valid) out[i] = s;
    }
    return out;
  }

  // The writes of one commit inside `txn`; a refusal is the returned Status
  // (the caller rolls back), a database failure an exception.
  static Status WriteStep(pqxx::transaction_base& txn, const StepCommit& commit) {
    const CaseRow& k = commit.case_row;
    if (!commit.follow_up_done.empty()) {
      pqxx::result r =
          txn.exec_params("DELETE FROM follow_ups WHERE key = $1", commit.follow_up_done);
      if (r.affected_rows() == 0) {
        return Status(StatusCode::kFailedPrecondition,
                      "follow-up " + commit.follow_up_done + " is not pending");
      }
    }
    if (commit.create) {
      pqxx::result r = txn.exec_params(
          "INSERT INTO cases (id, workflow, version, status, state, snapshot, data, parties,"
          " parent_id, revision, created_at_ms, updated_at_ms, next_due_ms, last_hash)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
          " ON CONFLICT (id) DO NOTHING",
          k.id, k.workflow, k.version, std::string(CaseStatusText(k.status)), k.state,
          k.snapshot, k.data, k.parties, k.parent_id, k.revision, k.created_at_ms,
          k.updated_at_ms, k.next_due_ms, commit.history.hash);
      if (r.affected_rows() == 0) {
        return Status(StatusCode::kConflict, "case " + k.id + " already exists");
      }
    } else {
      // The optimistic check: under READ COMMITTED a concurrent commit that
      // bumped the revision first makes this WHERE false once its lock is
      // released, so exactly one of two racing steps updates the row.
      pqxx::result r = txn.exec_params(
          "UPDATE cases SET workflow = $3, version = $4, status = $5, state = $6,"
          " snapshot = $7, data = $8, parties = $9, parent_id = $10, revision = $11,"
          " created_at_ms = $12, updated_at_ms = $13, next_due_ms = $14, last_hash = $15"
          " WHERE id = $1 AND revision = $2",
          k.id, commit.expected_revision, k.workflow, k.version,
          std::string(CaseStatusText(k.status)), k.state, k.snapshot, k.data, k.parties,
          k.parent_id, k.revision, k.created_at_ms, k.updated_at_ms, k.next_due_ms,
          commit.history.hash);
      if (r.affected_rows() == 0) {
        pqxx::result found = txn.exec_params("SELECT revision FROM cases WHERE id = $1", k.id);
        if (found.empty()) return Status::NotFound("case " + k.id + " does not exist");
        return Status(StatusCode::kConflict,
                      "case " + k.id + " is at revision " + found[0][0].c_str() +
                          ", the step expected " + std::to_string(commit.expected_revision));
      }
    }
    const HistoryRow& h = commit.history;
    // A duplicate (case_id, seq) raises unique_violation → kConflict.
    txn.exec_params(
        "INSERT INTO history (case_id, seq, input, actor, effects, at_ms, prev_hash, hash)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        k.id, h.seq, h.input, h.actor, h.effects, h.at_ms, h.prev_hash, h.hash);
    // Deletes before inserts: a recurring timer is fired and re-added under
    // the same id in one step.
    std::vector<uint32_t> removed = commit.cancel_timers;
    if (commit.fired_timer) removed.push_back(*commit.fired_timer);
    for (uint32_t timer_id : removed) {
      txn.exec_params("DELETE FROM timers WHERE case_id = $1 AND timer_id = $2", k.id,
                      static_cast<int64_t>(timer_id));
    }
    for (const TimerRow& t : commit.add_timers) {
      // Adding an id that is still pending is a malformed commit (store.h),
      // not a race: reported as kInvalidArgument, the whole step rolled back.
      pqxx::result r = txn.exec_params(
          "INSERT INTO timers (case_id, timer_id, due_at_ms, state, claimed_by,"
          " claimed_until_ms) VALUES ($1, $2, $3, $4, '', 0)"
          " ON CONFLICT (case_id, timer_id) DO NOTHING",
          k.id, static_cast<int64_t>(t.timer_id), t.due_at_ms, t.state);
      if (r.affected_rows() == 0) {
        return Status::InvalidArgument(
            "timer " + std::to_string(t.timer_id) + " of case " + k.id + " is still pending",
            "timer_id");
      }
    }
    for (const OutboxRow& o : commit.outbox) {
      txn.exec_params(
          "INSERT INTO outbox (case_id, adapter, payload, idempotency_key, attempts,"
          " next_attempt_at_ms, status, last_error, claimed_by, claimed_until_ms)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', 0)",
          k.id, o.adapter, o.payload, o.idempotency_key, o.attempts, o.next_attempt_at_ms,
          std::string(OutboxStatusText(o.status)), o.last_error);
    }
    for (const FollowUpRow& f : commit.follow_ups) {
      txn.exec_params(
          "INSERT INTO follow_ups (case_id, key, kind, target, workflow, input, created_at_ms,"
          " claimed_by, claimed_until_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, '', 0)",
          k.id, f.key, f.kind, f.target, f.workflow, f.input, f.created_at_ms);
    }
    return Status::Ok();
  }

  Result<std::vector<FollowUpRow>> ClaimFollowUps(const std::string& node,
                                                  int64_t created_before_ms, int64_t now_ms,
                                                  int64_t lease_ms, int limit) override {
    std::vector<FollowUpRow> out;
    if (limit <= 0) return out;
    Status s = Run("ClaimFollowUps", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      pqxx::result r = txn.exec_params(
          "WITH due AS ("
          " SELECT key FROM follow_ups"
          " WHERE created_at_ms <= $1 AND (claimed_by = '' OR claimed_until_ms <= $2)"
          " ORDER BY created_at_ms, key LIMIT $3"
          " FOR UPDATE SKIP LOCKED)"
          " UPDATE follow_ups f SET claimed_by = $4, claimed_until_ms = $2 + $5"
          " FROM due WHERE f.key = due.key"
          " RETURNING f.key, f.case_id, f.kind, f.target, f.workflow, f.input, f.created_at_ms,"
          " f.claimed_by, f.claimed_until_ms",
          created_before_ms, now_ms, limit, node, lease_ms);
      txn.commit();
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeFollowUp(row));
    });
    if (!s.ok()) return s;
    std::sort(out.begin(), out.end(), [](const FollowUpRow& a, const FollowUpRow& b) {
      return std::tie(a.created_at_ms, a.key) < std::tie(b.created_at_ms, b.key);
    });
    return out;
  }

  Status DropFollowUp(const std::string& key) override {
    return Run("DropFollowUp", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      txn.exec_params("DELETE FROM follow_ups WHERE key = $1", key);
      txn.commit();
    });
  }

  Result<std::vector<FollowUpRow>> GetFollowUps(const std::string& case_id) override {
    std::vector<FollowUpRow> out;
    Status s = Run("GetFollowUps", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(
          "SELECT key, case_id, kind, target, workflow, input, created_at_ms, claimed_by,"
          " claimed_until_ms FROM follow_ups WHERE case_id = $1 ORDER BY key",
          case_id);
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeFollowUp(row));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<CaseRow> GetCase(const std::string& case_id) override {
    std::optional<CaseRow> found;
    Status s = Run("GetCase", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(
          std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = $1", case_id);
      found.reset();
      if (!r.empty()) found = DecodeCase(r[0]);
    });
    if (!s.ok()) return s;
    if (!found) return Status::NotFound("no case " + case_id);
    return *std::move(found);
  }

  Result<std::vector<CaseRow>> GetCases(const std::vector<std::string>& case_ids) override {
    std::vector<CaseRow> out;
    if (case_ids.empty()) return out;
    ArrayLiteral ids;
    for (const std::string& id : case_ids) ids.Add(id);
    Status s = Run("GetCases", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      // COLLATE "C": byte order, as the other backends sort ids.
      pqxx::result r = txn.exec_params(std::string("SELECT ") + kCaseColumns +
                                           " FROM cases WHERE id = ANY($1::text[])"
                                           " ORDER BY id COLLATE \"C\"",
                                       ids.str());
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeCase(row));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<CaseRow>> ListCases(const CaseFilter& f) override {
    std::vector<CaseRow> out;
    std::optional<int> limit;
    if (f.limit > 0) limit = f.limit;
    Status s = Run("ListCases", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      const std::string page = std::string(" FROM cases WHERE") + kCaseFilterWhere +
                               " ORDER BY updated_at_ms DESC, id LIMIT $6 OFFSET $7";
      // A deep page: the skipped rows are found through cases_updated alone
      // (id and updated_at_ms), and only the page's rows are fetched whole.
      pqxx::result r = txn.exec_params(
          f.offset <= 0 ? std::string("SELECT ") + kCaseColumns + page
                        : std::string("SELECT ") + kCaseColumns +
                              " FROM cases WHERE id IN (SELECT id" + page +
                              ") ORDER BY updated_at_ms DESC, id",
          f.workflow, f.state, f.party, f.overdue, f.now_ms, limit, std::max(f.offset, 0));
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeCase(row));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<CaseRow>> ListChildren(const std::string& case_id) override {
    std::vector<CaseRow> out;
    Status s = Run("ListChildren", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(std::string("SELECT ") + kCaseColumns +
                                           " FROM cases WHERE parent_id = $1 AND $1 <> ''"
                                           " ORDER BY created_at_ms, id",
                                       case_id);
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeCase(row));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<HistoryRow>> GetHistory(const std::string& case_id) override {
    std::vector<HistoryRow> out;
    Status s = Run("GetHistory", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(std::string("SELECT ") + kHistoryColumns +
                                           " FROM history WHERE case_id = $1 ORDER BY seq",
                                       case_id);
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeHistory(row));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<std::string>> ListCaseIds() override {
    std::vector<std::string> out;
    Status s = Run("ListCaseIds", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec("SELECT id FROM cases ORDER BY id");
      out.clear();
      for (const pqxx::row& row : r) out.push_back(row[0].as<std::string>());
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<TimerRow>> ClaimDueTimers(const std::string& node, int64_t now_ms,
                                               int64_t lease_ms, int limit) override {
    std::vector<TimerRow> out;
    if (limit <= 0) return out;
    Status s = Run("ClaimDueTimers", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      // SKIP LOCKED: rows another node is claiming right now are passed over,
      // not waited for; its claim is visible once it commits, and the
      // claimed_until test then excludes them until the lease runs out.
      pqxx::result r = txn.exec_params(
          std::string("WITH due AS ("
                      " SELECT case_id, timer_id FROM timers"
                      " WHERE due_at_ms <= $1 AND (claimed_by = '' OR claimed_until_ms <= $1)"
                      " ORDER BY due_at_ms, case_id, timer_id LIMIT $2"
                      " FOR UPDATE SKIP LOCKED)"
                      " UPDATE timers t SET claimed_by = $3, claimed_until_ms = $1 + $4"
                      " FROM due WHERE t.case_id = due.case_id AND t.timer_id = due.timer_id"
                      " RETURNING ") +
              "t.case_id, t.timer_id, t.due_at_ms, t.state, t.claimed_by, t.claimed_until_ms",
          now_ms, limit, node, lease_ms);
      txn.commit();
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeTimer(row));
    });
    if (!s.ok()) return s;
    // RETURNING has no order of its own.
    std::sort(out.begin(), out.end(), [](const TimerRow& a, const TimerRow& b) {
      return std::tie(a.due_at_ms, a.case_id, a.timer_id) <
             std::tie(b.due_at_ms, b.case_id, b.timer_id);
    });
    return out;
  }

  Result<std::vector<TimerRow>> GetTimers(const std::string& case_id) override {
    std::vector<TimerRow> out;
    Status s = Run("GetTimers", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(std::string("SELECT ") + kTimerColumns +
                                           " FROM timers WHERE case_id = $1"
                                           " ORDER BY due_at_ms, timer_id",
                                       case_id);
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeTimer(row));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<int64_t> CountTimers() override {
    int64_t count = 0;
    Status s = Run("CountTimers", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      count = txn.exec1("SELECT count(*) FROM timers")[0].as<int64_t>();
    });
    if (!s.ok()) return s;
    return count;
  }

  Result<std::vector<OutboxRow>> ClaimOutbox(const std::string& node, int64_t now_ms,
                                             int64_t lease_ms, int limit) override {
    std::vector<OutboxRow> out;
    if (limit <= 0) return out;
    Status s = Run("ClaimOutbox", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      pqxx::result r = txn.exec_params(
          std::string("WITH due AS ("
                      " SELECT case_id, id FROM outbox"
                      " WHERE status = 'pending' AND next_attempt_at_ms <= $1"
                      " AND (claimed_by = '' OR claimed_until_ms <= $1)"
                      " ORDER BY next_attempt_at_ms, id LIMIT $2"
                      " FOR UPDATE SKIP LOCKED)"
                      " UPDATE outbox o SET claimed_by = $3, claimed_until_ms = $1 + $4"
                      " FROM due WHERE o.case_id = due.case_id AND o.id = due.id"
                      " RETURNING o.id, o.case_id, o.adapter, o.payload, o.idempotency_key,"
                      " o.attempts, o.next_attempt_at_ms, o.status, o.last_error,"
                      " o.claimed_by, o.claimed_until_ms"),
          now_ms, limit, node, lease_ms);
      txn.commit();
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeOutbox(row));
    });
    if (!s.ok()) return s;
    std::sort(out.begin(), out.end(), [](const OutboxRow& a, const OutboxRow& b) {
      return std::tie(a.next_attempt_at_ms, a.id) < std::tie(b.next_attempt_at_ms, b.id);
    });
    return out;
  }

  Status MarkDelivered(int64_t outbox_id) override {
    bool found = false;
    Status s = Run("MarkDelivered", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      pqxx::result r = txn.exec_params(
          "UPDATE outbox SET status = 'delivered', claimed_by = '', claimed_until_ms = 0"
          " WHERE id = $1",
          outbox_id);
      txn.commit();
      found = r.affected_rows() > 0;
    });
    if (!s.ok()) return s;
    if (!found) return Status::NotFound("no outbox row " + std::to_string(outbox_id));
    return Status::Ok();
  }

  Status MarkFailed(int64_t outbox_id, const std::string& error, int64_t next_attempt_at_ms,
                    bool dead) override {
    bool found = false;
    Status s = Run("MarkFailed", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      // A dead row keeps its last next_attempt_at; a retried one is released.
      pqxx::result r = txn.exec_params(
          "UPDATE outbox SET attempts = attempts + 1, last_error = $2,"
          " status = CASE WHEN $4 THEN 'dead' ELSE 'pending' END,"
          " next_attempt_at_ms = CASE WHEN $4 THEN next_attempt_at_ms ELSE $3 END,"
          " claimed_by = '', claimed_until_ms = 0"
          " WHERE id = $1",
          outbox_id, error, next_attempt_at_ms, dead);
      txn.commit();
      found = r.affected_rows() > 0;
    });
    if (!s.ok()) return s;
    if (!found) return Status::NotFound("no outbox row " + std::to_string(outbox_id));
    return Status::Ok();
  }

  Result<std::vector<OutboxRow>> GetOutbox(const std::string& case_id) override {
    std::vector<OutboxRow> out;
    Status s = Run("GetOutbox", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(
          std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE case_id = $1 ORDER BY id",
          case_id);
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeOutbox(row));
    });
    if (!s.ok()) return s;
    return out;
  }

  // ---- delivery attempts ----

  Status AddDeliveryAttempt(const DeliveryAttemptRow& a) override {
    return Run("AddDeliveryAttempt", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      txn.exec_params(
          "INSERT INTO delivery_attempts (case_id, outbox_id, attempt, channel, outcome, error,"
          " at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          a.case_id, a.outbox_id, a.attempt, a.channel, a.outcome, a.error, a.at_ms);
      txn.commit();
    });
  }

  Result<std::vector<DeliveryAttemptRow>> ListDeliveryAttempts(
      const std::string& case_id) override {
    std::vector<DeliveryAttemptRow> out;
    Status s = Run("ListDeliveryAttempts", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(std::string("SELECT ") + kAttemptColumns +
                                           " FROM delivery_attempts WHERE case_id = $1 ORDER BY id",
                                       case_id);
      out.clear();
      for (const pqxx::row& row : r) out.push_back(DecodeAttempt(row));
    });
    if (!s.ok()) return s;
    return out;
  }

  // ---- principals and sessions ----

  Status PutPrincipal(const PrincipalRow& p) override {
    if (p.id.empty()) return Status::InvalidArgument("principal id is empty", "id");
    // A taken id raises unique_violation → kConflict.
    return Run("PutPrincipal", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      txn.exec_params(
          "INSERT INTO principals (id, kind, name, role, party, secret_hash, created_at_ms)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7)",
          p.id, p.kind, p.name, p.role, p.party, p.secret_hash, p.created_at_ms);
      txn.commit();
    });
  }

  Result<PrincipalRow> GetPrincipal(const std::string& id) override {
    std::optional<PrincipalRow> out;
    Status s = Run("GetPrincipal", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(
          "SELECT id, kind, name, role, party, secret_hash, created_at_ms"
          " FROM principals WHERE id = $1",
          id);
      out.reset();
      if (r.empty()) return;
      PrincipalRow row;
      row.id = r[0][0].as<std::string>();
      row.kind = r[0][1].as<std::string>();
      row.name = r[0][2].as<std::string>();
      row.role = r[0][3].as<std::string>();
      row.party = r[0][4].as<std::string>();
      row.secret_hash = r[0][5].as<std::string>();
      row.created_at_ms = r[0][6].as<int64_t>();
      out = std::move(row);
    });
    if (!s.ok()) return s;
    if (!out) return Status::NotFound("no principal '" + id + "'");
    return *out;
  }

  Status PutSession(const SessionRow& session) override {
    if (session.id.empty()) return Status::InvalidArgument("session id is empty", "id");
    return Run("PutSession", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      txn.exec_params(
          "INSERT INTO sessions (id, principal_id, csrf_token, created_at_ms, expires_at_ms)"
          " VALUES ($1, $2, $3, $4, $5)",
          session.id, session.principal_id, session.csrf_token, session.created_at_ms,
          session.expires_at_ms);
      txn.commit();
    });
  }

  Result<SessionRow> GetSession(const std::string& id) override {
    std::optional<SessionRow> out;
    Status s = Run("GetSession", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(
          "SELECT id, principal_id, csrf_token, created_at_ms, expires_at_ms"
          " FROM sessions WHERE id = $1",
          id);
      out.reset();
      if (r.empty()) return;
      SessionRow row;
      row.id = r[0][0].as<std::string>();
      row.principal_id = r[0][1].as<std::string>();
      row.csrf_token = r[0][2].as<std::string>();
      row.created_at_ms = r[0][3].as<int64_t>();
      row.expires_at_ms = r[0][4].as<int64_t>();
      out = std::move(row);
    });
    if (!s.ok()) return s;
    if (!out) return Status::NotFound("no such session");
    return *out;
  }

  Status DeleteSession(const std::string& id) override {
    return Run("DeleteSession", [&](pqxx::connection& c) {
      pqxx::work txn(c);
      txn.exec_params("DELETE FROM sessions WHERE id = $1", id);
      txn.commit();
    });
  }

  Result<OutboxCounts> CountOutbox() override {
    OutboxCounts counts;
    Status s = Run("CountOutbox", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec(
          "SELECT status, COUNT(*), COALESCE(SUM(attempts), 0) FROM outbox GROUP BY status");
      counts = OutboxCounts{};
      for (const pqxx::row& row : r) {
        OutboxStatus status = OutboxStatusOf(row[0].as<std::string>());
        int64_t rows = row[1].as<int64_t>();
        counts.failed_attempts += row[2].as<int64_t>();
        if (status == OutboxStatus::kDelivered) counts.delivered += rows;
        else if (status == OutboxStatus::kDead) counts.dead += rows;
        else counts.pending += rows;
      }
    });
    if (!s.ok()) return s;
    return counts;
  }

  Result<int64_t> CountCases(const CaseFilter& f) override {
    int64_t count = 0;
    Status s = Run("CountCases", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_params(
          std::string("SELECT COUNT(*) FROM cases WHERE") + kCaseFilterWhere,
          f.workflow, f.state, f.party, f.overdue, f.now_ms);
      count = r[0][0].as<int64_t>();
    });
    if (!s.ok()) return s;
    return count;
  }
  // ---- end principals and sessions ----

  // ---- the web view's reads ----
  // One statement for the case page: the case, its history, outbox and
  // delivery attempts as one UNION ALL (k = which table, o = the order in
  // it), every column as text so the branches line up; each branch's
  // columns are in its Decode… order, read back through a row slice.
  // Prepared once per connection (pqxx prepares it on first use, and again
  // after a reconnect): one round trip and no planning per page. One
  // statement, so one snapshot: the lists match the case row.
  Result<CaseDetail> GetCaseDetail(const std::string& case_id) override {
    static const char kSql[] =
        "SELECT 0 AS k, 0::bigint AS o, id, workflow, version, status, state, snapshot, data,"
        " parties, parent_id, revision::text, created_at_ms::text, updated_at_ms::text,"
        " next_due_ms::text, last_hash FROM cases WHERE id = $1"
        " UNION ALL SELECT 1, seq, case_id, seq::text, input, actor, effects, at_ms::text,"
        " prev_hash, hash, NULL, NULL, NULL, NULL, NULL, NULL FROM history WHERE case_id = $1"
        " UNION ALL SELECT 2, id, id::text, case_id, adapter, payload, idempotency_key,"
        " attempts::text, next_attempt_at_ms::text, status, last_error, claimed_by,"
        " claimed_until_ms::text, NULL, NULL, NULL FROM outbox WHERE case_id = $1"
        " UNION ALL SELECT 3, id, id::text, case_id, outbox_id::text, attempt::text, channel,"
        " outcome, error, at_ms::text, NULL, NULL, NULL, NULL, NULL, NULL"
        " FROM delivery_attempts WHERE case_id = $1"
        " ORDER BY 1, 2";
    std::optional<CaseDetail> out;
    Status s = Run("GetCaseDetail", [&](pqxx::connection& c) {
      c.prepare("zgt_case_detail", kSql);  // Only records it; a no-op when known.
      pqxx::nontransaction txn(c);
      pqxx::result r = txn.exec_prepared("zgt_case_detail", case_id);
      out.reset();
      if (r.empty() || r[0][0].as<int>() != 0) return;  // No case row.
      CaseDetail detail;
      for (const pqxx::row& row : r) {
        switch (row[0].as<int>()) {
          case 0: detail.row = DecodeCase(row.slice(2, 16)); break;
          case 1: detail.history.push_back(DecodeHistory(row.slice(2, 10))); break;
          case 2: detail.outbox.push_back(DecodeOutbox(row.slice(2, 13))); break;
          default: detail.attempts.push_back(DecodeAttempt(row.slice(2, 10))); break;
        }
      }
      out = std::move(detail);
    });
    if (!s.ok()) return s;
    if (!out) return Status::NotFound("no case " + case_id);
    return *std::move(out);
  }
  Result<CaseCounts> CountCasesByState() override {
    CaseCounts counts;
    Status s = Run("CountCasesByState", [&](pqxx::connection& c) {
      pqxx::nontransaction txn(c);
      // By the state column's text; SplitCaseStates splits it into names.
      pqxx::result r =
          txn.exec("SELECT workflow, state, status, COUNT(*) FROM cases GROUP BY 1, 2, 3");
      counts = CaseCounts{};
      for (const pqxx::row& row : r) {
        CaseStateCount count;
        count.workflow = row[0].as<std::string>();
        count.state = row[1].as<std::string>();
        count.status = CaseStatusOf(row[2].as<std::string>());
        count.cases = row[3].as<int64_t>();
        counts.by_state.push_back(std::move(count));
      }
      pqxx::row totals = txn.exec1(
          "SELECT COALESCE(SUM(revision), 0)::bigint,"
          " MIN(next_due_ms) FILTER (WHERE status = 'running') FROM cases");
      counts.steps = totals[0].as<int64_t>();
      counts.earliest_running_due_ms = OptionalInt(totals[1]);
    });
    if (!s.ok()) return s;
    SplitCaseStates(&counts);
    return counts;
  }

 private:
  // Borrows a connection (opening one if none is idle), runs `body` on it and
  // returns it to the pool, or drops it when it broke: the next call then
  // opens a fresh one, which is how the store survives a server restart.
  Status Run(const char* what_call, const std::function<void(pqxx::connection&)>& body) {
    // No body calls Run again, so a slot held here cannot wait on another.
    postgres::ConnectionSlot slot(&slots_);
    std::unique_ptr<pqxx::connection> connection;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        connection = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    bool broken = false;
    Status status;
    try {
      if (connection == nullptr || !connection->is_open()) {
        connection = std::make_unique<pqxx::connection>(url_);
      }
      body(*connection);
    } catch (...) {
      status = StatusFromException(what_call, &broken);
    }
    if (connection != nullptr && !broken) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (idle_.size() < slot_count_) idle_.push_back(std::move(connection));
    }
    // Closing a broken connection must not throw out of here either.
    try {
      connection.reset();
    } catch (...) {
    }
    return status;
  }

  const std::string url_;
  const size_t slot_count_;
  postgres::ConnectionSlots slots_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;  // Guarded by mutex_.
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url) {
  Result<size_t> slots = ConnectionSlotCount();
  if (!slots.ok()) return slots.status();
  auto store = std::make_unique<PostgresStore>(url, *slots);
  Status s = store->Open();
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace zgtflow::store
