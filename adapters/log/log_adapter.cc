// ⑦ LogAdapter (see log_adapter.h).
#include "adapters/log/log_adapter.h"

#include <string>

namespace zgtflow::adapters {

runtime::DeliveryResult LogAdapter::Deliver(const store::OutboxRow& row) {
  // One record per line, so a log reader can split on newlines.
  std::string payload;
  payload.reserve(row.payload.size());
  for (char c : row.payload) {
    if (c == '\n') {
      payload += "\\n";
    } else if (c == '\r') {
      payload += "\\r";
    } else {
      payload += c;
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  *out_ << "outbox " << row.adapter << " key=" << row.idempotency_key << " case=" << row.case_id
        << " " << payload << "\n";
  out_->flush();
  return runtime::DeliveryResult::Ok("{}");
}

}  // namespace zgtflow::adapters
