// ⑥ TimerWorker (see timer_worker.h).
#include "engine/runtime/timer_worker.h"

#include <utility>

namespace zgtflow::runtime {

TimerWorker::TimerWorker(store::Store* store, CaseRunner* runner, Clock* clock, std::string node,
                         int64_t lease_ms)
    : store_(store), runner_(runner), clock_(clock), node_(std::move(node)), lease_ms_(lease_ms) {}

TimerWorker::~TimerWorker() { Stop(); }

Result<int> TimerWorker::RunOnce(int limit) {
  Result<std::vector<store::TimerRow>> claimed =
      store_->ClaimDueTimers(node_, clock_->NowMs(), lease_ms_, limit);
  if (!claimed.ok()) return claimed.status();
  int fired = 0;
  for (const store::TimerRow& timer : *claimed) {
    Result<CaseView> view =
        runner_->Submit(timer.case_id, core::Input::TimerFired(timer.timer_id), std::nullopt);
    if (!view.ok()) {
      // A case deleted or a version not deployed: the claim lapses and the
      // timer is tried again after the lease; a store outage stops the batch.
      ++failed_;
      if (view.status().code() == StatusCode::kUnavailable) return view.status();
      continue;
    }
    if (view->rejection) {
      ++dropped_;
      continue;
    }
    ++fired;
  }
  return fired;
}

void TimerWorker::Start(int64_t period_ms, int limit) {
  loop_.Start(period_ms, limit, [this](int batch) { return RunOnce(batch); });
}

void TimerWorker::Stop() { loop_.Stop(); }

}  // namespace zgtflow::runtime
