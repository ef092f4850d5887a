// ⑥ FollowUpWorker (see follow_up_worker.h).
#include "engine/runtime/follow_up_worker.h"

#include <utility>

namespace zgtflow::runtime {

FollowUpWorker::FollowUpWorker(CaseRunner* runner, Clock* clock, std::string node,
                               int64_t lease_ms, int64_t grace_ms)
    : runner_(runner),
      clock_(clock),
      node_(std::move(node)),
      lease_ms_(lease_ms),
      grace_ms_(grace_ms) {}

FollowUpWorker::~FollowUpWorker() { Stop(); }

Result<int> FollowUpWorker::RunOnce(int limit) { return Pass(clock_->NowMs() - grace_ms_, limit); }

Result<int> FollowUpWorker::RecoverAll(int limit) { return Pass(clock_->NowMs(), limit); }

Result<int> FollowUpWorker::Pass(int64_t created_before_ms, int limit) {
  std::vector<std::string> errors;
  Result<int> claimed =
      runner_->RunPendingFollowUps(node_, created_before_ms, lease_ms_, limit, &errors);
  failed_ += static_cast<int64_t>(errors.size());
  return claimed;
}

void FollowUpWorker::Start(int64_t period_ms, int limit) {
  loop_.Start(period_ms, limit, [this](int batch) { return RunOnce(batch); });
}

void FollowUpWorker::Stop() { loop_.Stop(); }

}  // namespace zgtflow::runtime
