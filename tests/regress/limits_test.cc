// Every limit of engine/base/limits.h, hit once: each is refused with its
// clear error (a path:line:col diagnostic for .flow text, an API error with
// code, message and field for a request), and nothing crashes.
#include <catch2/catch.hpp>

#include <string>

#include "dsl/compile.h"
#include "dsl/parse.h"
#include "dsl/scenario/scenario_parser.h"
#include "engine/base/limits.h"
#include "engine/core/eval.h"
#include "engine/core/step.h"
#include "tests/support/case_driver.h"
#include "tests/support/model_builder.h"
#include "web/request.h"

namespace zgtflow {
namespace {

using limits::kMaxNesting;

const std::string kRoles = "roles {\n  management_unit \"管理单位\"\n}\n";

// The first error diagnostic of compiling `text` as limits.flow (with roles).
dsl::Diagnostic FirstError(const std::string& text) {
  dsl::CompileResult result =
      dsl::Compile({dsl::SourceFile{"roles.flow", kRoles}, dsl::SourceFile{"limits.flow", text}});
  for (const dsl::Diagnostic& d : result.diagnostics) {
    if (d.severity == dsl::Severity::kError) return d;
  }
  return dsl::Diagnostic{dsl::Severity::kWarning, "none", {}, "no error", ""};
}

std::string Workflow(const std::string& field_default, const std::string& extra_states = "") {
  return "workflow w \"W\" {\n"
         "  data {\n    n number \"N\" default " + field_default + "\n  }\n"
         "  on go by management_unit -> a\n"
         "  state a \"A\" {\n    on done by management_unit -> z\n  }\n" +
         extra_states + "  final state z \"Z\"\n}\n";
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST_CASE("a well-formed workflow near no limit compiles (the limits tests' baseline)", "[regress]") {
  CHECK(FirstError(Workflow("1")).code == "none");
}

TEST_CASE("a .flow file larger than kMaxSourceBytes is refused at path:1:1", "[regress]") {
  std::string text = Workflow("1") + "#" + std::string(limits::kMaxSourceBytes, 'x') + "\n";
  dsl::Diagnostic d = FirstError(text);
  CHECK(d.code == "file-too-large");
  CHECK(d.span.ToString() == "limits.flow:1:1");
  CHECK(d.message.find(std::to_string(limits::kMaxSourceBytes)) != std::string::npos);
}

TEST_CASE("brackets nested deeper than kMaxNesting are refused where the limit is crossed",
          "[regress]") {
  std::string deep = Repeat("(", kMaxNesting + 50) + "1" + Repeat(")", kMaxNesting + 50);
  dsl::Diagnostic d = FirstError(Workflow(deep));
  CHECK(d.code == "nesting-too-deep");
  CHECK(d.span.line == 3);
  CHECK(d.span.column > 20);
  // One level less than the limit (the data block and workflow braces count) parses.
  std::string ok = Repeat("(", kMaxNesting - 5) + "1" + Repeat(")", kMaxNesting - 5);
  CHECK(FirstError(Workflow(ok)).code == "none");
}

TEST_CASE("100,000 nested brackets do not overflow the parser's stack", "[regress]") {
  std::string deep = Repeat("[", 100000);
  dsl::Diagnostic d = FirstError(Workflow(deep));
  CHECK(d.code == "nesting-too-deep");
  dsl::ExprParseResult expr = dsl::ParseExpression(dsl::SourceFile{"<e>", Repeat("-", 100000) + "1"});
  REQUIRE_FALSE(expr.diagnostics.empty());
  CHECK(expr.diagnostics[0].code == "nesting-too-deep");
}

TEST_CASE("a scenario's JSON nested deeper than kMaxNesting is refused, even 100,000 deep",
          "[regress]") {
  for (int depth : {kMaxNesting + 1, 100000}) {
    std::string text = "scenario \"s\"\nworkflow hello\nstart with " +
                       Repeat("[", static_cast<size_t>(depth)) +
                       Repeat("]", static_cast<size_t>(depth)) + "\n";
    scenario::ParsedScenarioFile parsed =
        scenario::ParseScenarioFile(dsl::SourceFile{"deep.scenario", text});
    REQUIRE_FALSE(parsed.diagnostics.empty());
    CHECK(parsed.diagnostics[0].code == "nesting-too-deep");
    CHECK(parsed.diagnostics[0].span.ToString() ==
          "deep.scenario:3:" + std::to_string(12 + kMaxNesting));
  }
  std::string ok = "scenario \"s\"\nworkflow hello\nstart with {\"a\": [[[1]]]}\n";
  CHECK(scenario::ParseScenarioFile(dsl::SourceFile{"ok.scenario", ok}).diagnostics.empty());
}

TEST_CASE("a .scenario file larger than kMaxSourceBytes is refused at path:1:1", "[regress]") {
  std::string text = "# " + std::string(limits::kMaxSourceBytes, 'x') + "\n";
  scenario::ParsedScenarioFile parsed =
      scenario::ParseScenarioFile(dsl::SourceFile{"big.scenario", text});
  REQUIRE_FALSE(parsed.diagnostics.empty());
  CHECK(parsed.diagnostics[0].code == "file-too-large");
  CHECK(parsed.diagnostics[0].span.ToString() == "big.scenario:1:1");
}

TEST_CASE("an expression of more than kMaxOperators operators is refused", "[regress]") {
  std::string chain = "1" + Repeat(" + 1", limits::kMaxOperators + 1);
  dsl::Diagnostic d = FirstError(Workflow(chain));
  CHECK(d.code == "nesting-too-deep");
  CHECK(d.message.find(std::to_string(limits::kMaxOperators)) != std::string::npos);
}

TEST_CASE("the evaluator refuses an expression tree deeper than kMaxExprDepth", "[regress]") {
  // Built directly (the parser would refuse it first): not(not(…(true))).
  model::Expr e = testing::Bool(true);
  for (int i = 0; i < limits::kMaxExprDepth + 10; ++i) {
    model::Expr n;
    n.op = model::ExprOp::kNot;
    n.type = model::Type::Of(model::TypeKind::kBool);
    n.children.push_back(std::move(e));
    e = std::move(n);
  }
  core::EvalContext context;
  Result<model::Value> value = core::Eval(e, context);
  REQUIRE_FALSE(value.ok());
  CHECK(value.status().message().find("nested too deeply") != std::string::npos);
}

TEST_CASE("a name longer than kMaxNameLength characters is refused at its position",
          "[regress]") {
  std::string name(limits::kMaxNameLength + 1, 'n');
  dsl::Diagnostic d = FirstError(Workflow("1", "  state " + name + " \"Long\" {\n  }\n"));
  CHECK(d.code == "name-too-long");
  CHECK(d.span.ToString() == "limits.flow:9:9");
  // Chinese names count characters, not bytes: 128 of them (384 bytes) pass the limit.
  std::string chinese = Repeat("名", limits::kMaxNameLength);
  CHECK(FirstError(Workflow("1", "  state " + chinese + " \"Long\" {\n  }\n")).code !=
        "name-too-long");
}

TEST_CASE("a workflow with more than kMaxTimersPerWorkflow timers is refused at the first extra",
          "[regress]") {
  std::string timers;
  for (int i = 0; i <= limits::kMaxTimersPerWorkflow; ++i) {
    timers += "    after " + std::to_string(i + 1) + " days do set n = " + std::to_string(i) + "\n";
  }
  std::string text = "workflow w \"W\" {\n  data {\n    n number \"N\"\n  }\n"
                     "  on go by management_unit -> a\n"
                     "  state a \"A\" {\n" + timers + "    on done by management_unit -> z\n  }\n"
                     "  final state z \"Z\"\n}\n";
  dsl::Diagnostic d = FirstError(text);
  CHECK(d.code == "too-many-timers");
  CHECK(d.span.line == 7 + limits::kMaxTimersPerWorkflow);
}

TEST_CASE("a step that does not settle within kMaxMicrostepsPerStep microsteps is refused whole",
          "[regress]") {
  testing::ModelBuilder b;
  int a = b.State("a");
  int s1 = b.State("s1");
  int s2 = b.State("s2");
  b.On(a, "go", s1);
  b.Always(s1, s2);
  b.Always(s2, s1);
  model::Workflow wf = b.Build();
  testing::CaseDriver c(wf, calendar::Instant{});
  c.Send(core::Input::Start(""));
  core::StepResult r = c.Send(core::Input::Event("go", ""));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "eventless-loop");
  CHECK(r.rejection->message.find(std::to_string(limits::kMaxMicrostepsPerStep)) !=
        std::string::npos);
  CHECK(r.effects.empty());  // Nothing of the refused step reaches the history.
}

TEST_CASE("an API body larger than kMaxRequestBodyBytes is 413 body-too-large", "[regress]") {
  std::string body = "{\"workflow\":\"w\",\"data\":{\"s\":\"" +
                     std::string(limits::kMaxRequestBodyBytes, 'x') + "\"}}";
  web::CreateCaseRequest request;
  std::optional<web::ApiError> error = web::ParseCreateCaseRequest(body, &request);
  REQUIRE(error);
  CHECK(error->status == 413);
  CHECK(error->code == "body-too-large");
}

TEST_CASE("an API name field longer than kMaxRequestNameBytes is 400 field-too-long naming it",
          "[regress]") {
  std::string body = "{\"event\":\"" + std::string(limits::kMaxRequestNameBytes + 1, 'e') + "\"}";
  web::SubmitEventRequest request;
  std::optional<web::ApiError> error = web::ParseSubmitEventRequest(body, &request);
  REQUIRE(error);
  CHECK(error->status == 400);
  CHECK(error->code == "field-too-long");
  CHECK(error->field == "event");
  // At the limit it passes.
  body = "{\"event\":\"" + std::string(limits::kMaxRequestNameBytes, 'e') + "\"}";
  CHECK_FALSE(web::ParseSubmitEventRequest(body, &request));
}

TEST_CASE("an API data text longer than kMaxRequestTextBytes is 400 field-too-long naming it",
          "[regress]") {
  std::string body = "{\"workflow\":\"w\",\"data\":{\"notes\":[\"ok\",\"" +
                     std::string(limits::kMaxRequestTextBytes + 1, 't') + "\"]}}";
  web::CreateCaseRequest request;
  std::optional<web::ApiError> error = web::ParseCreateCaseRequest(body, &request);
  REQUIRE(error);
  CHECK(error->code == "field-too-long");
  CHECK(error->field == "data.notes[1]");
}

TEST_CASE("an API body nested deeper than kMaxRequestJsonDepth is 400 too-deep, even 100,000 deep",
          "[regress]") {
  for (size_t depth : {static_cast<size_t>(limits::kMaxRequestJsonDepth) + 1, size_t{100000}}) {
    std::string body = "{\"event\":\"x\",\"data\":{\"d\":" + Repeat("[", depth) +
                       Repeat("]", depth) + "}}";
    web::SubmitEventRequest request;
    std::optional<web::ApiError> error = web::ParseSubmitEventRequest(body, &request);
    REQUIRE(error);
    CHECK(error->status == 400);
    CHECK(error->code == "too-deep");
  }
  std::string ok = "{\"event\":\"x\",\"data\":{\"d\":" + Repeat("[", 20) + Repeat("]", 20) + "}}";
  web::SubmitEventRequest request;
  CHECK_FALSE(web::ParseSubmitEventRequest(ok, &request));
}

}  // namespace
}  // namespace zgtflow
