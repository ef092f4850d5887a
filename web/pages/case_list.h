// ⑧ The case list /cases (filters: workflow, state, party, overdue; a text
// search; pages of 50) and the dashboard / (cases by workflow and state,
// overdue and due-soon first). Pure renderers: routes.cc fetches the rows.
#pragma once

#include <string>
#include <vector>

#include "engine/calendar/instant.h"
#include "engine/store/records.h"
#include "web/auth/principal.h"
#include "web/pages/layout.h"

namespace zgtflow::web::pages {

// The list's query string, as the filter form posts it back.
struct CaseListQuery {
  std::string workflow;
  std::string state;
  std::string party;
  bool overdue = false;
  std::string q;  // Search text: a case id, or text in the case's data or parties.
  int page = 1;   // 1-based.
  static constexpr int kPageSize = 50;
};

struct CaseListData {
  auth::Principal viewer;
  CaseListQuery query;
  std::vector<store::CaseRow> rows;  // The page's rows (at most kPageSize).
  bool has_next = false;
  bool search_truncated = false;     // The search stopped before the end of the cases.
  WorkflowIndex workflows;
  calendar::Instant now;
};

std::string RenderCaseList(const CaseListData& data);

// One workflow-and-state cell of the dashboard.
struct StateCount {
  std::string workflow;
  std::string state;  // Innermost active state name.
  int64_t cases = 0;
  int64_t overdue = 0;
};

struct DashboardData {
  auth::Principal viewer;
  std::vector<StateCount> counts;      // By workflow, then state.
  std::vector<store::CaseRow> overdue;   // Most overdue first.
  std::vector<store::CaseRow> due_soon;  // Next due first (within 3 days).
  int64_t scanned = 0;                 // Cases counted.
  bool truncated = false;              // Counted only the most recently updated `scanned`.
  WorkflowIndex workflows;
  calendar::Instant now;
};

std::string RenderDashboard(const DashboardData& data);

// The time-left cell of a row (from next_due_ms, natural time), as HTML.
std::string DueCell(const store::CaseRow& row, calendar::Instant now);

}  // namespace zgtflow::web::pages
