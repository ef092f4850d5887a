// ⑥ TimerWorker (see timer_worker.h).
#include "engine/runtime/timer_worker.h"

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

namespace zgtflow::runtime {

TimerWorker::TimerWorker(store::Store* store, CaseRunner* runner, Clock* clock, std::string node,
                         int64_t lease_ms)
    : store_(store), runner_(runner), clock_(clock), node_(std::move(node)), lease_ms_(lease_ms) {}

TimerWorker::~TimerWorker() { Stop(); }

Status TimerWorker::FireAll(const std::vector<const store::TimerRow*>& timers, int* fired) {
  // One read for the part's cases instead of one per firing; a failed
  // preload only leaves each firing to read its case itself.
  std::vector<std::string> case_ids;
  for (const store::TimerRow* timer : timers) case_ids.push_back(timer->case_id);
  (void)runner_->Preload(case_ids);
  for (const store::TimerRow* timer : timers) {
    Result<CaseView> view =
        runner_->Submit(timer->case_id, core::Input::TimerFired(timer->timer_id), std::nullopt);
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
    ++*fired;
    if (on_fired_) on_fired_(*timer, clock_->NowMs());
  }
  return Status::Ok();
}

// One lane's chunk fired through the pipeline: its timers by case, in order,
// and how many cases are still firing. Shared with the callbacks, which may
// run a moment after the lane stopped waiting.
struct TimerWorker::PipelinedChunk {
  std::vector<std::vector<const store::TimerRow*>> by_case;
  std::atomic<bool> outage{false};
  std::mutex mutex;
  std::condition_variable finished;
  size_t firing = 0;  // Cases not done yet; guarded by mutex.
};

void TimerWorker::FireAllPipelined(const std::vector<const store::TimerRow*>& timers) {
  std::vector<std::string> case_ids;
  for (const store::TimerRow* timer : timers) case_ids.push_back(timer->case_id);
  (void)runner_->Preload(case_ids);
  auto chunk = std::make_shared<PipelinedChunk>();
  std::unordered_map<std::string, size_t> group_of;
  for (const store::TimerRow* timer : timers) {
    auto [found, added] = group_of.emplace(timer->case_id, chunk->by_case.size());
    if (added) chunk->by_case.emplace_back();
    chunk->by_case[found->second].push_back(timer);
  }
  chunk->firing = chunk->by_case.size();
  for (size_t group = 0; group < chunk->by_case.size(); ++group) FireNext(chunk, group, 0);
  std::unique_lock<std::mutex> lock(chunk->mutex);
  chunk->finished.wait(lock, [&] { return chunk->firing == 0; });
}

void TimerWorker::FireNext(std::shared_ptr<PipelinedChunk> chunk, size_t group, size_t index) {
  const store::TimerRow* timer = chunk->by_case[group][index];
  runner_->SubmitAsync(
      timer->case_id, core::Input::TimerFired(timer->timer_id),
      [this, chunk, group, index, timer](Result<CaseView> view) {
        if (!view.ok()) {
          // As FireAll: the claim lapses and is tried again after the lease.
          ++failed_;
          if (view.status().code() == StatusCode::kUnavailable) chunk->outage = true;
        } else if (view->rejection) {
          ++dropped_;
        } else if (on_fired_) {
          on_fired_(*timer, clock_->NowMs());
        }
        if (index + 1 < chunk->by_case[group].size() && !chunk->outage) {
          return FireNext(chunk, group, index + 1);
        }
        std::lock_guard<std::mutex> lock(chunk->mutex);
        if (--chunk->firing == 0) chunk->finished.notify_all();
      });
}

Result<int> TimerWorker::RunOnce(int limit) {
  Result<std::vector<store::TimerRow>> claimed =
      store_->ClaimDueTimers(node_, clock_->NowMs(), lease_ms_, limit);
  if (!claimed.ok()) return claimed.status();
  const size_t threads = std::min<size_t>(firing_threads_, claimed->size());
  if (threads <= 1) {
    std::vector<const store::TimerRow*> all;
    for (const store::TimerRow& timer : *claimed) all.push_back(&timer);
    int fired = 0;
    Status status = FireAll(all, &fired);
    if (!status.ok()) return status;
    return fired;
  }
  // One part per thread by case id: a case's timers stay in due order on
  // one thread, so two threads never race on one case.
  std::vector<std::vector<const store::TimerRow*>> parts(threads);
  for (const store::TimerRow& timer : *claimed) {
    parts[std::hash<std::string>{}(timer.case_id) % threads].push_back(&timer);
  }
  std::vector<int> fired(threads, 0);
  std::vector<Status> statuses(threads);
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i) {
    pool.emplace_back([&, i] { statuses[i] = FireAll(parts[i], &fired[i]); });
  }
  statuses[0] = FireAll(parts[0], &fired[0]);
  for (std::thread& thread : pool) thread.join();
  int total = 0;
  for (size_t i = 0; i < threads; ++i) {
    if (!statuses[i].ok()) return statuses[i];
    total += fired[i];
  }
  return total;
}

Result<int> TimerWorker::ClaimIntoPool(int limit, int64_t period_ms) {
  // Claim again only once half the last claims fired: claims of a few timers
  // each would cost a round trip apiece, and a claim's lease keeps running
  // while it waits its turn.
  if (pool_->pending() > limit / 2) {
    pool_->WaitBelow(limit / 2 + 1, period_ms);
    return limit;  // Come back at once (the loop checks for Stop first).
  }
  const int room = limit - static_cast<int>(pool_->pending());
  Result<std::vector<store::TimerRow>> claimed =
      store_->ClaimDueTimers(node_, clock_->NowMs(), lease_ms_, room);
  if (!claimed.ok()) return claimed.status();
  const int count = static_cast<int>(claimed->size());
  pool_->Add(std::move(claimed).value());
  return count >= room ? limit : count;
}

void TimerWorker::Start(int64_t period_ms, int limit) {
  Stop();
  // Lanes take a few dozen timers at a time: one case read for the chunk
  // (Preload), and firings spread evenly over the lanes.
  constexpr size_t kChunk = 32;
  pool_ = std::make_unique<FiringPool>(
      firing_threads_, kChunk, [this](const std::vector<store::TimerRow>& timers) {
        std::vector<const store::TimerRow*> order;
        for (const store::TimerRow& timer : timers) order.push_back(&timer);
        if (runner_->pipelined()) return FireAllPipelined(order);
        int fired = 0;
        // A store outage ends the chunk: the rest are claimed again once
        // their lease runs out.
        (void)FireAll(order, &fired);
      });
  loop_.Start(period_ms, std::max(1, limit),
              [this, period_ms](int batch) { return ClaimIntoPool(batch, period_ms); });
}

void TimerWorker::Stop() {
  loop_.Stop();
  pool_.reset();
}

}  // namespace zgtflow::runtime
