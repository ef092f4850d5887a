// ⑦ Delivery attempts as JSON (see delivery_log.h).
#include "engine/runtime/delivery_log.h"

#include <vector>

#include "engine/calendar/instant.h"

namespace zgtflow::runtime {

using nlohmann::json;

json DeliveryAttemptJson(const store::DeliveryAttemptRow& row) {
  return json{{"outbox_id", row.outbox_id},
              {"attempt", row.attempt},
              {"channel", row.channel},
              {"outcome", row.outcome},
              {"error", row.error},
              {"at", calendar::FormatInstant(calendar::Instant{row.at_ms})},
              {"at_ms", row.at_ms}};
}

Result<json> DeliveryAttemptsJson(store::Store& store, const std::string& case_id) {
  Result<std::vector<store::DeliveryAttemptRow>> rows = store.ListDeliveryAttempts(case_id);
  if (!rows.ok()) return rows.status();
  json attempts = json::array();
  for (const store::DeliveryAttemptRow& row : *rows) attempts.push_back(DeliveryAttemptJson(row));
  return attempts;
}

}  // namespace zgtflow::runtime
