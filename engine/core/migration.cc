// ④ Migration of a running case to another version (see migration.h).
#include "engine/core/migration.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "engine/core/payload.h"
#include "engine/core/step_context.h"
#include "engine/core/timers.h"

namespace zgtflow::core {

namespace {

using model::StateKind;
using model::Value;
using model::Workflow;

std::string Mapped(const StateMap& map, const std::string& name) {
  auto it = map.find(name);
  return it == map.end() ? name : it->second;
}

// Same expression in both versions: operators, literals and fields by name.
bool SameExpr(const model::Expr& a, const Workflow& wa, const model::Expr& b, const Workflow& wb) {
  if (a.op != b.op || !(a.literal == b.literal) || a.path != b.path || a.function != b.function ||
      a.children.size() != b.children.size()) {
    return false;
  }
  const std::string fa = a.field >= 0 && a.field < static_cast<int>(wa.fields.size())
                             ? wa.fields[a.field].name : "";
  const std::string fb = b.field >= 0 && b.field < static_cast<int>(wb.fields.size())
                             ? wb.fields[b.field].name : "";
  if (fa != fb) return false;
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!SameExpr(a.children[i], wa, b.children[i], wb)) return false;
  }
  return true;
}

// Same timer definition (state mapping applied to the target).
bool SameTimer(const model::TimerDef& a, const Workflow& wa, const model::TimerDef& b,
               const Workflow& wb, const StateMap& map) {
  if (a.kind != b.kind || !(a.duration == b.duration) || a.has_at != b.has_at ||
      a.has_until != b.has_until) {
    return false;
  }
  if (a.has_at && !SameExpr(a.at, wa, b.at, wb)) return false;
  if (a.has_until && !SameExpr(a.until, wa, b.until, wb)) return false;
  const std::string ta = a.target >= 0 ? Mapped(map, wa.states[a.target].name) : "";
  const std::string tb = b.target >= 0 ? wb.states[b.target].name : "";
  return ta == tb;
}

}  // namespace

Input MigrationInput(const Workflow& from, const Workflow& to, const StateMap& map,
                     std::string actor_role, const model::Object& defaults) {
  Input input;
  input.kind = InputKind::kMigrate;
  input.event = to.id;
  input.actor_role = std::move(actor_role);
  model::Object moves;
  for (const auto& [old_name, new_name] : map) moves[old_name] = Value::Text(new_name);
  input.payload["from"] = Value::Text(from.VersionHex());
  input.payload["to"] = Value::Text(to.VersionHex());
  input.payload["map"] = Value::MakeObject(std::move(moves));
  if (!defaults.empty()) input.payload["defaults"] = Value::MakeObject(defaults);
  return input;
}

Result<MigrationSpec> ReadMigration(const Input& input) {
  if (input.kind != InputKind::kMigrate) return Status::InvalidArgument("not a migration input");
  MigrationSpec spec;
  spec.workflow = input.event;
  auto text = [&](const char* key, std::string* out) {
    auto it = input.payload.find(key);
    if (it == input.payload.end() || it->second.kind() != Value::Kind::kText) return false;
    *out = it->second.AsText();
    return true;
  };
  if (!text("from", &spec.from) || !text("to", &spec.to)) {
    return Status::InvalidArgument("a migration input needs the texts 'from' and 'to'");
  }
  if (auto it = input.payload.find("map"); it != input.payload.end()) {
    if (it->second.kind() != Value::Kind::kObject) {
      return Status::InvalidArgument("a migration's 'map' must be an object");
    }
    for (const auto& [old_name, new_name] : it->second.AsObject()) {
      if (new_name.kind() != Value::Kind::kText) {
        return Status::InvalidArgument("a migration's map value for '" + old_name +
                                       "' must be a state name");
      }
      spec.map[old_name] = new_name.AsText();
    }
  }
  if (auto it = input.payload.find("defaults"); it != input.payload.end()) {
    if (it->second.kind() != Value::Kind::kObject) {
      return Status::InvalidArgument("a migration's 'defaults' must be an object");
    }
    spec.defaults = it->second.AsObject();
  }
  return spec;
}

StepResult Migrate(const Workflow& from, const Workflow& to, const CaseState& state,
                   const StateMap& map, const StepClock& clock, const model::Object& defaults) {
  StepResult result;
  result.next = state;
  auto refuse = [&](std::string code, std::string message, std::string field = "") {
    result.next = state;
    result.effects.clear();
    result.rejection = Rejection{std::move(code), std::move(message), std::move(field)};
    return std::move(result);
  };
  if (state.status != CaseStatus::kRunning) {
    return refuse("not-running", "only a running case can be migrated");
  }

  // Leaves: active states none of whose children is active.
  std::set<int> active(state.active.begin(), state.active.end());
  std::vector<std::pair<std::string, std::string>> moves;  // Old leaf → new state.
  std::set<int> next_active;
  for (int index : active) {
    bool leaf = true;
    for (int child : from.states[index].children) leaf = leaf && active.count(child) == 0;
    if (!leaf) continue;
    const std::string& name = from.states[index].name;
    auto it = map.find(name);
    const std::string target = it != map.end() ? it->second : name;
    const int mapped = to.FindState(target);
    if (mapped <= 0) {
      if (it != map.end()) {
        return refuse("unknown-state", "the map sends '" + name + "' to '" + target + "', which " +
                                           to.id + "@" + to.VersionHex() + " does not have");
      }
      return refuse("unmapped-state", "the case is in '" + name + "', which " + to.id + "@" +
                                          to.VersionHex() + " does not have; map it (" + name +
                                          "=STATE)");
    }
    const model::StateDef& def = to.states[mapped];
    const bool leaf_kind = def.kind == StateKind::kAtomic ||
                           (def.kind == StateKind::kFinal && def.parent > 0);
    if (!leaf_kind) {
      return refuse("bad-structure", "'" + name + "' maps to '" + target +
                                         "', which is not a state a case can wait in (an atomic "
                                         "state, or a final state inside a region)");
    }
    moves.emplace_back(name, target);
    for (int s = mapped; s > 0; s = to.states[s].parent) next_active.insert(s);
  }
  // The configuration must be one the statechart can be in.
  for (int s : next_active) {
    const model::StateDef& def = to.states[s];
    int children_active = 0;
    for (int child : def.children) children_active += next_active.count(child) ? 1 : 0;
    if (def.kind == StateKind::kCompound && children_active != 1) {
      return refuse("bad-structure", "the compound state '" + def.name + "' would have " +
                                         std::to_string(children_active) +
                                         " active children; it needs exactly one");
    }
    if (def.kind == StateKind::kParallel &&
        children_active != static_cast<int>(def.children.size())) {
      for (int child : def.children) {
        if (!next_active.count(child)) {
          return refuse("bad-structure", "region '" + to.states[child].name +
                                             "' of the parallel state '" + def.name +
                                             "' would have no active state; map a state into it");
        }
      }
    }
  }
  // Top level: exactly one active state under the root.
  int top = 0;
  for (int child : to.states[0].children) top += next_active.count(child) ? 1 : 0;
  if (top != 1) {
    return refuse("bad-structure", "the case would be in " + std::to_string(top) +
                                       " top-level states at once");
  }

  // Data by field name; the defaults fill what is left without a value.
  for (const auto& [name, value] : defaults) {
    if (to.FindField(name) < 0) {
      return refuse("unknown-field", "a default is given for '" + name + "', which " + to.id +
                                         "@" + to.VersionHex() + " does not have",
                    name);
    }
  }
  std::vector<std::string> defaulted;  // Fields that took their default.
  CaseState next = NewCaseState(to.version, to.fields.size());
  next.status = state.status;
  next.revision = state.revision + 1;
  next.next_id = state.next_id;
  next.children_started = state.children_started;
  for (size_t i = 0; i < to.fields.size(); ++i) {
    const model::FieldDef& field = to.fields[i];
    const int old_index = from.FindField(field.name);
    if (old_index >= 0 && static_cast<size_t>(old_index) < state.data.size() &&
        !state.data[old_index].is_null()) {
      if (!(from.fields[old_index].type == field.type)) {
        return refuse("bad-type", "field '" + field.name + "' changes type from " +
                                      from.fields[old_index].type.ToString() + " to " +
                                      field.type.ToString() + " and holds a value",
                      field.name);
      }
      next.data[i] = state.data[old_index];
    }
    if (auto given = defaults.find(field.name); given != defaults.end() && next.data[i].is_null()) {
      Result<Value> typed = TypePayloadValue(field.type, given->second);
      if (!typed.ok()) {
        return refuse("bad-type", "the default for field '" + field.name + "': " +
                                      typed.status().message(),
                      field.name);
      }
      next.data[i] = std::move(typed).value();
      if (!next.data[i].is_null()) defaulted.push_back(field.name);
    }
    if (field.required && next.data[i].is_null()) {
      return refuse("missing-field", "field '" + field.name + "' is required in " + to.id + "@" +
                                         to.VersionHex() + " and the case has no value for it",
                    field.name);
    }
  }
  for (int s : next_active) next.active.push_back(static_cast<uint16_t>(s));

  // Calls in flight stay with their (mapped) state.
  for (const PendingCall& call : state.calls) {
    const int mapped = to.FindState(Mapped(map, from.states[call.state].name));
    if (mapped <= 0 || !next_active.count(mapped)) {
      return refuse("pending-call", "call " + std::to_string(call.id) + " of state '" +
                                        from.states[call.state].name +
                                        "' is still in flight and its state is not kept; wait "
                                        "for its reply");
    }
    PendingCall moved = call;
    moved.state = static_cast<uint16_t>(mapped);
    next.calls.push_back(moved);
  }

  std::vector<Effect>& effects = result.effects;
  for (const PendingTimer& timer : state.timers) {
    Effect cancel;
    cancel.kind = EffectKind::kCancelTimer;
    cancel.timer_id = timer.id;
    cancel.state = from.states[timer.state].name;
    effects.push_back(std::move(cancel));
  }
  const size_t first_schedule = effects.size();
  StepContext ctx(to, next, effects, clock);
  for (int s : next_active) {
    if (!ScheduleStateTimers(ctx, s)) {
      return refuse(ctx.error->code, ctx.error->message, ctx.error->field);
    }
  }
  // Timers whose definition did not change keep their instants.
  for (size_t e = first_schedule; e < effects.size(); ++e) {
    Effect& effect = effects[e];
    if (effect.kind != EffectKind::kScheduleTimer) continue;
    auto fresh = std::find_if(next.timers.begin(), next.timers.end(),
                              [&](const PendingTimer& t) { return t.id == effect.timer_id; });
    if (fresh == next.timers.end()) continue;
    const model::TimerDef& def = to.states[fresh->state].timers[fresh->timer];
    for (const PendingTimer& old : state.timers) {
      const model::StateDef& old_state = from.states[old.state];
      if (Mapped(map, old_state.name) != to.states[fresh->state].name ||
          old.timer != fresh->timer || old.timer >= old_state.timers.size() ||
          !SameTimer(old_state.timers[old.timer], from, def, to, map)) {
        continue;
      }
      PendingTimer kept = *fresh;
      kept.due = old.due;
      kept.anchor = old.anchor;
      kept.fired = old.fired;
      next.timers.erase(fresh);
      InsertTimer(next, kept);
      effect.due = kept.due;
      break;
    }
  }

  std::string text = "migrated " + to.id + " from " + from.VersionHex() + " to " + to.VersionHex();
  for (const auto& [old_name, new_name] : moves) {
    text += old_name == new_name ? "; " + old_name : "; " + old_name + " -> " + new_name;
  }
  for (const std::string& name : defaulted) {
    const Value& given = next.data[static_cast<size_t>(to.FindField(name))];
    text += "; " + name + " = " + given.ToDisplayString();
  }
  Effect record;
  record.kind = EffectKind::kRecord;
  record.text = text;
  effects.push_back(std::move(record));
  result.next = std::move(next);
  return result;
}

}  // namespace zgtflow::core
