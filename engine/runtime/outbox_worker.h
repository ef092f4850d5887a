// ⑦ OutboxWorker: delivers the outbox rows that steps committed, at least once.
// Claims due rows from the Store with a lease (several nodes share the work; a
// dead node's claims are taken over when the lease runs out), hands each to
// its adapter(s), and marks it delivered, or failed with exponential backoff
// and jitter, or dead after max_attempts. A `call` row's reply, or its final
// failure, goes back into its case as kAdapterReply / kAdapterFailed.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "engine/base/status.h"
#include "engine/runtime/adapter.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/polling_loop.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

struct OutboxOptions {
  int max_attempts = 8;               // The attempt that fails as number max_attempts makes the row dead.
  int64_t base_backoff_ms = 1000;     // Wait after the first failed attempt.
  int64_t max_backoff_ms = 3600000;   // Cap of the doubling wait (before jitter).
  double jitter_fraction = 0.25;      // Wait = backoff × (1 + jitter_fraction × jitter()).
  // Returns a number in [0, 1); called once per failed attempt, possibly from
  // several threads. Empty = a thread-safe pseudo-random source. Tests fix it.
  std::function<double()> jitter;
};

class OutboxWorker {
 public:
  // None owned; all outlive the worker. `node` names this process in claims;
  // `lease_ms` bounds how long a claim keeps other nodes off a row, so it
  // must exceed the longest delivery (adapter timeouts).
  OutboxWorker(store::Store* store, CaseRunner* runner, AdapterRegistry* adapters, Clock* clock,
               std::string node, int64_t lease_ms, OutboxOptions options = {});
  ~OutboxWorker();  // Stops the loop if Start() ran.

  // Claims up to `limit` rows due at the clock's now, in (next_attempt_at, id)
  // order, and makes one attempt at each:
  // - Routed by AdapterRegistry::Route. No adapter (unknown name, no notify
  //   route) or a malformed row → dead at once with that error.
  // - A notify row routed to several channels is delivered when every
  //   channel took it; when one fails, the whole row is retried later (the
  //   channels that took it see it again, with the same idempotency key).
  // - ok → MarkDelivered. For a `call` row, first Submit(case,
  //   kAdapterReply{call_id, payload = reply}) where the reply is the JSON
  //   object returned ("" = {}; any other JSON value v = {"reply": v}); a
  //   refusal of that input (e.g. the call was answered already) is dropped.
  // - retryable failure with attempts left → MarkFailed with the next
  //   attempt at now + min(max_backoff, base × 2^(attempts−1)) × (1 +
  //   jitter_fraction × jitter()), attempts counting this one.
  // - non-retryable, or the max_attempts-th failure → MarkFailed dead; for a
  //   `call` row, Submit(case, kAdapterFailed{call_id, payload {"error": e}}).
  // - When the reply or failure cannot be submitted for a reason other than a
  //   refusal (store outage, …), the row is left claimed: its lease lapses
  //   and it is delivered again (at least once), unless the case is gone
  //   (kNotFound), which makes it dead.
  // Returns how many rows were delivered; the first store failure otherwise
  // (rows before it stay handled). Each attempt is visible in the row
  // (attempts, last_error) through Store::GetOutbox, and each channel's
  // attempt in Store::ListDeliveryAttempts: outcome "delivered", "retry"
  // (failed, tried again later) or "dead" (channel "" when no route).
  Result<int> RunOnce(int limit);

  // Optional background loop (as TimerWorker's): RunOnce(limit) every
  // `period_ms` of wall time, at once again while a batch came back full,
  // until Stop(). Tests call RunOnce directly.
  void Start(int64_t period_ms, int limit = 100);
  void Stop();

  // Counters (metrics and tests).
  int64_t delivered() const { return delivered_.load(); }
  int64_t retried() const { return retried_.load(); }
  int64_t dead() const { return dead_.load(); }
  // Attempts the store could not record (Store::AddDeliveryAttempt failed).
  int64_t attempts_unrecorded() const { return attempts_unrecorded_.load(); }

 private:
  // Sends a call row's reply or failure back into its case. Ok when the
  // input was applied or refused; the Submit error otherwise.
  Status ReturnToCase(const store::OutboxRow& row, bool failed, const std::string& body);
  Status MarkDead(const store::OutboxRow& row, const std::string& error, bool is_call);
  // Store::AddDeliveryAttempt for attempt row.attempts + 1 on `channel`.
  void RecordAttempt(const store::OutboxRow& row, const std::string& channel, const char* outcome,
                     const std::string& error, int64_t at_ms);
  int64_t Backoff(int attempts);

  store::Store* store_;
  CaseRunner* runner_;
  AdapterRegistry* adapters_;
  Clock* clock_;
  std::string node_;
  int64_t lease_ms_;
  OutboxOptions options_;
  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> retried_{0};
  std::atomic<int64_t> dead_{0};
  std::atomic<int64_t> attempts_unrecorded_{0};

  PollingLoop loop_;  // Last member: stopped before the others go.
};

}  // namespace zgtflow::runtime
