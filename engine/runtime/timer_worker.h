// ⑥ TimerWorker: fires the durable timers that fell due. Claims due timer
// rows from the Store (with a lease, so several nodes share the work and a
// dead node's claims are taken over once the lease runs out) and submits
// Input::TimerFired for each, in due order.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/firing_pool.h"
#include "engine/runtime/polling_loop.h"
#include "engine/store/store.h"

namespace zgtflow::runtime {

class TimerWorker {
 public:
  // None owned; all outlive the worker. `node` names this process in claims;
  // `lease_ms` is how long a claim keeps other nodes off a timer.
  TimerWorker(store::Store* store, CaseRunner* runner, Clock* clock, std::string node,
              int64_t lease_ms);
  ~TimerWorker();  // Stops the loop if Start() ran.

  // Claims up to `limit` timers due at the clock's now, in (due, case, timer)
  // order, and submits each as Input::TimerFired. Idempotent per (case,
  // timer): a timer its case no longer has pending (fired already, by this
  // or another node) is refused by Step as "unknown-timer" and just dropped;
  // so is any other refusal (it stays in the history of nothing). Returns how
  // many firings were applied; the first store failure otherwise (firings
  // before it stay applied).
  Result<int> RunOnce(int limit);

  // Fires each claimed batch on `threads` threads (default 1), the timers of
  // one case on one thread in due order; several firings then commit at once
  // (with a CaseRunner using a CommitBatcher, in one transaction). Set
  // before Start.
  void SetFiringThreads(int threads) { firing_threads_ = threads < 1 ? 1 : threads; }

  // Optional background loop until Stop(): claims due timers every
  // `period_ms` of wall time (at once again while a claim came back full)
  // and hands them to the firing threads (a FiringPool), which fire them
  // while the next claim is made. At most `limit` claimed timers wait or
  // fire at once, so a claim is fired well within its lease. Stop() fires
  // what was handed out, then returns. Tests call RunOnce directly.
  void Start(int64_t period_ms, int limit = 100);
  void Stop();

  // Called after each applied firing (from a firing or committer thread) with the
  // timer row and the clock's time once its step committed; for the timer
  // lag benchmark and metrics. Set before Start; empty = none.
  using FiredObserver = std::function<void(const store::TimerRow& timer, int64_t fired_at_ms)>;
  void SetFiredObserver(FiredObserver observer) { on_fired_ = std::move(observer); }

  // Refusals and errors seen so far (for metrics and tests).
  int64_t dropped() const { return dropped_.load(); }
  int64_t failed() const { return failed_.load(); }

 private:
  store::Store* store_;
  CaseRunner* runner_;
  Clock* clock_;
  std::string node_;
  int64_t lease_ms_;
  std::atomic<int64_t> dropped_{0};
  std::atomic<int64_t> failed_{0};
  FiredObserver on_fired_;
  int firing_threads_ = 1;

  // Reads the cases of `timers` at once (CaseRunner::Preload), then fires
  // them in order; adds the applied firings to *fired. Stops at
  // (and returns) a store outage.
  Status FireAll(const std::vector<const store::TimerRow*>& timers, int* fired);

  // FireAll through CaseRunner::SubmitAsync (a runner with a CommitPipeline):
  // the first timer of every case in `timers` is in flight at once, each
  // case's next one sent when the one before is committed; returns when all
  // are done. A store outage ends each case's run at its next timer.
  void FireAllPipelined(const std::vector<const store::TimerRow*>& timers);
  struct PipelinedChunk;
  void FireNext(std::shared_ptr<PipelinedChunk> chunk, size_t group, size_t index);

  // The background loop's step: claims as many timers as `limit` leaves
  // room for beside those still pending in pool_, and hands them over.
  Result<int> ClaimIntoPool(int limit, int64_t period_ms);

  std::unique_ptr<FiringPool> pool_;  // While Start()ed.
  PollingLoop loop_;  // Last member: stopped before the others go.
};

}  // namespace zgtflow::runtime
