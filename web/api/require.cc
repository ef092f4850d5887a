// ⑧ The principal checks every API handler starts with (see api.h).
#include <httplib.h>

#include "web/api/api.h"
#include "web/api_error.h"

namespace zgtflow::web::api {

std::optional<auth::Principal> RequirePrincipal(const WebContext& context,
                                                const httplib::Request& req,
                                                httplib::Response& res, bool state_changing) {
  auth::Authentication who = auth::Authenticate(context, req);
  if (!who.ok()) {
    ReplyDenial(res, who.denial);
    return std::nullopt;
  }
  if (state_changing && !auth::CheckCsrf(*who.principal, req)) {
    ReplyError(res, 403, "csrf",
               "a request made with the session cookie must carry the session's CSRF token "
               "in the X-CSRF-Token header");
    return std::nullopt;
  }
  return who.principal;
}

std::optional<auth::Principal> RequireRole(const WebContext& context, const httplib::Request& req,
                                           httplib::Response& res, const std::string& role,
                                           bool state_changing) {
  std::optional<auth::Principal> principal = RequirePrincipal(context, req, res, state_changing);
  if (principal && principal->role != role) {
    ReplyError(res, 403, "forbidden", "only the " + role + " role may do this");
    return std::nullopt;
  }
  return principal;
}

}  // namespace zgtflow::web::api
