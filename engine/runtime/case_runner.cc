// ⑥ CaseRunner (see case_runner.h): the commit of one step, then its follow-ups.
#include "engine/runtime/case_runner.h"

#include <openssl/rand.h>

#include <algorithm>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/core/case_query_value.h"
#include "engine/core/step.h"
#include "engine/runtime/audit_chain.h"
#include "engine/runtime/json_codec.h"

namespace zgtflow::runtime {

using nlohmann::json;

namespace {

Status Conflict(const std::string& message) { return Status(StatusCode::kConflict, message); }

Result<std::string> NewCaseId(const std::string& workflow_id) {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Status::Internal("no random bytes for a case id");
  static const char kHex[] = "0123456789abcdef";
  std::string id = workflow_id + "-";
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

std::string PartiesJson(const Parties& parties) {
  json out = json::object();
  for (const auto& [role, names] : parties) out[role] = names;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Actor(const core::Input& input) {
  if (input.actor_party.empty()) return input.actor_role;
  return input.actor_role + "/" + input.actor_party;
}

// The role a child case is started by: its workflow's first start role ("" when
// it names none), as engine/scenario/case_set.cc does: the parent's action is
// the authority.
std::string ChildStartRole(const model::Workflow& child) {
  if (!child.start_transitions.empty() && !child.start_transitions.front().roles.empty()) {
    return child.start_transitions.front().roles.front();
  }
  return "";
}

// The case row, history entry, timer and outbox rows of one accepted step.
// `old_row` is null for a new case.
Status BuildCommit(const model::Workflow& workflow, const core::CaseState& before,
                   const core::StepResult& result, const core::Input& input, int64_t now_ms,
                   const store::CaseRow* old_row, const std::string& case_id,
                   const std::string& parent_id, const std::string& parties_json,
                   const std::string& prev_hash, store::StepCommit* commit) {
  const core::CaseState& next = result.next;
  store::CaseRow& row = commit->case_row;
  row.id = case_id;
  row.workflow = workflow.id;
  row.version = workflow.VersionHex();
  row.status = next.status == core::CaseStatus::kCompleted ? store::CaseStatus::kCompleted
                                                            : store::CaseStatus::kRunning;
  json states = json::array();
  for (uint16_t index : next.active) states.push_back(workflow.states[index].name);
  row.state = states.dump();
  row.snapshot = EncodeCaseState(next);
  std::vector<std::string> names;
  for (const model::FieldDef& field : workflow.fields) names.push_back(field.name);
  row.data = EncodeCaseData(names, next.data);
  row.parties = old_row != nullptr ? old_row->parties : parties_json;
  row.parent_id = old_row != nullptr ? old_row->parent_id : parent_id;
  row.revision = next.revision;
  row.created_at_ms = old_row != nullptr ? old_row->created_at_ms : now_ms;
  row.updated_at_ms = now_ms;
  if (!next.timers.empty()) row.next_due_ms = next.timers.front().due.epoch_ms;  // Sorted by due.

  commit->create = old_row == nullptr;
  commit->expected_revision = old_row != nullptr ? old_row->revision : 0;

  store::HistoryRow& history = commit->history;
  history.case_id = case_id;
  history.seq = next.revision;
  history.input = EncodeInput(input);
  history.actor = Actor(input);
  history.effects = EncodeEffects(result.effects);
  history.at_ms = now_ms;
  Status chained = ChainHistoryRow(prev_hash, &history);
  if (!chained.ok()) return chained;

  // Timers: the net difference, so a timer scheduled and cancelled within the
  // step never reaches the store.
  std::set<uint32_t> before_ids, after_ids;
  for (const core::PendingTimer& timer : before.timers) before_ids.insert(timer.id);
  for (const core::PendingTimer& timer : next.timers) {
    after_ids.insert(timer.id);
    if (before_ids.count(timer.id)) continue;
    store::TimerRow added;
    added.case_id = case_id;
    added.timer_id = timer.id;
    added.due_at_ms = timer.due.epoch_ms;
    added.state = workflow.states[timer.state].name;
    commit->add_timers.push_back(std::move(added));
  }
  const bool fired = input.kind == core::InputKind::kTimerFired;
  if (fired) commit->fired_timer = input.timer_id;
  for (uint32_t id : before_ids) {
    if (after_ids.count(id) || (fired && id == input.timer_id)) continue;
    commit->cancel_timers.push_back(id);
  }

  int n = 0;
  for (const core::Effect& effect : result.effects) {
    store::OutboxRow out;
    json payload;
    if (effect.kind == core::EffectKind::kNotify) {
      out.adapter = "notify";
      payload = {{"case_id", case_id}, {"workflow", workflow.id}, {"role", effect.role},
                 {"text", effect.text}};
    } else if (effect.kind == core::EffectKind::kCallAdapter) {
      out.adapter = effect.adapter;
      json arguments = json::array();
      for (const model::Value& argument : effect.arguments) arguments.push_back(ValueToJson(argument));
      payload = {{"case_id", case_id}, {"workflow", workflow.id}, {"operation", effect.operation},
                 {"arguments", arguments}, {"call_id", effect.call_id}};
    } else {
      continue;
    }
    out.case_id = case_id;
    out.payload = payload.dump(-1, ' ', false, json::error_handler_t::replace);
    out.idempotency_key = case_id + ":" + std::to_string(next.revision) + ":" + std::to_string(n++);
    out.next_attempt_at_ms = now_ms;
    commit->outbox.push_back(std::move(out));
  }
  return Status::Ok();
}

}  // namespace

CaseRunner::CaseRunner(store::Store* store, DefinitionRegistry* registry, Clock* clock,
                       const calendar::Calendar* calendar)
    : CaseRunner(store, registry, clock, calendar, Options()) {}

CaseRunner::CaseRunner(store::Store* store, DefinitionRegistry* registry, Clock* clock,
                       const calendar::Calendar* calendar, Options options)
    : store_(store), registry_(registry), clock_(clock), calendar_(calendar), options_(options) {}

Result<CaseView> CaseRunner::Create(const std::string& workflow_id, const std::string& actor_role,
                                    const std::string& party, const std::string& data_json,
                                    const Parties& parties, const std::string& start_event,
                                    const std::string& case_id) {
  Result<std::shared_ptr<const model::Workflow>> workflow = registry_->Newest(workflow_id);
  if (!workflow.ok()) return workflow.status();
  Result<model::Object> payload = ParseObject(data_json);
  if (!payload.ok()) return payload.status();
  core::Input input = core::Input::Start(actor_role, std::move(payload).value(), start_event);
  input.actor_party = party;
  std::vector<FollowUp> follow_ups;
  Result<CaseView> view =
      CreateOne(*workflow, std::move(input), PartiesJson(parties), "", case_id, "", &follow_ups);
  if (!view.ok()) return view;
  CaseView out = std::move(view).value();
  // Without run_follow_ups they wait for RunPendingFollowUps, as after a crash.
  if (options_.run_follow_ups) Drain(std::move(follow_ups), &out);
  return out;
}

Result<CaseView> CaseRunner::Submit(const std::string& case_id, core::Input input,
                                    std::optional<int64_t> expected_revision) {
  std::vector<FollowUp> follow_ups;
  Result<CaseView> view = SubmitOne(case_id, std::move(input), expected_revision, "", &follow_ups);
  if (!view.ok()) return view;
  CaseView out = std::move(view).value();
  // Without run_follow_ups they wait for RunPendingFollowUps, as after a crash.
  if (options_.run_follow_ups) Drain(std::move(follow_ups), &out);
  return out;
}

Result<CaseView> CaseRunner::Load(const std::string& case_id) {
  Result<store::CaseRow> row = store_->GetCase(case_id);
  if (!row.ok()) return row.status();
  CaseView view;
  view.row = std::move(row).value();
  Result<std::shared_ptr<const model::Workflow>> workflow =
      registry_->Get(view.row.workflow, view.row.version);
  if (!workflow.ok()) return workflow.status();
  view.workflow = *workflow;
  Result<core::CaseState> state = DecodeCaseState(view.row.snapshot);
  if (!state.ok()) {
    return Status::Internal("case " + case_id + ": stored snapshot: " + state.status().message());
  }
  view.state = std::move(state).value();
  return view;
}

Status CaseRunner::Preload(const std::vector<std::string>& case_ids) {
  if (options_.case_cache == 0) return Status::Ok();
  std::vector<std::string> missing;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    for (const std::string& id : case_ids) {
      if (!cache_.count(id)) missing.push_back(id);
    }
  }
  if (missing.empty()) return Status::Ok();
  Result<std::vector<store::CaseRow>> rows = store_->GetCases(missing);
  if (!rows.ok()) return rows.status();
  for (store::CaseRow& row : rows.value()) {
    Result<std::shared_ptr<const model::Workflow>> workflow =
        registry_->Get(row.workflow, row.version);
    if (!workflow.ok()) continue;
    Result<core::CaseState> state = DecodeCaseState(row.snapshot);
    if (!state.ok()) continue;
    CaseView view;
    view.row = std::move(row);
    view.workflow = *workflow;
    view.state = std::move(state).value();
    // A step that committed meanwhile cached a newer view: keep that one.
    Cache(std::move(view), /*replace=*/false);
  }
  return Status::Ok();
}

Status CaseRunner::PrepareCreate(std::shared_ptr<const model::Workflow> workflow,
                                 core::Input input, const std::string& parties_json,
                                 const std::string& parent_id, const std::string& case_id,
                                 const std::string& follow_up_done, PendingStep* step) {
  const core::CaseState fresh = core::NewCaseState(workflow->version, workflow->fields.size());
  const int64_t now_ms = clock_->NowMs();
  Result<core::Input> answered = Answered(*workflow, fresh, std::move(input));
  if (!answered.ok()) return answered.status();
  step->result =
      core::Step(*workflow, fresh, *answered, core::StepClock{calendar::Instant{now_ms}, calendar_});
  step->view.workflow = workflow;
  if (step->result.rejection) {
    step->view.state = fresh;
    step->view.rejection = std::move(step->result.rejection);
    return Status::Ok();
  }
  std::string id = case_id;
  if (id.empty()) {
    Result<std::string> fresh_id = NewCaseId(workflow->id);
    if (!fresh_id.ok()) return fresh_id.status();
    id = *fresh_id;
  }
  store::StepCommit& commit = step->commit;
  Status status = BuildCommit(*workflow, fresh, step->result, *answered, now_ms, nullptr, id,
                              parent_id, parties_json, "", &commit);
  commit.follow_up_done = follow_up_done;
  if (!status.ok()) return status;
  return PlanFollowUps(commit.case_row, step->result.effects, now_ms, &step->planned, &commit);
}

Status CaseRunner::PrepareSubmit(const std::string& case_id, const core::Input& input,
                                 std::optional<int64_t> expected_revision,
                                 const std::string& follow_up_done, int64_t now_ms,
                                 bool use_cache, PendingStep* step) {
  for (;;) {
    std::optional<CaseView> cached;
    if (use_cache) cached = Cached(case_id);
    const bool from_cache = cached.has_value();
    CaseView& view = step->view;
    if (cached) {
      view = std::move(*cached);
    } else {
      Result<CaseView> loaded = Load(case_id);
      if (!loaded.ok()) return loaded.status();
      view = std::move(loaded).value();
    }
    if (expected_revision && view.row.revision != *expected_revision) {
      return Conflict("case " + case_id + " is at revision " + std::to_string(view.row.revision) +
                      ", not " + std::to_string(*expected_revision));
    }
    if (view.state.revision != view.row.revision) {
      return Status::Internal("case " + case_id + ": snapshot revision " +
                              std::to_string(view.state.revision) + " differs from the row's " +
                              std::to_string(view.row.revision));
    }
    Result<core::Input> answered = Answered(*view.workflow, view.state, input);
    if (!answered.ok()) return answered.status();
    step->result = core::Step(*view.workflow, view.state, *answered,
                              core::StepClock{calendar::Instant{now_ms}, calendar_});
    if (step->result.rejection) {
      if (from_cache) {
        // Refused by a cached view another writer may have made stale (a
        // migration, another node): only the stored case may refuse.
        Forget(case_id);
        use_cache = false;
        continue;
      }
      view.rejection = std::move(step->result.rejection);
      return Status::Ok();
    }
    // The chain's previous link is on the row (CaseRow::last_hash), read in
    // one piece with the revision: no history read. A row without it (none
    // after migration 3 filled them) falls back to the history's last entry.
    std::string prev_hash = view.row.last_hash;
    if (prev_hash.empty() && view.row.revision > 0) {
      Result<std::vector<store::HistoryRow>> history = store_->GetHistory(case_id);
      if (!history.ok()) return history.status();
      if (static_cast<int64_t>(history->size()) != view.row.revision) {
        return Conflict("case " + case_id + " changed while it was read");
      }
      if (!history->empty()) prev_hash = history->back().hash;
    }
    store::StepCommit& commit = step->commit;
    Status status = BuildCommit(*view.workflow, view.state, step->result, *answered, now_ms,
                                &view.row, case_id, "", "", prev_hash, &commit);
    commit.follow_up_done = follow_up_done;
    if (!status.ok()) return status;
    return PlanFollowUps(commit.case_row, step->result.effects, now_ms, &step->planned, &commit);
  }
}

CaseView CaseRunner::Committed(PendingStep& step, std::vector<FollowUp>* follow_ups) {
  CaseView view = std::move(step.view);
  view.row = std::move(step.commit.case_row);
  view.row.last_hash = step.commit.history.hash;
  view.state = std::move(step.result.next);
  view.effects = std::move(step.result.effects);
  Remember(view);
  for (FollowUp& work : step.planned) follow_ups->push_back(std::move(work));
  return view;
}

Result<CaseView> CaseRunner::CreateOne(std::shared_ptr<const model::Workflow> workflow,
                                       core::Input input, const std::string& parties_json,
                                       const std::string& parent_id, const std::string& case_id,
                                       const std::string& follow_up_done,
                                       std::vector<FollowUp>* follow_ups) {
  PendingStep step;
  Status status = PrepareCreate(std::move(workflow), std::move(input), parties_json, parent_id,
                                case_id, follow_up_done, &step);
  if (!status.ok()) return status;
  if (step.view.rejection) return std::move(step.view);
  status = CommitOne(step.commit);
  if (!status.ok()) return status;
  return Committed(step, follow_ups);
}

Result<CaseView> CaseRunner::SubmitOne(const std::string& case_id, core::Input input,
                                       std::optional<int64_t> expected_revision,
                                       const std::string& follow_up_done,
                                       std::vector<FollowUp>* follow_ups) {
  const int64_t now_ms = clock_->NowMs();
  const int attempts = expected_revision ? 1 : std::max(1, options_.max_attempts);
  Status last = Conflict("case " + case_id + " changed under every attempt");
  for (int attempt = 0; attempt < attempts; ++attempt) {
    // The first attempt may start from the cache; a retry reads the store.
    PendingStep step;
    Status status = PrepareSubmit(case_id, input, expected_revision, follow_up_done, now_ms,
                                  attempt == 0 && !expected_revision, &step);
    if (status.ok() && step.view.rejection) return std::move(step.view);
    if (status.ok()) status = CommitOne(step.commit);
    if (status.code() == StatusCode::kConflict) {
      Forget(case_id);
      last = status;
      continue;
    }
    if (!status.ok()) {
      Forget(case_id);
      return status;
    }
    return Committed(step, follow_ups);
  }
  return last;
}

void CaseRunner::CreateAsync(const std::string& workflow_id, const std::string& actor_role,
                             const std::string& party, const std::string& data_json,
                             const Parties& parties, const std::string& start_event,
                             const std::string& case_id, Done done) {
  Result<std::shared_ptr<const model::Workflow>> workflow = registry_->Newest(workflow_id);
  if (!workflow.ok()) return done(workflow.status());
  Result<model::Object> payload = ParseObject(data_json);
  if (!payload.ok()) return done(payload.status());
  core::Input input = core::Input::Start(actor_role, std::move(payload).value(), start_event);
  input.actor_party = party;
  auto step = std::make_shared<PendingStep>();
  Status status = PrepareCreate(*workflow, std::move(input), PartiesJson(parties), "", case_id, "",
                                step.get());
  if (!status.ok()) return done(status);
  if (step->view.rejection) return done(std::move(step->view));
  CommitAsync(step, [this, step, done](Status committed) {
    FinishAsync(step, std::move(committed), done);
  });
}

void CaseRunner::SubmitAsync(const std::string& case_id, core::Input input, Done done) {
  SubmitAttempt(case_id, std::move(input), clock_->NowMs(), 0, std::move(done));
}

void CaseRunner::SubmitAttempt(const std::string& case_id, core::Input input, int64_t now_ms,
                               int attempt, Done done) {
  const int attempts = std::max(1, options_.max_attempts);
  auto step = std::make_shared<PendingStep>();
  Status status = PrepareSubmit(case_id, input, std::nullopt, "", now_ms, attempt == 0, step.get());
  for (++attempt; status.code() == StatusCode::kConflict && attempt < attempts; ++attempt) {
    Forget(case_id);
    *step = PendingStep();
    status = PrepareSubmit(case_id, input, std::nullopt, "", now_ms, false, step.get());
  }
  if (!status.ok()) {
    Forget(case_id);
    return done(status);
  }
  if (step->view.rejection) return done(std::move(step->view));
  CommitAsync(step, [this, step, case_id, input = std::move(input), now_ms, attempt, attempts,
                     done](Status committed) mutable {
    if (committed.code() == StatusCode::kConflict && attempt < attempts) {
      Forget(case_id);
      return SubmitAttempt(case_id, std::move(input), now_ms, attempt, std::move(done));
    }
    FinishAsync(step, std::move(committed), std::move(done));
  });
}

void CaseRunner::FinishAsync(std::shared_ptr<PendingStep> step, Status committed, Done done) {
  if (!committed.ok()) {
    Forget(step->commit.case_row.id);
    return done(committed);
  }
  std::vector<FollowUp> follow_ups;
  CaseView view = Committed(*step, &follow_ups);
  // Follow-ups are rare and each its own step: they run here, as Submit
  // runs them, committing through the store or the batcher (not this
  // pipeline, whose committer this thread may be).
  if (options_.run_follow_ups) Drain(std::move(follow_ups), &view);
  done(std::move(view));
}

void CaseRunner::CommitAsync(std::shared_ptr<PendingStep> step,
                             std::function<void(Status)> done) {
  if (options_.pipeline == nullptr) return done(CommitOne(step->commit));
  options_.pipeline->Commit(std::move(step->commit),
                            [step, done = std::move(done)](Status status,
                                                           store::StepCommit commit) {
                              step->commit = std::move(commit);
                              done(std::move(status));
                            });
}

Result<core::Input> CaseRunner::Answered(const model::Workflow& workflow,
                                         const core::CaseState& state, core::Input input) {
  if (input.kind != core::InputKind::kStart && input.kind != core::InputKind::kEvent) return input;
  for (const model::CaseQuery& query : workflow.case_queries) {
    const std::string mine = core::CaseQueryValue(workflow, state, input, query);
    store::CaseFilter filter;
    filter.workflow = query.workflow;
    filter.state = query.state;
    filter.limit = 0;  // All of them.
    Result<std::vector<store::CaseRow>> rows = store_->ListCases(filter);
    if (!rows.ok()) return rows.status();
    bool found = false;
    for (const store::CaseRow& other : *rows) {
      Result<model::Object> data = ParseObject(other.data);
      if (!data.ok()) continue;  // A row this runtime did not write; it answers nothing.
      auto value = data->find(query.field);
      if (value == data->end() || value->second.is_null()) continue;
      if (value->second.ToDisplayString() == mine) {
        found = true;
        break;
      }
    }
    input.facts[query.Key()] = model::Value::Bool(found);
  }
  return input;
}

Status CaseRunner::PlanFollowUps(const store::CaseRow& row,
                                 const std::vector<core::Effect>& effects, int64_t now_ms,
                                 std::vector<FollowUp>* planned, store::StepCommit* commit) {
  for (const core::Effect& effect : effects) {
    switch (effect.kind) {
      case core::EffectKind::kStartChild: {
        FollowUp start;
        start.kind = FollowUp::Kind::kStartChild;
        start.case_id = row.id + "." + std::to_string(effect.child_index + 1);
        start.workflow = effect.workflow;
        start.parent_id = row.id;
        for (const auto& [field, value] : effect.data) start.input.payload[field] = value;
        start.input.kind = core::InputKind::kStart;
        start.input.actor_party = row.id;
        planned->push_back(std::move(start));
        break;
      }
      case core::EffectKind::kCompleted: {
        if (row.parent_id.empty()) break;
        FollowUp done;
        done.case_id = row.parent_id;
        done.input.kind = core::InputKind::kChildDone;
        done.input.event = row.workflow;
        done.input.child_id = row.id;
        planned->push_back(std::move(done));
        break;
      }
      case core::EffectKind::kSendToCases: {
        store::CaseFilter filter;
        filter.workflow = effect.workflow;
        filter.limit = 0;
        Result<std::vector<store::CaseRow>> rows = store_->ListCases(filter);
        if (!rows.ok()) return rows.status();
        std::vector<store::CaseRow> receivers = std::move(rows).value();
        // The sender as this step leaves it (it is not committed yet).
        bool sender_listed = false;
        for (store::CaseRow& receiver : receivers) {
          if (receiver.id == row.id) {
            receiver = row;
            sender_listed = true;
          }
        }
        if (!sender_listed && row.workflow == effect.workflow) receivers.push_back(row);
        // Oldest first, as the scenario runner delivers in case order.
        std::sort(receivers.begin(), receivers.end(),
                  [](const store::CaseRow& a, const store::CaseRow& b) {
                    return a.created_at_ms != b.created_at_ms ? a.created_at_ms < b.created_at_ms
                                                              : a.id < b.id;
                  });
        model::Object payload;
        for (const auto& [field, value] : effect.data) payload[field] = value;
        for (const store::CaseRow& receiver : receivers) {
          Result<model::Object> data = ParseObject(receiver.data);
          if (!data.ok()) continue;
          auto value = data->find(effect.match_field);
          if (value == data->end() || value->second != effect.match_value) continue;
          FollowUp send;
          send.case_id = receiver.id;
          send.input = core::Input::Event(effect.text, effect.role, payload);
          send.input.actor_party = row.id;
          planned->push_back(std::move(send));
        }
        break;
      }
      default:
        break;
    }
  }
  int n = 0;
  for (FollowUp& work : *planned) {
    work.key = row.id + ":" + std::to_string(row.revision) + ":" + std::to_string(n++);
    store::FollowUpRow out;
    out.key = work.key;
    out.case_id = row.id;
    out.kind = work.kind == FollowUp::Kind::kStartChild ? "start_child" : "submit";
    out.target = work.case_id;
    out.workflow = work.workflow;
    out.input = EncodeInput(work.input);
    out.created_at_ms = now_ms;
    commit->follow_ups.push_back(std::move(out));
  }
  return Status::Ok();
}

std::optional<CaseView> CaseRunner::Cached(const std::string& case_id) {
  if (options_.case_cache == 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto found = cache_.find(case_id);
  if (found == cache_.end()) return std::nullopt;
  return found->second;
}

void CaseRunner::Remember(const CaseView& view) {
  if (options_.case_cache == 0) return;
  CaseView kept;
  kept.row = view.row;
  kept.state = view.state;
  kept.workflow = view.workflow;
  Cache(std::move(kept), /*replace=*/true);
}

void CaseRunner::Cache(CaseView view, bool replace) {
  const std::string id = view.row.id;
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto found = cache_.find(id);
  if (found != cache_.end()) {
    if (replace) found->second = std::move(view);
    return;
  }
  // Full: make room by dropping an arbitrary entry (a miss only costs a read).
  if (cache_.size() >= options_.case_cache) cache_.erase(cache_.begin());
  cache_.emplace(id, std::move(view));
}

void CaseRunner::Forget(const std::string& case_id) {
  if (options_.case_cache == 0) return;
  std::lock_guard<std::mutex> lock(cache_mutex_);
  cache_.erase(case_id);
}

Status CaseRunner::CommitOne(store::StepCommit& commit) {
  if (options_.batcher != nullptr) return options_.batcher->Commit(commit);
  return store_->CommitStep(commit);
}

void CaseRunner::Drop(const std::string& key, CaseView* view) {
  Status dropped = store_->DropFollowUp(key);
  if (!dropped.ok()) view->follow_up_errors.push_back("follow-up " + key + ": " + dropped.message());
}

void CaseRunner::RunFollowUp(const store::FollowUpRow& row, std::vector<std::string>* errors) {
  CaseView scratch;
  Result<core::Input> input = DecodeInput(row.input);
  if (!input.ok()) {
    // A row this runtime cannot read would come back forever: dropped, said.
    scratch.follow_up_errors.push_back("follow-up " + row.key + " has a bad input: " +
                                       input.status().message());
    Drop(row.key, &scratch);
  } else {
    FollowUp work;
    work.kind = row.kind == "start_child" ? FollowUp::Kind::kStartChild : FollowUp::Kind::kSubmit;
    work.key = row.key;
    work.case_id = row.target;
    work.input = std::move(input).value();
    work.workflow = row.workflow;
    work.parent_id = row.case_id;
    Drain({std::move(work)}, &scratch);
  }
  if (errors != nullptr) {
    for (std::string& error : scratch.follow_up_errors) errors->push_back(std::move(error));
  }
}

Result<int> CaseRunner::RunPendingFollowUps(const std::string& node, int64_t created_before_ms,
                                            int64_t lease_ms, int limit,
                                            std::vector<std::string>* errors) {
  Result<std::vector<store::FollowUpRow>> rows =
      store_->ClaimFollowUps(node, created_before_ms, clock_->NowMs(), lease_ms, limit);
  if (!rows.ok()) return rows.status();
  for (const store::FollowUpRow& row : *rows) RunFollowUp(row, errors);
  return static_cast<int>(rows->size());
}

void CaseRunner::Drain(std::vector<FollowUp> queue, CaseView* view) {
  for (size_t i = 0; i < queue.size(); ++i) {
    if (i >= options_.max_follow_ups) {
      view->follow_up_errors.push_back("more than " + std::to_string(options_.max_follow_ups) +
                                       " follow-up inputs; do cases start each other without end?");
      return;
    }
    FollowUp work = queue[i];  // A copy: the calls below may grow the queue.
    if (work.kind == FollowUp::Kind::kStartChild) {
      Result<std::shared_ptr<const model::Workflow>> child = registry_->Newest(work.workflow);
      if (!child.ok()) {
        view->follow_up_errors.push_back("case " + work.parent_id + " starts a child case: " +
                                         child.status().message());
        continue;
      }
      work.input.actor_role = ChildStartRole(**child);
      // The child acts for the same parties as its parent.
      std::string parties;
      if (Result<store::CaseRow> parent = store_->GetCase(work.parent_id); parent.ok()) {
        parties = parent->parties;
      }
      Result<CaseView> created =
          CreateOne(*child, work.input, parties, work.parent_id, work.case_id, work.key, &queue);
      if (!created.ok()) {
        const StatusCode code = created.status().code();
        if (code == StatusCode::kConflict) {
          Drop(work.key, view);  // The child exists already: the start was carried out.
        } else if (code != StatusCode::kFailedPrecondition) {  // Not: carried out meanwhile.
          view->follow_up_errors.push_back("child case " + work.case_id + ": " +
                                           created.status().message());
        }
      } else if (created->rejection) {
        Drop(work.key, view);
        view->follow_up_errors.push_back("child case " + work.case_id + " refused its start: " +
                                         created->rejection->code + ": " +
                                         created->rejection->message);
      } else {
        for (std::string& error : created.value().follow_up_errors) {
          view->follow_up_errors.push_back(std::move(error));
        }
      }
      continue;
    }
    Result<CaseView> submitted = SubmitOne(work.case_id, work.input, std::nullopt, work.key, &queue);
    // A refusal is ignored (its row dropped): a parent need not wait for its
    // children, and a case that `send` reaches may have moved on.
    if (!submitted.ok()) {
      if (submitted.status().code() != StatusCode::kFailedPrecondition) {
        view->follow_up_errors.push_back("case " + work.case_id + ": " +
                                         submitted.status().message());
      }
    } else if (submitted->rejection) {
      Drop(work.key, view);
    } else {
      for (std::string& error : submitted.value().follow_up_errors) {
        view->follow_up_errors.push_back(std::move(error));
      }
    }
  }
}

}  // namespace zgtflow::runtime
