// ③ A timer of a state: after a duration from entry, at an instant, or every
// period while the state is active. Leaving the state cancels it.
#pragma once

#include <vector>

#include "engine/calendar/duration.h"
#include "engine/model/action.h"
#include "engine/model/expr.h"

namespace zgtflow::model {

enum class TimerKind {
  kAfter,  // `duration` after the state's entry
  kAt,     // at the instant `at` evaluates to on entry
  kEvery,  // every `duration` from entry, while `until` (if any) is false
};

struct TimerDef {
  TimerKind kind = TimerKind::kAfter;
  SourcePos pos;
  calendar::Duration duration;
  bool has_at = false;
  Expr at;
  bool has_until = false;
  Expr until;
  int target = -1;  // -1: actions only, the state stays active.
  std::vector<ActionDef> actions;
};

}  // namespace zgtflow::model
