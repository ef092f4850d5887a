// core::StepInPlace: the same result as Step without the copy; a refused step
// leaves the case exactly as it was, data written before the refusal included.
#include <catch2/catch.hpp>

#include "engine/core/step.h"
#include "tests/support/compile_one.h"

namespace zgtflow::testing {
namespace {

using core::Input;

constexpr char kFlow[] = R"(
workflow counter "计数" {
  data {
    n      number  "次数"  default 0
    limit  number  "上限"
  }
  initial state idle "空闲" {
    on bump -> counting
  }
  state counting "计数中" {
    entry {
      set n = n + 1
      set n = n + limit
    }
    on done -> finished
  }
  final state finished "完成"
}
)";

TEST_CASE("a refused in-place step undoes the data it wrote and leaves no effects", "[core]") {
  auto wf = CompileOne(kFlow);
  core::StepClock clock;
  core::CaseState state = core::NewCaseState(wf->version, wf->fields.size());
  std::vector<core::Effect> effects;
  REQUIRE_FALSE(core::StepInPlace(*wf, state, Input::Start(""), clock, effects));
  const core::CaseState before = state;
  // `limit` has no value: the second `set` fails after the first wrote n = 1.
  std::optional<core::Rejection> refused = core::StepInPlace(*wf, state, Input::Event("bump", ""), clock, effects);
  REQUIRE(refused);
  CHECK(refused->code == "eval-error");
  CHECK(state == before);
  CHECK(effects.empty());
  CHECK(state.data[static_cast<size_t>(wf->FindField("n"))].AsNumber() == 0);
}

TEST_CASE("an in-place step gives the state and effects Step gives", "[core]") {
  auto wf = CompileOne(kFlow);
  core::StepClock clock;
  core::CaseState state = core::NewCaseState(wf->version, wf->fields.size());
  std::vector<core::Effect> effects;
  const Input inputs[] = {Input::Start("", {{"limit", model::Value::Number(5)}}), Input::Event("bump", ""),
                          Input::Event("done", "")};
  for (const Input& input : inputs) {
    core::StepResult pure = core::Step(*wf, state, input, clock);
    REQUIRE_FALSE(pure.rejection);
    REQUIRE_FALSE(core::StepInPlace(*wf, state, input, clock, effects));
    CHECK(state == pure.next);
    CHECK(effects == pure.effects);
  }
  CHECK(state.status == core::CaseStatus::kCompleted);
  CHECK(state.data[static_cast<size_t>(wf->FindField("n"))].AsNumber() == 6);
}

}  // namespace
}  // namespace zgtflow::testing
