// Test support: builds model::Workflow values by hand, for core tests that
// must not depend on the DSL front end. Header-only (tests/CMakeLists builds
// only *_test.cc). States must be added in document order, parents first,
// exactly as dsl/lower.cc numbers them.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/calendar/instant.h"
#include "engine/model/workflow.h"

namespace zgtflow::testing {

inline model::Expr Lit(model::Value value) {
  model::Expr e;
  e.op = model::ExprOp::kLiteral;
  e.literal = std::move(value);
  return e;
}
inline model::Expr Num(double n) {
  model::Expr e = Lit(model::Value::Number(n));
  e.type = model::Type::Of(model::TypeKind::kNumber);
  return e;
}
inline model::Expr Bool(bool b) {
  model::Expr e = Lit(model::Value::Bool(b));
  e.type = model::Type::Of(model::TypeKind::kBool);
  return e;
}
inline model::Expr Text(std::string s) {
  model::Expr e = Lit(model::Value::Text(std::move(s)));
  e.type = model::Type::Of(model::TypeKind::kText);
  return e;
}
inline model::Expr Now() {
  model::Expr e;
  e.op = model::ExprOp::kNow;
  e.type = model::Type::Of(model::TypeKind::kDateTime);
  return e;
}
inline model::Expr FieldRef(int field, model::Type type) {
  model::Expr e;
  e.op = model::ExprOp::kField;
  e.field = field;
  e.type = std::move(type);
  return e;
}
inline model::Expr Binary(model::ExprOp op, model::Expr a, model::Expr b, model::Type type) {
  model::Expr e;
  e.op = op;
  e.type = std::move(type);
  e.children.push_back(std::move(a));
  e.children.push_back(std::move(b));
  return e;
}
// Comparison helpers: boolean result.
inline model::Expr Cmp(model::ExprOp op, model::Expr a, model::Expr b) {
  return Binary(op, std::move(a), std::move(b), model::Type::Of(model::TypeKind::kBool));
}

inline model::ActionDef SetAction(int field, model::Expr value) {
  model::ActionDef a;
  a.kind = model::ActionKind::kSet;
  a.field = field;
  a.value = std::move(value);
  return a;
}
inline model::ActionDef NotifyAction(std::string role, std::string text) {
  model::ActionDef a;
  a.kind = model::ActionKind::kNotify;
  a.role = std::move(role);
  a.text = std::move(text);
  return a;
}
inline model::ActionDef RecordAction(std::string text) {
  model::ActionDef a;
  a.kind = model::ActionKind::kRecord;
  a.text = std::move(text);
  return a;
}
inline model::ActionDef EmitAction(std::string event) {
  model::ActionDef a;
  a.kind = model::ActionKind::kEmit;
  a.event = std::move(event);
  return a;
}
inline model::ActionDef CallAction(std::string adapter, std::string operation,
                                   std::vector<model::Expr> arguments, std::string reply_event,
                                   std::string failure_event) {
  model::ActionDef a;
  a.kind = model::ActionKind::kCall;
  a.adapter = std::move(adapter);
  a.operation = std::move(operation);
  a.arguments = std::move(arguments);
  a.reply_event = std::move(reply_event);
  a.failure_event = std::move(failure_event);
  return a;
}
inline model::ActionDef StartAction(std::string workflow,
                                    std::vector<std::pair<std::string, model::Expr>> with) {
  model::ActionDef a;
  a.kind = model::ActionKind::kStart;
  a.workflow = std::move(workflow);
  a.with = std::move(with);
  return a;
}

inline calendar::Instant At(const std::string& iso) { return calendar::ParseInstant(iso).value(); }

class ModelBuilder {
 public:
  explicit ModelBuilder(std::string id = "test") {
    wf_.id = std::move(id);
    wf_.version = 1;
    model::StateDef root;
    root.kind = model::StateKind::kCompound;
    wf_.states.push_back(root);
  }

  int Field(std::string name, model::Type type, bool required = false) {
    model::FieldDef f;
    f.name = std::move(name);
    f.label = f.name;
    f.type = std::move(type);
    f.required = required;
    wf_.fields.push_back(std::move(f));
    return static_cast<int>(wf_.fields.size()) - 1;
  }
  int FieldWithDefault(std::string name, model::Type type, model::Expr value) {
    int i = Field(std::move(name), std::move(type));
    wf_.fields[i].has_default = true;
    wf_.fields[i].default_value = std::move(value);
    return i;
  }

  // A state under `parent`; the first child of a compound is its initial
  // child unless `initial` marks another.
  int State(std::string name, model::StateKind kind = model::StateKind::kAtomic, int parent = 0,
            bool initial = false) {
    model::StateDef s;
    s.name = std::move(name);
    s.label = s.name;
    s.kind = kind;
    s.parent = parent;
    s.depth = wf_.states[parent].depth + 1;
    wf_.states.push_back(std::move(s));
    int index = static_cast<int>(wf_.states.size()) - 1;
    model::StateDef& p = wf_.states[parent];
    p.children.push_back(index);
    if (p.initial_child < 0 || initial) p.initial_child = index;
    return index;
  }

  model::TransitionDef& On(int state, std::string event, int target,
                           std::vector<std::string> roles = {}) {
    model::TransitionDef t;
    t.kind = model::TransitionKind::kEvent;
    t.event = std::move(event);
    t.target = target;
    t.roles = std::move(roles);
    wf_.states[state].transitions.push_back(std::move(t));
    return wf_.states[state].transitions.back();
  }
  model::TransitionDef& Always(int state, int target) {
    model::TransitionDef t;
    t.kind = model::TransitionKind::kAlways;
    t.target = target;
    wf_.states[state].transitions.push_back(std::move(t));
    return wf_.states[state].transitions.back();
  }
  model::TransitionDef& Branch(int state, model::Expr guard, int target) {
    model::TransitionDef t;
    t.kind = model::TransitionKind::kChoiceIf;
    t.has_guard = true;
    t.guard = std::move(guard);
    t.target = target;
    wf_.states[state].transitions.push_back(std::move(t));
    return wf_.states[state].transitions.back();
  }
  model::TransitionDef& Else(int state, int target) {
    model::TransitionDef t;
    t.kind = model::TransitionKind::kChoiceElse;
    t.target = target;
    wf_.states[state].transitions.push_back(std::move(t));
    return wf_.states[state].transitions.back();
  }
  model::TransitionDef& StartOn(std::string event, std::vector<std::string> roles, int target) {
    model::TransitionDef t;
    t.kind = model::TransitionKind::kEvent;
    t.event = std::move(event);
    t.roles = std::move(roles);
    t.target = target;
    wf_.start_transitions.push_back(std::move(t));
    return wf_.start_transitions.back();
  }
  model::TimerDef& After(int state, calendar::Duration duration, int target = -1) {
    model::TimerDef t;
    t.kind = model::TimerKind::kAfter;
    t.duration = duration;
    t.target = target;
    wf_.states[state].timers.push_back(std::move(t));
    return wf_.states[state].timers.back();
  }
  model::TimerDef& AtTimer(int state, model::Expr at, int target = -1) {
    model::TimerDef t;
    t.kind = model::TimerKind::kAt;
    t.has_at = true;
    t.at = std::move(at);
    t.target = target;
    wf_.states[state].timers.push_back(std::move(t));
    return wf_.states[state].timers.back();
  }
  model::TimerDef& Every(int state, calendar::Duration duration) {
    model::TimerDef t;
    t.kind = model::TimerKind::kEvery;
    t.duration = duration;
    wf_.states[state].timers.push_back(std::move(t));
    return wf_.states[state].timers.back();
  }

  model::StateDef& state(int index) { return wf_.states[index]; }

  // The finished model: name indices and the sorted event list filled in.
  model::Workflow Build() const {
    model::Workflow wf = wf_;
    for (size_t i = 0; i < wf.states.size(); ++i) wf.state_index[wf.states[i].name] = static_cast<int>(i);
    for (size_t i = 0; i < wf.fields.size(); ++i) wf.field_index[wf.fields[i].name] = static_cast<int>(i);
    auto add_events = [&wf](const std::vector<model::TransitionDef>& ts) {
      for (const auto& t : ts) {
        if (t.kind == model::TransitionKind::kEvent) wf.events.push_back(t.event);
      }
    };
    add_events(wf.start_transitions);
    for (const auto& s : wf.states) add_events(s.transitions);
    std::sort(wf.events.begin(), wf.events.end());
    wf.events.erase(std::unique(wf.events.begin(), wf.events.end()), wf.events.end());
    return wf;
  }

 private:
  model::Workflow wf_;
};

inline calendar::Duration Hours(int64_t n) { return {n, calendar::DurationUnit::kHours, false}; }
inline calendar::Duration Days(int64_t n) { return {n, calendar::DurationUnit::kDays, false}; }
inline calendar::Duration Months(int64_t n) { return {n, calendar::DurationUnit::kMonths, false}; }

}  // namespace zgtflow::testing
