// `send EVENT to WORKFLOW matching FIELD`: one case tells the cases it is
// correlated with (a partner violation revokes the partner's authorisation),
// and events only the engine may raise are refused from outside.
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
workflow violation {
  data {
    credit_code text required
    reason text
  }
  on stop by project_company require credit_code -> stopped
  state stopped {
    on revoke by project_company, management_unit -> revoked do {
      send revoke to onboarding matching credit_code with { reason: reason }
    }
  }
  final state revoked
}

workflow onboarding {
  data {
    credit_code text required
    reason text
  }
  on apply by ecosystem_unit require credit_code -> authorized
  state authorized { on revoke by project_company, management_unit -> revoked }
  final state revoked
}
)";

TEST_CASE("send yields one effect naming the receiving workflow, the correlation value and the sender's role",
          "[core]") {
  auto workflow = CompileOne(kFlows);
  REQUIRE(workflow->id == "violation");
  CaseDriver driver(*workflow, At("2026-03-02T09:00:00+08:00"));
  REQUIRE_FALSE(driver.Send(Input::Start("project_company", {{"credit_code", Value::Text("91450000X")}}))
                    .rejection);
  auto result = driver.Send(Input::Event("revoke", "management_unit", {{"reason", Value::Text("泄露数据")}}));
  REQUIRE_FALSE(result.rejection);
  auto trace = Trace(result.effects);
  CHECK(std::find(trace.begin(), trace.end(),
                  "send:onboarding:revoke:credit_code=91450000X:as management_unit") != trace.end());
  const core::Effect* send = nullptr;
  for (const auto& e : result.effects) {
    if (e.kind == core::EffectKind::kSendToCases) send = &e;
  }
  REQUIRE(send != nullptr);
  REQUIRE(send->data.size() == 1);
  CHECK(send->data[0].first == "reason");
  CHECK(send->data[0].second == Value::Text("泄露数据"));
}

TEST_CASE("events the engine raises itself cannot be sent from outside", "[core]") {
  auto workflow = CompileProjectFiles({"examples/evaluations.flow", "examples/rectification.flow"});
  std::shared_ptr<const model::Workflow> evaluations;
  for (const auto& w : workflow) {
    if (w->id == "evaluations") evaluations = w;
  }
  REQUIRE(evaluations);
  CaseDriver driver(*evaluations, At("2026-03-02T09:00:00+08:00"));
  REQUIRE_FALSE(
      driver.Send(Input::Start("project_company", {{"system_name", Value::Text("统一身份认证")}}))
          .rejection);
  const int64_t revision = driver.state().revision;
  for (const char* event : {"evaluating.done", "child.done"}) {
    auto result = driver.Send(Input::Event(event, "project_company"));
    INFO(event);
    REQUIRE(result.rejection);
    CHECK(result.rejection->code == "internal-event");
  }
  CHECK(driver.state().revision == revision);
}

}  // namespace
}  // namespace zgtflow::testing
