// ⑤ MemoryStore: the Store in process memory, for scenarios, tests and
// examples (leveldb's memenv). A first-class backend: it passes the same
// conformance suite as SQLite and PostgreSQL, and nothing survives the object.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/store/store.h"

namespace zgtflow::store {

// Every method takes one mutex for its whole run, so each call is atomic and
// calls from several threads serialize; CommitStep checks everything before it
// changes anything, so a refused commit leaves no trace.
class MemoryStore : public Store {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  Status PutDefinition(const DefinitionRow& definition) override;
  Result<std::vector<DefinitionRow>> ListDefinitions() override;

  Status CommitStep(const StepCommit& commit) override;
  Result<CaseRow> GetCase(const std::string& case_id) override;
  Result<std::vector<CaseRow>> ListCases(const CaseFilter& filter) override;
  Result<std::vector<CaseRow>> ListChildren(const std::string& case_id) override;
  Result<std::vector<HistoryRow>> GetHistory(const std::string& case_id) override;
  Result<std::vector<std::string>> ListCaseIds() override;

  Result<std::vector<TimerRow>> ClaimDueTimers(const std::string& node, int64_t now_ms,
                                               int64_t lease_ms, int limit) override;
  Result<std::vector<TimerRow>> GetTimers(const std::string& case_id) override;
  Result<int64_t> CountTimers() override;

  Result<std::vector<OutboxRow>> ClaimOutbox(const std::string& node, int64_t now_ms,
                                             int64_t lease_ms, int limit) override;
  Status MarkDelivered(int64_t outbox_id) override;
  Status MarkFailed(int64_t outbox_id, const std::string& error, int64_t next_attempt_at_ms,
                    bool dead) override;
  Result<std::vector<OutboxRow>> GetOutbox(const std::string& case_id) override;
  std::vector<Status> CommitSteps(const std::vector<StepCommit>& commits) override;
  Result<std::vector<FollowUpRow>> ClaimFollowUps(const std::string& node,
                                                  int64_t created_before_ms, int64_t now_ms,
                                                  int64_t lease_ms, int limit) override;
  Status DropFollowUp(const std::string& key) override;
  Result<std::vector<FollowUpRow>> GetFollowUps(const std::string& case_id) override;
  Status AddDeliveryAttempt(const DeliveryAttemptRow& attempt) override;
  Result<std::vector<DeliveryAttemptRow>> ListDeliveryAttempts(const std::string& case_id) override;
  Status PutPrincipal(const PrincipalRow& principal) override;
  Result<PrincipalRow> GetPrincipal(const std::string& id) override;
  Status PutSession(const SessionRow& session) override;
  Result<SessionRow> GetSession(const std::string& id) override;
  Status DeleteSession(const std::string& id) override;

 private:
  // A case with the names its state and parties columns hold, parsed once at
  // commit so that lists need not parse JSON.
  struct CaseEntry {
    CaseRow row;
    std::vector<std::string> states;
    std::vector<std::string> parties;
    std::vector<HistoryRow> history;  // In seq order.
  };
  using TimerKey = std::pair<std::string, uint32_t>;  // (case_id, timer_id)

  // CommitStep under mutex_ (held by the caller).
  Status CommitLocked(const StepCommit& commit);
  std::map<std::string, FollowUpRow> follow_ups_;  // Pending, by key. Guarded by mutex_.

  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, DefinitionRow> definitions_;  // (workflow, version)
  std::map<std::string, CaseEntry> cases_;
  std::map<TimerKey, TimerRow> timers_;
  std::map<int64_t, OutboxRow> outbox_;  // By id: ids increase, so this is insertion order.
  int64_t next_outbox_id_ = 1;
  std::map<std::string, std::vector<DeliveryAttemptRow>> attempts_;  // By case, in id order.
  int64_t next_attempt_id_ = 1;
  std::map<std::string, PrincipalRow> principals_;  // By id.
  std::map<std::string, SessionRow> sessions_;      // By id.
};

}  // namespace zgtflow::store
