// ⑦ The delivery attempts of a case (OutboxWorker → Store::AddDeliveryAttempt)
// as JSON, for where the case's history is read (GET /api/cases/{id}/history,
// pages): each attempt to hand a notification or call to a channel.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/base/status.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

// One attempt: {"outbox_id","attempt","channel","outcome","error","at","at_ms"}
// (outcome "delivered" | "retry" | "dead"; "at" ISO 8601 in +08:00).
nlohmann::json DeliveryAttemptJson(const store::DeliveryAttemptRow& row);

// Every attempt of `case_id` in the order they were made (an empty array for
// a case with none, or an unknown case); the store's error otherwise.
Result<nlohmann::json> DeliveryAttemptsJson(store::Store& store, const std::string& case_id);

}  // namespace zgtflow::runtime
