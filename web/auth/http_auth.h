// ⑧ Requests → principals: the bearer token or the session cookie of an
// httplib request, the session cookie itself, the CSRF check of forms, and
// the login/logout routes. The API and the pages both authenticate here.
#pragma once

#include <optional>
#include <string>

#include "web/auth/auth.h"
#include "web/auth/principal.h"
#include "web/web_context.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace zgtflow::web::auth {

inline constexpr char kSessionCookie[] = "zgt_session";      // The session cookie's name.
inline constexpr char kLoginCsrfCookie[] = "zgt_login_csrf"; // Double-submit token of /login.
inline constexpr char kCsrfField[] = "csrf";                 // Form field carrying the CSRF token.
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";        // …or this header (scripts with cookies).

// Why a request has no principal.
struct Denial {
  int http_status = 401;  // 401 no/unknown credentials, 503/500 store failure.
  std::string code;       // "unauthenticated", "unavailable", "internal".
  std::string message;
};

// Either a principal or a denial.
struct Authentication {
  std::optional<Principal> principal;
  Denial denial;  // Meaningful when !principal.
  bool ok() const { return principal.has_value(); }
};

// The principal of `req`: "Authorization: Bearer TOKEN" when present (a bad
// token is a denial even if a cookie is also sent), else the session cookie.
Authentication Authenticate(const WebContext& context, const httplib::Request& req);

// The value of cookie `name` in the request's Cookie header; "" when absent.
std::string CookieValue(const httplib::Request& req, const std::string& name);

// Set-Cookie for the session: HttpOnly, SameSite=Strict, Path=/, Max-Age
// (and Secure when context.secure_cookies). Clear sets it empty with Max-Age=0.
void SetSessionCookie(const WebContext& context, httplib::Response& res, const Login& login);
void ClearSessionCookie(const WebContext& context, httplib::Response& res);

// The CSRF check of a state-changing request by `principal`: the form field
// "csrf" (or the X-CSRF-Token header) must equal the session's csrf_token;
// bearer-token requests always pass (Auth::CheckCsrf).
bool CheckCsrf(const Principal& principal, const httplib::Request& req);

// GET /login (a small Chinese form: token, or user name + password; carries a
// login CSRF token in a cookie and a hidden field), POST /login (form fields
// token | name+password, csrf, next; success → 303 to `next` (a local path,
// default "/") with the session cookie; failure → 401 form again; rate
// limited → 429), POST /logout (session CSRF checked; clears the cookie, 303
// to /login).
void RegisterLoginRoutes(httplib::Server& http, const WebContext& context);

}  // namespace zgtflow::web::auth
