// case_in(…) guards: Step reads the runtime's answers from the input and
// never looks at other cases itself.
#include <catch2/catch.hpp>

#include "engine/core/step.h"
#include "tests/support/case_driver.h"
#include "tests/support/compile_one.h"
#include "tests/support/model_builder.h"

namespace zgtflow::testing {
namespace {

using core::Input;
using model::Value;

const char* kFlows = R"(
workflow listing {
  data { credit_code text required }
  on submit by ecosystem_unit if case_in(onboarding, authorized, credit_code) -> submitted
  state submitted { on approve by project_company -> listed }
  final state listed
}
workflow onboarding {
  data { credit_code text required }
  on apply by ecosystem_unit require credit_code -> authorized
  state authorized { on revoke by project_company -> revoked }
  final state revoked
}
)";

Input Submit(std::optional<bool> authorized) {
  Input input = Input::Start("ecosystem_unit", {{"credit_code", Value::Text("91450300MA5K000001")}});
  if (authorized) input.facts["case_in(onboarding,authorized,credit_code)"] = Value::Bool(*authorized);
  return input;
}

TEST_CASE("a workflow lists the case queries its guards ask", "[core]") {
  auto workflow = CompileOne(kFlows);
  REQUIRE(workflow->case_queries.size() == 1);
  CHECK(workflow->case_queries[0].Key() == "case_in(onboarding,authorized,credit_code)");
}

TEST_CASE("a case_in guard follows the answer the input carries", "[core]") {
  auto workflow = CompileOne(kFlows);
  {
    CaseDriver driver(*workflow, At("2026-03-02T09:00:00+08:00"));
    CHECK_FALSE(driver.Send(Submit(true)).rejection);
  }
  {
    CaseDriver driver(*workflow, At("2026-03-02T09:00:00+08:00"));
    auto refused = driver.Send(Submit(false));
    REQUIRE(refused.rejection);
    CHECK(refused.rejection->code == "guard-false");
  }
  {
    // Unanswered: refused, and the message says the runtime did not answer.
    CaseDriver driver(*workflow, At("2026-03-02T09:00:00+08:00"));
    auto refused = driver.Send(Submit(std::nullopt));
    REQUIRE(refused.rejection);
    CHECK(refused.rejection->message.find("not answered by the runtime") != std::string::npos);
  }
}

}  // namespace
}  // namespace zgtflow::testing
