// Tests for engine/scenario: the runner's step semantics, its virtual clock
// and timer order, child cases, and the failure messages policy staff read.
#include "engine/scenario/scenario_runner.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "dsl/compile.h"
#include "engine/calendar/calendar_json.h"
#include "engine/scenario/case_set.h"

namespace zgtflow::scenario {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const calendar::Calendar& CnMainland() {
  static const calendar::Calendar calendar =
      *calendar::ParseCalendarJson(ReadFile(std::string(ZGT_SOURCE_DIR) + "/calendars/cn-mainland.json"));
  return calendar;
}

// Workflows for these tests, compiled with the example roles.
const char* const kFlows = R"(
workflow ticket "工单" {
  data {
    subject  text "事项" required
    fired_at datetime "触发时间"
    count    number "次数"
  }
  on open by ecosystem_unit require subject -> waiting
  state waiting "等待" {
    on answer by project_company -> done
    on note by project_company do { set count = 1 }
    after 2 hours do { set fired_at = now; notify management_unit "超时 {subject}" }
    every 30 minutes do notify project_company "提醒 {subject}"
  }
  final state done "完成"
}

workflow parent "父" {
  data { subject text "事项" required }
  on open by management_unit require subject -> spawning
  state spawning "派发" {
    entry { start child with { subject: subject } }
    on child.done -> finished
  }
  final state finished "完成"
}

workflow child "子" {
  data { subject text "事项" required }
  on begin by owner_unit require subject -> working
  state working "处理" {
    after 1 day -> closed
  }
  final state closed "关闭"
}
)";

std::vector<std::shared_ptr<const model::Workflow>> Workflows() {
  static const std::vector<std::shared_ptr<const model::Workflow>> workflows = [] {
    dsl::CompileResult compiled = dsl::Compile(
        {dsl::SourceFile{"test.flow", kFlows},
         dsl::SourceFile{"roles.flow", ReadFile(std::string(ZGT_SOURCE_DIR) + "/examples/roles.flow")}});
    for (const auto& d : compiled.diagnostics) UNSCOPED_INFO(d.ToString());
    REQUIRE(compiled.ok());
    return compiled.workflows;
  }();
  return workflows;
}

ScenarioFileResult Run(const std::string& text, const calendar::Calendar* calendar = &CnMainland()) {
  return RunScenarioFile(dsl::SourceFile{"s.scenario", text}, Workflows(), calendar);
}

// The one scenario's failure, "" when it passed.
std::string Failure(const std::string& text) {
  ScenarioFileResult result = Run(text);
  for (const auto& d : result.diagnostics) UNSCOPED_INFO(d.ToString());
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.outcomes.size() == 1);
  CHECK(result.outcomes[0].passed == result.outcomes[0].failure.empty());
  return result.outcomes[0].failure;
}

const std::string kOpened =
    "scenario \"s\"\n"
    "workflow ticket\n"
    "at 2026-03-02T09:00:00+08:00\n"
    "start as ecosystem_unit with {\"subject\": \"问\"}\n";  // Lines 1–4.

TEST_CASE("a scenario whose expectations hold passes", "[scenario]") {
  CHECK(Failure(kOpened + "expect state waiting\nsend answer as project_company\nexpect state done\n") == "");
}

TEST_CASE("a failing expect state names the line, the expected and the active states",
          "[scenario]") {
  CHECK(Failure(kOpened + "expect state done\n") ==
        "s.scenario:5: expected state 'done', found 'waiting'");
  CHECK(Failure(kOpened + "expect not state waiting\n") ==
        "s.scenario:5: expected state 'waiting' not to be active, found 'waiting'");
  CHECK(Failure(kOpened + "expect state wating\n") ==
        "s.scenario:5: expected state 'wating', found no such state in workflow 'ticket' "
        "(did you mean 'waiting'?)");
}

TEST_CASE("a refused send fails the step with the rejection's code and message", "[scenario]") {
  std::string failure = Failure(kOpened + "send answer as ecosystem_unit\n");
  CHECK(failure.rfind("s.scenario:5: expected `send answer as ecosystem_unit` to be accepted, "
                      "found it refused: role-not-allowed: ", 0) == 0);
}

TEST_CASE("a refused start fails the step and creates no case", "[scenario]") {
  std::string failure = Failure(
      "scenario \"s\"\nworkflow ticket\nat 2026-03-02T09:00:00+08:00\nstart as ecosystem_unit\n");
  CHECK(failure.rfind("s.scenario:4: expected `start as ecosystem_unit` to start a case, found it "
                      "refused: missing-field: ", 0) == 0);
}

TEST_CASE("expect reject passes on a refusal and changes nothing", "[scenario]") {
  CHECK(Failure(kOpened +
                "expect reject send answer as management_unit\n"
                "expect reject send nothing_like_it as project_company\n"
                "expect reject start as project_company with {\"subject\": \"x\"}\n"
                "expect state waiting\nexpect var count = null\n") == "");
}

TEST_CASE("expect reject fails when the input would be accepted, and does not apply it",
          "[scenario]") {
  CHECK(Failure(kOpened + "expect reject send answer as project_company\n") ==
        "s.scenario:5: expected `send answer as project_company` to be refused, found it "
        "accepted (it would move to 'done')");
  CHECK(Failure(kOpened + "expect reject send note as project_company\nexpect state waiting\n")
            .rfind("s.scenario:5:", 0) == 0);
  CHECK(Failure(kOpened + "expect reject start as ecosystem_unit with {\"subject\": \"x\"}\n") ==
        "s.scenario:5: expected `start as ecosystem_unit with {\"subject\":\"x\"}` to be refused, "
        "found it accepted");
}

TEST_CASE("expect var compares by the field's type and shows the value found", "[scenario]") {
  CHECK(Failure(kOpened + "expect var subject = \"问\"\nexpect var count = null\n") == "");
  CHECK(Failure(kOpened + "expect var subject = \"答\"\n") ==
        "s.scenario:5: expected var subject = \"答\", found \"问\"");
  CHECK(Failure(kOpened + "send note as project_company\nexpect var count = 1\n") == "");
  CHECK(Failure(kOpened + "send note as project_company\nexpect var count = 2\n") ==
        "s.scenario:6: expected var count = 2, found 1");
  CHECK(Failure(kOpened + "expect var subjet = \"问\"\n") ==
        "s.scenario:5: expected a field 'subjet', found none in workflow 'ticket' (did you mean "
        "'subject'?)");
  CHECK(Failure(kOpened + "expect var count = \"many\"\n")
            .rfind("s.scenario:5: expected \"many\" to be a number value for 'count'", 0) == 0);
}

TEST_CASE("a timer fires at its own due instant even when the clock moves past it",
          "[scenario]") {
  // The same instant written in two offsets compares equal.
  CHECK(Failure(kOpened + "advance 1 day\nexpect var fired_at = \"2026-03-02T03:00:00Z\"\n") == "");
  CHECK(Failure(kOpened + "at 2026-03-02T10:59:00+08:00\nexpect var fired_at = null\n") == "");
}

TEST_CASE("expect notified counts notifications since the previous check of that role",
          "[scenario]") {
  CHECK(Failure(kOpened + "advance 2 hours\nexpect notified management_unit\n") == "");
  CHECK(Failure(kOpened + "advance 2 hours\nexpect notified management_unit\n"
                          "advance 30 minutes\nexpect notified management_unit\n") ==
        "s.scenario:8: expected a notification to 'management_unit', found none since the last "
        "check (notified: 'project_company')");
  CHECK(Failure(kOpened + "expect notified owner_unit\n") ==
        "s.scenario:5: expected a notification to 'owner_unit', found none since the last check");
}

TEST_CASE("moving the clock fires every due timer of every case in (due, case, id) order",
          "[scenario]") {
  auto workflows = Workflows();
  CaseSet cases(&workflows, &CnMainland());
  auto ticket = cases.FindWorkflow("ticket");
  REQUIRE(ticket != nullptr);
  REQUIRE(cases.MoveClockTo(*calendar::ParseInstant("2026-03-02T09:00:00+08:00")) == "");
  model::Object first{{"subject", model::Value::Text("A")}};
  model::Object second{{"subject", model::Value::Text("B")}};
  int a = -1, b = -1;
  REQUIRE(cases.Start(ticket, core::Input::Start("ecosystem_unit", first), &a).ok());
  REQUIRE(cases.MoveClockTo(*calendar::ParseInstant("2026-03-02T09:10:00+08:00")) == "");
  REQUIRE(cases.Start(ticket, core::Input::Start("ecosystem_unit", second), &b).ok());
  // A: every 30 min from 09:00 and 2 hours at 11:00; B: from 09:10, 11:10.
  REQUIRE(cases.MoveClockTo(*calendar::ParseInstant("2026-03-02T11:10:00+08:00")) == "");
  std::vector<std::string> order;
  for (const auto& n : cases.notifications()) order.push_back(n.text);
  // At 11:00 case A's `after` (id 1) comes before its `every` (id 2).
  CHECK(order == std::vector<std::string>{"提醒 A", "提醒 B", "提醒 A", "提醒 B", "提醒 A",
                                          "提醒 B", "超时 A", "提醒 A", "超时 B", "提醒 B"});
  CHECK(cases.now() == *calendar::ParseInstant("2026-03-02T11:10:00+08:00"));
}

TEST_CASE("a recurring timer fires once per period up to the target instant", "[scenario]") {
  auto workflows = Workflows();
  CaseSet cases(&workflows, &CnMainland());
  REQUIRE(cases.MoveClockTo(*calendar::ParseInstant("2026-03-02T09:00:00+08:00")) == "");
  int a = -1;
  REQUIRE(cases
              .Start(cases.FindWorkflow("ticket"),
                     core::Input::Start("ecosystem_unit", {{"subject", model::Value::Text("A")}}), &a)
              .ok());
  REQUIRE(cases.MoveClockTo(*calendar::ParseInstant("2026-03-02T10:59:59+08:00")) == "");
  CHECK(cases.notifications().size() == 3);  // 09:30, 10:00, 10:30
}

TEST_CASE("a parent's start action starts a real child case, and its end reaches the parent",
          "[scenario]") {
  CHECK(Failure("scenario \"s\"\nworkflow parent\nat 2026-03-02T09:00:00+08:00\n"
                "start as management_unit with {\"subject\": \"派\"}\n"
                "expect state spawning\nexpect children child 1\nexpect children ticket 0\n"
                "advance 1 day\nexpect state finished\n") == "");
  CHECK(Failure("scenario \"s\"\nworkflow parent\nat 2026-03-02T09:00:00+08:00\n"
                "start as management_unit with {\"subject\": \"派\"}\nexpect children child 2\n") ==
        "s.scenario:5: expected 2 child case(s) of 'child', found 1");
}

TEST_CASE("the clock cannot move back or move before it is set", "[scenario]") {
  CHECK(Failure(kOpened + "at 2026-03-01T09:00:00+08:00\n") ==
        "s.scenario:5: expected a time after the clock's 2026-03-02T09:00:00+08:00, found "
        "2026-03-01T09:00:00+08:00 (the clock never moves back)");
  CHECK(Failure("scenario \"s\"\nadvance 1 day\n") ==
        "s.scenario:2: expected `at TIMESTAMP` before `advance`, found the clock unset");
}

TEST_CASE("steps that need a workflow, a clock or a case say which is missing", "[scenario]") {
  CHECK(Failure("scenario \"s\"\nstart\n") == "s.scenario:2: expected `workflow ID` before `start`");
  CHECK(Failure("scenario \"s\"\nworkflow ticket\nstart\n") ==
        "s.scenario:3: expected `at TIMESTAMP` before `start`");
  CHECK(Failure("scenario \"s\"\nworkflow ticket\nat 2026-03-02\nsend answer\n") ==
        "s.scenario:4: expected `start` before `send answer`");
  CHECK(Failure("scenario \"s\"\nworkflow tiket\n") ==
        "s.scenario:2: expected a workflow 'tiket', found none (did you mean 'ticket'?)");
}

TEST_CASE("each scenario starts with fresh cases and an unset clock", "[scenario]") {
  ScenarioFileResult result = Run(kOpened + "expect state waiting\n"
                                  "scenario \"second\"\nworkflow ticket\nexpect state waiting\n");
  REQUIRE(result.outcomes.size() == 2);
  CHECK(result.outcomes[0].passed);
  CHECK(result.outcomes[1].title == "second");
  CHECK(result.outcomes[1].span.line == 6);
  CHECK_FALSE(result.outcomes[1].passed);
  CHECK(result.outcomes[1].failure == "s.scenario:8: expected `start` before `expect state`");
}

TEST_CASE("a scenario stops at its first failing step", "[scenario]") {
  CHECK(Failure(kOpened + "expect state done\nexpect state nowhere\n") ==
        "s.scenario:5: expected state 'done', found 'waiting'");
}

TEST_CASE("syntax errors are returned as diagnostics and nothing runs", "[scenario]") {
  ScenarioFileResult result = Run("scenario \"s\"\nexpect stat waiting\n");
  CHECK(result.outcomes.empty());
  REQUIRE_FALSE(result.diagnostics.empty());
  CHECK(result.diagnostics[0].span.ToString() == "s.scenario:2:8");
}

TEST_CASE("without a calendar, working days fail the step instead of guessing", "[scenario]") {
  ScenarioFileResult result = Run(kOpened + "advance 5 working days\n", nullptr);
  REQUIRE(result.outcomes.size() == 1);
  CHECK_FALSE(result.outcomes[0].passed);
  CHECK(result.outcomes[0].failure.rfind("s.scenario:5: cannot add 5 working days to ", 0) == 0);
}

}  // namespace
}  // namespace zgtflow::scenario
