// ⑤ Store's default methods added for the web (store.h): principals and
// sessions answer kInternal (for wrappers that predate them; every backend
// overrides them); CountOutbox walks the cases.
#include "engine/store/store.h"

namespace zgtflow::store {
namespace {

Status Unsupported() {
  return Status(StatusCode::kInternal, "this store keeps no principals or sessions");
}

}  // namespace

Status Store::PutPrincipal(const PrincipalRow&) { return Unsupported(); }
Result<PrincipalRow> Store::GetPrincipal(const std::string&) { return Unsupported(); }
Status Store::PutSession(const SessionRow&) { return Unsupported(); }
Result<SessionRow> Store::GetSession(const std::string&) { return Unsupported(); }
Status Store::DeleteSession(const std::string&) { return Unsupported(); }

Result<OutboxCounts> Store::CountOutbox() {
  Result<std::vector<std::string>> ids = ListCaseIds();
  if (!ids.ok()) return ids.status();
  OutboxCounts counts;
  for (const std::string& id : *ids) {
    Result<std::vector<OutboxRow>> rows = GetOutbox(id);
    if (!rows.ok()) return rows.status();
    for (const OutboxRow& row : *rows) {
      switch (row.status) {
        case OutboxStatus::kPending:
          ++counts.pending;
          counts.failed_attempts += row.attempts;
          break;
        case OutboxStatus::kDead:
          ++counts.dead;
          counts.failed_attempts += row.attempts;
          break;
        case OutboxStatus::kDelivered:
          ++counts.delivered;
          counts.failed_attempts += row.attempts;
          break;
      }
    }
  }
  return counts;
}

Result<int64_t> Store::CountCases(const CaseFilter& filter) {
  CaseFilter all = filter;
  all.limit = 0;
  all.offset = 0;
  Result<std::vector<CaseRow>> rows = ListCases(all);
  if (!rows.ok()) return rows.status();
  return static_cast<int64_t>(rows->size());
}

}  // namespace zgtflow::store
