// ④ CaseState equality and the state of a case that has not started yet.
#include "engine/core/case_state.h"

namespace zgtflow::core {

namespace {

bool SameTimer(const PendingTimer& a, const PendingTimer& b) {
  return a.id == b.id && a.state == b.state && a.timer == b.timer && a.due == b.due &&
         a.fired == b.fired && a.anchor == b.anchor;
}

bool SameCall(const PendingCall& a, const PendingCall& b) {
  return a.id == b.id && a.state == b.state && a.reply_event == b.reply_event &&
         a.failure_event == b.failure_event;
}

template <typename T, typename Eq>
bool SameRows(const std::vector<T>& a, const std::vector<T>& b, Eq eq) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!eq(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

bool operator==(const CaseState& a, const CaseState& b) {
  // Cheap scalar fields first: most unequal states differ in the revision.
  return a.revision == b.revision && a.workflow_version == b.workflow_version &&
         a.status == b.status && a.next_id == b.next_id &&
         a.children_started == b.children_started && a.active == b.active && a.data == b.data &&
         SameRows(a.timers, b.timers, SameTimer) && SameRows(a.calls, b.calls, SameCall);
}

CaseState NewCaseState(uint64_t workflow_version, size_t field_count) {
  CaseState state;
  state.workflow_version = workflow_version;
  state.data.resize(field_count);
  return state;
}

}  // namespace zgtflow::core
