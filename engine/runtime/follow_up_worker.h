// ⑥ FollowUpWorker: the recovery pass for follow-ups (child starts, child.done
// to a parent, `send … matching`) that a step wrote but that were not carried
// out, because the process died right after the commit or a follow-up failed.
// Claims them from the Store under a lease (so several nodes share the work
// and a dead node's claims are taken over) and runs them through
// CaseRunner::RunPendingFollowUps; the store refuses a second run of one.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/polling_loop.h"

namespace zgtflow::runtime {

class FollowUpWorker {
 public:
  // None owned; all outlive the worker. `node` names this process in claims;
  // `lease_ms` keeps other nodes off a claimed row; `grace_ms` is how old a
  // row must be before the periodic pass takes it, so that it does not race
  // the runner that is carrying it out right after its commit.
  FollowUpWorker(CaseRunner* runner, Clock* clock, std::string node, int64_t lease_ms,
                 int64_t grace_ms = 10000);
  ~FollowUpWorker();  // Stops the loop if Start() ran.

  // One pass over rows at least grace_ms old. Returns how many were claimed.
  Result<int> RunOnce(int limit);
  // One pass over every pending row, whatever its age: for serve's start,
  // when this process has nothing in flight.
  Result<int> RecoverAll(int limit);

  // Optional background loop: RunOnce(limit) every `period_ms` until Stop().
  void Start(int64_t period_ms, int limit = 100);
  void Stop();

  // Failures seen so far (not refusals), for metrics and tests.
  int64_t failed() const { return failed_.load(); }

 private:
  Result<int> Pass(int64_t created_before_ms, int limit);

  CaseRunner* runner_;
  Clock* clock_;
  std::string node_;
  int64_t lease_ms_;
  int64_t grace_ms_;
  std::atomic<int64_t> failed_{0};

  PollingLoop loop_;  // Last member: stopped before the others go.
};

}  // namespace zgtflow::runtime
