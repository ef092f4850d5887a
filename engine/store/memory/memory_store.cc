// MemoryStore: maps under one mutex. Scans are linear; this backend serves
// tests and scenarios, where a few thousand rows are many.
#include "engine/store/memory/memory_store.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "engine/store/commit_rules.h"

namespace zgtflow::store {
namespace {

// Applies limit/offset to a sorted list (limit <= 0: no limit).
template <typename T>
std::vector<T> Page(std::vector<T> rows, int limit, int offset) {
  size_t begin = std::min(rows.size(), static_cast<size_t>(std::max(offset, 0)));
  size_t end = limit <= 0 ? rows.size() : std::min(rows.size(), begin + static_cast<size_t>(limit));
  return std::vector<T>(rows.begin() + begin, rows.begin() + end);
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Status MemoryStore::PutDefinition(const DefinitionRow& definition) {
  std::lock_guard<std::mutex> lock(mutex_);
  definitions_.emplace(std::make_pair(definition.workflow, definition.version), definition);
  return Status::Ok();
}

Result<std::vector<DefinitionRow>> MemoryStore::ListDefinitions() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<DefinitionRow> rows;
  for (const auto& [key, row] : definitions_) rows.push_back(row);
  std::sort(rows.begin(), rows.end(), [](const DefinitionRow& a, const DefinitionRow& b) {
    return std::tie(a.workflow, a.deployed_at_ms, a.version) <
           std::tie(b.workflow, b.deployed_at_ms, b.version);
  });
  return rows;
}

Status MemoryStore::CommitStep(const StepCommit& commit) {
  std::lock_guard<std::mutex> lock(mutex_);
  return CommitLocked(commit);
}

std::vector<Status> MemoryStore::CommitSteps(const std::vector<StepCommit>& commits) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Status> out;
  out.reserve(commits.size());
  for (const StepCommit& commit : commits) out.push_back(CommitLocked(commit));
  return out;
}

Status MemoryStore::CommitLocked(const StepCommit& commit) {
  if (Status status = CheckStepCommit(commit); !status.ok()) return status;
  const CaseRow& row = commit.case_row;
  // Parsed again (CheckStepCommit parsed them) to keep the rules in one place.
  std::vector<std::string> states = StateNamesOf(row.state).value();
  std::vector<std::string> parties = PartiesOf(row.parties).value();
  // Checked before the revision, as the SQL stores delete the row first.
  if (!commit.follow_up_done.empty() && !follow_ups_.count(commit.follow_up_done)) {
    return Status(StatusCode::kFailedPrecondition,
                  "follow-up " + commit.follow_up_done + " is not pending");
  }

  auto found = cases_.find(row.id);
  if (commit.create) {
    if (found != cases_.end()) return Status(StatusCode::kConflict, "case " + row.id + " exists");
  } else {
    if (found == cases_.end()) return Status::NotFound("no case " + row.id);
    if (found->second.row.revision != commit.expected_revision) {
      return Status(StatusCode::kConflict,
                    "case " + row.id + " is at revision " +
                        std::to_string(found->second.row.revision) + ", not " +
                        std::to_string(commit.expected_revision));
    }
  }
  for (const FollowUpRow& follow_up : commit.follow_ups) {
    if (follow_ups_.count(follow_up.key) && follow_up.key != commit.follow_up_done) {
      return Status(StatusCode::kConflict, "follow-up " + follow_up.key + " exists");
    }
  }
  // Timer ids pending after this commit's deletes must not be added again.
  std::set<uint32_t> deleted(commit.cancel_timers.begin(), commit.cancel_timers.end());
  if (commit.fired_timer) deleted.insert(*commit.fired_timer);
  for (const TimerRow& timer : commit.add_timers) {
    if (timers_.count({row.id, timer.timer_id}) && !deleted.count(timer.timer_id)) {
      return Status::InvalidArgument(
          "timer " + std::to_string(timer.timer_id) + " of case " + row.id + " is pending",
          "timer_id");
    }
  }

  // Every check passed: from here nothing fails.
  CaseEntry& entry = commit.create ? cases_[row.id] : found->second;
  entry.row = row;
  entry.row.last_hash = commit.history.hash;
  entry.states = std::move(states);
  entry.parties = std::move(parties);
  HistoryRow history = commit.history;
  history.case_id = row.id;
  entry.history.push_back(std::move(history));
  for (uint32_t id : deleted) timers_.erase({row.id, id});
  for (TimerRow timer : commit.add_timers) {
    timer.case_id = row.id;
    timer.claimed_by.clear();
    timer.claimed_until_ms = 0;
    timers_[{row.id, timer.timer_id}] = std::move(timer);
  }
  for (OutboxRow out : commit.outbox) {
    out.id = next_outbox_id_++;
    out.case_id = row.id;
    out.claimed_by.clear();
    out.claimed_until_ms = 0;
    outbox_[out.id] = std::move(out);
  }
  if (!commit.follow_up_done.empty()) follow_ups_.erase(commit.follow_up_done);
  for (FollowUpRow follow_up : commit.follow_ups) {
    follow_up.case_id = row.id;
    follow_up.claimed_by.clear();
    follow_up.claimed_until_ms = 0;
    follow_ups_[follow_up.key] = std::move(follow_up);
  }
  return Status::Ok();
}

Result<std::vector<FollowUpRow>> MemoryStore::ClaimFollowUps(const std::string& node,
                                                             int64_t created_before_ms,
                                                             int64_t now_ms, int64_t lease_ms,
                                                             int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<FollowUpRow*> due;
  for (auto& [key, row] : follow_ups_) {
    if (row.created_at_ms > created_before_ms) continue;
    if (!row.claimed_by.empty() && row.claimed_until_ms > now_ms) continue;
    due.push_back(&row);
  }
  std::sort(due.begin(), due.end(), [](const FollowUpRow* a, const FollowUpRow* b) {
    return std::tie(a->created_at_ms, a->key) < std::tie(b->created_at_ms, b->key);
  });
  std::vector<FollowUpRow> out;
  for (FollowUpRow* row : due) {
    if (limit > 0 && static_cast<int>(out.size()) >= limit) break;
    row->claimed_by = node;
    row->claimed_until_ms = now_ms + lease_ms;
    out.push_back(*row);
  }
  return out;
}

Status MemoryStore::DropFollowUp(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  follow_ups_.erase(key);
  return Status::Ok();
}

Result<std::vector<FollowUpRow>> MemoryStore::GetFollowUps(const std::string& case_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<FollowUpRow> out;
  for (const auto& [key, row] : follow_ups_) {
    if (row.case_id == case_id) out.push_back(row);
  }
  return out;
}

Result<CaseRow> MemoryStore::GetCase(const std::string& case_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = cases_.find(case_id);
  if (found == cases_.end()) return Status::NotFound("no case " + case_id);
  return found->second.row;
}

Result<std::vector<CaseRow>> MemoryStore::ListCases(const CaseFilter& filter) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<CaseRow> rows;
  for (const auto& [id, entry] : cases_) {
    const CaseRow& row = entry.row;
    if (!filter.workflow.empty() && row.workflow != filter.workflow) continue;
    if (!filter.state.empty() && !Contains(entry.states, filter.state)) continue;
    if (!filter.party.empty() && !Contains(entry.parties, filter.party)) continue;
    if (filter.overdue) {
      bool overdue = row.next_due_ms && *row.next_due_ms < filter.now_ms;
      if (overdue != *filter.overdue) continue;
    }
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const CaseRow& a, const CaseRow& b) {
    if (a.updated_at_ms != b.updated_at_ms) return a.updated_at_ms > b.updated_at_ms;
    return a.id < b.id;
  });
  return Page(std::move(rows), filter.limit, filter.offset);
}

Result<std::vector<CaseRow>> MemoryStore::ListChildren(const std::string& case_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<CaseRow> rows;
  for (const auto& [id, entry] : cases_) {
    if (!case_id.empty() && entry.row.parent_id == case_id) rows.push_back(entry.row);
  }
  std::sort(rows.begin(), rows.end(), [](const CaseRow& a, const CaseRow& b) {
    return std::tie(a.created_at_ms, a.id) < std::tie(b.created_at_ms, b.id);
  });
  return rows;
}

Result<std::vector<HistoryRow>> MemoryStore::GetHistory(const std::string& case_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = cases_.find(case_id);
  if (found == cases_.end()) return std::vector<HistoryRow>{};
  return found->second.history;
}

Result<std::vector<std::string>> MemoryStore::ListCaseIds() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, entry] : cases_) ids.push_back(id);
  return ids;
}

Result<std::vector<TimerRow>> MemoryStore::ClaimDueTimers(const std::string& node, int64_t now_ms,
                                                          int64_t lease_ms, int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<TimerRow*> due;
  for (auto& [key, timer] : timers_) {
    bool free = timer.claimed_by.empty() || timer.claimed_until_ms <= now_ms;
    if (timer.due_at_ms <= now_ms && free) due.push_back(&timer);
  }
  std::sort(due.begin(), due.end(), [](const TimerRow* a, const TimerRow* b) {
    return std::tie(a->due_at_ms, a->case_id, a->timer_id) <
           std::tie(b->due_at_ms, b->case_id, b->timer_id);
  });
  std::vector<TimerRow> claimed;
  for (TimerRow* timer : due) {
    if (limit > 0 && static_cast<int>(claimed.size()) >= limit) break;
    timer->claimed_by = node;
    timer->claimed_until_ms = now_ms + lease_ms;
    claimed.push_back(*timer);
  }
  return claimed;
}

Result<std::vector<TimerRow>> MemoryStore::GetTimers(const std::string& case_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<TimerRow> rows;
  for (auto it = timers_.lower_bound({case_id, 0});
       it != timers_.end() && it->first.first == case_id; ++it) {
    rows.push_back(it->second);
  }
  std::sort(rows.begin(), rows.end(), [](const TimerRow& a, const TimerRow& b) {
    return std::tie(a.due_at_ms, a.timer_id) < std::tie(b.due_at_ms, b.timer_id);
  });
  return rows;
}

Result<int64_t> MemoryStore::CountTimers() {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int64_t>(timers_.size());
}

Result<std::vector<OutboxRow>> MemoryStore::ClaimOutbox(const std::string& node, int64_t now_ms,
                                                        int64_t lease_ms, int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<OutboxRow*> due;
  for (auto& [id, out] : outbox_) {
    bool free = out.claimed_by.empty() || out.claimed_until_ms <= now_ms;
    if (out.status == OutboxStatus::kPending && out.next_attempt_at_ms <= now_ms && free) {
      due.push_back(&out);
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const OutboxRow* a, const OutboxRow* b) {
    return std::tie(a->next_attempt_at_ms, a->id) < std::tie(b->next_attempt_at_ms, b->id);
  });
  std::vector<OutboxRow> claimed;
  for (OutboxRow* out : due) {
    if (limit > 0 && static_cast<int>(claimed.size()) >= limit) break;
    out->claimed_by = node;
    out->claimed_until_ms = now_ms + lease_ms;
    claimed.push_back(*out);
  }
  return claimed;
}

Status MemoryStore::MarkDelivered(int64_t outbox_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = outbox_.find(outbox_id);
  if (found == outbox_.end()) return Status::NotFound("no outbox row " + std::to_string(outbox_id));
  OutboxRow& out = found->second;
  out.status = OutboxStatus::kDelivered;
  out.claimed_by.clear();
  out.claimed_until_ms = 0;
  return Status::Ok();
}

Status MemoryStore::MarkFailed(int64_t outbox_id, const std::string& error,
                               int64_t next_attempt_at_ms, bool dead) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = outbox_.find(outbox_id);
  if (found == outbox_.end()) return Status::NotFound("no outbox row " + std::to_string(outbox_id));
  OutboxRow& out = found->second;
  out.attempts += 1;
  out.last_error = error;
  if (dead) {
    out.status = OutboxStatus::kDead;
  } else {
    out.next_attempt_at_ms = next_attempt_at_ms;
  }
  out.claimed_by.clear();
  out.claimed_until_ms = 0;
  return Status::Ok();
}

Result<std::vector<OutboxRow>> MemoryStore::GetOutbox(const std::string& case_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<OutboxRow> rows;
  for (const auto& [id, out] : outbox_) {
    if (out.case_id == case_id) rows.push_back(out);
  }
  return rows;
}

// ---- delivery attempts ----

Status MemoryStore::AddDeliveryAttempt(const DeliveryAttemptRow& attempt) {
  std::lock_guard<std::mutex> lock(mutex_);
  DeliveryAttemptRow row = attempt;
  row.id = next_attempt_id_++;
  attempts_[row.case_id].push_back(std::move(row));
  return Status::Ok();
}

Result<std::vector<DeliveryAttemptRow>> MemoryStore::ListDeliveryAttempts(
    const std::string& case_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = attempts_.find(case_id);
  if (found == attempts_.end()) return std::vector<DeliveryAttemptRow>{};
  return found->second;
}

// ---- principals and sessions ----

Status MemoryStore::PutPrincipal(const PrincipalRow& principal) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (principal.id.empty()) return Status::InvalidArgument("principal id is empty", "id");
  if (!principals_.emplace(principal.id, principal).second) {
    return Status(StatusCode::kConflict, "principal '" + principal.id + "' exists");
  }
  return Status::Ok();
}

Result<PrincipalRow> MemoryStore::GetPrincipal(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = principals_.find(id);
  if (it == principals_.end()) return Status(StatusCode::kNotFound, "no principal '" + id + "'");
  return it->second;
}

Status MemoryStore::PutSession(const SessionRow& session) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (session.id.empty()) return Status::InvalidArgument("session id is empty", "id");
  if (!sessions_.emplace(session.id, session).second) {
    return Status(StatusCode::kConflict, "session exists");
  }
  return Status::Ok();
}

Result<SessionRow> MemoryStore::GetSession(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Status(StatusCode::kNotFound, "no such session");
  return it->second;
}

Status MemoryStore::DeleteSession(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.erase(id);
  return Status::Ok();
}
// ---- end principals and sessions ----

}  // namespace zgtflow::store
