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
#include "engine/store/postgres/batch_statement_sql.h"

namespace zgtflow::store::postgres {
namespace {

// The columns of the statement's parameters, one array each.
struct Columns {
  ArrayLiteral v[23];
  ArrayLiteral del_case, del_timer;
  ArrayLiteral add_case, add_timer, add_due, add_state;
  ArrayLiteral out[8];
  ArrayLiteral fu[7];
  bool any_follow_up_done = false;  // A commit carries out a follow-up.
};

void AddCommit(const StepCommit& commit, Columns* cols) {
  const CaseRow& k = commit.case_row;
  const HistoryRow& h = commit.history;
  ArrayLiteral* v = cols->v;
  v[0].Add(k.id); v[1].Add(std::string(commit.create ? "t" : "f"));
  v[2].Add(commit.expected_revision); v[3].Add(commit.follow_up_done);
  if (!commit.follow_up_done.empty()) cols->any_follow_up_done = true;
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
  // The parts this batch needs, and their columns in the statement's order.
  BatchParts parts;
  parts.follow_up_done = cols.any_follow_up_done;
  parts.timer_deletes = !cols.del_case.empty();
  parts.timer_adds = !cols.add_case.empty();
  parts.outbox = !cols.out[0].empty();
  parts.follow_up_adds = !cols.fu[0].empty();
  std::vector<std::string> params;
  for (const ArrayLiteral& column : cols.v) params.push_back(column.str());
  if (parts.timer_deletes) {
    for (const ArrayLiteral* column : {&cols.del_case, &cols.del_timer}) {
      params.push_back(column->str());
    }
  }
  if (parts.timer_adds) {
    for (const ArrayLiteral* column :
         {&cols.add_case, &cols.add_timer, &cols.add_due, &cols.add_state}) {
      params.push_back(column->str());
    }
  }
  if (parts.outbox) {
    for (const ArrayLiteral& column : cols.out) params.push_back(column.str());
  }
  if (parts.follow_up_adds) {
    for (const ArrayLiteral& column : cols.fu) params.push_back(column.str());
  }
  // Defined once per connection (pqxx ignores an identical redefinition) and
  // parsed and planned by the server once per connection.
  const std::string name = parts.StatementName();
  connection.prepare(name, BatchStatementSql(parts));
  pqxx::nontransaction txn(connection);
  pqxx::result rows = txn.exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
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
