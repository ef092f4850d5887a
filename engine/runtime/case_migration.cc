// ⑥ Case migration (see case_migration.h).
#include "engine/runtime/case_migration.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "engine/runtime/audit_chain.h"
#include "engine/runtime/json_codec.h"

namespace zgtflow::runtime {

using nlohmann::json;

namespace {

std::vector<std::string> Names(const model::Workflow& workflow, const core::CaseState& state) {
  std::vector<std::string> names;
  for (uint16_t index : state.active) names.push_back(workflow.states[index].name);
  return names;
}

}  // namespace

Result<CaseMigration> PlanCaseMigration(store::Store& store, const model::Workflow& from,
                                        const model::Workflow& to, const std::string& case_id,
                                        const core::StateMap& map, const std::string& actor,
                                        int64_t now_ms, const calendar::Calendar* calendar,
                                        const model::Object& defaults) {
  Result<store::CaseRow> row = store.GetCase(case_id);
  if (!row.ok()) return row.status();
  if (row->workflow != from.id || row->version != from.VersionHex()) {
    return Status(StatusCode::kFailedPrecondition,
                  "case " + case_id + " is on " + row->workflow + "@" + row->version + ", not " +
                      from.id + "@" + from.VersionHex());
  }
  Result<core::CaseState> state = DecodeCaseState(row->snapshot);
  if (!state.ok()) {
    return Status::Internal("case " + case_id + ": stored snapshot: " + state.status().message());
  }
  Result<std::vector<store::HistoryRow>> history = store.GetHistory(case_id);
  if (!history.ok()) return history.status();
  if (static_cast<int64_t>(history->size()) != row->revision ||
      state->revision != row->revision) {
    return Status(StatusCode::kConflict, "case " + case_id + " changed while it was read");
  }

  CaseMigration out;
  out.case_id = case_id;
  out.from_states = Names(from, *state);
  const core::Input input = core::MigrationInput(from, to, map, actor, defaults);
  core::StepResult result = core::Migrate(
      from, to, *state, map, core::StepClock{calendar::Instant{now_ms}, calendar}, defaults);
  if (result.rejection) {
    out.refusal = std::move(result.rejection);
    return out;
  }
  const core::CaseState& next = result.next;
  out.to_states = Names(to, next);
  for (size_t i = 0; i < to.fields.size(); ++i) {
    const std::string& name = to.fields[i].name;
    const int old_index = from.FindField(name);
    const bool had_value = old_index >= 0 && static_cast<size_t>(old_index) < state->data.size() &&
                           !state->data[old_index].is_null();
    if (defaults.count(name) && !had_value && !next.data[i].is_null()) {
      out.defaulted.push_back(name);
    }
  }
  out.effects = result.effects;

  store::StepCommit& commit = out.commit;
  commit.expected_revision = row->revision;
  store::CaseRow& updated = commit.case_row;
  updated = *row;
  updated.version = to.VersionHex();
  updated.state = json(out.to_states).dump();
  updated.snapshot = EncodeCaseState(next);
  std::vector<std::string> names;
  for (const model::FieldDef& field : to.fields) names.push_back(field.name);
  updated.data = EncodeCaseData(names, next.data);
  updated.revision = next.revision;
  updated.updated_at_ms = now_ms;
  updated.next_due_ms.reset();
  if (!next.timers.empty()) updated.next_due_ms = next.timers.front().due.epoch_ms;

  store::HistoryRow& entry = commit.history;
  entry.case_id = case_id;
  entry.seq = next.revision;
  entry.input = EncodeInput(input);
  entry.actor = actor;
  entry.effects = EncodeEffects(result.effects);
  entry.at_ms = now_ms;
  Status chained = ChainHistoryRow(history->empty() ? "" : history->back().hash, &entry);
  if (!chained.ok()) return chained;

  for (const core::PendingTimer& timer : state->timers) commit.cancel_timers.push_back(timer.id);
  for (const core::PendingTimer& timer : next.timers) {
    store::TimerRow added;
    added.case_id = case_id;
    added.timer_id = timer.id;
    added.due_at_ms = timer.due.epoch_ms;
    added.state = to.states[timer.state].name;
    commit.add_timers.push_back(std::move(added));
  }
  return out;
}

Status CommitCaseMigration(store::Store& store, const CaseMigration& migration) {
  if (migration.refusal) {
    return Status(StatusCode::kFailedPrecondition,
                  "case " + migration.case_id + " cannot move: " + migration.refusal->message);
  }
  return store.CommitStep(migration.commit);
}

}  // namespace zgtflow::runtime
