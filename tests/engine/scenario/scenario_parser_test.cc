// Tests for dsl/scenario/scenario_parser: .scenario text → steps, and the
// diagnostics a policy editor sees for text the language does not accept.
#include "dsl/scenario/scenario_parser.h"

#include <catch2/catch.hpp>

namespace zgtflow::scenario {
namespace {

ParsedScenarioFile ParseText(const std::string& text) {
  return ParseScenarioFile(dsl::SourceFile{"t.scenario", text});
}

std::string FirstDiagnostic(const ParsedScenarioFile& parsed) {
  return parsed.diagnostics.empty() ? "" : parsed.diagnostics.front().ToString();
}

TEST_CASE("the DSL.md example scenario parses into its steps in order", "[scenario]") {
  auto parsed = ParseText(
      "scenario \"no completion within 2 months leads to penalty\"\n"
      "workflow rectification\n"
      "at 2026-01-31T09:00:00+08:00\n"
      "start as management_unit with {\"subject\": \"平台稳定性未达标\"}\n"
      "expect state rectifying\n"
      "expect var due = \"2026-03-31T09:00:00+08:00\"\n"
      "advance 2 months\n"
      "expect state penalty\n"
      "expect notified management_unit\n"
      "expect reject send submit as project_company\n");
  REQUIRE(parsed.diagnostics.empty());
  REQUIRE(parsed.scenarios.size() == 1);
  const Scenario& s = parsed.scenarios[0];
  CHECK(s.title == "no completion within 2 months leads to penalty");
  CHECK(s.span.line == 1);
  CHECK(s.span.column == 1);
  REQUIRE(s.steps.size() == 9);

  CHECK(s.steps[0].kind == StepKind::kWorkflow);
  CHECK(s.steps[0].name == "rectification");
  CHECK(s.steps[0].span.line == 2);

  CHECK(s.steps[1].kind == StepKind::kAt);
  CHECK(s.steps[1].text == "2026-01-31T09:00:00+08:00");
  CHECK(s.steps[1].instant.epoch_ms == 1769821200000LL);  // 2026-01-31T01:00:00Z

  CHECK(s.steps[2].kind == StepKind::kStart);
  CHECK(s.steps[2].role == "management_unit");
  CHECK(s.steps[2].has_data);
  CHECK(s.steps[2].data["subject"] == "平台稳定性未达标");

  CHECK(s.steps[3].kind == StepKind::kExpectState);
  CHECK(s.steps[3].name == "rectifying");

  CHECK(s.steps[4].kind == StepKind::kExpectVar);
  CHECK(s.steps[4].name == "due");
  CHECK(s.steps[4].data == "2026-03-31T09:00:00+08:00");

  CHECK(s.steps[5].kind == StepKind::kAdvance);
  CHECK(s.steps[5].text == "2 months");
  CHECK(s.steps[5].duration.amount == 2);
  CHECK(s.steps[5].duration.unit == calendar::DurationUnit::kMonths);

  CHECK(s.steps[7].kind == StepKind::kExpectNotified);
  CHECK(s.steps[7].name == "management_unit");

  CHECK(s.steps[8].kind == StepKind::kExpectRejectSend);
  CHECK(s.steps[8].name == "submit");
  CHECK(s.steps[8].role == "project_company");
  CHECK_FALSE(s.steps[8].has_data);
}

TEST_CASE("a file holds several scenarios, each with its own steps", "[scenario]") {
  auto parsed = ParseText(
      "# comment line\n\n"
      "scenario \"one\"\nworkflow hello\n\n"
      "scenario \"two\"   # trailing comment\nworkflow triage\nexpect not state closed\n");
  REQUIRE(parsed.diagnostics.empty());
  REQUIRE(parsed.scenarios.size() == 2);
  CHECK(parsed.scenarios[0].title == "one");
  CHECK(parsed.scenarios[0].steps.size() == 1);
  CHECK(parsed.scenarios[1].title == "two");
  CHECK(parsed.scenarios[1].span.line == 6);
  REQUIRE(parsed.scenarios[1].steps.size() == 2);
  CHECK(parsed.scenarios[1].steps[1].kind == StepKind::kExpectNotState);
  CHECK(parsed.scenarios[1].steps[1].name == "closed");
}

TEST_CASE("every step form parses with its optional parts", "[scenario]") {
  auto parsed = ParseText(
      "scenario \"forms\"\n"
      "advance half day\n"
      "advance 5 working days\n"
      "start\n"
      "send evaluating.done\n"
      "send mlps_passed as project_company with {\n"
      "  \"report\": {\"name\": \"r.pdf\", \"sha256\": \"ab\"},\n"
      "  \"terminals\": [\"app\", \"wechat\"]\n"
      "}\n"
      "expect reject start as project_company\n"
      "expect reject send accept with {\"n\": -1.5e2}\n"
      "expect children rectification 2\n"
      "expect var level = 1\n"
      "expect var live_since = null\n"
      "expect state start\n");
  REQUIRE(FirstDiagnostic(parsed) == "");
  const auto& steps = parsed.scenarios.at(0).steps;
  REQUIRE(steps.size() == 11);
  CHECK(steps[0].duration.unit == calendar::DurationUnit::kHalfDays);
  CHECK(steps[1].duration.amount == 5);
  CHECK(steps[1].duration.unit == calendar::DurationUnit::kWorkingDays);
  CHECK(steps[2].kind == StepKind::kStart);
  CHECK(steps[2].role == "");
  CHECK_FALSE(steps[2].has_data);
  CHECK(steps[3].name == "evaluating.done");
  CHECK(steps[4].data["report"]["name"] == "r.pdf");
  CHECK(steps[4].data["terminals"].size() == 2);
  CHECK(steps[5].kind == StepKind::kExpectRejectStart);
  CHECK(steps[5].role == "project_company");
  CHECK(steps[6].data["n"] == -150.0);
  CHECK(steps[7].kind == StepKind::kExpectChildren);
  CHECK(steps[7].name == "rectification");
  CHECK(steps[7].count == 2);
  CHECK(steps[8].data == 1);
  CHECK(steps[9].data.is_null());
  CHECK(steps[10].name == "start");  // Keywords may name states.
}

TEST_CASE("a syntax error is reported at its line and column and no scenario is kept",
          "[scenario]") {
  auto parsed = ParseText("scenario \"x\"\nworkflow hello\nexpect stat waiting\n");
  REQUIRE_FALSE(parsed.diagnostics.empty());
  CHECK(parsed.scenarios.empty());
  const auto& d = parsed.diagnostics.front();
  CHECK(d.code == "syntax");
  CHECK(d.span.path == "t.scenario");
  CHECK(d.span.line == 3);
  CHECK(d.span.column == 8);
  CHECK(d.ToString().rfind("t.scenario:3:8: error: ", 0) == 0);
}

TEST_CASE("all syntax errors of a file are reported in one run", "[scenario]") {
  auto parsed = ParseText("scenario \"x\"\nsend\nexpect nothing\nat tomorrow\n");
  REQUIRE(parsed.diagnostics.size() >= 3);
  CHECK(parsed.diagnostics[0].span.line == 2);
  CHECK(parsed.diagnostics[1].span.line == 3);
  CHECK(parsed.diagnostics[2].span.line == 4);
}

TEST_CASE("an error in one step does not cascade into the following lines", "[scenario]") {
  auto parsed = ParseText(
      "scenario \"x\"\n"
      "start with {\"a\": }\n"     // line 2: bad JSON
      "start with {\"a\": 1\n"     // line 3: unclosed object
      "send submit\n"               // line 4: fine
      "start with {\n  \"a\": 1\n}\n"  // lines 5-7: fine, spans lines
      "at tomorrow\n");             // line 8
  REQUIRE(parsed.diagnostics.size() == 3);
  CHECK(parsed.diagnostics[0].span.line == 2);
  CHECK(parsed.diagnostics[0].message.rfind("unexpected '}'", 0) == 0);
  CHECK(parsed.diagnostics[1].span.line == 3);
  CHECK(parsed.diagnostics[1].message == "unexpected end of line");
  CHECK(parsed.diagnostics[2].span.ToString() == "t.scenario:8:4");
  CHECK(parsed.diagnostics[2].message ==
        "unexpected 'tomorrow', expecting a timestamp like 2026-01-31T09:00:00+08:00");
}

TEST_CASE("a step before the first scenario line is an error", "[scenario]") {
  auto parsed = ParseText("workflow hello\nscenario \"x\"\n");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].code == "no-scenario");
  CHECK(parsed.diagnostics[0].span.line == 1);
  CHECK(parsed.scenarios.empty());
}

TEST_CASE("an impossible timestamp is reported as a bad timestamp", "[scenario]") {
  auto parsed = ParseText("scenario \"x\"\nat 2026-02-30T09:00:00+08:00\n");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].code == "bad-timestamp");
  CHECK(parsed.diagnostics[0].span.line == 2);
  CHECK(parsed.diagnostics[0].span.column == 4);
}

TEST_CASE("an unknown duration unit is reported as a bad duration", "[scenario]") {
  auto parsed = ParseText("scenario \"x\"\nadvance 3 fortnights\n");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].code == "bad-duration");
  CHECK(parsed.diagnostics[0].message.find("3 fortnights") != std::string::npos);
}

TEST_CASE("JSON that nlohmann rejects is reported as bad JSON", "[scenario]") {
  auto parsed = ParseText("scenario \"x\"\nstart with {\"n\": 007}\n");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].code == "bad-json");
  CHECK(parsed.diagnostics[0].span.line == 2);
  CHECK(parsed.diagnostics[0].span.column == 12);
}

TEST_CASE("a fractional child count is reported", "[scenario]") {
  auto parsed = ParseText("scenario \"x\"\nexpect children rectification 1.5\n");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].code == "bad-count");
}

TEST_CASE("columns count code points, so Chinese text does not shift them", "[scenario]") {
  auto parsed = ParseText("scenario \"整改\" expect\n");
  REQUIRE_FALSE(parsed.diagnostics.empty());
  CHECK(parsed.diagnostics[0].span.column == 15);
}

TEST_CASE("text that is not UTF-8 gives a diagnostic, not a crash", "[scenario]") {
  auto parsed = ParseText("scenario \"\xff\xfe\"\n");
  CHECK_FALSE(parsed.diagnostics.empty());
  CHECK(parsed.scenarios.empty());
}

TEST_CASE("an empty file has no scenarios and no errors", "[scenario]") {
  auto parsed = ParseText("");
  CHECK(parsed.diagnostics.empty());
  CHECK(parsed.scenarios.empty());
}

}  // namespace
}  // namespace zgtflow::scenario
