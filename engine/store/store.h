// ⑤ Store: where cases live between steps. One interface, three backends —
// memory (tests, scenarios), SQLite (embedded default), PostgreSQL (several
// nodes) — all passing tests/engine/store/store_conformance unchanged.
//
// Contract for every backend:
// - CommitStep is atomic: the case row, its history entry, timer inserts and
//   deletes and outbox rows are all written, or none is. It checks the case's
//   revision (optimistic concurrency) and returns StatusCode::kConflict when
//   another step got there first; the caller re-reads and retries.
// - History rows are never updated or deleted by the store.
// - Claims (timers, outbox) carry a lease: a claim whose lease has expired may
//   be taken by another node. On PostgreSQL claims use FOR UPDATE SKIP LOCKED.
// - Failures of the database are Status kUnavailable (retryable) or kInternal;
//   no method throws.
// Thread safety: every method may be called from several threads at once.
//
// Follow-ups and group commit (issue 5, durable runtime): see FollowUpRow
// in records.h and the methods at the end. CommitSteps applies each commit
// as CommitStep would — each atomic and revision-checked on its own, one
// refused commit never undoing or blocking the others — inside as few
// database transactions as the backend can (one on SQLite and PostgreSQL,
// so one WAL flush for the batch); its i-th Status is the i-th commit's.
// Several commits of one case in a batch apply in order. A failure of the
// database itself fails every commit of the batch (nothing written).
// Malformed commits also include: a follow-up row naming another case, an
// empty or repeated follow-up key.
//
// Malformed commits (added by the store engineer; engine/store/commit_rules.h
// checks the first group for every backend). CommitStep writes nothing and
// returns:
// - kInvalidArgument when: case_row.id is empty; create without
//   expected_revision 0 and case_row.revision 1; an update whose
//   case_row.revision is not expected_revision + 1; history.seq differs from
//   case_row.revision; a history, timer or outbox row names another case
//   (an empty case_id is filled with the case's id); add_timers repeats a
//   timer id, or adds one still pending after this commit's cancel_timers and
//   fired_timer are deleted (deletes apply before inserts, so cancel + add of
//   one id replaces the timer); state is not "" or a JSON array of strings;
//   parties is not "" or a JSON object of arrays of strings.
// - kConflict: create of an existing id; stored revision != expected_revision.
// - kNotFound: an update of a case that does not exist.
// Cancelling or firing a timer that is not pending is not an error.
// Rows are stored as given, except: outbox ids are assigned (increasing),
// claims of new timer and outbox rows are cleared, and the whole case row is
// replaced on update. next_due_ms is the runtime's value; the store does not
// derive it from the timers. case_row.last_hash is stored as history.hash
// (whatever the commit holds), so GetCase always gives the chain's last link.
// Lists: CaseFilter::limit <= 0 means no limit. overdue=false selects cases
// with no next_due_ms or next_due_ms >= now_ms. A lease has expired when
// claimed_until_ms <= now_ms. ClaimOutbox orders by (next_attempt_at_ms, id);
// MarkDelivered and MarkFailed clear the claim and return kNotFound for an
// unknown id. GetOutbox lists every row of the case (any status) by id.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/store/records.h"

namespace zgtflow::store {

class Store {
 public:
  virtual ~Store() = default;

  // ---- definitions ----
  // Inserts the version if (workflow, version) is new; does nothing otherwise.
  virtual Status PutDefinition(const DefinitionRow& definition) = 0;
  // Every deployed version, ordered by workflow, then deployed_at.
  virtual Result<std::vector<DefinitionRow>> ListDefinitions() = 0;

  // ---- cases ----
  virtual Status CommitStep(const StepCommit& commit) = 0;
  // kNotFound when there is no such case.
  virtual Result<CaseRow> GetCase(const std::string& case_id) = 0;
  // Ordered by updated_at descending, then id.
  virtual Result<std::vector<CaseRow>> ListCases(const CaseFilter& filter) = 0;
  // The cases among `case_ids` that exist, each once, ordered by id; an id
  // with no case is left out. One read where a GetCase per id would be as
  // many round trips: the timer worker reads a claim's cases with it.
  // Not pure (see "group commit" below): the default calls GetCase per id.
  virtual Result<std::vector<CaseRow>> GetCases(const std::vector<std::string>& case_ids);
  // `case_ids` sorted, each once: the ids GetCases reads, in its order.
  static std::vector<std::string> SortedDistinct(std::vector<std::string> case_ids);
  // Cases whose parent_id is `case_id`, ordered by created_at, then id.
  virtual Result<std::vector<CaseRow>> ListChildren(const std::string& case_id) = 0;
  // The case's history in seq order (empty for an unknown case).
  virtual Result<std::vector<HistoryRow>> GetHistory(const std::string& case_id) = 0;
  // Ids of every case, for `zgtflow audit verify`.
  virtual Result<std::vector<std::string>> ListCaseIds() = 0;

  // ---- timers ----
  // Claims up to `limit` timers due at or before `now_ms` that are unclaimed
  // or whose claim expired, for `node` until `now_ms + lease_ms`, in
  // (due_at, case_id, timer_id) order.
  virtual Result<std::vector<TimerRow>> ClaimDueTimers(const std::string& node, int64_t now_ms,
                                                       int64_t lease_ms, int limit) = 0;
  // The case's pending timers in due order (for pages and tests).
  virtual Result<std::vector<TimerRow>> GetTimers(const std::string& case_id) = 0;
  // Number of pending timers (metrics).
  virtual Result<int64_t> CountTimers() = 0;

  // ---- outbox ----
  // Like ClaimDueTimers, for pending rows whose next_attempt_at <= now_ms.
  virtual Result<std::vector<OutboxRow>> ClaimOutbox(const std::string& node, int64_t now_ms,
                                                     int64_t lease_ms, int limit) = 0;
  virtual Status MarkDelivered(int64_t outbox_id) = 0;
  // Records a failed attempt: attempts + 1, last_error, and either a next
  // attempt at `next_attempt_at_ms` or status dead when `dead`.
  virtual Status MarkFailed(int64_t outbox_id, const std::string& error, int64_t next_attempt_at_ms,
                            bool dead) = 0;
  virtual Result<std::vector<OutboxRow>> GetOutbox(const std::string& case_id) = 0;

  // ---- group commit and follow-ups (issue 5, durable runtime) ----
  // Not pure, so wrappers of a backend keep compiling; every backend
  // overrides them (conformance suite). The default CommitSteps calls
  // CommitStep once per commit; the other defaults answer kInternal.
  virtual std::vector<Status> CommitSteps(const std::vector<StepCommit>& commits);
  // How many CommitSteps calls can usefully run at the same time (the group
  // committer's batches in flight): 1 where writes are serialized anyway
  // (SQLite's one writer, the memory store's mutex), more where a batch's
  // round trips to a server can overlap another's.
  virtual int ConcurrentCommitSteps() const { return 1; }
  // Claims up to `limit` pending follow-ups created at or before
  // `created_before_ms` that are unclaimed or whose claim expired (at
  // `now_ms`), for `node` until now_ms + lease_ms, in (created_at_ms, key)
  // order.
  virtual Result<std::vector<FollowUpRow>> ClaimFollowUps(const std::string& node,
                                                          int64_t created_before_ms,
                                                          int64_t now_ms, int64_t lease_ms,
                                                          int limit);
  // Deletes a pending follow-up that ended without a step of its own (its
  // input was refused, its child exists). An unknown key is not an error.
  virtual Status DropFollowUp(const std::string& key);
  // The pending follow-ups asked for by `case_id`'s steps, by key.
  virtual Result<std::vector<FollowUpRow>> GetFollowUps(const std::string& case_id);

  // ---- principals and sessions (web/auth; added for issue 6) ----
  // Not pure so that wrappers written before them keep compiling; every
  // backend overrides them (conformance suite). The defaults answer kInternal.
  // PutPrincipal: kConflict when the id exists. GetPrincipal/GetSession:
  // kNotFound when absent (GetSession returns expired rows too; the caller
  // checks expires_at_ms). DeleteSession of an unknown id is not an error.
  virtual Status PutPrincipal(const PrincipalRow& principal);
  virtual Result<PrincipalRow> GetPrincipal(const std::string& id);
  virtual Status PutSession(const SessionRow& session);
  virtual Result<SessionRow> GetSession(const std::string& id);
  virtual Status DeleteSession(const std::string& id);
  // Outbox totals (metrics). The default walks ListCaseIds + GetOutbox;
  // SQL backends override it with one aggregate query.
  virtual Result<OutboxCounts> CountOutbox();
  // Number of cases ListCases(filter) would return without limit and offset
  // (the API's page totals). The default lists them; SQL backends count.
  virtual Result<int64_t> CountCases(const CaseFilter& filter);

  // ---- delivery attempts (runtime/outbox_worker; added for issue 5) ----
  // Appends one attempt (its id is assigned, increasing); the case need not
  // exist. ListDeliveryAttempts: the case's attempts by id (empty for an
  // unknown case). Not pure (see above); the defaults answer kInternal.
  virtual Status AddDeliveryAttempt(const DeliveryAttemptRow& attempt);
  virtual Result<std::vector<DeliveryAttemptRow>> ListDeliveryAttempts(
      const std::string& case_id);

  // ---- the web view's reads (issue 6 performance) ----
  // Not pure (see above); the defaults (store_web_defaults.cc) are built on
  // the methods above, the SQL backends override them.
  // The case with its history, outbox and delivery attempts (the case page),
  // each list ordered as its own method orders it; kNotFound when there is no
  // such case. The default makes the four calls; SQL backends read them in
  // one call to the database.
  virtual Result<CaseDetail> GetCaseDetail(const std::string& case_id);
  // Every case counted by (workflow, active state, status), one count per
  // active state name ("" for a case with none), ordered by workflow, state,
  // status; with Σ revision and the earliest next_due_ms of a running case
  // (/metrics). The default walks ListCases; SQL backends aggregate in SQL.
  virtual Result<CaseCounts> CountCasesByState();
};

}  // namespace zgtflow::store
