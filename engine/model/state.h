// ③ A state of the statechart: atomic, compound, parallel, choice or final.
#pragma once

#include <string>
#include <vector>

#include "engine/model/action.h"
#include "engine/model/timer.h"
#include "engine/model/transition.h"

namespace zgtflow::model {

enum class StateKind {
  kAtomic,    // A leaf.
  kCompound,  // Has children; exactly one is active; enters `initial_child`.
  kParallel,  // Has children (regions); all are active; done when all are final.
  kChoice,    // Left at once by its first branch whose guard holds.
  kFinal,     // Done: the case, or the enclosing region, has finished.
};

struct StateDef {
  std::string name;           // Unique in the workflow; the root is "".
  std::string label;          // Chinese label, or the name when none.
  StateKind kind = StateKind::kAtomic;
  SourcePos pos;
  int parent = -1;            // -1 only for the root (index 0).
  int depth = 0;              // Root 0, top-level states 1, …
  std::vector<int> children;  // In document order.
  int initial_child = -1;     // kCompound: the child entered by default.
  std::vector<ActionDef> entry;
  std::vector<ActionDef> exit;
  std::vector<TransitionDef> transitions;  // Document order (priority).
  std::vector<TimerDef> timers;
};

}  // namespace zgtflow::model
