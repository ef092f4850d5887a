// The scenario runner delivers `send` events to the correlated cases only.
#include <catch2/catch.hpp>

#include "dsl/compile.h"
#include "engine/scenario/scenario_runner.h"
#include "tests/support/compile_one.h"

namespace zgtflow::testing {
namespace {

const char* kFlows = R"(
workflow violation {
  data { credit_code text required }
  on stop by project_company require credit_code -> stopped
  state stopped {
    on revoke by project_company -> revoked do { send revoke to onboarding matching credit_code }
  }
  final state revoked
}
workflow onboarding {
  data { credit_code text required }
  on apply by ecosystem_unit require credit_code -> authorized
  state authorized { on revoke by project_company -> revoked }
  final state revoked
}
)";

const char* kScenario = R"(scenario "a revoked partner loses its authorisation; another partner keeps it"
workflow onboarding
at 2026-03-02T09:00:00+08:00
start as ecosystem_unit with {"credit_code": "A"}
workflow onboarding
start as ecosystem_unit with {"credit_code": "B"}
workflow violation
start as project_company with {"credit_code": "A"}
send revoke as project_company
expect state revoked
workflow onboarding
expect state authorized
)";

TEST_CASE("send reaches the cases whose correlation field matches, and no others", "[scenario]") {
  dsl::CompileResult compiled = dsl::Compile(
      {dsl::SourceFile{"flows.flow", kFlows},
       dsl::SourceFile{"examples/roles.flow", ReadProjectFile("examples/roles.flow")}});
  REQUIRE(compiled.ok());
  auto result = scenario::RunScenarioFile(dsl::SourceFile{"send.scenario", kScenario},
                                          compiled.workflows, nullptr);
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.outcomes.size() == 1);
  INFO(result.outcomes[0].failure);
  CHECK(result.outcomes[0].passed);
}

}  // namespace
}  // namespace zgtflow::testing
