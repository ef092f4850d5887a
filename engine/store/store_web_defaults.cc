// Default bodies of Store's web-view reads (store.h): GetCaseDetail and
// CountCasesByState built on the other methods, for the memory store (and any
// wrapper); the SQL backends override them with fewer round trips.
#include <algorithm>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "engine/store/store.h"

namespace zgtflow::store {

void SortCaseCounts(CaseCounts* counts) {
  auto key = [](const CaseStateCount& c) {
    return std::tuple<const std::string&, const std::string&, std::string>(
        c.workflow, c.state, CaseStatusText(c.status));
  };
  std::sort(counts->by_state.begin(), counts->by_state.end(),
            [&](const CaseStateCount& a, const CaseStateCount& b) { return key(a) < key(b); });
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
  std::map<std::tuple<std::string, std::string, CaseStatus>, int64_t> counts;
  CaseCounts out;
  for (const CaseRow& row : *rows) {
    out.steps += row.revision;
    // state is "" or a JSON array of strings (commit_rules.h).
    nlohmann::json names = nlohmann::json::parse(row.state, nullptr, false);
    bool counted = false;
    if (names.is_array()) {
      for (const auto& name : names) {
        if (!name.is_string()) continue;
        ++counts[{row.workflow, name.get<std::string>(), row.status}];
        counted = true;
      }
    }
    if (!counted) ++counts[{row.workflow, "", row.status}];
    if (row.status == CaseStatus::kRunning && row.next_due_ms &&
        (!out.earliest_running_due_ms || *row.next_due_ms < *out.earliest_running_due_ms)) {
      out.earliest_running_due_ms = row.next_due_ms;
    }
  }
  for (const auto& [key, cases] : counts) {
    CaseStateCount count;
    count.workflow = std::get<0>(key);
    count.state = std::get<1>(key);
    count.status = std::get<2>(key);
    count.cases = cases;
    out.by_state.push_back(std::move(count));
  }
  SortCaseCounts(&out);
  return out;
}

}  // namespace zgtflow::store
