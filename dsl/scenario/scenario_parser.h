// ② .scenario text → scenarios with steps (DSL.md "Scenario files"). The
// only code that touches the Scenario.g4 parse tree; no ANTLR type leaves it.
#pragma once

#include <vector>

#include "dsl/diagnostic.h"
#include "dsl/scenario/scenario.h"
#include "dsl/source.h"

namespace zgtflow::scenario {

struct ParsedScenarioFile {
  std::vector<Scenario> scenarios;  // Empty when `diagnostics` holds an error.
  dsl::Diagnostics diagnostics;     // path:line:col, every problem of the file.
};

// Parses `file`. Never throws. Reports, as errors:
//   "syntax"           text the grammar does not accept
//   "bad-timestamp"    an `at` instant ParseInstant rejects
//   "bad-duration"     an `advance` duration ParseDuration rejects
//   "bad-json"         a JSON value nlohmann/json rejects (e.g. the number 007,
//                      a bad escape in a string)
//   "bad-count"        an `expect children` count that is not a whole number ≥ 0
//   "no-scenario"      a step before the first `scenario "title"` line
// A file with any error yields no scenarios, so nothing half-parsed is run.
ParsedScenarioFile ParseScenarioFile(const dsl::SourceFile& file);

}  // namespace zgtflow::scenario
