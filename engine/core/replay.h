// ④ Replay: feeds a case's history through Step again. Equal results prove the
// stored state is a cache of the history (STYLE.md rule 6).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"
#include "engine/core/case_state.h"
#include "engine/core/history.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

// The state after applying every entry in order from a new case. Fails with a
// message naming the first entry whose input was rejected or whose effects
// differ from the recorded ones.
Result<CaseState> Replay(const model::Workflow& workflow, const std::vector<HistoryEntry>& history,
                         const calendar::Calendar* calendar);

// The workflow of a version (16 hex digits), or null when it is not known.
using VersionLookup = std::function<const model::Workflow*(const std::string& version_hex)>;

// Replay across versions: starts on `first` (the version the case began on)
// and, at each migration entry (InputKind::kMigrate), applies core::Migrate
// to the version it names (found through `lookup`) and goes on with that
// version; its effects are compared like a step's. `*last` (when not null)
// receives the version the case ends on. Replay() refuses migration entries.
Result<CaseState> ReplayVersions(const model::Workflow& first, const VersionLookup& lookup,
                                 const std::vector<HistoryEntry>& history,
                                 const calendar::Calendar* calendar,
                                 const model::Workflow** last = nullptr);

}  // namespace zgtflow::core
