// ④ Step: one input applied to one case. Dispatches on the input kind, types
// the payload, runs the first microstep, then eventless transitions and
// internal events to completion (microstep.cc). Works on the state in place
// (Step on one copy of it); a refusal puts it back and returns no effects.
#include "engine/core/step.h"

#include <algorithm>

#include "engine/core/actions.h"
#include "engine/core/microstep.h"
#include "engine/core/payload.h"
#include "engine/core/step_context.h"
#include "engine/core/timers.h"

namespace zgtflow::core {

namespace {

using model::Value;
using model::Workflow;

// Writes the payload into the case data, typed by the fields' declared
// types. `strict`: an unknown key is refused (external inputs); otherwise it
// is ignored (adapter replies carry keys of their own, like "error").
bool ApplyPayload(StepContext& ctx, const model::Object& payload, bool strict) {
  const Workflow& wf = ctx.workflow;
  for (const auto& [key, raw] : payload) {
    const int field = wf.FindField(key);
    if (field < 0) {
      if (!strict) continue;
      ctx.Fail("unknown-field", "the workflow '" + wf.id + "' has no field '" + key + "'", key);
      return false;
    }
    Result<Value> typed = TypePayloadValue(wf.fields[field].type, raw);
    if (!typed.ok()) {
      ctx.Fail("bad-type", "field '" + key + "': " + typed.status().message(), key);
      return false;
    }
    // A running case may not clear a field declared `required` (a start
    // checks them after defaults instead).
    if (typed->is_null() && wf.fields[field].required && ctx.state.status == CaseStatus::kRunning) {
      ctx.Fail("missing-field", "'" + key + "' is required and cannot be cleared", key);
      return false;
    }
    ctx.SetData(field, std::move(typed).value());
  }
  return true;
}

// The slow path of the unknown-event check, for models whose `events` list
// does not name every event (hand-built ones).
bool HandlesAnywhere(const Workflow& wf, const std::string& event) {
  if (std::binary_search(wf.events.begin(), wf.events.end(), event)) return true;
  for (const model::StateDef& state : wf.states) {
    for (const model::TransitionDef& t : state.transitions) {
      if (t.kind == model::TransitionKind::kEvent && t.event == event) return true;
    }
  }
  return false;
}

bool RoleAllowed(const std::vector<std::string>& roles, const std::string& role) {
  return roles.empty() || std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Start(StepContext& ctx, const Input& input) {
  const Workflow& wf = ctx.workflow;
  if (ctx.state.status != CaseStatus::kNew) {
    ctx.Fail("already-started", "the case has already started");
    return false;
  }

  // Which start transitions this input may take, in document order. A start
  // that names no event (an API create, a scenario's `start`) may take any of
  // them: the first whose role, required fields and condition hold decides,
  // as `warn`, `restrict` or `freeze` starts a user sanction by its data.
  std::vector<const model::TransitionDef*> candidates;
  const std::string& start_event = input.event;
  if (!wf.start_transitions.empty()) {
    std::string allowed;
    bool named = false;
    for (const auto& t : wf.start_transitions) {
      if (!start_event.empty() && t.event != start_event) continue;
      named = true;
      if (RoleAllowed(t.roles, input.actor_role)) {
        candidates.push_back(&t);
      } else {
        for (const auto& role : t.roles) {
          if (allowed.find(role) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + role;
        }
      }
    }
    if (!named) {
      ctx.Fail("unknown-event", "'" + start_event + "' does not start a case of '" + wf.id + "'");
      return false;
    }
    if (candidates.empty()) {
      ctx.Fail("role-not-allowed", "role '" + input.actor_role + "' may not start '" + wf.id +
                                       (start_event.empty() ? "" : "' with '" + start_event) +
                                       "'; it may be started by " + allowed);
      return false;
    }
  }

  if (!ApplyPayload(ctx, input.payload, /*strict=*/true)) return false;
  for (size_t i = 0; i < wf.fields.size(); ++i) {
    const model::FieldDef& field = wf.fields[i];
    if (!field.has_default || !ctx.state.data[i].is_null()) continue;
    Result<Value> value = Eval(field.default_value, ctx.eval);
    if (!value.ok()) {
      ctx.Fail("eval-error", "default of '" + field.name + "': " + value.status().message(), field.name);
      return false;
    }
    ctx.SetData(i, CoerceToField(field.type, std::move(value).value()));
  }
  for (size_t i = 0; i < wf.fields.size(); ++i) {
    if (wf.fields[i].required && ctx.state.data[i].is_null()) {
      ctx.Fail("missing-field", "'" + wf.fields[i].name + "' is required to start the case",
               wf.fields[i].name);
      return false;
    }
  }

  Selected entry;
  entry.source = 0;
  if (candidates.empty()) {
    const model::StateDef& root = wf.states[0];
    entry.target = root.initial_child >= 0 ? root.initial_child
                                           : (root.children.empty() ? -1 : root.children.front());
    if (entry.target < 0) {
      ctx.Fail("not-in-state", "the workflow '" + wf.id + "' has no state to start in");
      return false;
    }
  } else {
    const model::TransitionDef* chosen = nullptr;
    std::string refusal_code, refusal, refusal_field;
    for (const model::TransitionDef* t : candidates) {
      bool missing = false;
      for (int field : t->required_fields) {
        if (ctx.state.data[field].is_null()) {
          if (refusal_code.empty()) {
            refusal_code = "missing-field";
            refusal = "'" + t->event + "' requires '" + wf.fields[field].name + "', which has no value";
            refusal_field = wf.fields[field].name;
          }
          missing = true;
          break;
        }
      }
      if (missing) continue;
      if (t->has_guard) {
        Result<Value> holds = Eval(t->guard, ctx.eval);
        if (!holds.ok() || holds->kind() != Value::Kind::kBool || !holds->AsBool()) {
          refusal_code = "guard-false";
          refusal = "the condition of '" + t->event + "' does not hold" +
                    (holds.ok() ? "" : " (" + holds.status().message() + ")");
          refusal_field.clear();
          continue;
        }
      }
      chosen = t;
      break;
    }
    if (chosen == nullptr) {
      ctx.Fail(refusal_code, refusal, refusal_field);
      return false;
    }
    entry.target = chosen->target;
    entry.actions = &chosen->actions;
    entry.def = chosen;
  }

  ctx.state.status = CaseStatus::kRunning;
  SelectedSet selected{entry};
  return CountMicrostep(ctx) && Microstep(ctx, selected) && RunToCompletion(ctx);
}

// `child.done` and `STATE.done` are raised by the engine itself; a sender
// outside could otherwise declare a child finished or a region complete.
bool IsInternalEvent(const Workflow& wf, const std::string& event) {
  static constexpr char kDone[] = ".done";
  constexpr size_t kDoneLength = sizeof kDone - 1;
  if (event.size() <= kDoneLength || event.compare(event.size() - kDoneLength, kDoneLength, kDone) != 0) {
    return false;
  }
  const std::string owner = event.substr(0, event.size() - kDoneLength);
  return owner == "child" || wf.FindState(owner) >= 0;
}

bool HandleEvent(StepContext& ctx, const Input& input) {
  const Workflow& wf = ctx.workflow;
  if (IsInternalEvent(wf, input.event)) {
    ctx.Fail("internal-event",
             "'" + input.event + "' is raised by the engine when it happens and cannot be sent");
    return false;
  }
  // An unknown event is reported before anything about its payload; the
  // check runs only on the refusal path, keeping the accepted path short.
  auto unknown_event = [&]() {
    if (HandlesAnywhere(wf, input.event)) return false;
    ctx.error.reset();
    ctx.Fail("unknown-event", "the workflow '" + wf.id + "' has no event '" + input.event + "'");
    return true;
  };
  if (!ApplyPayload(ctx, input.payload, /*strict=*/true)) {
    unknown_event();
    return false;
  }
  Selection sel = SelectEventTransitions(ctx, input.event, &input.actor_role);
  if (sel.selected.empty()) {
    if (unknown_event()) return false;
    if (!sel.handled) {
      std::string where;
      for (uint16_t s : ctx.state.active) {
        if (wf.states[s].children.empty()) where += (where.empty() ? "'" : ", '") + wf.states[s].name + "'";
      }
      ctx.Fail("not-in-state", "'" + input.event + "' is not accepted in state " + where);
    } else {
      ctx.Fail(sel.code, sel.message, sel.field);
    }
    return false;
  }
  return CountMicrostep(ctx) && Microstep(ctx, sel.selected) && RunToCompletion(ctx);
}

// An event raised by the system (adapter reply, child done): no role check,
// and when no active state waits for it the input is still accepted — the
// fact happened; refusing it would leave it to be retried forever.
bool HandleSystemEvent(StepContext& ctx, const std::string& event) {
  if (!event.empty()) {
    Selection sel = SelectEventTransitions(ctx, event, nullptr);
    if (!sel.selected.empty() && (!CountMicrostep(ctx) || !Microstep(ctx, sel.selected))) return false;
  }
  return RunToCompletion(ctx);
}

bool Dispatch(StepContext& ctx, const Input& input) {
  if (input.kind == InputKind::kStart) return Start(ctx, input);
  if (ctx.state.status == CaseStatus::kNew) {
    ctx.Fail("not-started", "the case has not started");
    return false;
  }
  if (ctx.state.status == CaseStatus::kCompleted) {
    ctx.Fail("case-finished", "the case is complete");
    return false;
  }
  switch (input.kind) {
    case InputKind::kStart:
      break;
    case InputKind::kEvent:
      return HandleEvent(ctx, input);
    case InputKind::kTimerFired: {
      auto& timers = ctx.state.timers;
      for (size_t i = 0; i < timers.size(); ++i) {
        if (timers[i].id == input.timer_id) {
          return FireTimer(ctx, i) && RunToCompletion(ctx);
        }
      }
      ctx.Fail("unknown-timer", "timer " + std::to_string(input.timer_id) + " is not pending");
      return false;
    }
    case InputKind::kAdapterReply:
    case InputKind::kAdapterFailed: {
      auto& calls = ctx.state.calls;
      auto it = std::find_if(calls.begin(), calls.end(),
                             [&](const PendingCall& c) { return c.id == input.call_id; });
      if (it == calls.end()) {
        ctx.Fail("unknown-call", "call " + std::to_string(input.call_id) + " is not pending");
        return false;
      }
      const std::string event =
          input.kind == InputKind::kAdapterReply ? it->reply_event : it->failure_event;
      calls.erase(it);
      if (!ApplyPayload(ctx, input.payload, /*strict=*/false)) return false;
      return HandleSystemEvent(ctx, event);
    }
    case InputKind::kChildDone:
      return HandleSystemEvent(ctx, "child.done");
    case InputKind::kMigrate:
      // Needs both versions: core::Migrate applies it (core/migration.h).
      ctx.Fail("migration", "a migration is applied by core::Migrate, not by Step");
      return false;
  }
  ctx.Fail("unknown-event", "unknown input kind");
  return false;
}

}  // namespace

std::optional<Rejection> StepInPlace(const Workflow& workflow, CaseState& state, const Input& input,
                                     const StepClock& clock, std::vector<Effect>& effects) {
  effects.clear();
  // What a refusal puts back. Data is undone write by write (ctx.data_undo)
  // rather than copied, since most steps write one field or none; the rest is
  // small (active is inline, timers and calls are null while empty).
  const CaseStatus status = state.status;
  const uint32_t next_id = state.next_id;
  const uint32_t children_started = state.children_started;
  ActiveStates active = state.active;
  LazyVector<PendingTimer> timers = state.timers;
  LazyVector<PendingCall> calls = state.calls;

  StepContext ctx(workflow, state, effects, clock);
  ctx.input = &input;
  ctx.eval.facts = &input.facts;
  if (!Dispatch(ctx, input)) {
    for (size_t i = ctx.data_undo.size(); i-- > 0;) {
      auto& [field, before] = ctx.data_undo[i];
      state.data[field] = std::move(before);
    }
    state.status = status;
    state.next_id = next_id;
    state.children_started = children_started;
    state.active = std::move(active);
    state.timers = std::move(timers);
    state.calls = std::move(calls);
    effects.clear();
    return std::move(ctx.error);
  }
  ++state.revision;
  return std::nullopt;
}

StepResult StepInPlace(const Workflow& workflow, CaseState&& state, const Input& input,
                       const StepClock& clock) {
  StepResult result{std::move(state), {}, std::nullopt};
  // Three effects (816 bytes) stay within glibc's tcache (≤ 1,032 bytes);
  // four did not, and every step paid malloc's slow path.
  result.effects.reserve(3);
  result.rejection = StepInPlace(workflow, result.next, input, clock, result.effects);
  return result;
}

StepResult Step(const Workflow& workflow, const CaseState& state, const Input& input,
                const StepClock& clock) {
  return StepInPlace(workflow, CaseState(state), input, clock);  // The one copy.
}

}  // namespace zgtflow::core
