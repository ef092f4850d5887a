// ④ Replay: feeds a case's history through Step again. Equal results prove the
// stored state is a cache of the history (STYLE.md rule 6).
#pragma once

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

}  // namespace zgtflow::core
