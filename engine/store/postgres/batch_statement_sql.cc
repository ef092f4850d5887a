// ⑤ The batch statement's SQL by parts (see batch_statement_sql.h and, for
// how refusals stay per commit inside one statement, batch_statement.cc).
#include "engine/store/postgres/batch_statement_sql.h"

#include <initializer_list>
#include <vector>

namespace zgtflow::store::postgres {
namespace {

// Hands out parameter numbers in the order the parts use them.
class Params {
 public:
  std::string Next(const char* type) {
    return "$" + std::to_string(++last_) + "::" + type + "[]";
  }
  // The next parameters, one per type, comma-separated. A loop, because the
  // operands of one `a + b + c` expression are numbered in no defined order.
  std::string List(std::initializer_list<const char*> types) {
    std::string out;
    for (const char* type : types) out += (out.empty() ? "" : ", ") + Next(type);
    return out;
  }

 private:
  int last_ = 0;
};

}  // namespace

std::string BatchParts::StatementName() const {
  std::string name = "zgt_commit_batch_";
  if (follow_up_done) name += 'f';
  if (timer_deletes) name += 'd';
  if (timer_adds) name += 'a';
  if (outbox) name += 'o';
  if (follow_up_adds) name += 'u';
  return name;
}

std::string BatchStatementSql(const BatchParts& parts) {
  Params p;
  // The commits: one row each ($1 = their case ids, $4 = follow-ups done).
  std::string ids = p.Next("text");
  std::string sql = "WITH v AS (SELECT * FROM unnest(" + ids;
  const char* const kTypes[] = {"bool",   "bigint", "text",   "text",   "text",   "text",
                                "text",   "text",   "text",   "text",   "text",   "bigint",
                                "bigint", "bigint", "bigint", "text",   "bigint", "text",
                                "text",   "text",   "bigint", "text"};
  std::vector<std::string> columns = {ids};
  for (const char* type : kTypes) {
    columns.push_back(p.Next(type));
    sql += ", " + columns.back();
  }
  const std::string& follow_up_column = columns[3];
  sql +=
      ") AS v(id, is_create, expected, follow_up, workflow, version, status, state, snapshot,"
      " data, parties, parent_id, revision, created_at_ms, updated_at_ms, next_due_ms,"
      " last_hash, seq, input, actor, effects, at_ms, prev_hash)),"
      // Lock the batch's rows in key order: concurrent batches cannot deadlock.
      " locked AS (SELECT id, revision FROM cases WHERE id = ANY(" +
      ids + ") ORDER BY id FOR UPDATE)";
  if (parts.follow_up_done) {
    sql += ", fu_locked AS (SELECT key FROM follow_ups WHERE key = ANY(" + follow_up_column +
           ") ORDER BY key FOR UPDATE)";
  }
  if (parts.timer_deletes) {
    sql += ", dels AS (SELECT * FROM unnest(" + p.List({"text", "bigint"}) + ") AS d(c, t))";
  }
  if (parts.timer_adds) {
    sql += ", adds AS (SELECT * FROM unnest(" + p.List({"text", "bigint", "bigint", "text"}) +
           ") AS a(c, t, d, s))";
    // A timer added while the same id is pending, unless the step also
    // deletes it (a re-added timer).
    sql +=
        ", clash AS (SELECT DISTINCT a.c FROM adds a JOIN timers tm ON tm.case_id = a.c"
        " AND tm.timer_id = a.t";
    if (parts.timer_deletes) {
      sql += " WHERE NOT EXISTS (SELECT 1 FROM dels d WHERE d.c = a.c AND d.t = a.t)";
    }
    sql += ")";
  }
  sql += ", verdict AS (SELECT v.*, l.revision AS current, CASE";
  if (parts.follow_up_done) {
    sql +=
        " WHEN v.follow_up <> '' AND NOT EXISTS (SELECT 1 FROM fu_locked f"
        " WHERE f.key = v.follow_up) THEN 'follow_up'";
  }
  sql +=
      " WHEN v.is_create AND l.id IS NOT NULL THEN 'exists'"
      " WHEN NOT v.is_create AND l.id IS NULL THEN 'missing'"
      " WHEN NOT v.is_create AND l.revision <> v.expected THEN 'stale'";
  if (parts.timer_adds) sql += " WHEN NOT v.is_create AND v.id IN (SELECT c FROM clash) THEN 'timer'";
  sql +=
      " ELSE 'ok' END AS outcome FROM v LEFT JOIN locked l ON l.id = v.id),"
      " ins AS (INSERT INTO cases (id, workflow, version, status, state, snapshot, data, parties,"
      " parent_id, revision, created_at_ms, updated_at_ms, next_due_ms, last_hash)"
      " SELECT id, workflow, version, status, state, snapshot, data, parties, parent_id, revision,"
      " created_at_ms, updated_at_ms, next_due_ms, last_hash FROM verdict"
      " WHERE outcome = 'ok' AND is_create ORDER BY id ON CONFLICT (id) DO NOTHING RETURNING id),"
      " upd AS (UPDATE cases AS c SET workflow = v.workflow, version = v.version,"
      " status = v.status, state = v.state, snapshot = v.snapshot, data = v.data,"
      " parties = v.parties, parent_id = v.parent_id, revision = v.revision,"
      " created_at_ms = v.created_at_ms, updated_at_ms = v.updated_at_ms,"
      " next_due_ms = v.next_due_ms, last_hash = v.last_hash"
      " FROM verdict v WHERE v.outcome = 'ok' AND NOT v.is_create AND c.id = v.id"
      " AND c.revision = v.expected RETURNING c.id),"
      // Only the cases actually written get their other rows.
      " done AS (SELECT id FROM ins UNION ALL SELECT id FROM upd),"
      " hist AS (INSERT INTO history (case_id, seq, input, actor, effects, at_ms, prev_hash, hash)"
      " SELECT id, seq, input, actor, effects, at_ms, prev_hash, last_hash FROM verdict"
      " WHERE id IN (SELECT id FROM done))";
  if (parts.follow_up_done) {
    sql +=
        ", fu_done AS (DELETE FROM follow_ups f USING verdict v WHERE v.follow_up <> ''"
        " AND f.key = v.follow_up AND v.id IN (SELECT id FROM done))";
  }
  if (parts.timer_deletes) {
    sql +=
        ", tdel AS (DELETE FROM timers t USING dels d WHERE t.case_id = d.c AND t.timer_id = d.t"
        " AND d.c IN (SELECT id FROM done)";
    // The sub-statements of one statement run in no defined order, so a
    // timer deleted and re-added by one step is an upsert below instead.
    if (parts.timer_adds) sql += " AND NOT EXISTS (SELECT 1 FROM adds a WHERE a.c = d.c AND a.t = d.t)";
    sql += ")";
  }
  if (parts.timer_adds) {
    sql +=
        ", tadd AS (INSERT INTO timers (case_id, timer_id, due_at_ms, state, claimed_by,"
        " claimed_until_ms) SELECT c, t, d, s, '', 0 FROM adds WHERE c IN (SELECT id FROM done)"
        " ON CONFLICT (case_id, timer_id) DO UPDATE SET due_at_ms = EXCLUDED.due_at_ms,"
        " state = EXCLUDED.state, claimed_by = '', claimed_until_ms = 0)";
  }
  if (parts.outbox) {
    // Ordered by position, so outbox ids increase in commit order.
    sql +=
        ", obx AS (INSERT INTO outbox (case_id, adapter, payload, idempotency_key, attempts,"
        " next_attempt_at_ms, status, last_error, claimed_by, claimed_until_ms)"
        " SELECT c, a, p, k, n, t, s, e, '', 0 FROM unnest(" +
        p.List({"text", "text", "text", "text", "int", "bigint", "text", "text"}) +
        ") WITH ORDINALITY AS x(c, a, p, k, n, t, s, e, o) WHERE c IN (SELECT id FROM done)"
        " ORDER BY o)";
  }
  if (parts.follow_up_adds) {
    sql +=
        ", fu_add AS (INSERT INTO follow_ups (case_id, key, kind, target, workflow, input,"
        " created_at_ms, claimed_by, claimed_until_ms) SELECT c, k, d, t, w, i, m, '', 0"
        " FROM unnest(" +
        p.List({"text", "text", "text", "text", "text", "text", "bigint"}) +
        ") AS x(c, k, d, t, w, i, m) WHERE c IN (SELECT id FROM done))";
  }
  sql += " SELECT id, outcome, current, id IN (SELECT id FROM done) FROM verdict";
  return sql;
}

}  // namespace zgtflow::store::postgres
