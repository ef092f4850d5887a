// ⑥ JSON codec (see json_codec.h). nlohmann is used without exceptions on the
// decoding side: every access checks the type first, so bad text from a
// database or a client is a Status, never a throw.
#include "engine/runtime/json_codec.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"

namespace zgtflow::runtime {

using nlohmann::json;
using model::Value;

namespace {

Status Bad(const std::string& where, const std::string& what) {
  return Status::InvalidArgument(where.empty() ? what : where + ": " + what, where);
}

Result<json> Parse(const std::string& text, const std::string& what) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::InvalidArgument(what + " is not valid JSON");
  return parsed;
}

// Text from clients may hold invalid UTF-8; nlohmann's dump would throw on it,
// so such bytes are replaced (U+FFFD) rather than crash the step.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

bool HasDollarKey(const model::Object& object) {
  for (const auto& entry : object) {
    if (!entry.first.empty() && entry.first[0] == '$') return true;
  }
  return false;
}

// Typed readers for the fixed-shape records (state, input, effect).
Status ReadInt(const json& object, const char* key, const std::string& where, int64_t* out,
               bool required = false) {
  auto it = object.find(key);
  if (it == object.end()) {
    return required ? Bad(where + "." + key, "missing") : Status::Ok();
  }
  if (!it->is_number_integer()) return Bad(where + "." + key, "expected an integer");
  *out = it->get<int64_t>();
  return Status::Ok();
}

template <typename T>
Status ReadUnsigned(const json& object, const char* key, const std::string& where, T* out,
                    bool required = false) {
  int64_t value = static_cast<int64_t>(*out);
  Status status = ReadInt(object, key, where, &value, required);
  if (!status.ok()) return status;
  if (value < 0 || static_cast<uint64_t>(value) > std::numeric_limits<T>::max()) {
    return Bad(where + "." + key, "out of range");
  }
  *out = static_cast<T>(value);
  return Status::Ok();
}

Status ReadString(const json& object, const char* key, const std::string& where, std::string* out,
                  bool required = false) {
  auto it = object.find(key);
  if (it == object.end()) {
    return required ? Bad(where + "." + key, "missing") : Status::Ok();
  }
  if (!it->is_string()) return Bad(where + "." + key, "expected a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadInstant(const json& object, const char* key, const std::string& where,
                   calendar::Instant* out, bool required = false) {
  std::string text;
  Status status = ReadString(object, key, where, &text, required);
  if (!status.ok() || text.empty()) return status;
  Result<calendar::Instant> instant = calendar::ParseInstant(text);
  if (!instant.ok()) return Bad(where + "." + key, instant.status().message());
  *out = *instant;
  return Status::Ok();
}

Status ReadValue(const json& object, const char* key, const std::string& where, Value* out) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  Result<Value> value = ValueFromJson(*it);
  if (!value.ok()) return Bad(where + "." + key, value.status().message());
  *out = std::move(value).value();
  return Status::Ok();
}

Status ReadObject(const json& object, const char* key, const std::string& where,
                  model::Object* out) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  Result<model::Object> value = ObjectFromJson(*it);
  if (!value.ok()) return Bad(where + "." + key, value.status().message());
  *out = std::move(value).value();
  return Status::Ok();
}

std::string Hex16(uint64_t value) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

bool ParseHex16(const std::string& text, uint64_t* out) {
  if (text.size() != 16) return false;
  uint64_t value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      return false;
    }
    value = value << 4 | static_cast<uint64_t>(digit);
  }
  *out = value;
  return true;
}

const char* StatusName(core::CaseStatus status) {
  switch (status) {
    case core::CaseStatus::kNew: return "new";
    case core::CaseStatus::kRunning: return "running";
    case core::CaseStatus::kCompleted: return "completed";
  }
  return "new";
}

struct InputKindName {
  core::InputKind kind;
  const char* name;
};
constexpr InputKindName kInputKinds[] = {
    {core::InputKind::kStart, "start"},
    {core::InputKind::kEvent, "event"},
    {core::InputKind::kTimerFired, "timer-fired"},
    {core::InputKind::kAdapterReply, "adapter-reply"},
    {core::InputKind::kAdapterFailed, "adapter-failed"},
    {core::InputKind::kChildDone, "child-done"},
    {core::InputKind::kMigrate, "migrate"},
};

constexpr core::EffectKind kEffectKinds[] = {
    core::EffectKind::kScheduleTimer, core::EffectKind::kCancelTimer,
    core::EffectKind::kNotify,        core::EffectKind::kCallAdapter,
    core::EffectKind::kStartChild,    core::EffectKind::kRecord,
    core::EffectKind::kEnterState,    core::EffectKind::kExitState,
    core::EffectKind::kCompleted,     core::EffectKind::kSendToCases,
};

}  // namespace

// ---- values ----

json ValueToJson(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull: return nullptr;
    case Value::Kind::kBool: return value.AsBool();
    case Value::Kind::kNumber: {
      double n = value.AsNumber();
      if (std::isnan(n)) return json{{"$number", "nan"}};
      if (std::isinf(n)) return json{{"$number", n > 0 ? "inf" : "-inf"}};
      // Whole numbers as JSON integers: "3", not "3.0", in the stored text.
      if (std::fabs(n) < 9.0e15 && n == std::floor(n) && !(n == 0 && std::signbit(n))) {
        return static_cast<int64_t>(n);
      }
      return n;
    }
    case Value::Kind::kText: return value.AsText();
    case Value::Kind::kDateTime:
      return json{{"$datetime", calendar::FormatInstant(value.AsDateTime())}};
    case Value::Kind::kDate: return json{{"$date", calendar::FormatDate(value.AsDate())}};
    case Value::Kind::kDuration:
      return json{{"$duration", calendar::FormatDuration(value.AsDuration())}};
    case Value::Kind::kDocument:
      return json{{"$document",
                   {{"name", value.AsDocument().name}, {"sha256", value.AsDocument().sha256}}}};
    case Value::Kind::kList: {
      json array = json::array();
      for (const Value& item : value.AsList()) array.push_back(ValueToJson(item));
      return array;
    }
    case Value::Kind::kObject: return ObjectToJson(value.AsObject());
  }
  return nullptr;
}

Result<Value> ValueFromJson(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return Value();
    case json::value_t::boolean: return Value::Bool(j.get<bool>());
    case json::value_t::number_integer: return Value::Number(static_cast<double>(j.get<int64_t>()));
    case json::value_t::number_unsigned:
      return Value::Number(static_cast<double>(j.get<uint64_t>()));
    case json::value_t::number_float: return Value::Number(j.get<double>());
    case json::value_t::string: return Value::Text(j.get<std::string>());
    case json::value_t::array: {
      model::List items;
      items.reserve(j.size());
      for (size_t i = 0; i < j.size(); ++i) {
        Result<Value> item = ValueFromJson(j[i]);
        if (!item.ok()) return Bad("[" + std::to_string(i) + "]", item.status().message());
        items.push_back(std::move(item).value());
      }
      return Value::MakeList(std::move(items));
    }
    case json::value_t::object: {
      if (j.size() == 1) {
        const std::string& tag = j.begin().key();
        const json& body = j.begin().value();
        if (tag == "$datetime" || tag == "$date" || tag == "$duration" || tag == "$number") {
          if (!body.is_string()) return Bad(tag, "expected a string");
          const std::string text = body.get<std::string>();
          if (tag == "$datetime") {
            auto instant = calendar::ParseInstant(text);
            if (!instant.ok()) return Bad(tag, instant.status().message());
            return Value::DateTime(*instant);
          }
          if (tag == "$date") {
            auto date = calendar::ParseDate(text);
            if (!date.ok()) return Bad(tag, date.status().message());
            return Value::Date(*date);
          }
          if (tag == "$duration") {
            auto duration = calendar::ParseDuration(text);
            if (!duration.ok()) return Bad(tag, duration.status().message());
            return Value::Duration(*duration);
          }
          if (text == "nan") return Value::Number(std::numeric_limits<double>::quiet_NaN());
          if (text == "inf") return Value::Number(std::numeric_limits<double>::infinity());
          if (text == "-inf") return Value::Number(-std::numeric_limits<double>::infinity());
          return Bad(tag, "expected nan, inf or -inf");
        }
        if (tag == "$document") {
          if (!body.is_object()) return Bad(tag, "expected an object");
          model::Document document;
          Status status = ReadString(body, "name", tag, &document.name, true);
          if (status.ok()) status = ReadString(body, "sha256", tag, &document.sha256, true);
          if (!status.ok()) return status;
          return Value::Doc(std::move(document));
        }
        if (tag == "$object") {
          Result<model::Object> object = ObjectFromJson(body);
          if (!object.ok()) return Bad(tag, object.status().message());
          return Value::MakeObject(std::move(object).value());
        }
      }
      Result<model::Object> object = ObjectFromJson(j);
      if (!object.ok()) return object.status();
      return Value::MakeObject(std::move(object).value());
    }
    default:
      return Bad("", "binary JSON values are not supported");
  }
}

json ObjectToJson(const model::Object& object) {
  json out = json::object();
  for (const auto& [key, value] : object) out[key] = ValueToJson(value);
  if (HasDollarKey(object)) return json{{"$object", out}};
  return out;
}

Result<model::Object> ObjectFromJson(const json& j) {
  if (!j.is_object()) return Bad("", "expected a JSON object");
  if (j.size() == 1 && j.begin().key() == "$object") return ObjectFromJson(j.begin().value());
  model::Object object;
  for (auto it = j.begin(); it != j.end(); ++it) {
    Result<Value> value = ValueFromJson(it.value());
    if (!value.ok()) return Bad(it.key(), value.status().message());
    object.emplace(it.key(), std::move(value).value());
  }
  return object;
}

Result<model::Object> ParseObject(const std::string& text) {
  if (text.empty()) return model::Object{};
  Result<json> parsed = Parse(text, "the data");
  if (!parsed.ok()) return parsed.status();
  return ObjectFromJson(*parsed);
}

// ---- case state ----

std::string EncodeCaseState(const core::CaseState& state) {
  json out;
  out["workflow_version"] = Hex16(state.workflow_version);
  out["status"] = StatusName(state.status);
  out["active"] = state.active;
  json data = json::array();
  for (const Value& value : state.data) data.push_back(ValueToJson(value));
  out["data"] = std::move(data);
  json timers = json::array();
  for (const core::PendingTimer& timer : state.timers) {
    timers.push_back({{"id", timer.id},
                      {"state", timer.state},
                      {"timer", timer.timer},
                      {"due", calendar::FormatInstant(timer.due)},
                      {"fired", timer.fired},
                      {"anchor", calendar::FormatInstant(timer.anchor)}});
  }
  out["timers"] = std::move(timers);
  json calls = json::array();
  for (const core::PendingCall& call : state.calls) {
    calls.push_back({{"id", call.id},
                     {"state", call.state},
                     {"reply_event", call.reply_event},
                     {"failure_event", call.failure_event}});
  }
  out["calls"] = std::move(calls);
  out["revision"] = state.revision;
  out["next_id"] = state.next_id;
  out["children_started"] = state.children_started;
  return Dump(out);
}

Result<core::CaseState> DecodeCaseState(const std::string& text) {
  Result<json> parsed = Parse(text, "the case snapshot");
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  if (!j.is_object()) return Bad("snapshot", "expected a JSON object");
  core::CaseState state;
  std::string version, status_name;
  Status status = ReadString(j, "workflow_version", "snapshot", &version, true);
  if (!status.ok()) return status;
  if (!ParseHex16(version, &state.workflow_version)) {
    return Bad("snapshot.workflow_version", "expected 16 lowercase hex digits");
  }
  status = ReadString(j, "status", "snapshot", &status_name, true);
  if (!status.ok()) return status;
  if (status_name == "new") {
    state.status = core::CaseStatus::kNew;
  } else if (status_name == "running") {
    state.status = core::CaseStatus::kRunning;
  } else if (status_name == "completed") {
    state.status = core::CaseStatus::kCompleted;
  } else {
    return Bad("snapshot.status", "unknown status '" + status_name + "'");
  }
  auto active = j.find("active");
  if (active == j.end() || !active->is_array()) return Bad("snapshot.active", "expected an array");
  for (const json& index : *active) {
    if (!index.is_number_unsigned() || index.get<uint64_t>() > 0xffff) {
      return Bad("snapshot.active", "expected state indexes");
    }
    state.active.push_back(index.get<uint16_t>());
  }
  auto data = j.find("data");
  if (data == j.end() || !data->is_array()) return Bad("snapshot.data", "expected an array");
  for (size_t i = 0; i < data->size(); ++i) {
    Result<Value> value = ValueFromJson((*data)[i]);
    if (!value.ok()) return Bad("snapshot.data[" + std::to_string(i) + "]", value.status().message());
    state.data.push_back(std::move(value).value());
  }
  auto timers = j.find("timers");
  if (timers == j.end() || !timers->is_array()) return Bad("snapshot.timers", "expected an array");
  for (size_t i = 0; i < timers->size(); ++i) {
    const json& t = (*timers)[i];
    const std::string where = "snapshot.timers[" + std::to_string(i) + "]";
    if (!t.is_object()) return Bad(where, "expected an object");
    core::PendingTimer timer;
    Status s = ReadUnsigned(t, "id", where, &timer.id, true);
    if (s.ok()) s = ReadUnsigned(t, "state", where, &timer.state, true);
    if (s.ok()) s = ReadUnsigned(t, "timer", where, &timer.timer, true);
    if (s.ok()) s = ReadInstant(t, "due", where, &timer.due, true);
    if (s.ok()) s = ReadUnsigned(t, "fired", where, &timer.fired);
    if (s.ok()) s = ReadInstant(t, "anchor", where, &timer.anchor);
    if (!s.ok()) return s;
    state.timers.push_back(timer);
  }
  auto calls = j.find("calls");
  if (calls != j.end()) {
    if (!calls->is_array()) return Bad("snapshot.calls", "expected an array");
    for (size_t i = 0; i < calls->size(); ++i) {
      const json& c = (*calls)[i];
      const std::string where = "snapshot.calls[" + std::to_string(i) + "]";
      if (!c.is_object()) return Bad(where, "expected an object");
      core::PendingCall call;
      Status s = ReadUnsigned(c, "id", where, &call.id, true);
      if (s.ok()) s = ReadUnsigned(c, "state", where, &call.state, true);
      if (s.ok()) s = ReadString(c, "reply_event", where, &call.reply_event);
      if (s.ok()) s = ReadString(c, "failure_event", where, &call.failure_event);
      if (!s.ok()) return s;
      state.calls.push_back(std::move(call));
    }
  }
  Status s = ReadInt(j, "revision", "snapshot", &state.revision, true);
  if (s.ok()) s = ReadUnsigned(j, "next_id", "snapshot", &state.next_id, true);
  if (s.ok()) s = ReadUnsigned(j, "children_started", "snapshot", &state.children_started);
  if (!s.ok()) return s;
  return state;
}

// ---- inputs ----

json InputToJson(const core::Input& input) {
  json out;
  for (const InputKindName& k : kInputKinds) {
    if (k.kind == input.kind) out["kind"] = k.name;
  }
  if (!input.event.empty()) out["event"] = input.event;
  if (!input.actor_role.empty()) out["actor_role"] = input.actor_role;
  if (!input.actor_party.empty()) out["actor_party"] = input.actor_party;
  if (!input.payload.empty()) out["payload"] = ObjectToJson(input.payload);
  if (!input.facts.empty()) out["facts"] = ObjectToJson(input.facts);
  if (input.timer_id != 0) out["timer_id"] = input.timer_id;
  if (input.call_id != 0) out["call_id"] = input.call_id;
  if (!input.child_id.empty()) out["child_id"] = input.child_id;
  return out;
}

std::string EncodeInput(const core::Input& input) { return Dump(InputToJson(input)); }

Result<core::Input> DecodeInput(const std::string& text) {
  Result<json> parsed = Parse(text, "the input");
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  if (!j.is_object()) return Bad("input", "expected a JSON object");
  core::Input input;
  std::string kind;
  Status s = ReadString(j, "kind", "input", &kind, true);
  if (!s.ok()) return s;
  bool known = false;
  for (const InputKindName& k : kInputKinds) {
    if (kind == k.name) {
      input.kind = k.kind;
      known = true;
    }
  }
  if (!known) return Bad("input.kind", "unknown kind '" + kind + "'");
  s = ReadString(j, "event", "input", &input.event);
  if (s.ok()) s = ReadString(j, "actor_role", "input", &input.actor_role);
  if (s.ok()) s = ReadString(j, "actor_party", "input", &input.actor_party);
  if (s.ok()) s = ReadObject(j, "payload", "input", &input.payload);
  if (s.ok()) s = ReadObject(j, "facts", "input", &input.facts);
  if (s.ok()) s = ReadUnsigned(j, "timer_id", "input", &input.timer_id);
  if (s.ok()) s = ReadUnsigned(j, "call_id", "input", &input.call_id);
  if (s.ok()) s = ReadString(j, "child_id", "input", &input.child_id);
  if (!s.ok()) return s;
  return input;
}

// ---- effects ----

json EffectsToJson(const std::vector<core::Effect>& effects) {
  json out = json::array();
  for (const core::Effect& e : effects) {
    json item;
    item["kind"] = core::EffectKindName(e.kind);
    if (e.timer_id != 0) item["timer_id"] = e.timer_id;
    if (e.due.epoch_ms != 0) item["due"] = calendar::FormatInstant(e.due);
    if (!e.role.empty()) item["role"] = e.role;
    if (!e.text.empty()) item["text"] = e.text;
    if (!e.state.empty()) item["state"] = e.state;
    if (!e.adapter.empty()) item["adapter"] = e.adapter;
    if (!e.operation.empty()) item["operation"] = e.operation;
    if (!e.arguments.empty()) {
      json arguments = json::array();
      for (const Value& argument : e.arguments) arguments.push_back(ValueToJson(argument));
      item["arguments"] = std::move(arguments);
    }
    if (e.call_id != 0) item["call_id"] = e.call_id;
    if (!e.workflow.empty()) item["workflow"] = e.workflow;
    if (!e.data.empty()) {
      // Pairs, not an object: their order is part of the effect.
      json data = json::array();
      for (const auto& [name, value] : e.data) data.push_back(json::array({name, ValueToJson(value)}));
      item["data"] = std::move(data);
    }
    if (e.child_index != 0) item["child_index"] = e.child_index;
    if (!e.match_field.empty()) item["match_field"] = e.match_field;
    if (!e.match_value.is_null()) item["match_value"] = ValueToJson(e.match_value);
    out.push_back(std::move(item));
  }
  return out;
}

std::string EncodeEffects(const std::vector<core::Effect>& effects) {
  return Dump(EffectsToJson(effects));
}

Result<std::vector<core::Effect>> DecodeEffects(const std::string& text) {
  Result<json> parsed = Parse(text, "the effects");
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  if (!j.is_array()) return Bad("effects", "expected a JSON array");
  std::vector<core::Effect> effects;
  for (size_t i = 0; i < j.size(); ++i) {
    const json& item = j[i];
    const std::string where = "effects[" + std::to_string(i) + "]";
    if (!item.is_object()) return Bad(where, "expected an object");
    core::Effect e;
    std::string kind;
    Status s = ReadString(item, "kind", where, &kind, true);
    if (!s.ok()) return s;
    bool known = false;
    for (core::EffectKind k : kEffectKinds) {
      if (kind == core::EffectKindName(k)) {
        e.kind = k;
        known = true;
      }
    }
    if (!known) return Bad(where + ".kind", "unknown kind '" + kind + "'");
    s = ReadUnsigned(item, "timer_id", where, &e.timer_id);
    if (s.ok()) s = ReadInstant(item, "due", where, &e.due);
    if (s.ok()) s = ReadString(item, "role", where, &e.role);
    if (s.ok()) s = ReadString(item, "text", where, &e.text);
    if (s.ok()) s = ReadString(item, "state", where, &e.state);
    if (s.ok()) s = ReadString(item, "adapter", where, &e.adapter);
    if (s.ok()) s = ReadString(item, "operation", where, &e.operation);
    if (s.ok()) s = ReadUnsigned(item, "call_id", where, &e.call_id);
    if (s.ok()) s = ReadString(item, "workflow", where, &e.workflow);
    if (s.ok()) s = ReadUnsigned(item, "child_index", where, &e.child_index);
    if (s.ok()) s = ReadString(item, "match_field", where, &e.match_field);
    if (s.ok()) s = ReadValue(item, "match_value", where, &e.match_value);
    if (!s.ok()) return s;
    auto arguments = item.find("arguments");
    if (arguments != item.end()) {
      if (!arguments->is_array()) return Bad(where + ".arguments", "expected an array");
      for (const json& argument : *arguments) {
        Result<Value> value = ValueFromJson(argument);
        if (!value.ok()) return Bad(where + ".arguments", value.status().message());
        e.arguments.push_back(std::move(value).value());
      }
    }
    auto data = item.find("data");
    if (data != item.end()) {
      if (!data->is_array()) return Bad(where + ".data", "expected an array of pairs");
      for (const json& pair : *data) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) {
          return Bad(where + ".data", "expected [name, value] pairs");
        }
        Result<Value> value = ValueFromJson(pair[1]);
        if (!value.ok()) return Bad(where + ".data", value.status().message());
        e.data.emplace_back(pair[0].get<std::string>(), std::move(value).value());
      }
    }
    effects.push_back(std::move(e));
  }
  return effects;
}

std::string EncodeCaseData(const std::vector<std::string>& names,
                           const std::vector<Value>& data) {
  json out = json::object();
  for (size_t i = 0; i < names.size() && i < data.size(); ++i) {
    if (!data[i].is_null()) out[names[i]] = ValueToJson(data[i]);
  }
  return Dump(out);
}

}  // namespace zgtflow::runtime
