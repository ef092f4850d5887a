// ⑧ The one function web/pages/ provides to the server (see web_context.h for
// the registration order and which paths belong to whom).
#pragma once

#include "web/web_context.h"

namespace httplib {
class Server;
}

namespace zgtflow::web::pages {

// Mounts every HTML page on `http`. Called once, after the API and login
// routes, from web::Server's constructor; `context` outlives the server.
// Handlers authenticate with auth::Authenticate (web/auth/http_auth.h),
// filter cases with auth::MaySee, offer auth::AllowedEvents, and check
// auth::CheckCsrf on every POST made by a form.
void Register(httplib::Server& http, const WebContext& context);

}  // namespace zgtflow::web::pages
