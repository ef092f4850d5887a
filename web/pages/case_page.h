// ⑧ The case page /cases/{id}: the workflow diagram with the active states
// highlighted, every deadline with its time left, the actions the viewer may
// take now (forms posting with the CSRF token), data and documents, parties,
// parent and child cases, the timeline from history and the delivery
// attempts. RenderCasePage is pure: the route (routes.cc) gathers the data.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar/calendar.h"
#include "engine/calendar/instant.h"
#include "engine/core/case_state.h"
#include "engine/model/workflow.h"
#include "engine/store/records.h"
#include "web/auth/principal.h"
#include "web/pages/layout.h"

namespace zgtflow::web::pages {

struct CasePageData {
  auth::Principal viewer;
  store::CaseRow row;
  core::CaseState state;
  std::shared_ptr<const model::Workflow> workflow;  // The case's own version; never null.
  std::vector<store::HistoryRow> history;            // In seq order.
  std::vector<store::OutboxRow> outbox;              // Notifications and calls, by id.
  std::vector<store::DeliveryAttemptRow> attempts;   // Each try to deliver them, by id.
  std::optional<store::CaseRow> parent;              // When the viewer may see it.
  std::vector<store::CaseRow> children;              // Those the viewer may see.
  std::vector<auth::AllowedEvent> allowed;           // What the viewer may send now.
  WorkflowIndex workflows;                           // For labels of parent/children.
  std::string diagram_svg;                           // Inline <svg> (from Graphviz), or "".
  calendar::Instant now;
  const calendar::Calendar* calendar = nullptr;
  std::string error;                                 // A refused action, shown on top.
  std::string notice;                                // e.g. "已提交：submit".
};

// The whole HTML document.
std::string RenderCasePage(const CasePageData& data);

// One line of the timeline per history entry: what came in, by whom, and
// what it did (states entered, records, notifications), as HTML.
std::string RenderTimelineEntry(const model::Workflow& workflow, const store::HistoryRow& entry);

}  // namespace zgtflow::web::pages
