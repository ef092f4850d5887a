// Runs .scenario files: parses them, then interprets each scenario's steps on
// a CaseSet (in-memory cases, virtual clock). A scenario stops at its first
// failing step, whose message says what was expected and what was found.
#include "engine/scenario/scenario_runner.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "dsl/scenario/scenario.h"
#include "dsl/scenario/scenario_parser.h"
#include "engine/core/payload.h"
#include "engine/scenario/case_set.h"

namespace zgtflow::scenario {

namespace {

// JSON → the untyped value an input payload carries: strings stay text
// (core::Step types them by field), numbers, bools, null, arrays → lists,
// objects → objects.
model::Value JsonToValue(const nlohmann::json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::boolean: return model::Value::Bool(json.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return model::Value::Number(json.get<double>());
    case nlohmann::json::value_t::string: return model::Value::Text(json.get<std::string>());
    case nlohmann::json::value_t::array: {
      model::List items;
      for (const auto& item : json) items.push_back(JsonToValue(item));
      return model::Value::MakeList(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      model::Object object;
      for (auto it = json.begin(); it != json.end(); ++it) object[it.key()] = JsonToValue(it.value());
      return model::Value::MakeObject(std::move(object));
    }
    default: return model::Value();
  }
}

// A step's `with` data as a payload. Non-object JSON cannot name fields.
std::optional<model::Object> Payload(const ScenarioStep& step) {
  if (!step.has_data) return model::Object{};
  if (!step.data.is_object()) return std::nullopt;
  return JsonToValue(step.data).AsObject();
}

// A value as a scenario writes it, for "found …" messages.
nlohmann::json ValueToJson(const model::Value& value) {
  switch (value.kind()) {
    case model::Value::Kind::kNull: return nullptr;
    case model::Value::Kind::kBool: return value.AsBool();
    case model::Value::Kind::kNumber: {
      double n = value.AsNumber();
      if (std::floor(n) == n && std::fabs(n) < 1e15) return static_cast<int64_t>(n);
      return n;
    }
    case model::Value::Kind::kDocument:
      return {{"name", value.AsDocument().name}, {"sha256", value.AsDocument().sha256}};
    case model::Value::Kind::kList: {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& item : value.AsList()) items.push_back(ValueToJson(item));
      return items;
    }
    case model::Value::Kind::kObject: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& [key, item] : value.AsObject()) object[key] = ValueToJson(item);
      return object;
    }
    default: return value.ToDisplayString();  // text, datetime, date, duration
  }
}

std::string Quoted(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "'" : ", '") + name + "'";
  return out;
}

// The send or start a step describes, as written: "send submit as project_company".
std::string Describe(const ScenarioStep& step) {
  std::string out = step.kind == StepKind::kStart || step.kind == StepKind::kExpectRejectStart
                        ? "start"
                        : "send " + step.name;
  if (!step.role.empty()) out += " as " + step.role;
  if (step.has_data) out += " with " + step.data.dump();
  return out;
}

std::string DescribeRejection(const core::Rejection& rejection) {
  return rejection.code + ": " + rejection.message;
}

class ScenarioRun {
 public:
  ScenarioRun(const std::vector<std::shared_ptr<const model::Workflow>>& workflows,
              const calendar::Calendar* calendar)
      : workflows_(workflows), cases_(&workflows, calendar) {}

  // "" when the step passed; otherwise what was expected and found.
  std::string Run(const ScenarioStep& step) {
    switch (step.kind) {
      case StepKind::kWorkflow: return RunWorkflow(step);
      case StepKind::kAt: return MoveTo(step.instant);
      case StepKind::kAdvance: return RunAdvance(step);
      case StepKind::kStart: return RunStart(step);
      case StepKind::kSend: return RunSend(step);
      case StepKind::kExpectState: return ExpectState(step, true);
      case StepKind::kExpectNotState: return ExpectState(step, false);
      case StepKind::kExpectVar: return ExpectVar(step);
      case StepKind::kExpectNotified: return ExpectNotified(step);
      case StepKind::kExpectRejectSend:
      case StepKind::kExpectRejectStart: return ExpectReject(step);
      case StepKind::kExpectChildren: return ExpectChildren(step);
    }
    return "unknown step";
  }

 private:
  std::vector<std::string> WorkflowIds() const {
    std::vector<std::string> ids;
    for (const auto& w : workflows_) {
      if (w != nullptr) ids.push_back(w->id);
    }
    return ids;
  }

  std::string RunWorkflow(const ScenarioStep& step) {
    auto workflow = cases_.FindWorkflow(step.name);
    if (workflow == nullptr) {
      std::string hint = dsl::ClosestName(step.name, WorkflowIds());
      return "expected a workflow '" + step.name + "', found " +
             (hint.empty() ? "only " + Quoted(WorkflowIds()) : "none (did you mean '" + hint + "'?)");
    }
    workflow_ = workflow;
    // The most recent case of that workflow becomes current, so a scenario can
    // look at a child case or at a case another one sent an event to.
    current_ = -1;
    const auto& cases = cases_.cases();
    for (size_t i = cases.size(); i-- > 0;) {
      if (cases[i].workflow->id == step.name) {
        current_ = static_cast<int>(i);
        break;
      }
    }
    return "";
  }

  std::string MoveTo(calendar::Instant target) {
    if (cases_.clock_set() && target < cases_.now()) {
      return "expected a time after the clock's " + calendar::FormatInstant(cases_.now()) +
             ", found " + calendar::FormatInstant(target) + " (the clock never moves back)";
    }
    std::string error = cases_.MoveClockTo(target);
    return error.empty() ? "" : "moving the clock to " + calendar::FormatInstant(target) + ": " + error;
  }

  std::string RunAdvance(const ScenarioStep& step) {
    if (!cases_.clock_set()) return "expected `at TIMESTAMP` before `advance`, found the clock unset";
    auto target = cases_.Add(step.duration);
    if (!target.ok()) {
      return "cannot add " + step.text + " to " + calendar::FormatInstant(cases_.now()) + ": " +
             target.status().message();
    }
    return MoveTo(*target);
  }

  // Checks shared by start and send; "" when the step can go on.
  std::string Precondition(const ScenarioStep& step, bool needs_case) {
    if (workflow_ == nullptr) return "expected `workflow ID` before `" + Describe(step) + "`";
    if (!cases_.clock_set()) return "expected `at TIMESTAMP` before `" + Describe(step) + "`";
    if (needs_case && current_ < 0) return "expected `start` before `" + Describe(step) + "`";
    if (step.has_data && !step.data.is_object()) {
      return "expected a JSON object after `with`, found " + step.data.dump();
    }
    return "";
  }

  core::Input MakeInput(const ScenarioStep& step) const {
    model::Object payload = *Payload(step);
    if (step.kind == StepKind::kStart || step.kind == StepKind::kExpectRejectStart) {
      return core::Input::Start(step.role, std::move(payload));
    }
    return core::Input::Event(step.name, step.role, std::move(payload));
  }

  std::string RunStart(const ScenarioStep& step) {
    if (std::string e = Precondition(step, false); !e.empty()) return e;
    int index = -1;
    Applied applied = cases_.Start(workflow_, MakeInput(step), &index);
    if (applied.rejection) {
      return "expected `" + Describe(step) + "` to start a case, found it refused: " +
             DescribeRejection(*applied.rejection);
    }
    current_ = index;
    return applied.error;
  }

  std::string RunSend(const ScenarioStep& step) {
    if (std::string e = Precondition(step, true); !e.empty()) return e;
    Applied applied = cases_.Submit(current_, MakeInput(step));
    if (applied.rejection) {
      return "expected `" + Describe(step) + "` to be accepted, found it refused: " +
             DescribeRejection(*applied.rejection);
    }
    return applied.error;
  }

  const ScenarioCase* Current() const {
    return current_ < 0 ? nullptr : &cases_.cases()[current_];
  }

  // Active states with no active child: what a reader calls "the state".
  std::string ActiveLeaves(const ScenarioCase& c) const {
    const model::Workflow& wf = *c.workflow;
    std::vector<std::string> leaves;
    for (uint16_t s : c.state.active) {
      bool leaf = true;
      for (int child : wf.states[s].children) {
        if (std::find(c.state.active.begin(), c.state.active.end(), child) != c.state.active.end()) {
          leaf = false;
        }
      }
      if (leaf) leaves.push_back(wf.states[s].name);
    }
    if (leaves.empty()) return "no active state";
    return Quoted(leaves);
  }

  std::string ExpectState(const ScenarioStep& step, bool active) {
    const ScenarioCase* c = Current();
    if (c == nullptr) return "expected `start` before `" + std::string(StepKindName(step.kind)) + "`";
    int state = c->workflow->FindState(step.name);
    if (state < 0) {
      std::vector<std::string> names;
      for (const auto& s : c->workflow->states) {
        if (!s.name.empty()) names.push_back(s.name);
      }
      std::string hint = dsl::ClosestName(step.name, names);
      return "expected state '" + step.name + "', found no such state in workflow '" +
             c->workflow->id + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
    }
    bool is_active = std::find(c->state.active.begin(), c->state.active.end(), state) !=
                     c->state.active.end();
    if (is_active == active) return "";
    return "expected state '" + step.name + (active ? "'" : "' not to be active") + ", found " +
           ActiveLeaves(*c);
  }

  std::string ExpectVar(const ScenarioStep& step) {
    const ScenarioCase* c = Current();
    if (c == nullptr) return "expected `start` before `expect var`";
    const model::Workflow& wf = *c->workflow;
    int field = wf.FindField(step.name);
    if (field < 0) {
      std::vector<std::string> names;
      for (const auto& f : wf.fields) names.push_back(f.name);
      std::string hint = dsl::ClosestName(step.name, names);
      return "expected a field '" + step.name + "', found none in workflow '" + wf.id + "'" +
             (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
    }
    // The expected JSON is typed as the field is, so datetimes compare as
    // instants (any offset), dates as dates, durations by unit and amount.
    const model::FieldDef& def = wf.fields[field];
    auto expected = core::TypePayloadValue(def.type, JsonToValue(step.data));
    const model::Value& actual = c->state.data[field];
    std::string found = ValueToJson(actual).dump();
    if (!expected.ok()) {
      return "expected " + step.data.dump() + " to be a " + def.type.ToString() + " value for '" +
             step.name + "' (" + expected.status().message() + "), found " + found;
    }
    if (*expected == actual) return "";
    return "expected var " + step.name + " = " + step.data.dump() + ", found " + found;
  }

  std::string ExpectNotified(const ScenarioStep& step) {
    const auto& all = cases_.notifications();
    size_t& seen = notified_seen_[step.name];
    bool found = false;
    std::vector<std::string> others;
    for (size_t i = seen; i < all.size(); ++i) {
      if (all[i].role == step.name) found = true;
      else others.push_back(all[i].role);
    }
    seen = all.size();
    if (found) return "";
    std::sort(others.begin(), others.end());
    others.erase(std::unique(others.begin(), others.end()), others.end());
    return "expected a notification to '" + step.name + "', found none since the last check" +
           (others.empty() ? "" : " (notified: " + Quoted(others) + ")");
  }

  // A send to the current case, or a start of a fresh case of the workflow,
  // tried without committing: "nothing changes" holds by construction.
  std::string ExpectReject(const ScenarioStep& step) {
    bool start = step.kind == StepKind::kExpectRejectStart;
    if (std::string e = Precondition(step, !start); !e.empty()) return e;
    core::StepResult result =
        start ? cases_.Try(*workflow_, -1, MakeInput(step)) : cases_.Try(*workflow_, current_, MakeInput(step));
    if (result.rejection) return "";
    std::string now;
    if (!start) {
      ScenarioCase after = cases_.cases()[current_];
      after.state = result.next;
      now = " (it would move to " + ActiveLeaves(after) + ")";
    }
    return "expected `" + Describe(step) + "` to be refused, found it accepted" + now;
  }

  std::string ExpectChildren(const ScenarioStep& step) {
    const ScenarioCase* c = Current();
    if (c == nullptr) return "expected `start` before `expect children`";
    int64_t count = 0;
    for (const auto& other : cases_.cases()) {
      if (other.parent == current_ && other.workflow->id == step.name) ++count;
    }
    if (count == step.count) return "";
    return "expected " + std::to_string(step.count) + " child case(s) of '" + step.name +
           "', found " + std::to_string(count);
  }

  const std::vector<std::shared_ptr<const model::Workflow>>& workflows_;
  CaseSet cases_;
  std::shared_ptr<const model::Workflow> workflow_;
  int current_ = -1;                          // The last started case.
  std::map<std::string, size_t> notified_seen_;  // Role → notifications already checked.
};

}  // namespace

ScenarioFileResult RunScenarioFile(
    const dsl::SourceFile& file,
    const std::vector<std::shared_ptr<const model::Workflow>>& workflows,
    const calendar::Calendar* calendar) {
  ScenarioFileResult result;
  ParsedScenarioFile parsed = ParseScenarioFile(file);
  result.diagnostics = std::move(parsed.diagnostics);
  for (const Scenario& scenario : parsed.scenarios) {
    ScenarioOutcome outcome;
    outcome.title = scenario.title;
    outcome.span = scenario.span;
    outcome.passed = true;
    ScenarioRun run(workflows, calendar);
    for (const ScenarioStep& step : scenario.steps) {
      std::string failure = run.Run(step);
      if (!failure.empty()) {
        outcome.passed = false;
        outcome.failure = step.span.path + ":" + std::to_string(step.span.line) + ": " + failure;
        break;
      }
    }
    result.outcomes.push_back(std::move(outcome));
  }
  return result;
}

}  // namespace zgtflow::scenario
