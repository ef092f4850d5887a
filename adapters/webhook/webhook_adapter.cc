// ⑦ WebhookAdapter (see webhook_adapter.h).
#include "adapters/webhook/webhook_adapter.h"

#include <exception>
#include <utility>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace zgtflow::adapters {

std::string HmacSha256Hex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // One-shot HMAC(): not deprecated in OpenSSL 3 (unlike HMAC_CTX).
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
           &length) == nullptr) {
    return "";
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

WebhookAdapter::WebhookAdapter(WebhookOptions options) : options_(std::move(options)) {
  // Split "scheme://host:port/path" once: httplib's Client takes the origin,
  // Post takes the path.
  const std::string& url = options_.url;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.compare(0, scheme_end, "http") != 0 && url.compare(0, scheme_end, "https") != 0)) {
    url_error_ = "webhook url '" + url + "' is not http:// or https://";
    return;
  }
  size_t path_start = url.find('/', scheme_end + 3);
  origin_ = url.substr(0, path_start);
  path_ = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (origin_.size() == scheme_end + 3) url_error_ = "webhook url '" + url + "' has no host";
}

runtime::DeliveryResult WebhookAdapter::Deliver(const store::OutboxRow& row) {
  using runtime::DeliveryResult;
  if (!url_error_.empty()) return DeliveryResult::Fail(url_error_);
  try {
    httplib::Client client(origin_);
    if (!client.is_valid()) return DeliveryResult::Fail("webhook url '" + options_.url + "' is not valid");
    const time_t sec = static_cast<time_t>(options_.timeout_ms / 1000);
    const time_t usec = static_cast<time_t>((options_.timeout_ms % 1000) * 1000);
    client.set_connection_timeout(sec, usec);
    client.set_read_timeout(sec, usec);
    client.set_write_timeout(sec, usec);
    client.set_keep_alive(false);
    httplib::Headers headers = {
        {"X-Zgtflow-Signature", "sha256=" + HmacSha256Hex(options_.secret, row.payload)},
        {"Idempotency-Key", row.idempotency_key},
    };
    httplib::Result res = client.Post(path_.c_str(), headers, row.payload, "application/json");
    if (!res) {
      return DeliveryResult::Retry("webhook " + options_.url + ": " + httplib::to_string(res.error()));
    }
    const int status = res->status;
    if (status >= 200 && status < 300) return DeliveryResult::Ok(res->body);
    std::string error = "webhook " + options_.url + " answered " + std::to_string(status);
    if (!res->body.empty()) error += ": " + res->body.substr(0, 200);
    if (status >= 500 || status == 408 || status == 429) return DeliveryResult::Retry(error);
    return DeliveryResult::Fail(error);
  } catch (const std::exception& e) {
    // httplib throws on some malformed origins; a bad url is not worth retrying.
    return DeliveryResult::Fail("webhook " + options_.url + ": " + e.what());
  } catch (...) {
    return DeliveryResult::Fail("webhook " + options_.url + ": unexpected error");
  }
}

}  // namespace zgtflow::adapters
