// ④ HistoryEntry: one applied input with its instant and effects. The history
// of a case is the source of truth: Replay rebuilds the state from it.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/calendar/instant.h"
#include "engine/core/effect.h"
#include "engine/core/input.h"

namespace zgtflow::core {

struct HistoryEntry {
  int64_t seq = 0;              // 1, 2, … within the case (= revision after it).
  Input input;
  calendar::Instant at;         // StepClock::now of the step.
  std::vector<Effect> effects;
};

}  // namespace zgtflow::core
