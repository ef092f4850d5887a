// ⑧ Metrics (see metrics.h): in-process counters plus gauges read from the
// store at each scrape, written in the Prometheus text exposition format.
#include "web/metrics.h"

#include <algorithm>
#include <cstdio>

namespace zgtflow::web {
namespace {

// A label value with \ " and newline escaped, as the format requires.
std::string Label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string Number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

}  // namespace

void Metrics::ObserveStep(double seconds, StepResult result) {
  size_t bucket = kBuckets.size();
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      bucket = i;
      break;
    }
  }
  buckets_[bucket].fetch_add(1);
  count_.fetch_add(1);
  sum_micros_.fetch_add(static_cast<uint64_t>(std::max(0.0, seconds) * 1e6));
  switch (result) {
    case StepResult::kAccepted: accepted_.fetch_add(1); break;
    case StepResult::kRefused: refused_.fetch_add(1); break;
    case StepResult::kError: errors_.fetch_add(1); break;
  }
}

std::string Metrics::Render(store::Store& store, int64_t now_ms) const {
  std::string out;
  out += "# HELP zgtflow_api_steps_total Steps submitted over the API, by result.\n";
  out += "# TYPE zgtflow_api_steps_total counter\n";
  out += "zgtflow_api_steps_total{result=\"accepted\"} " + std::to_string(accepted_.load()) + "\n";
  out += "zgtflow_api_steps_total{result=\"refused\"} " + std::to_string(refused_.load()) + "\n";
  out += "zgtflow_api_steps_total{result=\"error\"} " + std::to_string(errors_.load()) + "\n";

  out += "# HELP zgtflow_step_latency_seconds Latency of API steps (load, step, commit).\n";
  out += "# TYPE zgtflow_step_latency_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load();
    out += "zgtflow_step_latency_seconds_bucket{le=\"" + Number(kBuckets[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_[kBuckets.size()].load();
  out += "zgtflow_step_latency_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "zgtflow_step_latency_seconds_sum " + Number(sum_micros_.load() / 1e6) + "\n";
  out += "zgtflow_step_latency_seconds_count " + std::to_string(count_.load()) + "\n";

  // Gauges from the store: counts aggregated by the store (one GROUP BY on
  // the SQL backends), not every case read at each scrape.
  Result<store::CaseCounts> cases = store.CountCasesByState();
  Result<int64_t> timers = store.CountTimers();
  Result<store::OutboxCounts> outbox = store.CountOutbox();
  bool up = cases.ok() && timers.ok() && outbox.ok();
  out += "# HELP zgtflow_store_up Whether the store answered this scrape.\n";
  out += "# TYPE zgtflow_store_up gauge\n";
  out += std::string("zgtflow_store_up ") + (up ? "1" : "0") + "\n";

  if (cases.ok()) {
    out += "# HELP zgtflow_cases Cases by workflow, active state and status.\n";
    out += "# TYPE zgtflow_cases gauge\n";
    for (const store::CaseStateCount& count : cases->by_state) {
      out += "zgtflow_cases{workflow=\"" + Label(count.workflow) + "\",state=\"" +
             Label(count.state) + "\",status=\"" + store::CaseStatusText(count.status) + "\"} " +
             std::to_string(count.cases) + "\n";
    }
    int64_t earliest_overdue = now_ms;
    if (cases->earliest_running_due_ms && *cases->earliest_running_due_ms < now_ms) {
      earliest_overdue = *cases->earliest_running_due_ms;
    }
    out += "# HELP zgtflow_steps_total Steps applied to all stored cases (history entries).\n";
    out += "# TYPE zgtflow_steps_total counter\n";
    out += "zgtflow_steps_total " + std::to_string(cases->steps) + "\n";
    out += "# HELP zgtflow_timer_lag_seconds How late the most overdue pending timer is.\n";
    out += "# TYPE zgtflow_timer_lag_seconds gauge\n";
    out += "zgtflow_timer_lag_seconds " + Number((now_ms - earliest_overdue) / 1000.0) + "\n";
  }
  if (timers.ok()) {
    out += "# HELP zgtflow_timers_pending Pending timers.\n";
    out += "# TYPE zgtflow_timers_pending gauge\n";
    out += "zgtflow_timers_pending " + std::to_string(*timers) + "\n";
  }
  if (outbox.ok()) {
    out += "# HELP zgtflow_outbox_pending Outbox rows waiting for delivery (backlog).\n";
    out += "# TYPE zgtflow_outbox_pending gauge\n";
    out += "zgtflow_outbox_pending " + std::to_string(outbox->pending) + "\n";
    out += "# HELP zgtflow_outbox_dead Outbox rows given up on (dead letters).\n";
    out += "# TYPE zgtflow_outbox_dead gauge\n";
    out += "zgtflow_outbox_dead " + std::to_string(outbox->dead) + "\n";
    out += "# HELP zgtflow_outbox_failed_attempts_total Failed delivery attempts.\n";
    out += "# TYPE zgtflow_outbox_failed_attempts_total counter\n";
    out += "zgtflow_outbox_failed_attempts_total " + std::to_string(outbox->failed_attempts) +
           "\n";
  }
  return out;
}

}  // namespace zgtflow::web
