// ② The .scenario language as data (DSL.md "Scenario files"): a file holds
// scenarios, each a list of steps with spans. Produced by scenario_parser.cc,
// run by engine/scenario/scenario_runner.cc. No ANTLR types here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsl/source.h"
#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"

namespace zgtflow::scenario {

enum class StepKind {
  kWorkflow,           // `workflow ID`: later starts create cases of `name`.
  kAt,                 // `at TIMESTAMP`: move the clock forward to `instant`.
  kAdvance,            // `advance DURATION`: move the clock forward by `duration`.
  kStart,              // `start [as ROLE] [with JSON]`: start a case of the workflow.
  kSend,               // `send EVENT [as ROLE] [with JSON]` to the current case.
  kExpectState,        // `expect state S`: S (`name`) is active, leaf or ancestor.
  kExpectNotState,     // `expect not state S`: S (`name`) is not active.
  kExpectVar,          // `expect var FIELD = JSON`: field `name` equals `data`.
  kExpectNotified,     // `expect notified ROLE`: `name` was notified since the last check.
  kExpectRejectSend,   // `expect reject send EVENT …`: the send is refused, nothing changes.
  kExpectRejectStart,  // `expect reject start …`: the start is refused, nothing changes.
  kExpectChildren,     // `expect children WORKFLOW N`: `count` children of workflow `name`.
};

// The step's keyword(s) as written, e.g. "expect reject send".
const char* StepKindName(StepKind kind);

// One line of a scenario. Only the members its kind names are meaningful.
struct ScenarioStep {
  StepKind kind = StepKind::kWorkflow;
  dsl::SourceSpan span;             // The step's first token.
  // kWorkflow: workflow id; kSend/kExpectRejectSend: event ("a.b" kept dotted);
  // kExpectState/kExpectNotState: state; kExpectVar: field;
  // kExpectNotified: role; kExpectChildren: child workflow id.
  std::string name;
  std::string role;                 // `as ROLE`; "" when not written.
  bool has_data = false;            // `with JSON` was written (kExpectVar: always true).
  nlohmann::json data;              // `with` payload, or kExpectVar's expected value.
  calendar::Instant instant;        // kAt.
  calendar::Duration duration;      // kAdvance.
  std::string text;                 // kAt: timestamp, kAdvance: duration, as written.
  int64_t count = 0;                // kExpectChildren.
};

// One `scenario "title"` block: fresh cases, the clock unset.
struct Scenario {
  std::string title;
  dsl::SourceSpan span;             // The `scenario` keyword.
  std::vector<ScenarioStep> steps;  // In file order.
};

}  // namespace zgtflow::scenario
