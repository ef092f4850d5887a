// ⑦ Adapter: how an outbox row reaches an external system (a log, a webhook,
// a government messaging platform), and AdapterRegistry: which adapter gets
// which row, including the routing of `notify ROLE` rows to channels.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/store/records.h"

namespace zgtflow::runtime {

// What one delivery attempt came to.
struct DeliveryResult {
  bool ok = false;         // Delivered; the row is done.
  bool retryable = false;  // When !ok: worth another attempt later (timeouts, 5xx, outages).
  std::string error;       // When !ok: why, for the outbox row's last_error.
  // When ok: the system's answer as JSON text ("" = none). For a `call` row
  // it becomes the payload of the kAdapterReply input sent back to the case.
  std::string reply_json;

  static DeliveryResult Ok(std::string reply_json = "") {
    DeliveryResult r; r.ok = true; r.reply_json = std::move(reply_json); return r;
  }
  static DeliveryResult Retry(std::string error) {
    DeliveryResult r; r.retryable = true; r.error = std::move(error); return r;
  }
  static DeliveryResult Fail(std::string error) {
    DeliveryResult r; r.error = std::move(error); return r;
  }
};

// Contract for every adapter:
// - Deliver(row) makes ONE attempt to hand `row.payload` (JSON text, see
//   CaseRunner for its shape) to the external system and says how it went.
//   Delivery is at least once: the same row (same idempotency_key) may be
//   delivered again after a crash, a lost answer or a retry, so an adapter
//   passes row.idempotency_key on to systems that can deduplicate.
// - It never throws and never crashes on any payload; every failure is a
//   DeliveryResult with ok = false (retryable or not).
// - It bounds its own time (timeouts); the worker does not interrupt it.
// - Thread-safe: Deliver may be called from several threads (several workers)
//   at once.
class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual DeliveryResult Deliver(const store::OutboxRow& row) = 0;
};

// Notify routing: role → the adapter names a `notify ROLE` row goes to, read
// from a small JSON file (adapters/notify_routes.example.json):
//
//   {
//     "management_unit": ["log", "webhook"],
//     "supervisor":      ["webhook"],
//     "*":               ["log"]
//   }
//
// A role not listed uses "*"; without "*" a notify for an unlisted role has no
// channel and goes dead (the error names the role). An empty list is allowed
// and means "deliver nowhere" (the row is marked delivered).
struct NotifyRouting {
  std::map<std::string, std::vector<std::string>> routes;
};
// kInvalidArgument (naming the key) when `json_text` is not an object of
// arrays of non-empty strings.
Result<NotifyRouting> ParseNotifyRouting(const std::string& json_text);

// Adapters by name (the `ADAPTER` of `call ADAPTER.op(…)`, or channel names
// of the notify routing). Not owned. Register before workers run; after that
// the registry is only read (Register itself is also safe to call any time).
class AdapterRegistry {
 public:
  // The name of the rows CaseRunner writes for `notify ROLE`.
  static constexpr const char* kNotify = "notify";

  // Adds or replaces `name` (must not be "notify"; returns false then).
  bool Register(const std::string& name, Adapter* adapter);
  // nullptr when there is no such adapter.
  Adapter* Find(const std::string& name) const;
  void SetNotifyRouting(NotifyRouting routing);

  // The adapters `row` goes to: for row.adapter == "notify", the channels of
  // the payload's role by the routing; otherwise the adapter of that name.
  // kNotFound with a clear message for an unknown adapter or channel, or a
  // role with no route; kInvalidArgument for a notify payload with no role.
  Result<std::vector<Adapter*>> Route(const store::OutboxRow& row) const;
  // As Route, with each adapter's name (the channel, for delivery attempts).
  struct Channel {
    std::string name;
    Adapter* adapter = nullptr;
  };
  Result<std::vector<Channel>> RouteChannels(const store::OutboxRow& row) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Adapter*> adapters_;
  NotifyRouting routing_;
};

}  // namespace zgtflow::runtime
