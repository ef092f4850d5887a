// ③ MODEL: a validated, immutable workflow definition, versioned by content
// hash. dsl::Compile is the only producer; core::Step the main reader. Shared
// as std::shared_ptr<const Workflow> by every case of that version.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/model/state.h"
#include "engine/model/type.h"
#include "engine/model/value.h"

namespace zgtflow::model {

struct RoleDef {
  std::string name;   // Contract id, e.g. "management_unit".
  std::string label;  // e.g. "管理单位".
};

struct FieldDef {
  std::string name;
  std::string label;
  Type type;
  bool required = false;  // Must hold a value at the start.
  bool has_default = false;
  Expr default_value;     // Evaluated at the start when no value is given.
};

// `case_in(workflow, state, field)` in an expression: is some case of
// `workflow` whose `field` equals this case's `field` in state `state`? The
// answer depends on other cases, so Step does not compute it: the runtime
// answers every query of the workflow before the step and passes the answers
// in Input::facts under Key(), which the history records with the input.
struct CaseQuery {
  std::string workflow;
  std::string state;
  std::string field;
  // "case_in(partner_onboarding,authorized,company)".
  std::string Key() const { return "case_in(" + workflow + "," + state + "," + field + ")"; }
};

struct Workflow {
  std::string id;                    // Contract id, e.g. "rectification".
  std::string label;                 // e.g. "限期整改".
  uint64_t version = 0;              // Content hash of the definition's text.
  std::string source_path;           // File it was compiled from.
  std::string source;                // The workflow's own text, for pages and diff.
  std::vector<std::string> cites;    // Clauses of the measures.
  std::string calendar = "cn-mainland";
  std::vector<RoleDef> roles;        // Every role known when it was compiled.
  std::vector<FieldDef> fields;
  std::vector<StateDef> states;      // [0] is the synthetic root; its children are the top-level states.
  // How a case starts: workflow-level `on EVENT by ROLE [if] [require] -> STATE`.
  // Empty: a start enters the root's initial state, by any role.
  std::vector<TransitionDef> start_transitions;
  std::vector<CaseQuery> case_queries;  // Every distinct case_in(…) of the workflow.
  std::vector<std::string> events;   // Every event name some transition handles, sorted.
  std::unordered_map<std::string, int> state_index;  // name → index.
  std::unordered_map<std::string, int> field_index;  // name → index.

  // -1 when there is no such state / field / role.
  int FindState(const std::string& name) const;
  int FindField(const std::string& name) const;
  const RoleDef* FindRole(const std::string& name) const;
  // The version as 16 lowercase hex digits.
  std::string VersionHex() const;
  // True when `ancestor` is `state` or one of its ancestors.
  bool IsAncestorOrSelf(int ancestor, int state) const;
};

}  // namespace zgtflow::model
