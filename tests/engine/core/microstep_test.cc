// Statechart semantics of core::Step: entry/exit order, inheritance, parallel
// regions and done events, choice, eventless transitions, internal vs self.
#include <catch2/catch.hpp>

#include "engine/core/step.h"
#include "tests/support/case_driver.h"
#include "tests/support/model_builder.h"

namespace zgtflow::testing {
namespace {

using core::Input;
using model::ExprOp;
using model::StateKind;
using model::Type;
using model::TypeKind;
using Trace_ = std::vector<std::string>;

const calendar::Instant kT0 = At("2026-03-02T09:00:00+08:00");

TEST_CASE("a start enters ancestors before descendants and runs their entry actions in that order", "[core]") {
  ModelBuilder b;
  int p = b.State("p", StateKind::kCompound);
  int a = b.State("a", StateKind::kAtomic, p);
  b.state(p).entry.push_back(RecordAction("p in"));
  b.state(a).entry.push_back(RecordAction("a in"));
  b.On(a, "never", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Start("anyone"));
  REQUIRE_FALSE(r.rejection);
  CHECK(Trace(r.effects) == Trace_{"enter:p", "record:p in", "enter:a", "record:a in"});
  CHECK(c.Active() == Trace_{"p", "a"});
  CHECK(c.state().status == core::CaseStatus::kRunning);
}

TEST_CASE("a transition out of a nested state exits innermost first and enters outermost first", "[core]") {
  ModelBuilder b;
  int p = b.State("p", StateKind::kCompound);
  int a = b.State("a", StateKind::kAtomic, p);
  int q = b.State("q", StateKind::kCompound);
  int q1 = b.State("q1", StateKind::kAtomic, q);
  b.state(p).exit.push_back(RecordAction("p out"));
  b.state(a).exit.push_back(RecordAction("a out"));
  b.state(q).entry.push_back(RecordAction("q in"));
  b.state(q1).entry.push_back(RecordAction("q1 in"));
  b.On(a, "go", q).actions.push_back(RecordAction("moving"));
  b.On(q1, "never", q1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("go", ""));
  REQUIRE_FALSE(r.rejection);
  CHECK(Trace(r.effects) == Trace_{"record:a out", "exit:a", "record:p out", "exit:p", "record:moving",
                                   "enter:q", "record:q in", "enter:q1", "record:q1 in"});
  CHECK(c.Active() == Trace_{"q", "q1"});
}

TEST_CASE("a parent's transition applies to every child state", "[core]") {
  ModelBuilder b;
  int p = b.State("p", StateKind::kCompound);
  int a = b.State("a", StateKind::kAtomic, p);
  int a2 = b.State("a2", StateKind::kAtomic, p);
  int x = b.State("x", StateKind::kFinal);
  b.On(a, "next", a2);
  b.On(p, "cancel", x);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  c.Send(Input::Event("next", ""));
  REQUIRE(c.InState("a2"));
  auto r = c.Send(Input::Event("cancel", ""));
  REQUIRE_FALSE(r.rejection);
  CHECK(Trace(r.effects) == Trace_{"exit:a2", "exit:p", "enter:x", "completed"});
  CHECK(c.state().status == core::CaseStatus::kCompleted);
}

TEST_CASE("a child's transition takes precedence over its parent's on the same event", "[core]") {
  ModelBuilder b;
  int p = b.State("p", StateKind::kCompound);
  int a = b.State("a", StateKind::kAtomic, p);
  int a2 = b.State("a2", StateKind::kAtomic, p);
  int x = b.State("x", StateKind::kFinal);
  b.On(p, "go", x);
  b.On(a, "go", a2);
  b.On(a2, "back", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  c.Send(Input::Event("go", ""));
  CHECK(c.InState("a2"));
  c.Send(Input::Event("go", ""));  // a2 has no `go`: the parent's applies.
  CHECK(c.InState("x"));
}

struct ParallelModel {
  model::Workflow wf;
  ParallelModel() {
    ModelBuilder b;
    int live = b.State("live", StateKind::kCompound);
    int eval = b.State("evaluating", StateKind::kParallel, live);
    int r1 = b.State("mlps", StateKind::kCompound, eval);
    int r1a = b.State("mlps_pending", StateKind::kAtomic, r1);
    int r1b = b.State("mlps_done", StateKind::kFinal, r1);
    int r2 = b.State("crypto", StateKind::kCompound, eval);
    int r2a = b.State("crypto_pending", StateKind::kAtomic, r2);
    int r2b = b.State("crypto_done", StateKind::kFinal, r2);
    int passed = b.State("passed", StateKind::kFinal);
    b.On(r1a, "mlps_passed", r1b);
    b.On(r2a, "crypto_passed", r2b);
    b.On(r1, "mlps.done", -1).actions.push_back(RecordAction("mlps region done"));
    b.On(live, "evaluating.done", passed);
    b.On(live, "both", -1).actions.push_back(RecordAction("seen once"));
    wf = b.Build();
  }
};

TEST_CASE("entering a parallel state enters the initial state of every region", "[core]") {
  ParallelModel m;
  CaseDriver c(m.wf, kT0);
  auto r = c.Send(Input::Start(""));
  CHECK(Trace(r.effects) == Trace_{"enter:live", "enter:evaluating", "enter:mlps", "enter:mlps_pending",
                                   "enter:crypto", "enter:crypto_pending"});
}

TEST_CASE("a parallel state raises NAME.done only when every region is in a final state", "[core]") {
  ParallelModel m;
  CaseDriver c(m.wf, kT0);
  c.Send(Input::Start(""));
  auto r1 = c.Send(Input::Event("mlps_passed", ""));
  REQUIRE_FALSE(r1.rejection);
  CHECK(Trace(r1.effects) == Trace_{"exit:mlps_pending", "enter:mlps_done", "record:mlps region done"});
  CHECK(c.InState("crypto_pending"));
  auto r2 = c.Send(Input::Event("crypto_passed", ""));
  REQUIRE_FALSE(r2.rejection);
  CHECK(Trace(r2.effects) == Trace_{"exit:crypto_pending", "enter:crypto_done", "exit:crypto_done",
                                    "exit:crypto", "exit:mlps_done", "exit:mlps", "exit:evaluating",
                                    "exit:live", "enter:passed", "completed"});
  CHECK(c.state().status == core::CaseStatus::kCompleted);
}

TEST_CASE("an ancestor's transition shared by two regions is taken once", "[core]") {
  ParallelModel m;
  CaseDriver c(m.wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("both", ""));
  CHECK(Trace(r.effects) == Trace_{"record:seen once"});
}

TEST_CASE("events in two regions of a parallel state are each taken", "[core]") {
  ModelBuilder b;
  int par = b.State("par", StateKind::kParallel);
  int r1 = b.State("r1", StateKind::kCompound, par);
  int r1a = b.State("r1a", StateKind::kAtomic, r1);
  int r1b = b.State("r1b", StateKind::kAtomic, r1);
  int r2 = b.State("r2", StateKind::kCompound, par);
  int r2a = b.State("r2a", StateKind::kAtomic, r2);
  int r2b = b.State("r2b", StateKind::kAtomic, r2);
  b.On(r1a, "tick", r1b);
  b.On(r2a, "tick", r2b);
  b.On(r1b, "x", r1a);
  b.On(r2b, "x", r2a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("tick", ""));
  CHECK(Trace(r.effects) == Trace_{"exit:r2a", "exit:r1a", "enter:r1b", "enter:r2b"});
  CHECK(c.Active() == Trace_{"par", "r1", "r1b", "r2", "r2b"});
}

TEST_CASE("a compound state raises NAME.done when its final child is entered", "[core]") {
  ModelBuilder b;
  int p = b.State("p", StateKind::kCompound);
  int a = b.State("a", StateKind::kAtomic, p);
  int f = b.State("f", StateKind::kFinal, p);
  int done = b.State("done", StateKind::kFinal);
  b.On(a, "finish", f);
  b.On(p, "p.done", done);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("finish", ""));
  CHECK(Trace(r.effects) == Trace_{"exit:a", "enter:f", "exit:f", "exit:p", "enter:done", "completed"});
}

model::Workflow ChoiceModel() {
  ModelBuilder b;
  int minutes = b.Field("outage_minutes", Type::Of(TypeKind::kNumber), true);
  int level = b.Field("level", Type::Of(TypeKind::kNumber));
  int classify = b.State("classify", StateKind::kChoice);
  int severe = b.State("severe");
  int minor = b.State("minor");
  b.Branch(classify, Cmp(ExprOp::kGt, FieldRef(minutes, Type::Of(TypeKind::kNumber)), Num(30)), severe)
      .actions.push_back(SetAction(level, Num(1)));
  b.Else(classify, minor).actions.push_back(SetAction(level, Num(4)));
  b.Branch(classify, Cmp(ExprOp::kGe, FieldRef(minutes, Type::Of(TypeKind::kNumber)), Num(5)), minor)
      .actions.push_back(SetAction(level, Num(3)));
  b.On(severe, "x", minor);
  b.On(minor, "x", severe);
  return b.Build();
}

TEST_CASE("a choice state is left by its first branch whose guard holds", "[core]") {
  model::Workflow wf = ChoiceModel();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Start("", {{"outage_minutes", model::Value::Number(45)}}));
  REQUIRE_FALSE(r.rejection);
  CHECK(Trace(r.effects) == Trace_{"enter:classify", "exit:classify", "enter:severe"});
  CHECK(c.Data("level") == model::Value::Number(1));

  CaseDriver d(wf, kT0);
  d.Send(Input::Start("", {{"outage_minutes", model::Value::Number(10)}}));
  CHECK(d.InState("minor"));
  CHECK(d.Data("level") == model::Value::Number(3));  // `else` is tried last wherever written.
}

TEST_CASE("a choice state takes its else branch when no guard holds", "[core]") {
  model::Workflow wf = ChoiceModel();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start("", {{"outage_minutes", model::Value::Number(2)}}));
  CHECK(c.InState("minor"));
  CHECK(c.Data("level") == model::Value::Number(4));
}

TEST_CASE("always transitions chain within one step", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int s1 = b.State("s1");
  int s2 = b.State("s2");
  int s3 = b.State("s3");
  b.On(a, "go", s1);
  b.Always(s1, s2);
  b.Always(s2, s3);
  b.On(s3, "back", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("go", ""));
  CHECK(Trace(r.effects) == Trace_{"exit:a", "enter:s1", "exit:s1", "enter:s2", "exit:s2", "enter:s3"});
  CHECK(c.Active() == Trace_{"s3"});
}

TEST_CASE("a guarded always transition waits until its guard holds", "[core]") {
  ModelBuilder b;
  int ready = b.Field("ready", Type::Of(TypeKind::kBool));
  int a = b.State("a");
  int d = b.State("d");
  b.Always(a, d).has_guard = true;
  b.state(a).transitions.back().guard = Cmp(ExprOp::kEq, FieldRef(ready, Type::Of(TypeKind::kBool)), Bool(true));
  b.On(a, "update", -1);
  b.On(d, "x", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start("", {{"ready", model::Value::Bool(false)}}));
  CHECK(c.InState("a"));
  c.Send(Input::Event("update", "", {{"ready", model::Value::Bool(true)}}));
  CHECK(c.InState("d"));
}

TEST_CASE("eventless transitions that never settle are refused as an eventless loop", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int s1 = b.State("s1");
  int s2 = b.State("s2");
  b.On(a, "go", s1);
  b.Always(s1, s2);
  b.Always(s2, s1);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  const core::CaseState before = c.state();
  auto r = c.Send(Input::Event("go", ""));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "eventless-loop");
  CHECK(r.next == before);
  CHECK(r.effects.empty());
}

TEST_CASE("an internal transition runs its actions without leaving the state", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  b.After(a, Days(3), -1);
  b.On(a, "note", -1).actions.push_back(RecordAction("noted"));
  b.On(a, "again", a).actions.push_back(RecordAction("again"));
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  REQUIRE(c.state().timers.size() == 1);
  const uint32_t timer = c.state().timers[0].id;
  auto r = c.Send(Input::Event("note", ""));
  CHECK(Trace(r.effects) == Trace_{"record:noted"});
  CHECK(c.state().timers.size() == 1);
  CHECK(c.state().timers[0].id == timer);
}

TEST_CASE("a transition to its own state exits and re-enters it, restarting its timers", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  b.After(a, Days(3), -1);
  b.On(a, "again", a).actions.push_back(RecordAction("again"));
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  const uint32_t timer = c.state().timers[0].id;
  auto r = c.Send(Input::Event("again", ""));
  const uint32_t renewed = c.state().timers[0].id;
  CHECK(renewed != timer);
  CHECK(Trace(r.effects) == Trace_{"cancel:" + std::to_string(timer), "exit:a", "record:again", "enter:a",
                                   "schedule:" + std::to_string(renewed)});
}

TEST_CASE("an emitted event is handled after the current microstep, in order", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int s1 = b.State("s1");
  int s2 = b.State("s2");
  auto& go = b.On(a, "go", s1);
  go.actions.push_back(EmitAction("first"));
  go.actions.push_back(EmitAction("second"));
  b.On(s1, "first", s2).actions.push_back(RecordAction("first"));
  b.On(s1, "second", a).actions.push_back(RecordAction("wrong"));
  b.On(s2, "second", -1).actions.push_back(RecordAction("second"));
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("go", ""));
  CHECK(Trace(r.effects) == Trace_{"exit:a", "enter:s1", "exit:s1", "record:first", "enter:s2", "record:second"});
  CHECK(c.InState("s2"));
}

}  // namespace
}  // namespace zgtflow::testing

namespace zgtflow::testing {
namespace {

TEST_CASE("internal events that keep raising each other hit the same microstep bound", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  b.On(a, "ping", -1).actions.push_back(EmitAction("ping"));
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("ping", ""));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "eventless-loop");
  CHECK(c.state().revision == 1);
}

TEST_CASE("an internal event no active state waits for is dropped", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int s = b.State("s");
  b.On(a, "go", -1).actions.push_back(EmitAction("nobody_listens"));
  b.On(s, "nobody_listens", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("go", ""));
  REQUIRE_FALSE(r.rejection);
  CHECK(r.effects.empty());
  CHECK(c.InState("a"));
}

}  // namespace
}  // namespace zgtflow::testing

namespace zgtflow::testing {
namespace {

TEST_CASE("a parent's transition to its own child does not leave the parent or restart its timers", "[core]") {
  ModelBuilder b;
  int p = b.State("p", StateKind::kCompound);
  int a = b.State("a", StateKind::kAtomic, p);
  int a2 = b.State("a2", StateKind::kAtomic, p);
  b.After(p, Days(10));
  b.On(p, "restart", a);
  b.On(a, "next", a2);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  const uint32_t timer = c.state().timers[0].id;
  c.Send(Input::Event("next", ""));
  auto r = c.Send(Input::Event("restart", ""));
  CHECK(Trace(r.effects) == Trace_{"exit:a2", "enter:a"});
  CHECK(c.state().timers[0].id == timer);
}

}  // namespace
}  // namespace zgtflow::testing
