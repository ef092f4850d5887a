// ⑥ Version diff: what changed between two versions of one workflow, for
// `zgtflow diff OLD NEW` and before a `zgtflow migrate` — states (a rename
// reads as removed + added), transitions, timers, entry/exit actions, data
// fields (an added required field matters to running cases), roles. Works on
// compiled models, so layout and comments are no difference. Pure.
#pragma once

#include <string>
#include <vector>

#include "engine/model/workflow.h"

namespace zgtflow::runtime {

struct VersionChange {
  char sign = '~';    // '-' removed, '+' added, '~' changed.
  std::string area;   // "state", "start", "transition", "timer", "entry", "exit", "field", "role",
                      // "workflow".
  std::string text;   // e.g. "verifying: on accept by management_unit -> closed".
  // True when cases running on the old version may not simply continue on
  // the new one: a state removed, a required field added or made required,
  // a field's type changed.
  bool affects_cases = false;

  std::string Line() const;  // "- transition verifying: on accept …"
};

struct VersionDiff {
  std::vector<VersionChange> changes;  // Workflow, roles, fields, states, then per state.
  std::vector<std::string> removed_states;  // States of the old version the new one lacks.
  bool same() const { return changes.empty(); }
};

// The differences from `before` to `after` (same workflow id expected; a
// different id is itself a change).
VersionDiff DiffVersions(const model::Workflow& before, const model::Workflow& after);

// The DSL-like text of an expression, a transition, a timer, an action list
// (fields and states by name), as the diff prints them.
std::string ExprText(const model::Expr& expr, const model::Workflow& workflow);
std::string TransitionText(const model::TransitionDef& transition, const model::Workflow& workflow);
std::string TimerText(const model::TimerDef& timer, const model::Workflow& workflow);
std::string ActionsText(const std::vector<model::ActionDef>& actions,
                        const model::Workflow& workflow);

}  // namespace zgtflow::runtime
