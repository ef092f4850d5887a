// Runs .scenario files (DSL.md) against compiled workflows, in memory, on a
// virtual clock that fires due timers in order. Used by `zgtflow test` and by
// tests/scenarios_test. No file I/O: the caller reads the files.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dsl/diagnostic.h"
#include "dsl/source.h"
#include "engine/calendar/calendar.h"
#include "engine/model/workflow.h"

namespace zgtflow::scenario {

// The result of one `scenario "title"` block.
struct ScenarioOutcome {
  std::string title;
  dsl::SourceSpan span;   // Where the scenario starts.
  bool passed = false;
  // Empty when passed. Otherwise "path:line: expected …, found …" for the
  // first failing step (the scenario stops there).
  std::string failure;
};

struct ScenarioFileResult {
  std::vector<ScenarioOutcome> outcomes;
  dsl::Diagnostics diagnostics;  // Syntax errors in the scenario file itself.
};

// Runs every scenario of `file`. `workflows` are the compiled workflows the
// scenarios may name; `calendar` counts working days (not owned; may be null).
ScenarioFileResult RunScenarioFile(
    const dsl::SourceFile& file,
    const std::vector<std::shared_ptr<const model::Workflow>>& workflows,
    const calendar::Calendar* calendar);

}  // namespace zgtflow::scenario
