// ⑦ OutboxWorker (see outbox_worker.h).
#include "engine/runtime/outbox_worker.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <random>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/runtime/json_codec.h"

namespace zgtflow::runtime {

using nlohmann::json;

namespace {

constexpr const char* kDelivered = "delivered";
constexpr const char* kRetry = "retry";
constexpr const char* kDead = "dead";

double DefaultJitter() {
  // One generator per thread: no lock, and workers on several threads do not
  // draw the same sequence.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

// An adapter breaking its no-throw contract must not take the worker down;
// the attempt counts as a retryable failure.
DeliveryResult SafeDeliver(Adapter* adapter, const store::OutboxRow& row) {
  try {
    return adapter->Deliver(row);
  } catch (const std::exception& e) {
    return DeliveryResult::Retry(std::string("adapter threw: ") + e.what());
  } catch (...) {
    return DeliveryResult::Retry("adapter threw");
  }
}

}  // namespace

OutboxWorker::OutboxWorker(store::Store* store, CaseRunner* runner, AdapterRegistry* adapters,
                           Clock* clock, std::string node, int64_t lease_ms,
                           OutboxOptions options)
    : store_(store),
      runner_(runner),
      adapters_(adapters),
      clock_(clock),
      node_(std::move(node)),
      lease_ms_(lease_ms),
      options_(std::move(options)) {
  if (!options_.jitter) options_.jitter = DefaultJitter;
  options_.max_attempts = std::max(1, options_.max_attempts);
}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start(int64_t period_ms, int limit) {
  loop_.Start(period_ms, limit, [this](int batch) { return RunOnce(batch); });
}

void OutboxWorker::Stop() { loop_.Stop(); }

int64_t OutboxWorker::Backoff(int attempts) {
  // Doubling stops at the cap before it can overflow.
  int64_t backoff = std::max<int64_t>(0, options_.base_backoff_ms);
  for (int i = 1; i < attempts && backoff < options_.max_backoff_ms; ++i) backoff *= 2;
  backoff = std::min(backoff, options_.max_backoff_ms);
  double j = options_.jitter();
  if (!(j >= 0.0)) j = 0.0;  // NaN or negative from a broken source.
  if (j > 1.0) j = 1.0;
  return backoff + static_cast<int64_t>(std::floor(backoff * options_.jitter_fraction * j));
}

Status OutboxWorker::ReturnToCase(const store::OutboxRow& row, bool failed,
                                  const std::string& body) {
  json payload = json::parse(row.payload, nullptr, /*allow_exceptions=*/false);
  core::Input input;
  input.kind = failed ? core::InputKind::kAdapterFailed : core::InputKind::kAdapterReply;
  input.call_id = payload["call_id"].get<uint32_t>();  // Checked by RunOnce.
  if (failed) {
    input.payload["error"] = model::Value::Text(body);
  } else if (!body.empty()) {
    json reply = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (reply.is_discarded()) {
      input.payload["reply"] = model::Value::Text(body);  // Not JSON: kept as text.
    } else if (reply.is_object()) {
      Result<model::Object> object = ObjectFromJson(reply);
      if (object.ok()) {
        input.payload = *object;
      } else {
        input.payload["reply"] = model::Value::Text(body);
      }
    } else {
      Result<model::Value> value = ValueFromJson(reply);
      input.payload["reply"] = value.ok() ? *value : model::Value::Text(body);
    }
  }
  Result<CaseView> view = runner_->Submit(row.case_id, std::move(input));
  if (!view.ok()) return view.status();
  return Status::Ok();  // Applied, or refused (e.g. answered already): either way done.
}

void OutboxWorker::RecordAttempt(const store::OutboxRow& row, const std::string& channel,
                                 const char* outcome, const std::string& error, int64_t at_ms) {
  store::DeliveryAttemptRow attempt;
  attempt.case_id = row.case_id;
  attempt.outbox_id = row.id;
  attempt.attempt = row.attempts + 1;
  attempt.channel = channel;
  attempt.outcome = outcome;
  attempt.error = error;
  attempt.at_ms = at_ms;
  // Best effort: the outbox row's attempts and last_error stay the record
  // that decides retries; a lost attempt line must not stop a delivery.
  if (!store_->AddDeliveryAttempt(attempt).ok()) ++attempts_unrecorded_;
}

Status OutboxWorker::MarkDead(const store::OutboxRow& row, const std::string& error,
                              bool is_call) {
  if (is_call) {
    Status returned = ReturnToCase(row, /*failed=*/true, error);
    // Without the failure in the case the row is not finished: leave the
    // claim to lapse so the row comes back, unless the case is gone.
    if (!returned.ok() && returned.code() != StatusCode::kNotFound) return returned;
  }
  Status marked = store_->MarkFailed(row.id, error, row.next_attempt_at_ms, /*dead=*/true);
  if (marked.ok()) ++dead_;
  return marked;
}

Result<int> OutboxWorker::RunOnce(int limit) {
  const int64_t now_ms = clock_->NowMs();
  Result<std::vector<store::OutboxRow>> claimed =
      store_->ClaimOutbox(node_, now_ms, lease_ms_, limit);
  if (!claimed.ok()) return claimed.status();
  int delivered = 0;
  for (const store::OutboxRow& row : *claimed) {
    // A call row carries the call id its answer goes back under.
    bool is_call = false;
    if (row.adapter != AdapterRegistry::kNotify) {
      json payload = json::parse(row.payload, nullptr, /*allow_exceptions=*/false);
      if (!payload.is_discarded() && payload.is_object() && payload.contains("call_id")) {
        const json& id = payload["call_id"];
        if (!id.is_number_unsigned() || id.get<uint64_t>() > UINT32_MAX) {
          RecordAttempt(row, row.adapter, kDead, "malformed call_id in the payload", now_ms);
          Status marked = store_->MarkFailed(row.id, "malformed call_id in the payload",
                                             row.next_attempt_at_ms, /*dead=*/true);
          if (!marked.ok()) return marked;
          ++dead_;
          continue;
        }
        is_call = true;
      }
    }

    Result<std::vector<AdapterRegistry::Channel>> route = adapters_->RouteChannels(row);
    if (!route.ok()) {
      RecordAttempt(row, "", kDead, route.status().message(), now_ms);
      Status marked = MarkDead(row, route.status().message(), is_call);
      if (!marked.ok() && marked.code() == StatusCode::kUnavailable) return marked;
      continue;
    }

    const int attempts = row.attempts + 1;
    DeliveryResult result = DeliveryResult::Ok();
    for (const AdapterRegistry::Channel& channel : *route) {
      DeliveryResult one = SafeDeliver(channel.adapter, row);
      if (!one.ok) {
        const bool dead = !one.retryable || attempts >= options_.max_attempts;
        RecordAttempt(row, channel.name, dead ? kDead : kRetry, one.error, clock_->NowMs());
        result = std::move(one);
        break;
      }
      RecordAttempt(row, channel.name, kDelivered, "", clock_->NowMs());
      result.reply_json = std::move(one.reply_json);
    }

    if (result.ok) {
      if (is_call) {
        Status returned = ReturnToCase(row, /*failed=*/false, result.reply_json);
        if (!returned.ok()) {
          if (returned.code() == StatusCode::kNotFound) {
            Status marked = store_->MarkFailed(row.id, "reply not applied: " + returned.message(),
                                               row.next_attempt_at_ms, /*dead=*/true);
            if (!marked.ok()) return marked;
            ++dead_;
            continue;
          }
          if (returned.code() == StatusCode::kUnavailable) return returned;
          continue;  // The claim lapses; the row is delivered again.
        }
      }
      Status marked = store_->MarkDelivered(row.id);
      if (!marked.ok()) return marked;
      ++delivered_;
      ++delivered;
      continue;
    }

    if (!result.retryable || attempts >= options_.max_attempts) {
      std::string error = result.error;
      if (result.retryable) error += " (attempt " + std::to_string(attempts) + ", giving up)";
      Status marked = MarkDead(row, error, is_call);
      if (!marked.ok() && marked.code() == StatusCode::kUnavailable) return marked;
      continue;
    }
    Status marked = store_->MarkFailed(row.id, result.error, now_ms + Backoff(attempts),
                                       /*dead=*/false);
    if (!marked.ok()) return marked;
    ++retried_;
  }
  return delivered;
}

}  // namespace zgtflow::runtime
