// ⑧ The JSON API's route groups (mounted by web::Server, see web_context.h)
// and the checks every API handler starts with.
//
// Every /api/ route requires a principal (auth::Authenticate: bearer token or
// session cookie) → 401 otherwise. State-changing requests made with a
// session cookie must carry the session's CSRF token in the X-CSRF-Token
// header (403 otherwise). A case the principal may not see (auth::MaySee) is
// 404, exactly as a case that does not exist.
#pragma once

#include <optional>
#include <string>

#include "web/auth/http_auth.h"
#include "web/auth/principal.h"
#include "web/web_context.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace zgtflow::web::api {

// GET /healthz (no principal needed) and GET /metrics (Prometheus text; no
// principal needed, as scrapers have none: bind --listen to a private
// address, or put it behind the proxy's access rules).
void RegisterHealth(httplib::Server& http, const WebContext& context);
// GET /api/workflows, /api/workflows/{id}, /api/workflows/{id}/diagram.svg.
void RegisterWorkflows(httplib::Server& http, const WebContext& context);
// POST /api/cases, GET /api/cases, GET /api/cases/{id},
// POST /api/cases/{id}/events, GET /api/cases/{id}/history.
void RegisterCases(httplib::Server& http, const WebContext& context);

// The request's principal, or nullopt after answering the denial (401/503).
// With `state_changing`, a session principal must also pass the CSRF check
// (403 "csrf" otherwise).
std::optional<auth::Principal> RequirePrincipal(const WebContext& context,
                                                const httplib::Request& req,
                                                httplib::Response& res,
                                                bool state_changing = false);
// As RequirePrincipal, and the principal's role must be `role` (403 otherwise).
std::optional<auth::Principal> RequireRole(const WebContext& context, const httplib::Request& req,
                                           httplib::Response& res, const std::string& role,
                                           bool state_changing = true);

}  // namespace zgtflow::web::api
