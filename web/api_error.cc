// ⑧ JSON answers and errors (see api_error.h).
#include "web/api_error.h"

#include <httplib.h>

namespace zgtflow::web {

void ReplyJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  // Invalid UTF-8 in stored text must not throw out of a handler: replace it.
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void ReplyError(httplib::Response& res, int status, const std::string& code,
                const std::string& message, const std::string& field) {
  ReplyJson(res, status,
            nlohmann::json{{"error", {{"code", code}, {"message", message}, {"field", field}}}});
}

void ReplyStatus(httplib::Response& res, const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return ReplyError(res, 400, "invalid-argument", status.message(), status.field());
    case StatusCode::kNotFound:
      return ReplyError(res, 404, "not-found", status.message(), status.field());
    case StatusCode::kConflict:
      return ReplyError(res, 409, "conflict", status.message(), status.field());
    case StatusCode::kFailedPrecondition:
    case StatusCode::kOutOfRange:
      return ReplyError(res, 422, "unprocessable", status.message(), status.field());
    case StatusCode::kUnavailable:
      return ReplyError(res, 503, "unavailable", status.message(), status.field());
    default:
      return ReplyError(res, 500, "internal", status.message(), status.field());
  }
}

void ReplyRejection(httplib::Response& res, const core::Rejection& rejection) {
  ReplyError(res, 422, rejection.code, rejection.message, rejection.field);
}

void ReplyDenial(httplib::Response& res, const auth::Denial& denial) {
  if (denial.http_status == 401) res.set_header("WWW-Authenticate", "Bearer");
  ReplyError(res, denial.http_status, denial.code, denial.message);
}

}  // namespace zgtflow::web
