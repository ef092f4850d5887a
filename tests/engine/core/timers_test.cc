// Timers in core::Step: scheduled on entry, cancelled on exit, inherited from
// parents, `every … until` recurrence, `at` deadlines already past.
#include <catch2/catch.hpp>

#include "engine/core/step.h"
#include "tests/support/case_driver.h"
#include "tests/support/model_builder.h"

namespace zgtflow::testing {
namespace {

using core::EffectKind;
using core::Input;
using model::ExprOp;
using model::StateKind;
using model::Type;
using model::TypeKind;
using Trace_ = std::vector<std::string>;

const calendar::Instant kT0 = At("2026-03-02T09:00:00+08:00");

TEST_CASE("entering a state schedules its after timer at entry plus the duration", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int late = b.State("late", StateKind::kFinal);
  b.After(a, Days(3), late);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Start(""));
  REQUIRE(c.state().timers.size() == 1);
  const core::PendingTimer& t = c.state().timers[0];
  CHECK(t.due == At("2026-03-05T09:00:00+08:00"));
  CHECK(Trace(r.effects) == Trace_{"enter:a", "schedule:" + std::to_string(t.id)});
  CHECK(r.effects[1].due == t.due);
}

TEST_CASE("leaving a state cancels its pending timers", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int done = b.State("done");
  b.After(a, Days(3), -1);
  b.After(a, Days(5), -1);
  b.On(a, "go", done);
  b.On(done, "x", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  REQUIRE(c.state().timers.size() == 2);
  const uint32_t t1 = c.state().timers[0].id, t2 = c.state().timers[1].id;
  auto r = c.Send(Input::Event("go", ""));
  CHECK(Trace(r.effects) == Trace_{"cancel:" + std::to_string(t1), "cancel:" + std::to_string(t2), "exit:a",
                                   "enter:done"});
  CHECK(c.state().timers.empty());
}

TEST_CASE("a firing timer with a target leaves its state like a transition", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int late = b.State("late", StateKind::kFinal);
  b.After(a, Days(3), late).actions.push_back(NotifyAction("management_unit", "late"));
  b.On(a, "x", late);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.FireNext();
  REQUIRE_FALSE(r.rejection);
  CHECK(Trace(r.effects) == Trace_{"notify:management_unit:late", "exit:a", "enter:late", "completed"});
  CHECK(c.state().status == core::CaseStatus::kCompleted);
}

TEST_CASE("a timer without a target runs its actions and the state stays active", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  b.After(a, Hours(2)).actions.push_back(RecordAction("reminded"));
  b.On(a, "x", -1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.FireNext();
  CHECK(Trace(r.effects) == Trace_{"record:reminded"});
  CHECK(c.InState("a"));
  CHECK(c.state().timers.empty());
}

TEST_CASE("a parent's timer keeps running while the case moves between its children", "[core]") {
  ModelBuilder b;
  int p = b.State("p", StateKind::kCompound);
  int a = b.State("a", StateKind::kAtomic, p);
  int a2 = b.State("a2", StateKind::kAtomic, p);
  int overdue = b.State("overdue", StateKind::kFinal);
  b.After(p, Days(10), overdue);
  b.On(a, "next", a2);
  b.On(a2, "back", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  const uint32_t timer = c.state().timers[0].id;
  auto r = c.Send(Input::Event("next", ""));
  CHECK(Trace(r.effects) == Trace_{"exit:a", "enter:a2"});
  REQUIRE(c.state().timers.size() == 1);
  CHECK(c.state().timers[0].id == timer);
  auto fired = c.FireNext();
  CHECK(Trace(fired.effects) == Trace_{"exit:a2", "exit:p", "enter:overdue", "completed"});
}

TEST_CASE("an every timer recurs from its anchor until its condition holds", "[core]") {
  ModelBuilder b;
  int level = b.Field("level", Type::Of(TypeKind::kNumber));
  int severe = b.State("severe");
  auto& every = b.Every(severe, calendar::Duration{30, calendar::DurationUnit::kMinutes, false});
  every.has_until = true;
  every.until = Cmp(ExprOp::kGt, FieldRef(level, Type::Of(TypeKind::kNumber)), Num(1));
  every.actions.push_back(NotifyAction("management_unit", "progress"));
  b.On(severe, "downgrade", -1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start("", {{"level", model::Value::Number(1)}}));
  REQUIRE(c.state().timers.size() == 1);
  CHECK(c.state().timers[0].due == At("2026-03-02T09:30:00+08:00"));

  auto first = c.FireNext();
  REQUIRE(c.state().timers.size() == 1);
  CHECK(c.state().timers[0].due == At("2026-03-02T10:00:00+08:00"));
  CHECK(c.state().timers[0].fired == 1);
  CHECK(Trace(first.effects) ==
        Trace_{"notify:management_unit:progress", "schedule:" + std::to_string(c.state().timers[0].id)});

  c.FireNext();
  CHECK(c.state().timers[0].due == At("2026-03-02T10:30:00+08:00"));

  c.Send(Input::Event("downgrade", "", {{"level", model::Value::Number(3)}}));
  REQUIRE(c.state().timers.size() == 1);
  auto stopped = c.FireNext();
  REQUIRE_FALSE(stopped.rejection);
  CHECK(stopped.effects.empty());  // The condition holds: no notification, no next period.
  CHECK(c.state().timers.empty());
}

TEST_CASE("an every timer is not scheduled when its condition already holds on entry", "[core]") {
  ModelBuilder b;
  int level = b.Field("level", Type::Of(TypeKind::kNumber));
  int severe = b.State("severe");
  auto& every = b.Every(severe, Hours(1));
  every.has_until = true;
  every.until = Cmp(ExprOp::kGt, FieldRef(level, Type::Of(TypeKind::kNumber)), Num(1));
  b.On(severe, "x", -1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start("", {{"level", model::Value::Number(4)}}));
  CHECK(c.state().timers.empty());
}

TEST_CASE("monthly every periods keep the anchor's day instead of drifting after a short month", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  b.Every(a, Months(1)).actions.push_back(RecordAction("monthly"));
  b.On(a, "x", -1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, At("2026-01-31T09:00:00+08:00"));
  c.Send(Input::Start(""));
  CHECK(c.state().timers[0].due == At("2026-02-28T09:00:00+08:00"));
  c.FireNext();
  CHECK(c.state().timers[0].due == At("2026-03-31T09:00:00+08:00"));
  c.FireNext();
  CHECK(c.state().timers[0].due == At("2026-04-30T09:00:00+08:00"));
}

TEST_CASE("an at timer whose instant is already past on entry is due at once", "[core]") {
  ModelBuilder b;
  int due = b.Field("due", Type::Of(TypeKind::kDateTime));
  int a = b.State("a");
  int penalty = b.State("penalty", StateKind::kFinal);
  b.AtTimer(a, FieldRef(due, Type::Of(TypeKind::kDateTime)), penalty);
  b.On(a, "x", -1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start("", {{"due", model::Value::Text("2026-01-01T09:00:00+08:00")}}));
  REQUIRE(c.state().timers.size() == 1);
  CHECK(c.state().timers[0].due == kT0);

  CaseDriver later(wf, kT0);
  later.Send(Input::Start("", {{"due", model::Value::Text("2026-04-01T09:00:00+08:00")}}));
  CHECK(later.state().timers[0].due == At("2026-04-01T09:00:00+08:00"));
}

TEST_CASE("an at timer reads a field set by the same state's entry actions", "[core]") {
  ModelBuilder b;
  int due = b.Field("due", Type::Of(TypeKind::kDateTime));
  int a = b.State("a");
  b.state(a).entry.push_back(SetAction(due, Lit(model::Value::DateTime(At("2026-05-01T00:00:00+08:00")))));
  b.AtTimer(a, FieldRef(due, Type::Of(TypeKind::kDateTime)));
  b.On(a, "x", -1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Start(""));
  REQUIRE_FALSE(r.rejection);
  CHECK(c.state().timers[0].due == At("2026-05-01T00:00:00+08:00"));
}

TEST_CASE("firing a timer that is no longer pending is refused as unknown-timer", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int d = b.State("d");
  b.After(a, Days(1), d);
  b.On(d, "x", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  const uint32_t id = c.state().timers[0].id;
  REQUIRE_FALSE(c.FireNext().rejection);
  auto again = c.Send(Input::TimerFired(id));
  REQUIRE(again.rejection);
  CHECK(again.rejection->code == "unknown-timer");
}

TEST_CASE("pending timers are kept sorted by due instant then id", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  b.After(a, Days(5));
  b.After(a, Days(1));
  b.After(a, Days(3));
  b.On(a, "x", -1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  const auto& timers = c.state().timers;
  REQUIRE(timers.size() == 3);
  CHECK(timers[0].due < timers[1].due);
  CHECK(timers[1].due < timers[2].due);
}

}  // namespace
}  // namespace zgtflow::testing
