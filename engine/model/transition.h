// ③ A transition: on an event (or eventless), with roles, guard, required
// fields, target and actions.
#pragma once

#include <string>
#include <vector>

#include "engine/model/action.h"
#include "engine/model/expr.h"

namespace zgtflow::model {

enum class TransitionKind {
  kEvent,       // on EVENT
  kAlways,      // always: eventless, taken as soon as its guard holds
  kChoiceIf,    // a choice state's `if` branch (eventless, in order)
  kChoiceElse,  // a choice state's `else` branch
};

struct TransitionDef {
  TransitionKind kind = TransitionKind::kEvent;
  SourcePos pos;
  std::string event;               // kEvent.
  std::vector<std::string> roles;  // Who may send it; empty = anyone.
  bool has_guard = false;
  Expr guard;
  std::vector<int> required_fields;  // Field indices that must hold a value after the payload.
  int target = -1;                   // State index; -1 = internal (no exit, no entry).
  std::vector<ActionDef> actions;
};

}  // namespace zgtflow::model
