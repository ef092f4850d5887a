// ⑧ Metrics: the figures /metrics serves in the Prometheus text format.
// Counters and the step latency histogram are kept in this process (steps
// the API submitted); the gauges are read from the store at each scrape:
//   zgtflow_cases{workflow,state,status}   cases by workflow and active state
//   zgtflow_steps_total                    history entries of all cases (Σ revisions)
//   zgtflow_api_steps_total{result}        steps submitted over the API: accepted|refused|error
//   zgtflow_step_latency_seconds           histogram of API step latencies (Create/Submit)
//   zgtflow_timer_lag_seconds              now − earliest due time of an overdue timer (0 if none)
//   zgtflow_timers_pending                 pending timers
//   zgtflow_outbox_pending / _dead         outbox backlog and dead letters
//   zgtflow_outbox_failed_attempts_total   failed delivery attempts recorded in the outbox
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "engine/runtime/definition_registry.h"
#include "engine/store/store.h"

namespace zgtflow::web {

class Metrics {
 public:
  // Upper bounds (seconds) of the latency buckets; +Inf is implied.
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};
  enum class StepResult { kAccepted, kRefused, kError };

  // Records one step the API ran, taking `seconds`.
  void ObserveStep(double seconds, StepResult result);

  // The exposition text at `now_ms`; a store failure is reported as
  // zgtflow_store_up 0 (and the gauges that need it are left out).
  std::string Render(store::Store& store, int64_t now_ms) const;

 private:
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets_{};  // Last: +Inf.
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};
  std::atomic<uint64_t> accepted_{0}, refused_{0}, errors_{0};
};

}  // namespace zgtflow::web
