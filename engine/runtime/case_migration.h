// ⑥ Case migration: one stored case moved to another version of its
// workflow (core/migration.h) as ONE revision-checked CommitStep: the case
// row on the new version, a hash-chained history entry of kind kMigrate
// (from, to, the state map) that ReplayVersions understands, the old timer
// rows deleted and the new ones added. `zgtflow migrate` plans every case
// first and writes only when all can move.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"
#include "engine/core/effect.h"
#include "engine/core/migration.h"
#include "engine/core/rejection.h"
#include "engine/model/workflow.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

struct CaseMigration {
  std::string case_id;
  std::vector<std::string> from_states;    // Active states before (names).
  std::vector<std::string> to_states;      // After (empty when refused).
  std::vector<std::string> defaulted;      // Fields that took the migration's default.
  std::optional<core::Rejection> refusal;  // Set: the case cannot move as asked.
  std::vector<core::Effect> effects;       // Of the migration entry.
  store::StepCommit commit;                // What CommitCaseMigration writes.
};

// Plans the move of case `case_id` from `from` to `to` at `now_ms`, filling
// the fields it has no value for from `defaults` (core::Migrate); writes
// nothing. A Status error when the case cannot be read, is not a case of
// `from` (kFailedPrecondition) or its history and row disagree (kConflict:
// read again); a refusal (CaseMigration::refusal) when the map does not fit it.
Result<CaseMigration> PlanCaseMigration(store::Store& store, const model::Workflow& from,
                                        const model::Workflow& to, const std::string& case_id,
                                        const core::StateMap& map, const std::string& actor,
                                        int64_t now_ms, const calendar::Calendar* calendar,
                                        const model::Object& defaults = {});

// Writes a planned, not refused migration: one CommitStep, kConflict when the
// case changed since it was planned (plan again).
Status CommitCaseMigration(store::Store& store, const CaseMigration& migration);

}  // namespace zgtflow::runtime
