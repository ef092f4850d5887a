// ⑦ API request bodies → checked requests, without HTTP: the JSON handling of
// POST /api/cases and POST /api/cases/{id}/events, callable from the server,
// the fuzzers (fuzz/) and tests. Never throws, whatever the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/model/value.h"
#include "engine/runtime/case_runner.h"

namespace zgtflow::web {

// A refused request: the HTTP status and the body
// {"error":{"code","message","field"}} the API answers with.
struct ApiError {
  int status = 400;
  std::string code;     // "bad-json", "missing-field", "bad-type", "field-too-long",
                        // "too-deep", "body-too-large".
  std::string message;
  std::string field;    // The offending field ("data.subject"), "" for the whole body.
};

// POST /api/cases {"workflow", "data"?, "parties"?, "role"?, "party"?,
// "event"?, "id"?}. Absent strings are "".
struct CreateCaseRequest {
  std::string workflow;
  std::string role;
  std::string party;
  std::string event;
  std::string id;
  std::string data_json;  // The "data" object as JSON text ("" when absent).
  runtime::Parties parties;
};

// POST /api/cases/{id}/events {"event", "role"?, "data"?, "party"?,
// "expected_revision"?}.
struct SubmitEventRequest {
  std::string event;
  std::string role;
  std::string party;
  model::Object payload;  // "data", decoded (runtime::ObjectFromJson).
  std::optional<int64_t> expected_revision;
};

// Parse and check a body against the shape above and the limits of
// engine/base/limits.h (body size, JSON depth, field lengths). On error,
// returns it and leaves `out` unspecified.
std::optional<ApiError> ParseCreateCaseRequest(const std::string& body, CreateCaseRequest* out);
std::optional<ApiError> ParseSubmitEventRequest(const std::string& body, SubmitEventRequest* out);

}  // namespace zgtflow::web
