// ⑦ LogAdapter: the development default channel. Writes one line per
// delivery to a stream and never fails.
#pragma once

#include <mutex>
#include <ostream>

#include "engine/runtime/adapter.h"

namespace zgtflow::adapters {

class LogAdapter final : public runtime::Adapter {
 public:
  // `out` is not owned and outlives the adapter.
  explicit LogAdapter(std::ostream* out) : out_(out) {}

  // Writes "outbox <adapter> key=<idempotency_key> case=<case_id> <payload>"
  // on one line (newlines in the payload written as "\n") and returns ok
  // with reply "{}". Thread-safe: lines never interleave.
  runtime::DeliveryResult Deliver(const store::OutboxRow& row) override;

 private:
  std::mutex mutex_;
  std::ostream* out_;
};

}  // namespace zgtflow::adapters
