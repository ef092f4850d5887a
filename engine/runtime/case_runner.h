// ⑥ CaseRunner — start here for the runtime: one input to one stored case is
// read case → core::Step → ONE Store::CommitStep (case row, hash-chained
// history entry, timer rows, outbox rows), then the follow-ups the step's
// effects ask for (child cases, child.done to a parent, `send … matching`).
//
// Decisions (issue 5):
// - A refused input is not an error: Create and Submit return a CaseView
//   whose `rejection` is set and nothing is stored (the HTTP layer maps the
//   core::Rejection code to 409/422). A Status error means the runtime could
//   not do its job: kNotFound (no such case or workflow), kConflict (a stale
//   expected_revision, or retries exhausted), kInvalidArgument (bad data
//   JSON), kUnavailable/kInternal from the store or a broken snapshot.
// - The clock is read once per Create/Submit; that instant is StepClock::now
//   and the history's at_ms, and is kept across conflict retries.
// - Without expected_revision a kConflict from the store is retried (reload,
//   Step again) up to Options::max_attempts times; with one it is returned.
// - Timer rows are the difference between the pending timers before and
//   after the step (net of a timer scheduled and cancelled in one step); a
//   kTimerFired input deletes its timer through StepCommit::fired_timer.
// - Outbox: kNotify → adapter "notify", payload {case_id, workflow, role,
//   text}; kCallAdapter → the adapter the effect names, payload {case_id,
//   workflow, operation, arguments, call_id}. Idempotency key
//   "<case>:<seq>:<n>" (n counts the step's outbox rows from 0). kRecord
//   stays in the history only.
// - Follow-ups are planned before the commit and written with it as
//   store::FollowUpRow (key "<case>:<seq>:<n>"), then run after the commit,
//   in order, each its own step:
//   kStartChild creates case "<parent id>.<child_index + 1>" (deterministic,
//   so a repeated start is a kConflict that is ignored) with parent_id set,
//   started by the child workflow's first start role, actor_party = parent;
//   a completed child sends kChildDone (event = its workflow id) to its
//   parent; kSendToCases submits the event to every case of the workflow
//   whose field equals the value. Refusals of follow-ups are ignored (as
//   engine/scenario/case_set does); their other failures are listed in
//   CaseView::follow_up_errors. The step carrying a follow-up out names its
//   key in StepCommit::follow_up_done, so the row goes in that step's
//   transaction and a second run is refused by the store (ignored here). A
//   refused follow-up, or a child that exists already, drops its row. Rows
//   left by a crash between the commit and the follow-up (or by a failure)
//   are carried out by RunPendingFollowUps (FollowUpWorker: at serve start
//   and periodically, on any node, under a lease), exactly once.
//   `send … matching` receivers are chosen before the commit (the sender's
//   own row as the step leaves it).
// - case_in(…) queries are answered from the store (ListCases by workflow
//   and state, then the field compared by display value) and recorded in the
//   input's facts, so Replay needs no store.
// Thread-safe when the Store, registry and clock are (they are).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"
#include "engine/core/case_state.h"
#include "engine/core/effect.h"
#include "engine/core/input.h"
#include "engine/core/rejection.h"
#include "engine/core/step.h"
#include "engine/model/workflow.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/commit_batcher.h"
#include "engine/runtime/commit_pipeline.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

// role → the parties acting in it.
using Parties = std::map<std::string, std::vector<std::string>>;

// A case as one Create or Submit left it.
struct CaseView {
  store::CaseRow row;                          // As committed (as read, when refused).
  core::CaseState state;                       // Decoded row.snapshot.
  std::shared_ptr<const model::Workflow> workflow;
  std::vector<core::Effect> effects;           // Of the step just applied; empty when refused.
  std::optional<core::Rejection> rejection;    // Set: the input was refused, nothing stored.
  std::vector<std::string> follow_up_errors;   // Follow-ups that failed (not refusals).

  bool accepted() const { return !rejection.has_value(); }
};

class CaseRunner {
 public:
  struct Options {
    int max_attempts = 5;           // CommitStep attempts on kConflict without expected_revision.
    size_t max_follow_ups = 10000;  // Bound on inputs following from one input.
    // false: follow-ups are only written with their step and left to
    // RunPendingFollowUps (what a crash right after the commit leaves).
    bool run_follow_ups = true;
    // Not null: every commit goes through this group-commit batcher (not
    // owned; outlives the runner), so concurrent calls share transactions.
    CommitBatcher* batcher = nullptr;
    // Not null: CreateAsync and SubmitAsync commit through this pipeline
    // (not owned; outlives the runner). Null: they commit as Create and
    // Submit do and call back before they return.
    CommitPipeline* pipeline = nullptr;
    // Cases kept decoded after their last step here, so that the next step
    // of one needs no read (0: none). A cached case another node changed
    // meanwhile fails its commit's revision check and is read again; a
    // Submit with an expected_revision always reads the store.
    size_t case_cache = 10000;
  };

  // None owned; all outlive the runner. `calendar` may be null (working days fail).
  CaseRunner(store::Store* store, DefinitionRegistry* registry, Clock* clock,
             const calendar::Calendar* calendar);
  CaseRunner(store::Store* store, DefinitionRegistry* registry, Clock* clock,
             const calendar::Calendar* calendar, Options options);

  // Starts a case of the newest version of `workflow_id`: Input::Start by
  // `actor_role` (acting party `party`) with `data_json` (a JSON object,
  // "" = {}) as payload, `start_event` naming the start event ("" = the first
  // that applies). `case_id` "" = a fresh random id "<workflow>-<16 hex>".
  Result<CaseView> Create(const std::string& workflow_id, const std::string& actor_role,
                          const std::string& party, const std::string& data_json,
                          const Parties& parties = {}, const std::string& start_event = "",
                          const std::string& case_id = "");

  // Applies `input` to the stored case. With `expected_revision`, a case at
  // another revision is kConflict (nothing applied).
  Result<CaseView> Submit(const std::string& case_id, core::Input input,
                          std::optional<int64_t> expected_revision = std::nullopt);

  // Create and Submit without waiting for the commit: `done` gets what
  // Create or Submit would return, once the step is committed (or refused,
  // or failed), on a committer thread of Options::pipeline — so it must not
  // wait for another async call's callback. It may call CreateAsync or
  // SubmitAsync again: that is how one thread keeps many inputs in flight.
  // Only one input of a case at a time: a second one before the first's
  // callback would step from the same revision and be retried on conflict.
  using Done = std::function<void(Result<CaseView>)>;
  void CreateAsync(const std::string& workflow_id, const std::string& actor_role,
                   const std::string& party, const std::string& data_json, const Parties& parties,
                   const std::string& start_event, const std::string& case_id, Done done);
  void SubmitAsync(const std::string& case_id, core::Input input, Done done);

  // Whether CreateAsync/SubmitAsync go through a CommitPipeline (else they
  // commit before they return).
  bool pipelined() const { return options_.pipeline != nullptr; }

  // The stored case, decoded.
  Result<CaseView> Load(const std::string& case_id);

  // Reads those of `case_ids` that are not in the case cache with one
  // Store::GetCases and caches them decoded, so that the next Submit of each
  // starts without a read of its own: the timer worker calls it for the cases
  // of a claim. A case that cannot be decoded is left out (its Submit reads
  // it and reports why). Does nothing with Options::case_cache 0.
  Status Preload(const std::vector<std::string>& case_ids);

  // Recovery: claims up to `limit` pending follow-ups created at or before
  // `created_before_ms` (for `node`, lease `lease_ms` from the clock's now)
  // and carries each out as the runner does after a commit. One that was
  // carried out meanwhile is ignored. Returns how many were claimed; their
  // failures (not refusals) are appended to `errors` when given, and leave
  // the row pending for a later pass.
  Result<int> RunPendingFollowUps(const std::string& node, int64_t created_before_ms,
                                  int64_t lease_ms, int limit,
                                  std::vector<std::string>* errors = nullptr);
  // Carries out one follow-up row (claimed or not) as RunPendingFollowUps
  // does; a row carried out already is ignored.
  void RunFollowUp(const store::FollowUpRow& row, std::vector<std::string>* errors = nullptr);

 private:
  struct FollowUp {
    enum class Kind { kStartChild, kSubmit } kind = Kind::kSubmit;
    std::string key;                     // The FollowUpRow's key.
    std::string case_id;                 // kSubmit: the receiver; kStartChild: the child's id.
    core::Input input;
    std::string workflow;                // kStartChild.
    std::string parent_id;               // kStartChild.
  };

  // One step built and not yet committed: the case before it (with the
  // rejection set when refused: then nothing else is filled), its result,
  // its rows and the follow-ups it plans.
  struct PendingStep {
    CaseView view;
    core::StepResult result;
    store::StepCommit commit;
    std::vector<FollowUp> planned;
  };

  // Step a new case / a stored case without committing. PrepareSubmit reads
  // the case from the cache when `use_cache` (a refusal by a cached view is
  // checked against the store); a kConflict it returns may be retried.
  Status PrepareCreate(std::shared_ptr<const model::Workflow> workflow, core::Input input,
                       const std::string& parties_json, const std::string& parent_id,
                       const std::string& case_id, const std::string& follow_up_done,
                       PendingStep* step);
  Status PrepareSubmit(const std::string& case_id, const core::Input& input,
                       std::optional<int64_t> expected_revision,
                       const std::string& follow_up_done, int64_t now_ms, bool use_cache,
                       PendingStep* step);
  // The view after `step`'s commit succeeded: cached, its follow-ups queued.
  CaseView Committed(PendingStep& step, std::vector<FollowUp>* follow_ups);
  // What the async calls do once a step's commit is done.
  void FinishAsync(std::shared_ptr<PendingStep> step, Status committed, Done done);
  // SubmitAsync's attempt `attempt` (a conflict retries with the next).
  void SubmitAttempt(const std::string& case_id, core::Input input, int64_t now_ms, int attempt,
                     Done done);
  // Commits `step`'s rows through Options::pipeline (and puts them back in
  // `step`), or at once when there is none.
  void CommitAsync(std::shared_ptr<PendingStep> step, std::function<void(Status)> done);

  Result<CaseView> CreateOne(std::shared_ptr<const model::Workflow> workflow, core::Input input,
                             const std::string& parties_json, const std::string& parent_id,
                             const std::string& case_id, const std::string& follow_up_done,
                             std::vector<FollowUp>* follow_ups);
  Result<CaseView> SubmitOne(const std::string& case_id, core::Input input,
                             std::optional<int64_t> expected_revision,
                             const std::string& follow_up_done, std::vector<FollowUp>* follow_ups);
  // Runs the queued follow-ups (and theirs) and notes failures in `view`.
  void Drain(std::vector<FollowUp> queue, CaseView* view);
  // The input with Input::facts answering the workflow's case_in queries.
  Result<core::Input> Answered(const model::Workflow& workflow, const core::CaseState& state,
                               core::Input input);
  // Plans what the step's effects ask for (`row`: the case as the step leaves
  // it) into `planned` and `commit->follow_ups`, keyed "<case>:<seq>:<n>".
  Status PlanFollowUps(const store::CaseRow& row, const std::vector<core::Effect>& effects,
                       int64_t now_ms, std::vector<FollowUp>* planned,
                       store::StepCommit* commit);
  // Store::CommitStep, or through the batcher when the options name one.
  Status CommitOne(store::StepCommit& commit);
  // Drops a follow-up's row; a failure is noted in `view`.
  void Drop(const std::string& key, CaseView* view);

  // The case cache (Options::case_cache): the view after the last step.
  std::optional<CaseView> Cached(const std::string& case_id);
  void Remember(const CaseView& view);
  // Puts `view` (row, state and workflow only) in the cache, making room if
  // full; an entry for its case is overwritten only when `replace`.
  void Cache(CaseView view, bool replace);
  void Forget(const std::string& case_id);

  std::mutex cache_mutex_;
  std::unordered_map<std::string, CaseView> cache_;  // Guarded by cache_mutex_.
  store::Store* store_;
  DefinitionRegistry* registry_;
  Clock* clock_;
  const calendar::Calendar* calendar_;
  Options options_;
};

}  // namespace zgtflow::runtime
