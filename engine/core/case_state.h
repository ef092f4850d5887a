// ④ CaseState: everything that is true of one case between two steps: the
// active state configuration, the data, pending timers and calls, revision.
// A plain value: Step copies it, changes the copy and returns it.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/calendar/instant.h"
#include "engine/model/value.h"

namespace zgtflow::core {

enum class CaseStatus : uint8_t {
  kNew,        // Not started yet: the only status a kStart input accepts.
  kRunning,    // Started, not finished.
  kCompleted,  // A top-level final state is active; every input is refused.
};

// A timer scheduled by a state's entry, due at `due`.
struct PendingTimer {
  uint32_t id = 0;        // Unique within the case (from next_id).
  uint16_t state = 0;     // State index whose timer this is.
  uint16_t timer = 0;     // Index in that state's `timers`.
  calendar::Instant due;
  uint32_t fired = 0;     // Firings so far (`every` timers).
  calendar::Instant anchor;  // Entry instant, to compute `every` periods from.
};

// An adapter call in flight, waiting for its reply or failure.
struct PendingCall {
  uint32_t id = 0;
  uint16_t state = 0;           // The state that made the call (the reply is for it).
  std::string reply_event;
  std::string failure_event;
};

struct CaseState {
  uint64_t workflow_version = 0;
  CaseStatus status = CaseStatus::kNew;
  std::vector<uint16_t> active;        // Active states, sorted by index (ancestors included, root excluded).
  std::vector<model::Value> data;      // One per Workflow::fields entry.
  std::vector<PendingTimer> timers;    // Sorted by (due, id).
  std::vector<PendingCall> calls;
  int64_t revision = 0;                // Steps applied; the store checks it.
  uint32_t next_id = 1;                // Source of timer and call ids.
  uint32_t children_started = 0;       // Child cases started so far (ids derive from it).

  friend bool operator==(const CaseState& a, const CaseState& b);
  friend bool operator!=(const CaseState& a, const CaseState& b) { return !(a == b); }
};

// A fresh case of the workflow with the given version and `field_count` fields.
CaseState NewCaseState(uint64_t workflow_version, size_t field_count);

}  // namespace zgtflow::core
