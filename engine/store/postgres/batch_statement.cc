// ⑤ One statement per batch (see batch_statement.h). Every row of every
// table goes in as one array parameter per column; data-modifying CTEs write
// them. How refusals stay per commit inside one statement:
// - `locked` locks the batch's case rows (and `fu_locked` the follow-ups
//   they carry out) in key order, so concurrent batches cannot deadlock on
//   them, and reads each row's newest revision (READ COMMITTED re-reads a
//   row updated since the statement began);
// - `verdict` gives each commit its outcome from those rows; only 'ok'
//   commits are written, and only the cases actually written (`done`, from
//   the RETURNING of the insert and the revision-checked update) get their
//   history, timer, outbox and follow-up rows;
// - a timer the step re-adds after cancelling it is an upsert rather than a
//   delete and an insert, because the sub-statements of one statement run in
//   no defined order.
#include "engine/store/postgres/batch_statement.h"

#include <map>
#include <optional>
#include <string>

#include "engine/store/postgres/array_literal.h"

namespace zgtflow::store::postgres {
namespace {

constexpr const char* kStatementName = "zgt_commit_batch";

constexpr const char* kStatement =
    "WITH v AS ("
    "  SELECT * FROM unnest($1::text[], $2::bool[], $3::bigint[], $4::text[], $5::text[],"
    "    $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],"
    "    $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::text[], $18::bigint[],"
    "    $19::text[], $20::text[], $21::text[], $22::bigint[], $23::text[])"
    "  AS v(id, is_create, expected, follow_up, workflow, version, status, state, snapshot, data,"
    "    parties, parent_id, revision, created_at_ms, updated_at_ms, next_due_ms, last_hash, seq,"
    "    input, actor, effects, at_ms, prev_hash)),"
    " locked AS (SELECT id, revision FROM cases WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE),"
    " fu_locked AS (SELECT key FROM follow_ups WHERE key = ANY($4::text[]) ORDER BY key"
    "   FOR UPDATE),"
    " dels AS (SELECT * FROM unnest($24::text[], $25::bigint[]) AS d(c, t)),"
    " adds AS (SELECT * FROM unnest($26::text[], $27::bigint[], $28::bigint[], $29::text[])"
    "   AS a(c, t, d, s)),"
    " clash AS (SELECT DISTINCT a.c FROM adds a JOIN timers tm ON tm.case_id = a.c"
    "   AND tm.timer_id = a.t WHERE NOT EXISTS (SELECT 1 FROM dels d WHERE d.c = a.c"
    "   AND d.t = a.t)),"
    " verdict AS (SELECT v.*, l.revision AS current, CASE"
    "   WHEN v.follow_up <> '' AND NOT EXISTS (SELECT 1 FROM fu_locked f WHERE f.key = v.follow_up)"
    "     THEN 'follow_up'"
    "   WHEN v.is_create AND l.id IS NOT NULL THEN 'exists'"
    "   WHEN NOT v.is_create AND l.id IS NULL THEN 'missing'"
    "   WHEN NOT v.is_create AND l.revision <> v.expected THEN 'stale'"
    "   WHEN NOT v.is_create AND v.id IN (SELECT c FROM clash) THEN 'timer'"
    "   ELSE 'ok' END AS outcome"
    "   FROM v LEFT JOIN locked l ON l.id = v.id),"
    " ins AS (INSERT INTO cases (id, workflow, version, status, state, snapshot, data, parties,"
    "   parent_id, revision, created_at_ms, updated_at_ms, next_due_ms, last_hash)"
    "   SELECT id, workflow, version, status, state, snapshot, data, parties, parent_id, revision,"
    "   created_at_ms, updated_at_ms, next_due_ms, last_hash FROM verdict"
    "   WHERE outcome = 'ok' AND is_create ORDER BY id"
    "   ON CONFLICT (id) DO NOTHING RETURNING id),"
    " upd AS (UPDATE cases AS c SET workflow = v.workflow, version = v.version,"
    "   status = v.status, state = v.state, snapshot = v.snapshot, data = v.data,"
    "   parties = v.parties, parent_id = v.parent_id, revision = v.revision,"
    "   created_at_ms = v.created_at_ms, updated_at_ms = v.updated_at_ms,"
    "   next_due_ms = v.next_due_ms, last_hash = v.last_hash"
    "   FROM verdict v WHERE v.outcome = 'ok' AND NOT v.is_create AND c.id = v.id"
    "   AND c.revision = v.expected RETURNING c.id),"
    " done AS (SELECT id FROM ins UNION ALL SELECT id FROM upd),"
    " hist AS (INSERT INTO history (case_id, seq, input, actor, effects, at_ms, prev_hash, hash)"
    "   SELECT id, seq, input, actor, effects, at_ms, prev_hash, last_hash FROM verdict"
    "   WHERE id IN (SELECT id FROM done)),"
    " fu_done AS (DELETE FROM follow_ups f USING verdict v WHERE v.follow_up <> ''"
    "   AND f.key = v.follow_up AND v.id IN (SELECT id FROM done)),"
    " tdel AS (DELETE FROM timers t USING dels d WHERE t.case_id = d.c AND t.timer_id = d.t"
    "   AND d.c IN (SELECT id FROM done)"
    "   AND NOT EXISTS (SELECT 1 FROM adds a WHERE a.c = d.c AND a.t = d.t)),"
    " tadd AS (INSERT INTO timers (case_id, timer_id, due_at_ms, state, claimed_by,"
    "   claimed_until_ms) SELECT c, t, d, s, '', 0 FROM adds WHERE c IN (SELECT id FROM done)"
    "   ON CONFLICT (case_id, timer_id) DO UPDATE SET due_at_ms = EXCLUDED.due_at_ms,"
    "   state = EXCLUDED.state, claimed_by = '', claimed_until_ms = 0),"
    // Ordered by position, so outbox ids increase in commit order.
    " obx AS (INSERT INTO outbox (case_id, adapter, payload, idempotency_key, attempts,"
    "   next_attempt_at_ms, status, last_error, claimed_by, claimed_until_ms)"
    "   SELECT c, a, p, k, n, t, s, e, '', 0 FROM unnest($30::text[], $31::text[], $32::text[],"
    "   $33::text[], $34::int[], $35::bigint[], $36::text[], $37::text[])"
    "   WITH ORDINALITY AS x(c, a, p, k, n, t, s, e, o) WHERE c IN (SELECT id FROM done)"
    "   ORDER BY o),"
    " fu_add AS (INSERT INTO follow_ups (case_id, key, kind, target, workflow, input,"
    "   created_at_ms, claimed_by, claimed_until_ms) SELECT c, k, d, t, w, i, m, '', 0"
    "   FROM unnest($38::text[], $39::text[], $40::text[], $41::text[], $42::text[],"
    "   $43::text[], $44::bigint[]) AS x(c, k, d, t, w, i, m) WHERE c IN (SELECT id FROM done))"
    " SELECT id, outcome, current, id IN (SELECT id FROM done) FROM verdict";

// The columns of the statement's parameters, one array each.
struct Columns {
  ArrayLiteral v[23];
  ArrayLiteral del_case, del_timer;
  ArrayLiteral add_case, add_timer, add_due, add_state;
  ArrayLiteral out[8];
  ArrayLiteral fu[7];
};

void AddCommit(const StepCommit& commit, Columns* cols) {
  const CaseRow& k = commit.case_row;
  const HistoryRow& h = commit.history;
  ArrayLiteral* v = cols->v;
  v[0].Add(k.id); v[1].Add(std::string(commit.create ? "t" : "f"));
  v[2].Add(commit.expected_revision); v[3].Add(commit.follow_up_done);
  v[4].Add(k.workflow); v[5].Add(k.version); v[6].Add(std::string(CaseStatusText(k.status)));
  v[7].Add(k.state); v[8].Add(k.snapshot); v[9].Add(k.data); v[10].Add(k.parties);
  v[11].Add(k.parent_id); v[12].Add(k.revision); v[13].Add(k.created_at_ms);
  v[14].Add(k.updated_at_ms); v[15].Add(k.next_due_ms); v[16].Add(h.hash); v[17].Add(h.seq);
  v[18].Add(h.input); v[19].Add(h.actor); v[20].Add(h.effects); v[21].Add(h.at_ms);
  v[22].Add(h.prev_hash);
  std::vector<uint32_t> removed = commit.cancel_timers;
  if (commit.fired_timer) removed.push_back(*commit.fired_timer);
  for (uint32_t id : removed) {
    cols->del_case.Add(k.id);
    cols->del_timer.Add(static_cast<int64_t>(id));
  }
  for (const TimerRow& t : commit.add_timers) {
    cols->add_case.Add(k.id); cols->add_timer.Add(static_cast<int64_t>(t.timer_id));
    cols->add_due.Add(t.due_at_ms); cols->add_state.Add(t.state);
  }
  for (const OutboxRow& o : commit.outbox) {
    ArrayLiteral* a = cols->out;
    a[0].Add(k.id); a[1].Add(o.adapter); a[2].Add(o.payload); a[3].Add(o.idempotency_key);
    a[4].Add(static_cast<int64_t>(o.attempts)); a[5].Add(o.next_attempt_at_ms);
    a[6].Add(std::string(OutboxStatusText(o.status))); a[7].Add(o.last_error);
  }
  for (const FollowUpRow& f : commit.follow_ups) {
    ArrayLiteral* a = cols->fu;
    a[0].Add(k.id); a[1].Add(f.key); a[2].Add(f.kind); a[3].Add(f.target); a[4].Add(f.workflow);
    a[5].Add(f.input); a[6].Add(f.created_at_ms);
  }
}

// The Status of one commit from its row of the statement's answer.
Status Outcome(const StepCommit& commit, const std::string& outcome,
               const std::optional<int64_t>& current, bool written) {
  const std::string& id = commit.case_row.id;
  if (outcome == "ok") {
    if (written) return Status::Ok();
    // Lost a race the locks could not see: another transaction created the
    // case (ON CONFLICT DO NOTHING), or changed it under the revision check.
    return Status(StatusCode::kConflict, commit.create ? "case " + id + " already exists"
                                                       : "case " + id + " changed meanwhile");
  }
  if (outcome == "follow_up") {
    return Status(StatusCode::kFailedPrecondition,
                  "follow-up " + commit.follow_up_done + " is not pending");
  }
  if (outcome == "exists") return Status(StatusCode::kConflict, "case " + id + " already exists");
  if (outcome == "missing") return Status::NotFound("case " + id + " does not exist");
  if (outcome == "stale") {
    return Status(StatusCode::kConflict,
                  "case " + id + " is at revision " + std::to_string(current.value_or(-1)) +
                      ", the step expected " + std::to_string(commit.expected_revision));
  }
  if (outcome == "timer") {
    return Status::InvalidArgument("a timer case " + id + "'s step adds is still pending",
                                   "timer_id");
  }
  return Status::Internal("unknown outcome " + outcome + " for case " + id);
}

}  // namespace

void CommitInOneStatement(pqxx::connection& connection, const std::vector<StepCommit>& commits,
                          const std::vector<size_t>& valid, std::vector<Status>* out) {
  Columns cols;
  std::map<std::string, size_t> index;  // Case id → its commit.
  for (size_t i : valid) {
    AddCommit(commits[i], &cols);
    index[commits[i].case_row.id] = i;
  }
  // Defined once per connection (pqxx ignores an identical redefinition) and
  // parsed and planned by the server once per connection.
  connection.prepare(kStatementName, kStatement);
  pqxx::nontransaction txn(connection);
  const ArrayLiteral* v = cols.v;
  const ArrayLiteral* o = cols.out;
  const ArrayLiteral* f = cols.fu;
  pqxx::result rows = txn.exec_prepared(
      kStatementName, v[0].str(), v[1].str(), v[2].str(), v[3].str(), v[4].str(), v[5].str(),
      v[6].str(), v[7].str(), v[8].str(), v[9].str(), v[10].str(), v[11].str(), v[12].str(),
      v[13].str(), v[14].str(), v[15].str(), v[16].str(), v[17].str(), v[18].str(), v[19].str(),
      v[20].str(), v[21].str(), v[22].str(), cols.del_case.str(), cols.del_timer.str(),
      cols.add_case.str(), cols.add_timer.str(), cols.add_due.str(), cols.add_state.str(),
      o[0].str(), o[1].str(), o[2].str(), o[3].str(), o[4].str(), o[5].str(), o[6].str(),
      o[7].str(), f[0].str(), f[1].str(), f[2].str(), f[3].str(), f[4].str(), f[5].str(),
      f[6].str());
  // Each commit gets its row's answer; one the answer leaves out is an
  // internal error.
  for (size_t i : valid) {
    (*out)[i] = Status::Internal("the batch statement did not answer for case " +
                                 commits[i].case_row.id);
  }
  for (const pqxx::row& row : rows) {
    auto found = index.find(row[0].as<std::string>());
    if (found == index.end()) continue;
    const std::optional<int64_t> current =
        row[2].is_null() ? std::nullopt : std::optional<int64_t>(row[2].as<int64_t>());
    (*out)[found->second] =
        Outcome(commits[found->second], row[1].as<std::string>(), current, row[3].as<bool>());
  }
}

}  // namespace zgtflow::store::postgres
