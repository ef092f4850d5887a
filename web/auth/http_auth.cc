// ⑧ Requests → principals (see http_auth.h), and the login/logout routes.
#include "web/auth/http_auth.h"

#include <httplib.h>

#include <string>

#include "web/html.h"
#include "web/route.h"

namespace zgtflow::web::auth {
namespace {

Authentication Denied(int status, std::string code, std::string message) {
  Authentication out;
  out.denial = Denial{status, std::move(code), std::move(message)};
  return out;
}

Authentication FromResult(Result<Principal> principal) {
  if (principal.ok()) {
    Authentication out;
    out.principal = std::move(principal).value();
    return out;
  }
  switch (principal.status().code()) {
    case StatusCode::kNotFound:
      return Denied(401, "unauthenticated", principal.status().message());
    case StatusCode::kUnavailable:
      return Denied(503, "unavailable", principal.status().message());
    default:
      return Denied(500, "internal", principal.status().message());
  }
}

std::string Cookie(const WebContext& context, const std::string& name, const std::string& value,
                   int64_t max_age_s) {
  std::string cookie = name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(max_age_s);
  if (context.secure_cookies) cookie += "; Secure";
  return cookie;
}

// Only local paths ("/…", not "//host"), so the login cannot redirect away.
std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) {
    return "/";
  }
  for (char c : next) {
    if (c == '\r' || c == '\n') return "/";
  }
  return next;
}

void LoginForm(const WebContext& context, httplib::Response& res, int status,
               const std::string& next, const std::string& error) {
  std::string csrf = RandomHex(16);
  res.set_header("Set-Cookie", Cookie(context, kLoginCsrfCookie, csrf, 3600));
  res.set_header("Cache-Control", "no-store");
  std::string page =
      "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>登录 · zgtflow</title>"
      "<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}"
      "label{display:block;margin:.6rem 0}input{width:100%;padding:.4rem;box-sizing:border-box}"
      "fieldset{margin:1rem 0}.error{color:#b00020}</style></head><body>"
      "<h1>登录</h1>";
  if (!error.empty()) page += "<p class=\"error\" role=\"alert\">" + html::Escape(error) + "</p>";
  std::string hidden = "<input type=\"hidden\" name=\"csrf\" value=\"" + csrf +
                       "\"><input type=\"hidden\" name=\"next\" value=\"" +
                       html::Escape(SafeNext(next)) + "\">";
  page +=
      "<form method=\"post\" action=\"/login\"><fieldset><legend>用户名和密码</legend>" + hidden +
      "<label>用户名 <input name=\"name\" autocomplete=\"username\"></label>"
      "<label>密码 <input name=\"password\" type=\"password\" "
      "autocomplete=\"current-password\"></label>"
      "<button type=\"submit\">登录</button></fieldset></form>"
      "<form method=\"post\" action=\"/login\"><fieldset><legend>访问令牌</legend>" + hidden +
      "<label>令牌 <input name=\"token\" autocomplete=\"off\"></label>"
      "<button type=\"submit\">使用令牌登录</button></fieldset></form></body></html>";
  res.status = status;
  res.set_content(page, "text/html; charset=utf-8");
}

}  // namespace

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    size_t start = header.find_first_not_of(' ', pos);
    if (start != std::string::npos && start < end) {
      size_t eq = header.find('=', start);
      if (eq != std::string::npos && eq < end && header.compare(start, eq - start, name) == 0 &&
          eq - start == name.size()) {
        return header.substr(eq + 1, end - eq - 1);
      }
    }
    pos = end + 1;
  }
  return "";
}

Authentication Authenticate(const WebContext& context, const httplib::Request& req) {
  std::string authorization = req.get_header_value("Authorization");
  if (!authorization.empty()) {
    const std::string kBearer = "Bearer ";
    if (authorization.compare(0, kBearer.size(), kBearer) != 0) {
      return Denied(401, "unauthenticated", "Authorization must be 'Bearer TOKEN'");
    }
    return FromResult(context.auth->FromBearer(authorization.substr(kBearer.size())));
  }
  std::string session = CookieValue(req, kSessionCookie);
  if (!session.empty()) return FromResult(context.auth->FromSession(session));
  return Denied(401, "unauthenticated", "log in, or send 'Authorization: Bearer TOKEN'");
}

void SetSessionCookie(const WebContext& context, httplib::Response& res, const Login& login) {
  int64_t max_age = (login.expires_at_ms - context.clock->NowMs()) / 1000;
  res.set_header("Set-Cookie",
                 Cookie(context, kSessionCookie, login.cookie_value, max_age > 0 ? max_age : 0));
}

void ClearSessionCookie(const WebContext& context, httplib::Response& res) {
  res.set_header("Set-Cookie", Cookie(context, kSessionCookie, "", 0));
}

bool CheckCsrf(const Principal& principal, const httplib::Request& req) {
  std::string token = req.get_param_value(kCsrfField);
  if (token.empty()) token = req.get_header_value(kCsrfHeader);
  return Auth::CheckCsrf(principal, token);
}

void RegisterLoginRoutes(httplib::Server& http, const WebContext& context) {
  Route(http, context.routes, "GET", "/login", [context](const httplib::Request& req, httplib::Response& res) {
    LoginForm(context, res, 200, req.get_param_value("next"), "");
  });

  Route(http, context.routes, "POST", "/login", [context](const httplib::Request& req, httplib::Response& res) {
    std::string next = req.get_param_value("next");
    // Login CSRF: the form's hidden token must match the cookie GET /login
    // set (double submit), so another site cannot log a browser in.
    std::string expected = CookieValue(req, kLoginCsrfCookie);
    std::string given = req.get_param_value(kCsrfField);
    if (expected.empty() || expected != given) {
      return LoginForm(context, res, 403, next, "表单已过期，请重新登录。");
    }
    Result<Login> login = Status(StatusCode::kNotFound, "");
    std::string token = req.get_param_value("token");
    if (!token.empty()) {
      login = context.auth->LoginWithToken(token, req.remote_addr);
    } else {
      login = context.auth->LoginWithPassword(req.get_param_value("name"),
                                              req.get_param_value("password"), req.remote_addr);
    }
    if (!login.ok()) {
      switch (login.status().code()) {
        case StatusCode::kFailedPrecondition:
          return LoginForm(context, res, 429, next, "登录失败次数过多，请一分钟后再试。");
        case StatusCode::kNotFound:
          return LoginForm(context, res, 401, next, "用户名、密码或令牌不正确。");
        default:
          return LoginForm(context, res, 503, next, "暂时无法登录：" + login.status().message());
      }
    }
    SetSessionCookie(context, res, *login);
    res.set_redirect(SafeNext(next), 303);
  });

  Route(http, context.routes, "POST", "/logout", [context](const httplib::Request& req, httplib::Response& res) {
    Authentication who = Authenticate(context, req);
    if (who.ok() && who.principal->via == Via::kSession) {
      if (!CheckCsrf(*who.principal, req)) {
        res.status = 403;
        res.set_content("CSRF token missing or wrong", "text/plain; charset=utf-8");
        return;
      }
      context.auth->Logout(CookieValue(req, kSessionCookie));
    }
    ClearSessionCookie(context, res);
    res.set_redirect("/login", 303);
  });
}

}  // namespace zgtflow::web::auth
