// ③ What a transition, timer, entry or exit block does: data only; core::Step
// turns actions into state changes and effects.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/model/expr.h"

namespace zgtflow::model {

enum class ActionKind {
  kSet,     // set `field` = `value`
  kNotify,  // notify `role` with `text` ("{field}" placeholders filled at the step)
  kCall,    // call `adapter`.`operation`(`arguments`); reply/failure become events
  kStart,   // start a child case of workflow `workflow` with `with`
  kRecord,  // record evidence `text` in the history
  kEmit,    // raise `event` inside the case, handled after the current step
  kSend,    // deliver `event` to the cases of `workflow` whose field `match_field`
            // equals this case's (message correlation, as Camunda's correlation key)
};

struct ActionDef {
  ActionKind kind = ActionKind::kSet;
  SourcePos pos;
  int field = -1;                 // kSet.
  Expr value;                     // kSet.
  std::string role;               // kNotify.
  std::string text;               // kNotify template, kRecord text.
  std::string adapter;            // kCall.
  std::string operation;          // kCall.
  std::vector<Expr> arguments;    // kCall.
  std::string reply_event;        // kCall; "" when not mapped.
  std::string failure_event;      // kCall; "" when not mapped.
  std::string workflow;           // kStart, kSend.
  std::vector<std::pair<std::string, Expr>> with;  // kStart: child field ← value; kSend: payload.
  std::string event;              // kEmit, kSend.
  int match_field = -1;           // kSend: this workflow's field index of the correlation field.
};

}  // namespace zgtflow::model
