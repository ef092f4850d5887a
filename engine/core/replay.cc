// ④ Replay: the history re-run through Step from a new case. The stored
// state is only a cache of this (STYLE.md rule 6).
#include "engine/core/replay.h"

#include "engine/core/migration.h"
#include "engine/core/step.h"

namespace zgtflow::core {

namespace {

std::string DescribeEffect(const Effect& e) {
  std::string out = EffectKindName(e.kind);
  if (!e.state.empty()) out += " " + e.state;
  if (e.timer_id != 0) out += " timer " + std::to_string(e.timer_id);
  if (!e.role.empty()) out += " " + e.role;
  if (!e.text.empty()) out += " \"" + e.text + "\"";
  return out;
}

}  // namespace

Result<CaseState> Replay(const model::Workflow& workflow, const std::vector<HistoryEntry>& history,
                         const calendar::Calendar* calendar) {
  return ReplayVersions(workflow, nullptr, history, calendar);
}

Result<CaseState> ReplayVersions(const model::Workflow& first, const VersionLookup& lookup,
                                 const std::vector<HistoryEntry>& history,
                                 const calendar::Calendar* calendar,
                                 const model::Workflow** last) {
  const model::Workflow* current = &first;
  CaseState state = NewCaseState(first.version, first.fields.size());
  for (const HistoryEntry& entry : history) {
    const std::string where = "history entry " + std::to_string(entry.seq);
    const model::Workflow& workflow = *current;
    StepResult result;
    const model::Workflow* next_version = current;
    if (entry.input.kind == InputKind::kMigrate) {
      Result<MigrationSpec> spec = ReadMigration(entry.input);
      if (!spec.ok()) {
        return Status(StatusCode::kFailedPrecondition, where + ": " + spec.status().message());
      }
      next_version = lookup ? lookup(spec->to) : nullptr;
      if (next_version == nullptr) {
        return Status(StatusCode::kFailedPrecondition,
                      where + ": migrates to version " + spec->to + ", which is not available");
      }
      if (spec->from != workflow.VersionHex()) {
        return Status(StatusCode::kFailedPrecondition,
                      where + ": migrates from version " + spec->from + " but the case is on " +
                          workflow.VersionHex());
      }
      result = Migrate(workflow, *next_version, state, spec->map, StepClock{entry.at, calendar},
                       spec->defaults);
    } else {
      result = Step(workflow, state, entry.input, StepClock{entry.at, calendar});
    }
    if (result.rejection) {
      return Status(StatusCode::kFailedPrecondition, where + ": input rejected on replay: " +
                                                         result.rejection->code + ": " +
                                                         result.rejection->message);
    }
    const auto& recorded = entry.effects;
    const auto& replayed = result.effects;
    const size_t common = std::min(recorded.size(), replayed.size());
    for (size_t i = 0; i < common; ++i) {
      if (recorded[i] != replayed[i]) {
        return Status(StatusCode::kFailedPrecondition,
                      where + ": effect " + std::to_string(i + 1) + " differs: recorded " +
                          DescribeEffect(recorded[i]) + ", replayed " + DescribeEffect(replayed[i]));
      }
    }
    if (recorded.size() != replayed.size()) {
      return Status(StatusCode::kFailedPrecondition,
                    where + ": " + std::to_string(recorded.size()) + " effects recorded, " +
                        std::to_string(replayed.size()) + " replayed");
    }
    if (entry.seq != result.next.revision) {
      return Status(StatusCode::kFailedPrecondition,
                    where + ": out of sequence (expected seq " +
                        std::to_string(result.next.revision) + ")");
    }
    state = std::move(result.next);
    current = next_version;
  }
  if (last != nullptr) *last = current;
  return state;
}

}  // namespace zgtflow::core
