// core::Step at the edges: starting a case, typing the payload, each kind of
// rejection, actions (notify, call, start, record), completion, revisions.
#include <catch2/catch.hpp>

#include "engine/core/step.h"
#include "tests/support/case_driver.h"
#include "tests/support/compile_one.h"
#include "tests/support/model_builder.h"

namespace zgtflow::testing {
namespace {

using core::CaseStatus;
using core::EffectKind;
using core::Input;
using core::InputKind;
using model::ExprOp;
using model::StateKind;
using model::Type;
using model::TypeKind;
using model::Value;
using Trace_ = std::vector<std::string>;

const calendar::Instant kT0 = At("2026-03-02T09:00:00+08:00");
const std::string kSha(64, 'a');

// A small rectification-like workflow started by the management unit.
model::Workflow Rectification() {
  ModelBuilder b("rectification");
  int subject = b.Field("subject", Type::Of(TypeKind::kText), true);
  b.Field("findings", Type::Of(TypeKind::kText));
  int limit = b.FieldWithDefault("limit", Type::Of(TypeKind::kDuration),
                                 Lit(Value::Duration(Months(2))));
  int due = b.Field("due", Type::Of(TypeKind::kDateTime));
  int score = b.Field("score", Type::Of(TypeKind::kNumber));
  int report = b.Field("report", Type::Of(TypeKind::kDocument));
  Type level = Type::Of(TypeKind::kEnum);
  level.enum_values = {"low", "high"};
  b.Field("level", level);
  b.Field("visit", Type::Of(TypeKind::kDate));
  b.Field("terminals", Type::ListOf(level));
  b.Field("urgent", Type::Of(TypeKind::kBool));
  int rectifying = b.State("rectifying");
  int verifying = b.State("verifying");
  int closed = b.State("closed", StateKind::kFinal);
  int penalty = b.State("penalty", StateKind::kFinal);
  b.StartOn("issue", {"management_unit"}, rectifying).required_fields.push_back(subject);
  b.state(rectifying).entry.push_back(
      SetAction(due, Binary(ExprOp::kAdd, Now(), FieldRef(limit, Type::Of(TypeKind::kDuration)),
                            Type::Of(TypeKind::kDateTime))));
  b.state(rectifying).entry.push_back(NotifyAction("project_company", "请于 {due} 前完成整改：{subject}{nope}"));
  b.AtTimer(rectifying, FieldRef(due, Type::Of(TypeKind::kDateTime)), penalty);
  b.On(rectifying, "submit", verifying, {"project_company"}).required_fields.push_back(report);
  auto& accept = b.On(verifying, "accept", closed, {"management_unit"});
  accept.has_guard = true;
  accept.guard = Cmp(ExprOp::kGe, FieldRef(score, Type::Of(TypeKind::kNumber)), Num(60));
  b.On(verifying, "reject", penalty, {"management_unit"});
  return b.Build();
}

Input Issue(model::Object payload = {{"subject", Value::Text("平台稳定性未达标")}}) {
  return Input::Start("management_unit", std::move(payload));
}

Value Doc() {
  return Value::MakeObject({{"name", Value::Text("report.pdf")}, {"sha256", Value::Text(kSha)}});
}

TEST_CASE("a start takes the start transition, applies defaults and runs entry actions", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Issue());
  REQUIRE_FALSE(r.rejection);
  CHECK(c.state().status == CaseStatus::kRunning);
  CHECK(c.InState("rectifying"));
  CHECK(c.Data("limit") == Value::Duration(Months(2)));
  CHECK(c.Data("due") == Value::DateTime(At("2026-05-02T09:00:00+08:00")));
  REQUIRE(r.effects.size() == 3);
  CHECK(r.effects[1].kind == EffectKind::kNotify);
  CHECK(r.effects[1].role == "project_company");
  CHECK(r.effects[1].text == "请于 2026-05-02T09:00:00+08:00 前完成整改：平台稳定性未达标{nope}");
  CHECK(r.effects[2].kind == EffectKind::kScheduleTimer);
  CHECK(r.effects[2].due == At("2026-05-02T09:00:00+08:00"));
  CHECK(c.state().revision == 1);
}

TEST_CASE("a start of a case that has started is refused as already-started", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  auto r = c.Send(Issue());
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "already-started");
}

TEST_CASE("a start by a role the start transition does not name is refused", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Start("project_company", {{"subject", Value::Text("x")}}));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "role-not-allowed");
  CHECK(r.rejection->message.find("project_company") != std::string::npos);
  CHECK(r.rejection->message.find("management_unit") != std::string::npos);
  CHECK(c.state().status == CaseStatus::kNew);
}

TEST_CASE("a start without a required field is refused as missing-field naming it", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Issue({}));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "missing-field");
  CHECK(r.rejection->field == "subject");
}

TEST_CASE("a payload key that names no field is refused as unknown-field", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Issue({{"subject", Value::Text("x")}, {"subjct", Value::Text("y")}}));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "unknown-field");
  CHECK(r.rejection->field == "subjct");
}

TEST_CASE("ill-typed payload values are refused as bad-type naming the field", "[core]") {
  model::Workflow wf = Rectification();
  struct Bad { const char* field; Value value; };
  std::vector<Bad> bad = {
      {"subject", Value::Number(3)},
      {"score", Value::Text("ninety")},
      {"due", Value::Text("next tuesday")},
      {"limit", Value::Text("a while")},
      {"level", Value::Text("medium")},
      {"visit", Value::Text("2026-13-01")},
      {"urgent", Value::Text("yes")},
      {"report", Value::MakeObject({{"name", Value::Text("r.pdf")}, {"sha256", Value::Text("abc")}})},
      {"terminals", Value::MakeList({Value::Text("low"), Value::Text("huge")})},
      {"terminals", Value::Text("low")},
  };
  for (const Bad& b : bad) {
    CaseDriver c(wf, kT0);
    model::Object payload{{b.field, b.value}};
    payload.emplace("subject", Value::Text("x"));  // Kept only when `subject` is not the bad one.
    auto r = c.Send(Issue(payload));
    INFO(b.field);
    REQUIRE(r.rejection);
    CHECK(r.rejection->code == "bad-type");
    CHECK(r.rejection->field == b.field);
  }
}

TEST_CASE("payload values are typed by the fields' declared types", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Issue({{"subject", Value::Text("x")},
                         {"score", Value::Number(75)},
                         {"limit", Value::Text("10 working days")},
                         {"due", Value::Text("2026-03-31T09:00:00+08:00")},
                         {"level", Value::Text("high")},
                         {"visit", Value::Text("2026-03-10")},
                         {"urgent", Value::Bool(true)},
                         {"report", Doc()},
                         {"terminals", Value::MakeList({Value::Text("low"), Value::Text("high")})}}));
  // The entry action overwrites `due` and needs a calendar for working days.
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "eval-error");

  CaseDriver d(wf, kT0);
  auto ok = d.Send(Issue({{"subject", Value::Text("x")},
                          {"limit", Value::Text("3 days")},
                          {"level", Value::Text("high")},
                          {"visit", Value::Text("2026-03-10")},
                          {"report", Doc()},
                          {"terminals", Value::MakeList({Value::Text("low")})}}));
  REQUIRE_FALSE(ok.rejection);
  CHECK(d.Data("limit") == Value::Duration(Days(3)));
  CHECK(d.Data("visit") == Value::Date(calendar::Date{2026, 3, 10}));
  CHECK(d.Data("level") == Value::Text("high"));
  CHECK(d.Data("report") == Value::Doc(model::Document{"report.pdf", kSha}));
  CHECK(d.Data("terminals") == Value::MakeList({Value::Text("low")}));
  CHECK(d.Data("due") == Value::DateTime(At("2026-03-05T09:00:00+08:00")));
}

TEST_CASE("a start that names no event takes the first start transition whose checks pass", "[core]") {
  // user_sanction starts by warn, restrict or freeze; the data decides which.
  ModelBuilder b;
  Type measure = Type::Of(TypeKind::kEnum);
  measure.enum_values = {"warn", "freeze"};
  int m = b.Field("measure", measure, true);
  int warned = b.State("warned");
  int frozen = b.State("frozen");
  b.On(warned, "freeze", frozen);
  b.On(frozen, "lift", warned);
  auto& warn = b.StartOn("warn", {"project_company"}, warned);
  warn.has_guard = true;
  warn.guard = Cmp(ExprOp::kEq, FieldRef(m, measure), Lit(Value::Text("warn")));
  auto& freeze = b.StartOn("freeze", {"project_company"}, frozen);
  freeze.has_guard = true;
  freeze.guard = Cmp(ExprOp::kEq, FieldRef(m, measure), Lit(Value::Text("freeze")));
  model::Workflow wf = b.Build();

  CaseDriver by_data(wf, kT0);
  REQUIRE_FALSE(by_data.Send(Input::Start("project_company", {{"measure", Value::Text("freeze")}})).rejection);
  CHECK(by_data.InState("frozen"));

  CaseDriver wrong_role(wf, kT0);
  auto refused = wrong_role.Send(Input::Start("anyone", {{"measure", Value::Text("warn")}}));
  REQUIRE(refused.rejection);
  CHECK(refused.rejection->code == "role-not-allowed");

  CaseDriver unknown(wf, kT0);
  auto nonsense = unknown.Send(Input::Start("project_company", {{"measure", Value::Text("warn")}}, "nonsense"));
  REQUIRE(nonsense.rejection);
  CHECK(nonsense.rejection->code == "unknown-event");

  CaseDriver named(wf, kT0);
  auto mismatch = named.Send(Input::Start("project_company", {{"measure", Value::Text("warn")}}, "freeze"));
  REQUIRE(mismatch.rejection);
  CHECK(mismatch.rejection->code == "guard-false");
  REQUIRE_FALSE(named.Send(Input::Start("project_company", {{"measure", Value::Text("warn")}}, "warn")).rejection);
  CHECK(named.InState("warned"));
}

TEST_CASE("a start whose guard does not hold is refused as guard-false", "[core]") {
  ModelBuilder b;
  int n = b.Field("n", Type::Of(TypeKind::kNumber));
  int a = b.State("a");
  auto& start = b.StartOn("open", {}, a);
  start.has_guard = true;
  start.guard = Cmp(ExprOp::kGt, FieldRef(n, Type::Of(TypeKind::kNumber)), Num(5));
  b.On(a, "y", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Start("", {{"n", Value::Number(1)}}));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "guard-false");
  CHECK_FALSE(c.Send(Input::Start("", {{"n", Value::Number(6)}})).rejection);
}

TEST_CASE("a workflow without start transitions starts in its initial state for any role", "[core]") {
  ModelBuilder b;
  b.State("first");
  int second = b.State("second", StateKind::kAtomic, 0, /*initial=*/true);
  b.On(second, "y", second);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  REQUIRE_FALSE(c.Send(Input::Start("whoever")).rejection);
  CHECK(c.Active() == Trace_{"second"});
}

TEST_CASE("an event before the start is refused as not-started", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Event("submit", "project_company"));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "not-started");
}

TEST_CASE("an event no transition handles is refused as unknown-event", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  auto r = c.Send(Input::Event("sumbit", "project_company"));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "unknown-event");
}

TEST_CASE("an event no active state handles is refused as not-in-state", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  auto r = c.Send(Input::Event("accept", "management_unit"));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "not-in-state");
  CHECK(r.rejection->message.find("rectifying") != std::string::npos);
}

TEST_CASE("an event from a role the transition does not allow is refused naming both", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  auto r = c.Send(Input::Event("submit", "owner_unit", {{"report", Doc()}}));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "role-not-allowed");
  CHECK(r.rejection->message.find("owner_unit") != std::string::npos);
  CHECK(r.rejection->message.find("project_company") != std::string::npos);
}

TEST_CASE("an event without a field its transition requires is refused as missing-field", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  auto r = c.Send(Input::Event("submit", "project_company"));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "missing-field");
  CHECK(r.rejection->field == "report");
  CHECK_FALSE(c.Send(Input::Event("submit", "project_company", {{"report", Doc()}})).rejection);
  CHECK(c.InState("verifying"));
}

TEST_CASE("a guard reads the payload of its own event, and a refusal keeps none of it", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  c.Send(Input::Event("submit", "project_company", {{"report", Doc()}}));
  const core::CaseState before = c.state();
  auto low = c.Send(Input::Event("accept", "management_unit", {{"score", Value::Number(40)}}));
  REQUIRE(low.rejection);
  CHECK(low.rejection->code == "guard-false");
  CHECK(low.next == before);
  CHECK(low.effects.empty());
  CHECK(c.Data("score").is_null());
  auto high = c.Send(Input::Event("accept", "management_unit", {{"score", Value::Number(80)}}));
  REQUIRE_FALSE(high.rejection);
  CHECK(c.Data("score") == Value::Number(80));
}

TEST_CASE("entering a top-level final state completes the case and cancels its timers", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  const uint32_t deadline = c.state().timers[0].id;
  c.Send(Input::Event("submit", "project_company", {{"report", Doc()}}));
  CHECK(c.state().timers.empty());  // Left with `rectifying`.
  auto r = c.Send(Input::Event("reject", "management_unit"));
  REQUIRE_FALSE(r.rejection);
  CHECK(Trace(r.effects) == Trace_{"exit:verifying", "enter:penalty", "completed"});
  CHECK(c.state().status == CaseStatus::kCompleted);
  CHECK(c.InState("penalty"));
  auto after = c.Send(Input::Event("accept", "management_unit"));
  REQUIRE(after.rejection);
  CHECK(after.rejection->code == "case-finished");
  auto timer = c.Send(Input::TimerFired(deadline));
  REQUIRE(timer.rejection);
  CHECK(timer.rejection->code == "case-finished");
}

TEST_CASE("completion cancels every timer still pending in other states", "[core]") {
  ModelBuilder b;
  int p = b.State("p", StateKind::kCompound);
  int a = b.State("a", StateKind::kAtomic, p);
  int end = b.State("end", StateKind::kFinal);
  b.After(p, Days(10));
  b.After(a, Days(2));
  b.On(a, "finish", end);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  REQUIRE(c.state().timers.size() == 2);
  auto r = c.Send(Input::Event("finish", ""));
  int cancels = 0;
  for (const auto& e : r.effects) cancels += e.kind == EffectKind::kCancelTimer;
  CHECK(cancels == 2);
  CHECK(r.effects.back().kind == EffectKind::kCompleted);
  CHECK(c.state().timers.empty());
}

TEST_CASE("each accepted input adds one to the revision; a refused one adds nothing", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  CHECK(c.state().revision == 1);
  c.Send(Input::Event("accept", "management_unit"));
  CHECK(c.state().revision == 1);
  c.Send(Input::Event("submit", "project_company", {{"report", Doc()}}));
  CHECK(c.state().revision == 2);
}

TEST_CASE("a call's reply and failure come back as the mapped events with the reply data", "[core]") {
  ModelBuilder b;
  int ticket = b.Field("ticket", Type::Of(TypeKind::kText));
  int subject = b.Field("subject", Type::Of(TypeKind::kText));
  int waiting = b.State("waiting");
  int done = b.State("done", StateKind::kFinal);
  int failed = b.State("failed");
  b.state(waiting).entry.push_back(CallAction("hotline_12345", "open_ticket",
                                              {FieldRef(subject, Type::Of(TypeKind::kText))},
                                              "ticket_opened", "ticket_failed"));
  b.On(waiting, "ticket_opened", done);
  b.On(waiting, "ticket_failed", failed);
  b.On(failed, "retry", waiting);
  (void)ticket;
  model::Workflow wf = b.Build();

  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Start("", {{"subject", Value::Text("噪音投诉")}}));
  REQUIRE(r.effects.size() == 2);
  const core::Effect& call = r.effects[1];
  CHECK(call.kind == EffectKind::kCallAdapter);
  CHECK(call.adapter == "hotline_12345");
  CHECK(call.operation == "open_ticket");
  CHECK(call.arguments == std::vector<Value>{Value::Text("噪音投诉")});
  REQUIRE(c.state().calls.size() == 1);

  Input reply;
  reply.kind = InputKind::kAdapterReply;
  reply.call_id = call.call_id;
  reply.payload = {{"ticket", Value::Text("T-1")}, {"other", Value::Number(1)}};
  auto replied = c.Send(reply);
  REQUIRE_FALSE(replied.rejection);
  CHECK(c.InState("done"));
  CHECK(c.Data("ticket") == Value::Text("T-1"));
  CHECK(c.state().calls.empty());
  auto again = c.Send(reply);
  REQUIRE(again.rejection);

  CaseDriver f(wf, kT0);
  auto started = f.Send(Input::Start("", {{"subject", Value::Text("x")}}));
  Input failure;
  failure.kind = InputKind::kAdapterFailed;
  failure.call_id = started.effects[1].call_id;
  failure.payload = {{"error", Value::Text("timeout")}};
  REQUIRE_FALSE(f.Send(failure).rejection);
  CHECK(f.InState("failed"));
  auto unknown = f.Send(failure);
  REQUIRE(unknown.rejection);
  CHECK(unknown.rejection->code == "unknown-call");
}

TEST_CASE("a start action starts a numbered child case and child.done is raised in the parent", "[core]") {
  ModelBuilder b;
  int subject = b.Field("subject", Type::Of(TypeKind::kText));
  int overdue = b.State("overdue");
  int passed = b.State("passed", StateKind::kFinal);
  b.state(overdue).entry.push_back(
      StartAction("rectification", {{"subject", FieldRef(subject, Type::Of(TypeKind::kText))}}));
  b.state(overdue).entry.push_back(StartAction("rectification", {{"subject", Text("second")}}));
  b.On(overdue, "child.done", passed);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  auto r = c.Send(Input::Start("", {{"subject", Value::Text("系统")}}));
  REQUIRE(r.effects.size() == 3);
  CHECK(r.effects[1].kind == EffectKind::kStartChild);
  CHECK(r.effects[1].workflow == "rectification");
  CHECK(r.effects[1].child_index == 0);
  CHECK(r.effects[1].data == std::vector<std::pair<std::string, Value>>{{"subject", Value::Text("系统")}});
  CHECK(r.effects[2].child_index == 1);
  CHECK(c.state().children_started == 2);
  Input done;
  done.kind = InputKind::kChildDone;
  done.event = "rectification";
  done.child_id = "c-1";
  REQUIRE_FALSE(c.Send(done).rejection);
  CHECK(c.state().status == CaseStatus::kCompleted);
}

TEST_CASE("a record action keeps its evidence text as an effect", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  b.On(a, "archive", -1).actions.push_back(RecordAction("等保测评报告已归档"));
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  auto r = c.Send(Input::Event("archive", "project_company"));
  CHECK(Trace(r.effects) == Trace_{"record:等保测评报告已归档"});
}

TEST_CASE("a set action coerces its value to the field's type", "[core]") {
  ModelBuilder b;
  int label = b.Field("label", Type::Of(TypeKind::kText));
  int a = b.State("a");
  b.On(a, "mark", -1).actions.push_back(SetAction(label, Num(3)));
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  c.Send(Input::Event("mark", ""));
  CHECK(c.Data("label") == Value::Text("3"));
}

}  // namespace
}  // namespace zgtflow::testing

namespace zgtflow::testing {
namespace {

TEST_CASE("the compiled hello workflow escalates after 5 working days", "[core]") {
  const calendar::Calendar cal = ProjectCalendar();
  auto workflows = CompileProjectFiles({"examples/hello.flow"});
  const model::Workflow& wf = *workflows.front();
  CaseDriver c(wf, At("2026-03-02T09:00:00+08:00"), &cal);
  auto r = c.Send(core::Input::Start("ecosystem_unit", {{"subject", Value::Text("接口对接")}}));
  REQUIRE_FALSE(r.rejection);
  REQUIRE(c.state().timers.size() == 1);
  CHECK(c.state().timers[0].due == At("2026-03-09T09:00:00+08:00"));
  auto fired = c.FireNext();
  REQUIRE_FALSE(fired.rejection);
  CHECK(Trace(fired.effects) == Trace_{"exit:waiting", "enter:escalated",
                                       "notify:management_unit:事项 接口对接 超过5个工作日未答复", "completed"});
}

TEST_CASE("the compiled evaluations workflow passes when both parallel evaluations pass", "[core]") {
  const calendar::Calendar cal = ProjectCalendar();
  auto workflows = CompileProjectFiles({"examples/evaluations.flow", "examples/rectification.flow"});
  const model::Workflow& wf = *workflows.front();
  REQUIRE(wf.id == "evaluations");
  CaseDriver c(wf, At("2026-01-31T09:00:00+08:00"), &cal);
  REQUIRE_FALSE(c.Send(core::Input::Start("project_company", {{"system_name", Value::Text("粤省事")}})).rejection);
  CHECK(c.Data("live_since") == Value::DateTime(At("2026-01-31T09:00:00+08:00")));
  REQUIRE(c.state().timers.size() == 2);  // `every month` first, then `after 1 year`.
  auto reminder = c.FireNext();
  CHECK(Trace(reminder.effects).front() == "notify:project_company:请尽快完成等保测评：粤省事");
  CHECK(c.state().timers[0].due == At("2026-03-31T09:00:00+08:00"));
  auto mlps = c.Send(core::Input::Event(
      "mlps_passed", "project_company",
      {{"report", Value::MakeObject({{"name", Value::Text("r.pdf")}, {"sha256", Value::Text(kSha)}})}}));
  REQUIRE_FALSE(mlps.rejection);
  CHECK(c.InState("mlps_done"));
  auto crypto = c.Send(core::Input::Event("crypto_passed", "project_company"));
  REQUIRE_FALSE(crypto.rejection);
  CHECK(c.Active() == Trace_{"passed"});
  CHECK(c.state().status == CaseStatus::kCompleted);
  CHECK(c.state().timers.empty());
}

}  // namespace
}  // namespace zgtflow::testing

namespace zgtflow::testing {
namespace {

TEST_CASE("an event whose payload clears a required field is refused as missing-field", "[core]") {
  model::Workflow wf = Rectification();
  CaseDriver c(wf, kT0);
  c.Send(Issue());
  auto r = c.Send(core::Input::Event("submit", "project_company", {{"report", Doc()}, {"subject", Value()}}));
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == "missing-field");
  CHECK(r.rejection->field == "subject");
  CHECK(c.Data("subject") == Value::Text("平台稳定性未达标"));
}

}  // namespace
}  // namespace zgtflow::testing
