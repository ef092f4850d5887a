// ④ Effect equality: Replay compares re-computed effects with recorded ones.
#include "engine/core/effect.h"

namespace zgtflow::core {

bool operator==(const Effect& a, const Effect& b) {
  return a.kind == b.kind && a.timer_id == b.timer_id && a.due == b.due && a.role == b.role &&
         a.text == b.text && a.state == b.state && a.adapter == b.adapter &&
         a.operation == b.operation && a.arguments == b.arguments && a.call_id == b.call_id &&
         a.workflow == b.workflow && a.data == b.data && a.child_index == b.child_index &&
         a.match_field == b.match_field && a.match_value == b.match_value;
}

const char* EffectKindName(EffectKind kind) {
  switch (kind) {
    case EffectKind::kScheduleTimer: return "schedule-timer";
    case EffectKind::kCancelTimer: return "cancel-timer";
    case EffectKind::kNotify: return "notify";
    case EffectKind::kCallAdapter: return "call-adapter";
    case EffectKind::kStartChild: return "start-child";
    case EffectKind::kRecord: return "record";
    case EffectKind::kEnterState: return "enter-state";
    case EffectKind::kExitState: return "exit-state";
    case EffectKind::kCompleted: return "completed";
    case EffectKind::kSendToCases: return "send-to-cases";
  }
  return "unknown";
}

}  // namespace zgtflow::core
