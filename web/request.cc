// ⑦ API request bodies (see request.h). Checks the limits before the shape so
// that no oversized or deeply nested body reaches a recursive walk (nlohmann's
// dump() and ObjectFromJson recurse; its parser does not).
#include "web/request.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "engine/base/limits.h"
#include "engine/runtime/json_codec.h"

namespace zgtflow::web {
namespace {

using nlohmann::json;

ApiError Error(std::string code, std::string message, std::string field = "", int status = 400) {
  return ApiError{status, std::move(code), std::move(message), std::move(field)};
}

// The body as a JSON object no deeper than kMaxRequestJsonDepth.
std::optional<ApiError> ParseBody(const std::string& text, json* body) {
  if (text.size() > limits::kMaxRequestBodyBytes) {
    return Error("body-too-large",
                 "the request body is larger than " +
                     std::to_string(limits::kMaxRequestBodyBytes) + " bytes",
                 "", 413);
  }
  bool too_deep = false;
  // The callback sees every value with its depth; deeper containers are
  // dropped (returning false) so the DOM stays shallow, and the body refused.
  json::parser_callback_t depth_check = [&too_deep](int depth, json::parse_event_t event,
                                                    json&) {
    if ((event == json::parse_event_t::object_start ||
         event == json::parse_event_t::array_start) &&
        depth >= limits::kMaxRequestJsonDepth) {
      too_deep = true;
      return false;
    }
    return !too_deep;
  };
  *body = json::parse(text, depth_check, /*allow_exceptions=*/false);
  if (too_deep) {
    return Error("too-deep", "the request body nests arrays and objects deeper than " +
                                 std::to_string(limits::kMaxRequestJsonDepth) + " levels");
  }
  if (body->is_discarded() || !body->is_object()) {
    return Error("bad-json", "the request body must be a JSON object");
  }
  return std::nullopt;
}

std::optional<ApiError> CheckName(const std::string& value, const std::string& field) {
  if (value.size() > limits::kMaxRequestNameBytes) {
    return Error("field-too-long",
                 "'" + field + "' is longer than " +
                     std::to_string(limits::kMaxRequestNameBytes) + " bytes",
                 field);
  }
  return std::nullopt;
}

// body[key] as a string: "" when absent or null.
std::optional<ApiError> StringField(const json& body, const char* key, bool required,
                                    std::string* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (!required) return std::nullopt;
    return Error("missing-field", std::string("'") + key + "' is required", key);
  }
  if (!it->is_string()) {
    return Error("bad-type", std::string("'") + key + "' must be a string", key);
  }
  *out = it->get<std::string>();
  return CheckName(*out, key);
}

// Every key (a name) and string (a text) inside `value`, at `path`.
std::optional<ApiError> CheckLengths(const json& value, const std::string& path) {
  if (value.is_string()) {
    if (value.get_ref<const std::string&>().size() > limits::kMaxRequestTextBytes) {
      return Error("field-too-long",
                   "'" + path + "' is longer than " +
                       std::to_string(limits::kMaxRequestTextBytes) + " bytes",
                   path);
    }
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      std::string child = path + "." + it.key();
      if (auto error = CheckName(it.key(), path + " key")) {
        error->field = path;
        return error;
      }
      if (auto error = CheckLengths(it.value(), child)) return error;
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (auto error = CheckLengths(value[i], path + "[" + std::to_string(i) + "]")) {
        return error;
      }
    }
  }
  return std::nullopt;
}

// body["data"]: absent/null or an object within the length limits.
std::optional<ApiError> DataField(const json& body, const json** data) {
  *data = nullptr;
  auto it = body.find("data");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) return Error("bad-type", "'data' must be a JSON object", "data");
  if (auto error = CheckLengths(*it, "data")) return error;
  *data = &*it;
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> ParseCreateCaseRequest(const std::string& text, CreateCaseRequest* out) {
  json body;
  if (auto error = ParseBody(text, &body)) return error;
  *out = CreateCaseRequest{};
  if (auto e = StringField(body, "workflow", true, &out->workflow)) return e;
  if (auto e = StringField(body, "role", false, &out->role)) return e;
  if (auto e = StringField(body, "party", false, &out->party)) return e;
  if (auto e = StringField(body, "event", false, &out->event)) return e;
  if (auto e = StringField(body, "id", false, &out->id)) return e;
  const json* data = nullptr;
  if (auto e = DataField(body, &data)) return e;
  if (data != nullptr) out->data_json = data->dump();
  if (auto it = body.find("parties"); it != body.end() && !it->is_null()) {
    ApiError shape = Error("bad-type", "'parties' must map each role to an array of names",
                           "parties");
    if (!it->is_object()) return shape;
    for (auto p = it->begin(); p != it->end(); ++p) {
      if (!p->is_array()) return shape;
      if (auto e = CheckName(p.key(), "parties")) return e;
      std::vector<std::string>& names = out->parties[p.key()];
      for (const json& name : *p) {
        if (!name.is_string()) return shape;
        if (auto e = CheckName(name.get<std::string>(), "parties." + p.key())) return e;
        names.push_back(name.get<std::string>());
      }
    }
  }
  return std::nullopt;
}

std::optional<ApiError> ParseSubmitEventRequest(const std::string& text, SubmitEventRequest* out) {
  json body;
  if (auto error = ParseBody(text, &body)) return error;
  *out = SubmitEventRequest{};
  if (auto e = StringField(body, "event", true, &out->event)) return e;
  if (auto e = StringField(body, "role", false, &out->role)) return e;
  if (auto e = StringField(body, "party", false, &out->party)) return e;
  const json* data = nullptr;
  if (auto e = DataField(body, &data)) return e;
  if (data != nullptr) {
    Result<model::Object> payload = runtime::ObjectFromJson(*data);
    if (!payload.ok()) return Error("bad-type", payload.status().message(), "data");
    out->payload = std::move(payload).value();
  }
  if (auto it = body.find("expected_revision"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return Error("bad-type", "'expected_revision' must be an integer", "expected_revision");
    }
    out->expected_revision = it->get<int64_t>();
  }
  return std::nullopt;
}

}  // namespace zgtflow::web
