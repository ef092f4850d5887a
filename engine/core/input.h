// ④ Input: one thing that happens to a case — its start, an external event,
// a timer firing, an adapter's reply or failure, a child case finishing.
#pragma once

#include <cstdint>
#include <string>

#include "engine/model/value.h"

namespace zgtflow::core {

enum class InputKind {
  kStart,          // The case's first action: `event` may name a start event ("" = the only one).
  kEvent,          // An external event `event` sent by `actor_role` with `payload`.
  kTimerFired,     // Pending timer `timer_id` fell due.
  kAdapterReply,   // Call `call_id` answered with `payload`.
  kAdapterFailed,  // Call `call_id` failed for good; `payload` may hold {"error": text}.
  kChildDone,      // Child case `child_id` of workflow `event` reached a final state.
  kMigrate,        // The case moved to another version of workflow `event` (core/migration.h:
                   // payload {from, to, map}); Step refuses it, Migrate and ReplayVersions apply it.
};

struct Input {
  InputKind kind = InputKind::kEvent;
  std::string event;
  std::string actor_role;  // "" for inputs from the system (timers, adapters).
  std::string actor_party; // The named party acting, when known (audit only).
  model::Object payload;   // Untyped JSON-like data; Step types it by field.
  model::Object facts;     // Answers to the workflow's case queries (CaseQuery::Key() → bool).
  uint32_t timer_id = 0;   // kTimerFired.
  uint32_t call_id = 0;    // kAdapterReply, kAdapterFailed.
  std::string child_id;    // kChildDone.

  static Input Start(std::string actor_role, model::Object payload = {}, std::string event = "") {
    Input i; i.kind = InputKind::kStart; i.actor_role = std::move(actor_role);
    i.payload = std::move(payload); i.event = std::move(event); return i;
  }
  static Input Event(std::string event, std::string actor_role, model::Object payload = {}) {
    Input i; i.kind = InputKind::kEvent; i.event = std::move(event);
    i.actor_role = std::move(actor_role); i.payload = std::move(payload); return i;
  }
  static Input TimerFired(uint32_t timer_id) {
    Input i; i.kind = InputKind::kTimerFired; i.timer_id = timer_id; return i;
  }
};

}  // namespace zgtflow::core
