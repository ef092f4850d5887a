// ⑧ The frame every HTML page shares: <head> with the stylesheet, the
// navigation (概览 · 案件 · 流程), who is signed in and the logout form; plus
// the small label helpers the pages use. Chinese first, readable without
// JavaScript.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/model/workflow.h"
#include "web/auth/principal.h"

namespace zgtflow::web::pages {

// Which navigation entry is current.
enum class Nav { kNone, kDashboard, kCases, kWorkflows };

// A whole HTML document: `title` (escaped here) and `body` (already HTML).
// `viewer` null = not signed in (the login page): no navigation.
std::string Layout(const std::string& title, const auth::Principal* viewer, Nav nav,
                   const std::string& body);

// The stylesheet served at /static/zgtflow.css.
const std::string& StyleSheet();

// Newest workflow version by id, for labels in lists.
using WorkflowIndex = std::map<std::string, std::shared_ptr<const model::Workflow>>;

// "限期整改" for a workflow id (the id itself when unknown or unlabelled).
std::string WorkflowLabel(const WorkflowIndex& workflows, const std::string& id);
// A state's Chinese label in `workflow` (the name when unknown), unescaped.
std::string StateLabel(const model::Workflow* workflow, const std::string& name);
// "管理单位" for a role (the name when unknown), unescaped.
std::string RoleLabel(const model::Workflow* workflow, const std::string& role);

// The names of a case row's `state` JSON array ([] when malformed).
std::vector<std::string> StateNames(const std::string& state_json);
// The innermost active states of a row (those that are no other's ancestor),
// as escaped HTML labels joined by "、".
std::string ActiveStatesHtml(const model::Workflow* workflow, const std::string& state_json);
// role → party names from a row's `parties` JSON ({} when malformed).
std::map<std::string, std::vector<std::string>> PartiesOf(const std::string& parties_json);

}  // namespace zgtflow::web::pages
