// core::Migrate on a statechart with parallel regions (operations_supervision):
// the same version with no map changes nothing but the timer ids; a map that
// leaves a region empty, or puts two states in one compound state, is refused.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/core/migration.h"
#include "engine/core/step.h"
#include "tests/support/compile_one.h"

namespace zgtflow::core {
namespace {

struct Started {
  std::shared_ptr<const model::Workflow> workflow;
  CaseState state;
  StepClock clock;
};

Started StartSupervision(const calendar::Calendar* calendar) {
  auto workflows = testing::CompileProjectFiles({"workflows/operations_supervision.flow"});
  REQUIRE(!workflows.empty());
  Started out;
  out.workflow = workflows.front();
  out.clock.now = calendar::ParseInstant("2026-03-02T09:00:00+08:00").value();
  out.clock.calendar = calendar;
  model::Object payload;
  payload["supervised_year"] = model::Value::Number(2026);
  StepResult started = Step(*out.workflow, NewCaseState(out.workflow->version, out.workflow->fields.size()),
                            Input::Start("project_company", payload, "open"), out.clock);
  INFO((started.rejection ? started.rejection->message : ""));
  REQUIRE(!started.rejection);
  out.state = started.next;
  return out;
}

std::vector<std::string> Active(const model::Workflow& workflow, const CaseState& state) {
  std::vector<std::string> names;
  for (uint16_t index : state.active) names.push_back(workflow.states[index].name);
  return names;
}

TEST_CASE("migrating to the same version without a map keeps states, data and deadlines",
          "[core]") {
  calendar::Calendar calendar = testing::ProjectCalendar();
  Started c = StartSupervision(&calendar);
  REQUIRE(c.state.timers.size() >= 4);
  StepClock later = c.clock;
  later.now.epoch_ms += 3 * 24 * 3600 * 1000LL;
  StepResult moved = Migrate(*c.workflow, *c.workflow, c.state, {}, later);
  INFO((moved.rejection ? moved.rejection->message : ""));
  REQUIRE(!moved.rejection);
  CHECK(Active(*c.workflow, moved.next) == Active(*c.workflow, c.state));
  CHECK(moved.next.data == c.state.data);
  CHECK(moved.next.revision == c.state.revision + 1);
  REQUIRE(moved.next.timers.size() == c.state.timers.size());
  for (size_t i = 0; i < c.state.timers.size(); ++i) {
    CHECK(moved.next.timers[i].due == c.state.timers[i].due);  // Not re-anchored 3 days later.
    CHECK(moved.next.timers[i].id != c.state.timers[i].id);
  }
  const auto count = [&](EffectKind kind) {
    return std::count_if(moved.effects.begin(), moved.effects.end(),
                         [&](const Effect& e) { return e.kind == kind; });
  };
  CHECK(count(EffectKind::kCancelTimer) == static_cast<long>(c.state.timers.size()));
  CHECK(count(EffectKind::kScheduleTimer) == static_cast<long>(c.state.timers.size()));
  CHECK(count(EffectKind::kRecord) == 1);
  // Step refuses a migration input: it needs both versions.
  StepResult refused = Step(*c.workflow, c.state, MigrationInput(*c.workflow, *c.workflow, {}, ""),
                            c.clock);
  CHECK(refused.rejection);
}

TEST_CASE("a map that breaks the parallel regions is refused and changes nothing", "[core]") {
  calendar::Calendar calendar = testing::ProjectCalendar();
  Started c = StartSupervision(&calendar);
  // Weekly's state moved into monthly: weekly has none, monthly two.
  StepResult refused = Migrate(*c.workflow, *c.workflow, c.state, {{"week_open", "month_open"}},
                               c.clock);
  REQUIRE(refused.rejection);
  CHECK(refused.rejection->code == "bad-structure");
  CHECK(refused.next == c.state);
  CHECK(refused.effects.empty());
  // Into a compound state: not a state a case can wait in.
  refused = Migrate(*c.workflow, *c.workflow, c.state, {{"week_open", "week_pending"}}, c.clock);
  REQUIRE(refused.rejection);
  CHECK(refused.rejection->code == "bad-structure");
}

TEST_CASE("a migration input carries its defaults, and one without them reads back none",
          "[core]") {
  calendar::Calendar calendar = testing::ProjectCalendar();
  Started c = StartSupervision(&calendar);
  const model::Object defaults = {{"supervised_year", model::Value::Number(2027)}};
  Result<MigrationSpec> spec =
      ReadMigration(MigrationInput(*c.workflow, *c.workflow, {}, "management_unit", defaults));
  REQUIRE(spec.ok());
  CHECK(spec->defaults == defaults);
  Input plain = MigrationInput(*c.workflow, *c.workflow, {}, "management_unit");
  CHECK(plain.payload.count("defaults") == 0);  // As every entry written before defaults.
  spec = ReadMigration(plain);
  REQUIRE(spec.ok());
  CHECK(spec->defaults.empty());
  plain.payload["defaults"] = model::Value::Text("x");
  CHECK(!ReadMigration(plain).ok());

  // A value the case has is kept: the default only fills what is missing.
  StepResult moved = Migrate(*c.workflow, *c.workflow, c.state, {}, c.clock, defaults);
  INFO((moved.rejection ? moved.rejection->message : ""));
  REQUIRE(!moved.rejection);
  CHECK(moved.next.data == c.state.data);
  CHECK(moved.effects.back().text.find("supervised_year =") == std::string::npos);
}

}  // namespace
}  // namespace zgtflow::core
