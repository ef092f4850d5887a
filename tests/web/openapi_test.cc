// docs/openapi.json matches the server: the same routes both ways, and real
// answers (each route, success and error statuses) use a declared status
// code and validate against the declared schema (a small JSON-schema checker:
// $ref, allOf, type incl. null, required, properties, items, enum).
#include <catch2/catch.hpp>

#include <httplib.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/web/served.h"
#include "web/route.h"

namespace zgtflow::web {
namespace {

using nlohmann::json;

json LoadSpec() {
  std::ifstream in(std::string(ZGT_SOURCE_DIR) + "/docs/openapi.json");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  json spec = json::parse(text.str(), nullptr, false);
  REQUIRE(!spec.is_discarded());
  return spec;
}

bool IsType(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return false;
}

// Appends to `errors` every way `value` breaks `schema` (at `where`).
void Validate(const json& value, const json& schema, const json& spec, const std::string& where,
              std::vector<std::string>* errors) {
  if (schema.contains("$ref")) {
    std::string ref = schema["$ref"];  // "#/components/schemas/NAME"
    json::json_pointer pointer(ref.substr(1));
    REQUIRE(spec.contains(pointer));
    return Validate(value, spec[pointer], spec, where, errors);
  }
  if (schema.contains("allOf")) {
    for (const json& part : schema["allOf"]) Validate(value, part, spec, where, errors);
  }
  if (schema.contains("type")) {
    bool ok = false;
    if (schema["type"].is_array()) {
      for (const json& t : schema["type"]) ok = ok || IsType(value, t.get<std::string>());
    } else {
      ok = IsType(value, schema["type"].get<std::string>());
    }
    if (!ok) {
      errors->push_back(where + ": " + value.dump() + " is not " + schema["type"].dump());
      return;
    }
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const json& option : schema["enum"]) found = found || option == value;
    if (!found) errors->push_back(where + ": " + value.dump() + " not in enum");
  }
  if (value.is_object()) {
    // Copies held in locals: items() of a temporary would dangle.
    const json required = schema.value("required", json::array());
    const json properties = schema.value("properties", json::object());
    for (const json& name : required) {
      if (!value.contains(name.get<std::string>())) {
        errors->push_back(where + ": missing required '" + name.get<std::string>() + "'");
      }
    }
    for (const auto& property : properties.items()) {
      if (value.contains(property.key())) {
        Validate(value[property.key()], property.value(), spec, where + "." + property.key(),
                 errors);
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      Validate(value[i], schema["items"], spec, where + "[" + std::to_string(i) + "]", errors);
    }
  }
}

// Checks one real answer against the operation (method, documented path).
void CheckAnswer(const json& spec, const std::string& method, const std::string& path,
                 const httplib::Result& res) {
  INFO(method << " " << path);
  REQUIRE(res);
  INFO("status " << res->status << ": " << res->body.substr(0, 300));
  REQUIRE(spec["paths"].contains(path));
  std::string verb = method == "GET" ? "get" : "post";
  REQUIRE(spec["paths"][path].contains(verb));
  const json& responses = spec["paths"][path][verb]["responses"];
  std::string status = std::to_string(res->status);
  REQUIRE(responses.contains(status));
  const json& response = responses[status];
  if (!response.contains("content")) return;
  std::string type = res->get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  REQUIRE(response["content"].contains(type));
  if (type != "application/json") return;
  json body = json::parse(res->body, nullptr, false);
  REQUIRE(!body.is_discarded());
  std::vector<std::string> errors;
  Validate(body, response["content"][type]["schema"], spec, "body", &errors);
  for (const std::string& error : errors) FAIL_CHECK(error);
}

TEST_CASE("docs/openapi.json lists exactly the API routes the server serves", "[web]") {
  json spec = LoadSpec();
  std::set<std::string> documented;
  for (const auto& path : spec["paths"].items()) {
    for (const auto& operation : path.value().items()) {
      std::string method = operation.key();
      for (char& c : method) c = static_cast<char>(std::toupper(c));
      documented.insert(method + " " + path.key());
    }
  }
  Served served;
  std::set<std::string> served_routes;
  for (const auto& [method, path] : served.server->context().routes->All()) {
    bool api = path.rfind("/api/", 0) == 0 || path == "/healthz" || path == "/metrics" ||
               path == "/login" || path == "/logout";
    if (api) served_routes.insert(method + " " + path);
  }
  CHECK(served_routes == documented);
  CHECK(served_routes.size() >= 14);
}

TEST_CASE("real answers of every API route use declared statuses and match their schemas",
          "[web]") {
  json spec = LoadSpec();
  Served served;
  std::string id = served.CreateRectification();
  const std::string kCase = "/api/cases/{id}";

  CheckAnswer(spec, "GET", "/healthz", served.client->Get("/healthz"));
  CheckAnswer(spec, "GET", "/metrics", served.client->Get("/metrics"));
  CheckAnswer(spec, "GET", "/login", served.client->Get("/login"));
  CheckAnswer(spec, "POST", "/login",
              served.client->Post("/login", httplib::Params{{"token", "x"}, {"csrf", "y"}}));
  CheckAnswer(spec, "POST", "/logout", served.client->Post("/logout", httplib::Params{}));

  CheckAnswer(spec, "GET", "/api/workflows", served.Get("/api/workflows"));
  CheckAnswer(spec, "GET", "/api/workflows", served.client->Get("/api/workflows"));
  CheckAnswer(spec, "GET", "/api/workflows/{id}", served.Get("/api/workflows/rectification"));
  CheckAnswer(spec, "GET", "/api/workflows/{id}", served.Get("/api/workflows/nope"));
  CheckAnswer(spec, "GET", "/api/workflows/{id}/diagram.svg",
              served.Get("/api/workflows/rectification/diagram.svg?case=" + id));
  CheckAnswer(spec, "GET", "/api/workflows/{id}/diagram.svg",
              served.Get("/api/workflows/nope/diagram.svg"));

  CheckAnswer(spec, "POST", "/api/cases",
              served.Post("/api/cases", R"({"workflow":"rectification","data":{"subject":"x"}})"));
  CheckAnswer(spec, "POST", "/api/cases", served.Post("/api/cases", "{bad"));
  CheckAnswer(spec, "POST", "/api/cases",
              served.Post("/api/cases", R"({"workflow":"rectification","data":{}})"));
  CheckAnswer(spec, "POST", "/api/cases", served.Post("/api/cases", R"({"workflow":"nope"})"));
  CheckAnswer(spec, "POST", "/api/cases",
              served.Post("/api/cases", R"({"workflow":"rectification","role":"owner_unit"})"));
  CheckAnswer(spec, "POST", "/api/cases",
              served.client->Post("/api/cases", R"({"workflow":"rectification"})",
                                  "application/json"));
  CheckAnswer(spec, "POST", "/api/cases",
              served.Post("/api/cases", "{\"workflow\":\"" + std::string(2 << 20, 'x') + "\"}"));

  CheckAnswer(spec, "GET", "/api/cases", served.Get("/api/cases?limit=1"));
  CheckAnswer(spec, "GET", "/api/cases", served.Get("/api/cases?limit=x"));
  CheckAnswer(spec, "GET", "/api/cases", served.client->Get("/api/cases"));

  CheckAnswer(spec, "GET", kCase, served.Get("/api/cases/" + id));
  CheckAnswer(spec, "GET", kCase, served.Get("/api/cases/nope"));
  CheckAnswer(spec, "GET", kCase, served.client->Get(("/api/cases/" + id).c_str()));

  const std::string kEvents = "/api/cases/{id}/events";
  std::string events = "/api/cases/" + id + "/events";
  CheckAnswer(spec, "POST", kEvents,
              served.Post(events, R"({"event":"submit","expected_revision":9})",
                          "project_company"));
  CheckAnswer(spec, "POST", kEvents, served.Post(events, R"({"event":"accept"})"));
  CheckAnswer(spec, "POST", kEvents, served.Post(events, R"({"event":3})"));
  CheckAnswer(spec, "POST", kEvents,
              served.Post(events, R"({"event":"submit","role":"owner_unit"})", "project_company"));
  CheckAnswer(spec, "POST", kEvents, served.Post("/api/cases/nope/events", R"({"event":"x"})"));
  CheckAnswer(spec, "POST", kEvents,
              served.Post(events, R"({"event":"submit"})", "project_company"));

  CheckAnswer(spec, "GET", "/api/cases/{id}/history", served.Get("/api/cases/" + id + "/history"));
  CheckAnswer(spec, "GET", "/api/cases/{id}/history", served.Get("/api/cases/nope/history"));

  CheckAnswer(spec, "POST", "/api/admin/reload", served.Post("/api/admin/reload", "", "owner_unit"));
  CheckAnswer(spec, "POST", "/api/admin/reload", served.Post("/api/admin/reload", ""));
}

TEST_CASE("PathPattern turns documented paths into httplib patterns", "[web]") {
  CHECK(PathPattern("/api/cases/{id}/events") == "/api/cases/([^/]+)/events");
  CHECK(PathPattern("/api/workflows/{id}/diagram.svg") == "/api/workflows/([^/]+)/diagram\\.svg");
}

}  // namespace
}  // namespace zgtflow::web
