// ⑧ JSON answers and errors of the API: {"error":{"code","message","field"}}
// with the HTTP status that goes with a Status, a core::Rejection or a Denial.
//
// Status → HTTP: kInvalidArgument 400, kNotFound 404, kConflict 409,
// kFailedPrecondition 422, kOutOfRange 422, kUnavailable 503, others 500.
// A core::Rejection is 422 with its code. Denials carry their own status.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/base/status.h"
#include "engine/core/rejection.h"
#include "web/auth/http_auth.h"

namespace httplib {
struct Response;
}

namespace zgtflow::web {

void ReplyJson(httplib::Response& res, int status, const nlohmann::json& body);
void ReplyError(httplib::Response& res, int status, const std::string& code,
                const std::string& message, const std::string& field = "");
void ReplyStatus(httplib::Response& res, const Status& status);
void ReplyRejection(httplib::Response& res, const core::Rejection& rejection);
void ReplyDenial(httplib::Response& res, const auth::Denial& denial);

}  // namespace zgtflow::web
