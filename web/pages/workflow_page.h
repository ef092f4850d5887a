// ⑧ The workflow pages: /workflows (every deployed workflow) and
// /workflows/{id}[?version=V] (diagram, the clauses it cites, its source with
// the lines citing them marked, its versions and what changed from the
// previous one). Pure renderers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/workflow.h"
#include "engine/runtime/version_diff.h"
#include "engine/store/records.h"
#include "web/auth/principal.h"
#include "web/pages/layout.h"

namespace zgtflow::web::pages {

struct WorkflowPageData {
  auth::Principal viewer;
  std::shared_ptr<const model::Workflow> workflow;  // The version shown; never null.
  std::vector<store::DefinitionRow> versions;       // This workflow's, oldest first.
  std::string previous_source;                      // Source of the version before it ("" = none).
  std::string previous_version;
  // What changed in the model (runtime::DiffVersions) when the previous
  // version is held by the registry; unset otherwise (the line diff remains).
  std::optional<runtime::VersionDiff> changes;
  std::string diagram_svg;
};

std::string RenderWorkflowPage(const WorkflowPageData& data);

struct WorkflowListData {
  auth::Principal viewer;
  WorkflowIndex workflows;  // Newest version of each.
};

std::string RenderWorkflowList(const WorkflowListData& data);

// A line diff of two texts ("  ", "- ", "+ " prefixed lines, only changed
// lines with `context` lines around them; "" when equal). Texts above 4000
// lines are compared line by line without alignment.
std::vector<std::string> LineDiff(const std::string& before, const std::string& after,
                                  int context = 3);

}  // namespace zgtflow::web::pages
