// ⑦ WebhookAdapter: delivers an outbox row as an HTTP POST of its JSON payload,
// signed with HMAC-SHA256 so the receiver can check it came from us.
#pragma once

#include <cstdint>
#include <string>

#include "engine/runtime/adapter.h"

namespace zgtflow::adapters {

struct WebhookOptions {
  std::string url;         // "http://host[:port][/path]" or "https://…".
  std::string secret;      // HMAC key shared with the receiver.
  int64_t timeout_ms = 5000;  // Connection, write and read timeouts, each.
};

// Lower-case hex of HMAC-SHA256(key, data) (OpenSSL).
std::string HmacSha256Hex(const std::string& key, const std::string& data);

// Each Deliver is one request on its own connection (thread-safe):
//   POST <url>  Content-Type: application/json
//   X-Zgtflow-Signature: sha256=<HmacSha256Hex(secret, body)>
//   Idempotency-Key: <row.idempotency_key>
//   body = row.payload
// 2xx → ok, reply_json = the response body. 5xx, 408, 429, timeouts and
// connection errors → retryable. Any other status (4xx, 3xx: redirects are not
// followed) → not retryable. A malformed url → not retryable. Never throws.
class WebhookAdapter final : public runtime::Adapter {
 public:
  explicit WebhookAdapter(WebhookOptions options);
  runtime::DeliveryResult Deliver(const store::OutboxRow& row) override;

 private:
  WebhookOptions options_;
  std::string origin_;  // "http://host:port" from the url.
  std::string path_;    // "/…" from the url ("/" when none).
  std::string url_error_;  // Set when the url could not be read.
};

}  // namespace zgtflow::adapters
