// core::Replay: a case's history re-run through Step gives back its state
// and effects; a history that no longer matches is reported at its first
// divergent entry. Includes a property test over random inputs on examples/.
#include <catch2/catch.hpp>

#include <random>

#include "engine/core/replay.h"
#include "engine/core/step.h"
#include "tests/support/case_driver.h"
#include "tests/support/compile_one.h"
#include "tests/support/model_builder.h"

namespace zgtflow::testing {
namespace {

using core::Input;
using core::InputKind;
using model::TypeKind;
using model::Value;

const calendar::Instant kT0 = At("2026-01-05T09:00:00+08:00");
constexpr int64_t kHourMs = 3600 * 1000;

// A random payload value for a field of `type`; one time in `bad_one_in` of
// a deliberately wrong kind, so refusals are exercised too.
Value RandomValue(std::mt19937& rng, const model::Type& type, calendar::Instant now, int bad_one_in) {
  std::uniform_int_distribution<int> pick(0, 1 << 20);
  if (bad_one_in > 0 && pick(rng) % bad_one_in == 0) {
    return pick(rng) % 2 ? Value::Number(pick(rng) % 7) : Value::Text("??");
  }
  switch (type.kind) {
    case TypeKind::kNumber: return Value::Number(pick(rng) % 90);
    case TypeKind::kBool: return Value::Bool(pick(rng) % 2);
    case TypeKind::kDate: return Value::Text("2026-0" + std::to_string(1 + pick(rng) % 9) + "-1" + std::to_string(pick(rng) % 10));
    case TypeKind::kDateTime:
      return Value::Text(calendar::FormatInstant(calendar::Instant{now.epoch_ms + (pick(rng) % 2000 - 500) * kHourMs}));
    case TypeKind::kDuration: {
      const char* durations[] = {"3 days", "2 months", "5 working days", "30 minutes", "half day"};
      return Value::Text(durations[pick(rng) % 5]);
    }
    case TypeKind::kEnum:
      if (type.enum_values.empty()) return Value::Text("x");
      return Value::Text(type.enum_values[pick(rng) % type.enum_values.size()]);
    case TypeKind::kDocument:
      return Value::MakeObject({{"name", Value::Text("r.pdf")}, {"sha256", Value::Text(std::string(64, 'c'))}});
    case TypeKind::kList: {
      model::List items;
      int n = pick(rng) % 3;
      for (int i = 0; i < n && type.element; ++i) items.push_back(RandomValue(rng, *type.element, now, 0));
      return Value::MakeList(std::move(items));
    }
    default:
      return Value::Text("值" + std::to_string(pick(rng) % 100));
  }
}

model::Object RandomPayload(std::mt19937& rng, const model::Workflow& wf, calendar::Instant now,
                            bool all_required) {
  model::Object payload;
  std::uniform_int_distribution<int> pick(0, 99);
  for (const model::FieldDef& field : wf.fields) {
    const bool wanted = (all_required && field.required && pick(rng) < 90) || pick(rng) < 25;
    if (wanted) payload[field.name] = RandomValue(rng, field.type, now, 12);
  }
  if (pick(rng) < 3) payload["no_such_field"] = Value::Text("x");
  return payload;
}

// An event some active state (or its ancestor) handles, with a role it
// names — so random runs go deep — or, one time in five, anything.
std::pair<std::string, std::string> LikelyEvent(std::mt19937& rng, const model::Workflow& wf,
                                                const core::CaseState& state,
                                                const std::vector<std::string>& roles) {
  std::uniform_int_distribution<int> pick(0, 1 << 20);
  std::vector<const model::TransitionDef*> handled;
  for (uint16_t s : state.active) {
    for (const auto& t : wf.states[s].transitions) {
      if (t.kind == model::TransitionKind::kEvent) handled.push_back(&t);
    }
  }
  const std::string any_role = roles[pick(rng) % roles.size()];
  if (handled.empty() || pick(rng) % 5 == 0) {
    std::string event = pick(rng) % 10 == 0 || wf.events.empty() ? "no_such_event"
                                                                   : wf.events[pick(rng) % wf.events.size()];
    return {event, any_role};
  }
  const model::TransitionDef* t = handled[pick(rng) % handled.size()];
  if (t->roles.empty() || pick(rng) % 6 == 0) return {t->event, any_role};
  return {t->event, t->roles[pick(rng) % t->roles.size()]};
}

// Drives cases of `wf` with `steps` random inputs in all, starting a new case
// whenever one completes; every refusal must leave the case unchanged.
std::vector<CaseDriver> RunRandomCases(const model::Workflow& wf, const calendar::Calendar* cal,
                                       uint32_t seed, int steps) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pick(0, 1 << 20);
  std::vector<std::string> roles{""};
  for (const auto& role : wf.roles) roles.push_back(role.name);
  std::vector<CaseDriver> cases;
  cases.emplace_back(wf, kT0, cal);
  for (int i = 0; i < steps; ++i) {
    if (cases.back().state().status == core::CaseStatus::kCompleted) {
      cases.emplace_back(wf, kT0, cal);
    }
    CaseDriver& c = cases.back();
    c.set_now(calendar::Instant{c.now().epoch_ms + (pick(rng) % 30) * kHourMs});
    const std::string role = roles[pick(rng) % roles.size()];
    Input input;
    const int kind = pick(rng) % 100;
    if (c.state().status == core::CaseStatus::kNew || kind < 3) {
      std::string event;
      std::string starter = role;
      if (!wf.start_transitions.empty() && pick(rng) % 4 != 0) {
        const model::TransitionDef& t = wf.start_transitions[pick(rng) % wf.start_transitions.size()];
        event = t.event;
        if (!t.roles.empty() && pick(rng) % 4 != 0) starter = t.roles[pick(rng) % t.roles.size()];
      }
      input = Input::Start(starter, RandomPayload(rng, wf, c.now(), true), event);
    } else if (kind < 12 && !c.state().timers.empty()) {
      const core::PendingTimer& t = c.state().timers[pick(rng) % c.state().timers.size()];
      if (c.now() < t.due) c.set_now(t.due);
      input = Input::TimerFired(t.id);
    } else if (kind < 14) {
      input = Input::TimerFired(static_cast<uint32_t>(pick(rng) % 50));
    } else if (kind < 20 && !c.state().calls.empty()) {
      input.kind = pick(rng) % 2 ? InputKind::kAdapterReply : InputKind::kAdapterFailed;
      input.call_id = c.state().calls.front().id;
      input.payload = RandomPayload(rng, wf, c.now(), false);
    } else if (kind < 23) {
      input.kind = InputKind::kChildDone;
      input.event = "rectification";
      input.child_id = "child-" + std::to_string(i);
    } else {
      auto [event, sender] = LikelyEvent(rng, wf, c.state(), roles);
      input = Input::Event(event, sender, RandomPayload(rng, wf, c.now(), false));
    }
    const core::CaseState before = c.state();
    core::StepResult result = c.Send(input);
    if (result.rejection) {
      REQUIRE(result.next == before);
      REQUIRE(result.effects.empty());
    } else {
      REQUIRE(result.next.revision == before.revision + 1);
    }
  }
  return cases;
}

TEST_CASE("replaying a recorded history rebuilds the same state", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int s = b.State("s");
  int f = b.State("f", model::StateKind::kFinal);
  b.After(a, Days(2), s);
  b.On(s, "finish", f);
  b.On(a, "skip", s);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  c.FireNext();
  c.Send(Input::Event("finish", ""));
  REQUIRE(c.history().size() == 3);
  Result<core::CaseState> replayed = core::Replay(wf, c.history(), nullptr);
  REQUIRE(replayed.ok());
  CHECK(*replayed == c.state());
}

TEST_CASE("replay reports the first history entry whose effects differ", "[core]") {
  ModelBuilder b;
  int a = b.State("a");
  int s = b.State("s");
  b.On(a, "go", s).actions.push_back(NotifyAction("owner_unit", "moved"));
  b.On(s, "back", a);
  model::Workflow wf = b.Build();
  CaseDriver c(wf, kT0);
  c.Send(Input::Start(""));
  c.Send(Input::Event("go", ""));
  c.Send(Input::Event("back", ""));
  std::vector<core::HistoryEntry> history = c.history();
  history[1].effects[1].text = "tampered";
  Result<core::CaseState> replayed = core::Replay(wf, history, nullptr);
  REQUIRE_FALSE(replayed.ok());
  CHECK(replayed.status().message().find("history entry 2") != std::string::npos);

  history = c.history();
  history[2].input = Input::Event("go", "");  // Not accepted in state `a`... after entry 2 it is `s`.
  Result<core::CaseState> rejected = core::Replay(wf, history, nullptr);
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.status().message().find("history entry 3") != std::string::npos);
  CHECK(rejected.status().message().find("not-in-state") != std::string::npos);
}

TEST_CASE("random inputs on the example workflows replay to the same state and effects", "[core]") {
  const calendar::Calendar cal = ProjectCalendar();
  auto workflows = CompileProjectFiles({"examples/hello.flow", "examples/rectification.flow",
                                        "examples/evaluations.flow"});
  REQUIRE(workflows.size() >= 4);
  for (const auto& wf : workflows) {
    int accepted = 0, completed = 0;
    for (uint32_t seed = 1; seed <= 4; ++seed) {
      INFO(wf->id << " seed " << seed);
      std::vector<CaseDriver> cases = RunRandomCases(*wf, &cal, seed * 7919, 300);
      for (const CaseDriver& c : cases) {
        accepted += static_cast<int>(c.history().size());
        completed += c.state().status == core::CaseStatus::kCompleted;
        Result<core::CaseState> replayed = core::Replay(*wf, c.history(), &cal);
        INFO((replayed.ok() ? std::string() : replayed.status().message()));
        REQUIRE(replayed.ok());
        REQUIRE(*replayed == c.state());
      }
    }
    INFO(wf->id);
    CHECK(accepted > 100);  // The random inputs do move the cases, not only get refused.
    CHECK(completed > 3);
  }
}

}  // namespace
}  // namespace zgtflow::testing
