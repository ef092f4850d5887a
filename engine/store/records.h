// ⑤ The rows a Store keeps: definitions, cases, history, timers, outbox. Plain
// data; case state, inputs and effects arrive already encoded as JSON text by
// the runtime (engine/runtime/json_codec), so a backend knows no core types.
// Every table is keyed by case id (except definitions), so the schema can be
// distributed by case id (Citus) later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zgtflow::store {

// A deployed workflow version. (workflow, version) is unique.
struct DefinitionRow {
  std::string workflow;      // Public id, e.g. "rectification".
  std::string version;       // 16 hex digits: the content hash (model::Workflow::VersionHex()).
  std::string source;        // The workflow's text.
  std::string source_path;
  int64_t deployed_at_ms = 0;
};

enum class CaseStatus { kRunning, kCompleted };

struct CaseRow {
  std::string id;            // Unique; chosen by the runtime.
  std::string workflow;
  std::string version;
  CaseStatus status = CaseStatus::kRunning;
  std::string state;         // Active state names, JSON array, for queries ("[\"rectifying\"]").
  std::string snapshot;      // The whole core::CaseState as JSON: a cache that Replay can rebuild.
  std::string data;          // Case data, JSON object, for queries and pages.
  std::string parties;       // JSON object role → [party names].
  std::string parent_id;     // "" for none.
  int64_t revision = 0;      // Steps applied.
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> next_due_ms;  // Earliest pending timer, for "overdue" lists.
  // Hash of the case's newest history entry: the next entry's prev_hash, so a
  // step needs no read of the history. Set by the store from history.hash at
  // every commit (the value in a StepCommit is ignored).
  std::string last_hash;
};

// One applied input. (case_id, seq) is unique; seq runs 1, 2, … without gaps.
struct HistoryRow {
  std::string case_id;
  int64_t seq = 0;
  std::string input;         // core::Input as JSON.
  std::string actor;         // Role (and party) that sent it; "" for the system.
  std::string effects;       // The step's effects as JSON array.
  int64_t at_ms = 0;         // StepClock::now.
  std::string prev_hash;     // Hash of the previous entry of the case ("" for seq 1).
  std::string hash;          // SM3 over prev_hash and this entry's fields (runtime/audit_chain).
};

// A pending timer. (case_id, timer_id) is unique.
struct TimerRow {
  std::string case_id;
  uint32_t timer_id = 0;
  int64_t due_at_ms = 0;
  std::string state;         // The state the timer belongs to (for pages).
  std::string claimed_by;    // Node holding the claim, "" when unclaimed.
  int64_t claimed_until_ms = 0;  // The claim's lease; expired claims may be taken over.
};

enum class OutboxStatus { kPending, kDelivered, kDead };

// One delivery to an adapter, written in the step's transaction, delivered
// after the commit, at least once. (case_id, seq_in_case) is unique.
struct OutboxRow {
  int64_t id = 0;            // Assigned by the store on insert; 0 before.
  std::string case_id;
  std::string adapter;       // "log", "webhook", …
  std::string payload;       // JSON.
  std::string idempotency_key;  // Stable across retries: "<case>:<seq>:<n>".
  int attempts = 0;
  int64_t next_attempt_at_ms = 0;
  OutboxStatus status = OutboxStatus::kPending;
  std::string last_error;
  std::string claimed_by;
  int64_t claimed_until_ms = 0;
};

// One attempt to hand an outbox row to one channel (runtime/outbox_worker),
// so each attempt is visible in the case's history. Append only; keyed by
// case id like every case table. `id` is assigned by the store (increasing).
struct DeliveryAttemptRow {
  int64_t id = 0;
  std::string case_id;
  int64_t outbox_id = 0;
  int attempt = 0;           // The row's attempt number, 1, 2, …
  std::string channel;       // Adapter tried ("log", "webhook", …); "" when none could be routed.
  std::string outcome;       // "delivered" | "retry" (failed, tried again later) | "dead".
  std::string error;         // "" when delivered.
  int64_t at_ms = 0;
};

// A follow-up input of a committed step (issue 5): a child case to start, a
// child.done to a parent, one receiver of a `send … matching`. Written in the
// step's transaction, carried out right after the commit by the runner, or by
// the recovery pass (FollowUpWorker) when the process died first. The step
// that carries it out names `key` in StepCommit::follow_up_done, which deletes
// the row in that step's transaction: applied at most once, and at least once
// while some node runs the recovery pass. `key` is unique.
struct FollowUpRow {
  std::string key;           // "<case>:<seq>:<n>", n counting the step's follow-ups from 0.
  std::string case_id;       // The case whose step asked for it.
  std::string kind;          // "start_child" or "submit".
  std::string target;        // The receiving case (the child's id for start_child).
  std::string workflow;      // start_child: the child's workflow id.
  std::string input;         // core::Input as JSON (engine/runtime/json_codec).
  int64_t created_at_ms = 0;
  std::string claimed_by;    // Recovery claims, as timers: "" when unclaimed.
  int64_t claimed_until_ms = 0;
};

// Everything one accepted step writes, committed in one transaction.
struct StepCommit {
  CaseRow case_row;                // New values; case_row.revision is the revision after the step.
  // The revision the case had when the step read it: the commit fails with
  // kConflict when the stored case has another. 0 with `create` for a new case.
  int64_t expected_revision = 0;
  bool create = false;             // Insert the case (kConflict if the id exists).
  HistoryRow history;              // history.seq == case_row.revision.
  std::vector<TimerRow> add_timers;
  std::vector<uint32_t> cancel_timers;   // Timer ids of this case to delete.
  std::optional<uint32_t> fired_timer;   // The timer this step fired: deleted with the commit.
  std::vector<OutboxRow> outbox;
  std::vector<FollowUpRow> follow_ups;   // Inserted, claims cleared.
  // The key of the pending follow-up this step carries out ("" for none): it
  // is deleted with the commit, and a commit naming one that is not pending
  // (carried out already) is kFailedPrecondition and writes nothing (checked
  // before the revision).
  std::string follow_up_done;
};

// The status columns' text in every SQL backend ("running", "completed";
// "pending", "delivered", "dead") and back; unknown text reads as running /
// pending.
const char* CaseStatusText(CaseStatus status);
CaseStatus CaseStatusOf(const std::string& text);
const char* OutboxStatusText(OutboxStatus status);
OutboxStatus OutboxStatusOf(const std::string& text);

// Who may use the web server and API (web/auth/auth.h): a bearer token or a
// user. id is unique ("tok-<16 hex>" or "user-<name>").
struct PrincipalRow {
  std::string id;
  std::string kind;          // "token" or "user".
  std::string name;          // User name, or the token's label.
  std::string role;
  std::string party;         // "" for none.
  std::string secret_hash;   // Token: SHA-256 hex of its secret; user: Argon2id string.
  int64_t created_at_ms = 0;
};

// A web login session. id is SHA-256 hex of the cookie value (unique).
struct SessionRow {
  std::string id;
  std::string principal_id;
  std::string csrf_token;    // Forms of this session carry it.
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// Outbox totals for /metrics (Store::CountOutbox).
struct OutboxCounts {
  int64_t pending = 0;
  int64_t delivered = 0;
  int64_t dead = 0;
  int64_t failed_attempts = 0;  // Σ attempts of every row (MarkFailed counts failures only).
};

// A case with everything its page shows (Store::GetCaseDetail).
struct CaseDetail {
  CaseRow row;
  std::vector<HistoryRow> history;            // By seq.
  std::vector<OutboxRow> outbox;              // By id.
  std::vector<DeliveryAttemptRow> attempts;   // By id.
};

// Cases of one workflow in one active state with one status (/metrics).
struct CaseStateCount {
  std::string workflow;
  std::string state;  // An active state name; "" for cases with none.
  CaseStatus status = CaseStatus::kRunning;
  int64_t cases = 0;
};

// Store::CountCasesByState.
struct CaseCounts {
  std::vector<CaseStateCount> by_state;  // By workflow, state, status text (byte order).
  int64_t steps = 0;                     // Σ revision over all cases (history entries).
  std::optional<int64_t> earliest_running_due_ms;  // min next_due_ms of running cases.
};
// For backends: turns by_state rows whose `state` still holds the column's
// text (a JSON array of names, or "") into one row per active state name,
// merging equal keys, in the documented order. Grouping by the column's text
// first parses each distinct value once instead of once per case.
void SplitCaseStates(CaseCounts* counts);

// Filters for listing cases; empty fields do not filter.
struct CaseFilter {
  std::string workflow;
  std::string state;               // Cases whose `state` array contains this name.
  std::string party;               // Cases whose parties name this party (any role).
  std::optional<bool> overdue;     // next_due_ms < now_ms.
  int64_t now_ms = 0;
  int limit = 50;
  int offset = 0;
};

}  // namespace zgtflow::store
