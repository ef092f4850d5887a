// ④ Effects: what a step asks the runtime to do after it commits. Data only;
// core never performs them (xstate actions, temporal tasks).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/calendar/instant.h"
#include "engine/model/value.h"

namespace zgtflow::core {

enum class EffectKind {
  kScheduleTimer,  // Durable timer `timer_id` due at `due`.
  kCancelTimer,    // Timer `timer_id` is no longer wanted.
  kNotify,         // Tell role `role` the message `text`.
  kCallAdapter,    // Call `adapter`.`operation`(`arguments`) as call `call_id`.
  kStartChild,     // Start a case of `workflow` with `data`, child number `child_index`.
  kRecord,         // Evidence `text` kept in the history.
  kEnterState,     // State `state` was entered (history and diagrams).
  kExitState,      // State `state` was left.
  kCompleted,      // The case reached a top-level final state.
  kSendToCases,    // Deliver event `text` as role `role` with `data` to every case of
                   // `workflow` whose field `match_field` equals `match_value`.
};

struct Effect {
  EffectKind kind = EffectKind::kRecord;
  uint32_t timer_id = 0;
  calendar::Instant due;
  std::string role;
  std::string text;
  std::string state;              // kEnterState, kExitState: state name.
  std::string adapter, operation;
  std::vector<model::Value> arguments;
  uint32_t call_id = 0;
  std::string workflow;           // kStartChild.
  std::vector<std::pair<std::string, model::Value>> data;  // kStartChild.
  uint32_t child_index = 0;       // kStartChild.
  std::string match_field;        // kSendToCases.
  model::Value match_value;       // kSendToCases.
};

// Field-by-field equality (Replay compares recomputed effects with recorded ones).
bool operator==(const Effect& a, const Effect& b);
inline bool operator!=(const Effect& a, const Effect& b) { return !(a == b); }

// "schedule-timer", "notify", … : the kind's stable lower-case name.
const char* EffectKindName(EffectKind kind);

}  // namespace zgtflow::core
