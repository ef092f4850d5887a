// Default bodies of Store's web-view reads (store.h): GetCaseDetail and
// CountCasesByState built on the other methods, for the memory store (and any
// wrapper); the SQL backends override them with fewer round trips.
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "engine/store/store.h"

namespace zgtflow::store {

void SplitCaseStates(CaseCounts* counts) {
  std::map<std::tuple<std::string, std::string, std::string>, CaseStateCount> merged;
  auto add = [&](const CaseStateCount& row, const std::string& name) {
    CaseStateCount& count = merged[{row.workflow, name, CaseStatusText(row.status)}];
    count.workflow = row.workflow;
    count.state = name;
    count.status = row.status;
    count.cases += row.cases;
  };
  for (const CaseStateCount& row : counts->by_state) {
    // state is "" or a JSON array of strings (commit_rules.h).
    nlohmann::json names = nlohmann::json::parse(row.state, nullptr, false);
    bool named = false;
    if (names.is_array()) {
      for (const auto& name : names) {
        if (!name.is_string()) continue;
        add(row, name.get<std::string>());
        named = true;
      }
    }
    if (!named) add(row, "");
  }
  counts->by_state.clear();
  for (auto& [key, count] : merged) counts->by_state.push_back(std::move(count));
}

Result<CaseDetail> Store::GetCaseDetail(const std::string& case_id) {
  Result<CaseRow> row = GetCase(case_id);
  if (!row.ok()) return row.status();
  CaseDetail detail;
  detail.row = std::move(row).value();
  Result<std::vector<HistoryRow>> history = GetHistory(case_id);
  if (!history.ok()) return history.status();
  detail.history = std::move(history).value();
  Result<std::vector<OutboxRow>> outbox = GetOutbox(case_id);
  if (!outbox.ok()) return outbox.status();
  detail.outbox = std::move(outbox).value();
  Result<std::vector<DeliveryAttemptRow>> attempts = ListDeliveryAttempts(case_id);
  if (!attempts.ok()) return attempts.status();
  detail.attempts = std::move(attempts).value();
  return detail;
}

Result<CaseCounts> Store::CountCasesByState() {
  CaseFilter all;
  all.limit = 0;
  Result<std::vector<CaseRow>> rows = ListCases(all);
  if (!rows.ok()) return rows.status();
  CaseCounts out;
  for (const CaseRow& row : *rows) {
    out.steps += row.revision;
    out.by_state.push_back(CaseStateCount{row.workflow, row.state, row.status, 1});
    if (row.status == CaseStatus::kRunning && row.next_due_ms &&
        (!out.earliest_running_due_ms || *row.next_due_ms < *out.earliest_running_due_ms)) {
      out.earliest_running_due_ms = row.next_due_ms;
    }
  }
  SplitCaseStates(&out);
  return out;
}

}  // namespace zgtflow::store
