// ⑧ WebContext: what every route of the web server (JSON API and HTML pages)
// works with. Built once by web::Server and passed by const reference to each
// folder's Register function; none of the pointers is owned by it.
//
// Route registration (the contract between web/ folders):
//   web/server.cc Mount() calls, in this order,
//     auth::RegisterLoginRoutes   GET/POST /login, POST /logout  (web/auth/)
//     api::RegisterHealth         /healthz, /metrics             (web/api/)
//     api::RegisterWorkflows      /api/workflows…                (web/api/)
//     api::RegisterCases          /api/cases…                    (web/api/)
//     pages::Register             every HTML page                (web/pages/)
//   pages::Register is declared in web/pages_hook.h; it is called only when
//   some web/pages/*.cc exists (CMake defines ZGT_WEB_PAGES then), and one of
//   those files must define it. Paths under /api/, /login, /logout, /healthz
//   and /metrics belong to web/api and web/auth; pages take the rest ("/",
//   "/cases…", "/workflows…", "/static/…").
#pragma once

#include "engine/calendar/calendar.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/store.h"

namespace zgtflow::web {

namespace auth {
class Auth;
}
class Metrics;
class RouteList;

struct WebContext {
  store::Store* store = nullptr;
  runtime::DefinitionRegistry* registry = nullptr;
  runtime::CaseRunner* runner = nullptr;
  runtime::Clock* clock = nullptr;               // Never null once the server is built.
  const calendar::Calendar* calendar = nullptr;  // May be null (no working-day arithmetic).
  auth::Auth* auth = nullptr;                    // Never null once the server is built.
  Metrics* metrics = nullptr;                    // Never null once the server is built.
  bool secure_cookies = false;                   // Add `Secure` to cookies (HTTPS deployments).
  // Routes mounted through web::Route (web/route.h) are listed here; pages
  // may use Route too (optional: only the API's routes are checked against
  // docs/openapi.json).
  RouteList* routes = nullptr;                   // Never null once the server is built.
};

}  // namespace zgtflow::web
