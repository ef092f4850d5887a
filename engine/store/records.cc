// ⑤ The status columns' text, shared by the SQLite and PostgreSQL backends.
#include "engine/store/records.h"

namespace zgtflow::store {

const char* CaseStatusText(CaseStatus status) {
  return status == CaseStatus::kCompleted ? "completed" : "running";
}

CaseStatus CaseStatusOf(const std::string& text) {
  return text == "completed" ? CaseStatus::kCompleted : CaseStatus::kRunning;
}

const char* OutboxStatusText(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::kDelivered: return "delivered";
    case OutboxStatus::kDead: return "dead";
    case OutboxStatus::kPending: break;
  }
  return "pending";
}

OutboxStatus OutboxStatusOf(const std::string& text) {
  if (text == "delivered") return OutboxStatus::kDelivered;
  if (text == "dead") return OutboxStatus::kDead;
  return OutboxStatus::kPending;
}

}  // namespace zgtflow::store
