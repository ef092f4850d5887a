// ④ Timer scheduling, cancellation, firing and `every` recurrence.
#include "engine/core/timers.h"

#include <algorithm>

#include "engine/core/actions.h"
#include "engine/core/microstep.h"

namespace zgtflow::core {

using model::TimerKind;

Result<calendar::Instant> AddDuration(const calendar::Calendar* calendar, calendar::Instant start,
                                      const calendar::Duration& duration) {
  if (calendar != nullptr) return calendar->Add(start, duration);
  return calendar::AddWithoutCalendar(start, duration);
}

Result<calendar::Instant> EveryDue(const calendar::Calendar* calendar, calendar::Instant anchor,
                                   const calendar::Duration& duration, uint32_t k) {
  calendar::Duration scaled = duration;
  scaled.amount = duration.amount * static_cast<int64_t>(k);
  return AddDuration(calendar, anchor, scaled);
}

void InsertTimer(CaseState& state, const PendingTimer& timer) {
  auto it = std::upper_bound(state.timers.begin(), state.timers.end(), timer,
                             [](const PendingTimer& a, const PendingTimer& b) {
                               return a.due != b.due ? a.due < b.due : a.id < b.id;
                             });
  state.timers.insert(it, timer);
}

namespace {

// The `until` condition of an `every` timer; an expression that cannot be
// evaluated (a field not set yet) does not hold, so the timer keeps running.
bool UntilHolds(StepContext& ctx, const model::TimerDef& def) {
  if (!def.has_until) return false;
  Result<model::Value> value = Eval(def.until, ctx.eval);
  return value.ok() && value->kind() == model::Value::Kind::kBool && value->AsBool();
}

std::string TimerName(const StepContext& ctx, int state, size_t timer) {
  return "timer " + std::to_string(timer + 1) + " of state '" + ctx.workflow.states[state].name + "'";
}

void Schedule(StepContext& ctx, PendingTimer timer) {
  timer.id = ctx.state.next_id++;
  Effect& effect = ctx.AddEffect(EffectKind::kScheduleTimer);
  effect.timer_id = timer.id;
  effect.due = timer.due;
  effect.state = ctx.workflow.states[timer.state].name;
  InsertTimer(ctx.state, timer);
}

}  // namespace

bool ScheduleStateTimers(StepContext& ctx, int state) {
  const model::StateDef& def = ctx.workflow.states[state];
  if (def.timers.empty()) return true;
  const calendar::Instant now = ctx.clock.now;
  for (size_t i = 0; i < def.timers.size(); ++i) {
    const model::TimerDef& timer = def.timers[i];
    PendingTimer pending;
    pending.state = static_cast<uint16_t>(state);
    pending.timer = static_cast<uint16_t>(i);
    pending.anchor = now;
    switch (timer.kind) {
      case TimerKind::kAfter: {
        Result<calendar::Instant> due = AddDuration(ctx.clock.calendar, now, timer.duration);
        if (!due.ok()) {
          ctx.Fail("eval-error", TimerName(ctx, state, i) + ": " + due.status().message());
          return false;
        }
        pending.due = *due;
        break;
      }
      case TimerKind::kAt: {
        Result<model::Value> at = Eval(timer.at, ctx.eval);
        if (!at.ok()) {
          ctx.Fail("eval-error", TimerName(ctx, state, i) + ": " + at.status().message());
          return false;
        }
        if (at->kind() == model::Value::Kind::kDateTime) {
          pending.due = at->AsDateTime();
        } else if (at->kind() == model::Value::Kind::kDate) {
          pending.due = calendar::StartOfShanghaiDay(at->AsDate());
        } else {
          ctx.Fail("eval-error", TimerName(ctx, state, i) + ": `at` needs a datetime, got " +
                                     model::KindName(at->kind()));
          return false;
        }
        // A deadline already past is due now: the runtime fires it next.
        if (pending.due < now) pending.due = now;
        break;
      }
      case TimerKind::kEvery: {
        if (timer.duration.amount <= 0) {  // It would fall due again at once, forever.
          ctx.Fail("eval-error", TimerName(ctx, state, i) + ": `every` needs a positive period");
          return false;
        }
        if (UntilHolds(ctx, timer)) continue;
        Result<calendar::Instant> due = EveryDue(ctx.clock.calendar, now, timer.duration, 1);
        if (!due.ok()) {
          ctx.Fail("eval-error", TimerName(ctx, state, i) + ": " + due.status().message());
          return false;
        }
        pending.due = *due;
        break;
      }
    }
    Schedule(ctx, pending);
  }
  return true;
}

void CancelStateTimers(StepContext& ctx, int state) {
  auto& timers = ctx.state.timers;
  if (timers.empty()) return;
  auto keep = timers.begin();
  for (auto it = timers.begin(); it != timers.end(); ++it) {
    if (it->state == state) {
      ctx.AddEffect(EffectKind::kCancelTimer).timer_id = it->id;
    } else {
      if (keep != it) *keep = *it;
      ++keep;
    }
  }
  timers.erase(keep, timers.end());
}

void CancelAllTimers(StepContext& ctx) {
  for (const PendingTimer& timer : ctx.state.timers) {
    ctx.AddEffect(EffectKind::kCancelTimer).timer_id = timer.id;
  }
  ctx.state.timers.clear();
}

bool FireTimer(StepContext& ctx, size_t index) {
  const PendingTimer fired = ctx.state.timers[index];
  ctx.state.timers.erase(ctx.state.timers.begin() + static_cast<std::ptrdiff_t>(index));
  const model::TimerDef& def = ctx.workflow.states[fired.state].timers[fired.timer];
  const bool every = def.kind == TimerKind::kEvery;
  if (every && UntilHolds(ctx, def)) return true;  // Stopped: the condition became true meanwhile.

  if (!RunActions(ctx, def.actions, fired.state)) return false;

  if (def.target >= 0) {
    // Leaving the state through the timer: its other timers are cancelled on exit.
    Selected transition{fired.state, def.target, nullptr, nullptr};
    transition.domain = TransitionDomain(ctx.workflow, fired.state, def.target);
    SelectedSet selected{transition};
    return CountMicrostep(ctx) && Microstep(ctx, selected);
  }
  if (every && !UntilHolds(ctx, def)) {
    PendingTimer next = fired;
    next.fired = fired.fired + 1;
    Result<calendar::Instant> due =
        EveryDue(ctx.clock.calendar, fired.anchor, def.duration, next.fired + 1);
    if (!due.ok()) {
      ctx.Fail("eval-error", TimerName(ctx, fired.state, fired.timer) + ": " + due.status().message());
      return false;
    }
    next.due = *due;
    Schedule(ctx, next);
  }
  return true;
}

}  // namespace zgtflow::core
