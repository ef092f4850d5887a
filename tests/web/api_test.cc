// The JSON API over real HTTP on 127.0.0.1 with principals: 401 without a
// token, access by party (404 across parties), paging, case detail with
// deadlines and allowed events, history, workflows and diagrams, 409/413/422,
// /metrics, and the login flow (session cookie, CSRF, rate limit).
#include <catch2/catch.hpp>

#include <httplib.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/store/open/open_store.h"
#include "tests/web/served.h"
#include "web/auth/http_auth.h"
#include "web/html.h"

namespace zgtflow::web {
namespace {

using nlohmann::json;

json Body(const httplib::Result& res) { return json::parse(res->body); }

// A rectification case by the management unit for project company `party`.
std::string Create(Served& served, const std::string& party) {
  return served.CreateRectification(party);
}

TEST_CASE("API routes answer 401 without a token and with a wrong one", "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  for (const std::string& path : {std::string("/api/cases"), "/api/cases/" + id,
                                  "/api/cases/" + id + "/history", std::string("/api/workflows"),
                                  std::string("/api/workflows/rectification"),
                                  std::string("/api/workflows/rectification/diagram.svg")}) {
    INFO(path);
    auto res = served.client->Get(path.c_str());
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(Body(res)["error"]["code"] == "unauthenticated");
    CHECK(res->get_header_value("WWW-Authenticate") == "Bearer");
    auto forged = served.client->Get(
        path.c_str(), {{"Authorization", "Bearer zgt_0000000000000000_" + std::string(64, 'a')}});
    REQUIRE(forged);
    CHECK(forged->status == 401);
  }
  auto post = served.client->Post("/api/cases", R"({"workflow":"rectification"})",
                                   "application/json");
  REQUIRE(post);
  CHECK(post->status == 401);
  auto event = served.client->Post(("/api/cases/" + id + "/events").c_str(),
                                    R"({"event":"submit"})", "application/json");
  REQUIRE(event);
  CHECK(event->status == 401);
  CHECK(served.rt.store->GetCase(id)->revision == 1);
}

TEST_CASE("a party sees only its own cases: another party's case is 404, as an unknown one",
          "[web]") {
  Served served;
  std::string mine = Create(served, "甲公司");
  std::string theirs = Create(served, "乙公司");
  // An ecosystem unit does not see every case: only those naming its party
  // (here under project_company).
  auto own = served.Get("/api/cases/" + mine, "ecosystem_unit", "甲公司");
  REQUIRE(own);
  CHECK(own->status == 200);
  CHECK(Body(own)["id"] == mine);

  for (const std::string& path :
       {"/api/cases/" + theirs, "/api/cases/" + theirs + "/history",
        "/api/workflows/rectification/diagram.svg?case=" + theirs}) {
    INFO(path);
    auto res = served.Get(path, "ecosystem_unit", "甲公司");
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(Body(res)["error"]["code"] == "not-found");
    auto unknown = served.Get("/api/cases/no-such-case", "ecosystem_unit", "甲公司");
    CHECK(Body(unknown)["error"]["code"] == Body(res)["error"]["code"]);
  }
  auto event = served.Post("/api/cases/" + theirs + "/events", R"({"event":"submit"})",
                           "ecosystem_unit", "甲公司");
  REQUIRE(event);
  CHECK(event->status == 404);
  CHECK(served.rt.store->GetCase(theirs)->revision == 1);

  // The list shows the party its own case only, even when it asks for another party's.
  auto list = served.Get("/api/cases", "ecosystem_unit", "甲公司");
  REQUIRE(list);
  REQUIRE(list->status == 200);
  CHECK(Body(list)["total"] == 1);
  CHECK(Body(list)["cases"][0]["id"] == mine);
  auto other = served.Get("/api/cases?party=" + html::UrlEncode("乙公司"), "ecosystem_unit",
                          "甲公司");
  REQUIRE(other);
  CHECK(Body(other)["total"] == 0);
  // A principal without a party sees nothing unless its role sees all.
  auto nobody = served.Get("/api/cases/" + mine, "ecosystem_unit");
  CHECK(nobody->status == 404);
  // The management unit and the owner unit see every case.
  for (const char* role : {"management_unit", "owner_unit", "project_company"}) {
    INFO(role);
    CHECK(served.Get("/api/cases/" + theirs, role)->status == 200);
    CHECK(Body(served.Get("/api/cases", role))["total"] == 2);
  }
}

TEST_CASE("the actor comes from the token: a body naming another role or party is 403", "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  auto res = served.Post("/api/cases/" + id + "/events",
                         R"({"event":"submit","role":"management_unit"})", "project_company");
  REQUIRE(res);
  CHECK(res->status == 403);
  CHECK(Body(res)["error"]["field"] == "role");
  auto party = served.Post("/api/cases/" + id + "/events",
                           R"({"event":"submit","party":"别人"})", "project_company", "某项目公司");
  REQUIRE(party);
  CHECK(party->status == 403);
  CHECK(Body(party)["error"]["field"] == "party");
  auto ok = served.Post("/api/cases/" + id + "/events", R"({"event":"submit"})",
                        "project_company", "某项目公司");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  auto history = served.rt.store->GetHistory(id);
  REQUIRE(history.ok());
  CHECK(history->back().actor.find("project_company") != std::string::npos);
}

TEST_CASE("a case answers its state, data, deadlines and the events the caller may send", "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  auto res = served.Get("/api/cases/" + id, "project_company");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  json body = Body(res);
  CHECK(body["state"] == json::array({"rectifying"}));
  CHECK(body["data"]["subject"] == "平台稳定性未达标");
  CHECK(body["revision"] == 1);
  REQUIRE(body["deadlines"].is_array());
  REQUIRE(!body["deadlines"].empty());
  json deadline = body["deadlines"][0];
  CHECK(deadline["state"] == "rectifying");
  CHECK(deadline["due_at_ms"].get<int64_t>() > served.rt.clock.NowMs());
  CHECK(deadline["remaining_ms"].get<int64_t>() > 0);
  CHECK(deadline["overdue"] == false);
  CHECK(deadline["due_at"].get<std::string>().find("+08:00") != std::string::npos);
  std::set<std::string> events;
  for (const json& e : body["allowed_events"]) events.insert(e["event"].get<std::string>());
  CHECK(events.count("submit") == 1);
  CHECK(events.count("accept") == 0);
  // The management unit may not submit here.
  json as_unit = Body(served.Get("/api/cases/" + id, "management_unit"));
  for (const json& e : as_unit["allowed_events"]) CHECK(e["event"] != "submit");
  CHECK(as_unit["children"] == json::array());
}

TEST_CASE("the history lists every applied input with its actor and hash chain", "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  REQUIRE(served.Post("/api/cases/" + id + "/events", R"({"event":"submit"})",
                      "project_company")->status == 200);
  auto res = served.Get("/api/cases/" + id + "/history");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  json entries = Body(res)["entries"];
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]["seq"] == 1);
  CHECK(entries[1]["seq"] == 2);
  CHECK(entries[1]["input"]["event"] == "submit");
  CHECK(entries[1]["prev_hash"] == entries[0]["hash"]);
  CHECK(!entries[1]["hash"].get<std::string>().empty());
  CHECK(Body(res)["deliveries"].is_array());
}

TEST_CASE("case lists are paged with total and next, and filter by workflow and state", "[web]") {
  Served served;
  for (int i = 0; i < 5; ++i) served.CreateRectification();
  auto first = served.Get("/api/cases?workflow=rectification&limit=2");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  json page = Body(first);
  CHECK(page["total"] == 5);
  CHECK(page["cases"].size() == 2);
  CHECK(page["next"] == 2);
  std::set<std::string> seen;
  int offset = 0;
  while (true) {
    json p = Body(served.Get("/api/cases?workflow=rectification&limit=2&offset=" +
                             std::to_string(offset)));
    for (const json& c : p["cases"]) seen.insert(c["id"].get<std::string>());
    if (p["next"].is_null()) break;
    offset = p["next"].get<int>();
  }
  CHECK(seen.size() == 5);
  CHECK(Body(served.Get("/api/cases?state=verifying"))["total"] == 0);
  CHECK(Body(served.Get("/api/cases?state=rectifying"))["total"] == 5);
  CHECK(Body(served.Get("/api/cases?overdue=true"))["total"] == 0);
  for (const char* bad : {"limit=abc", "limit=100000", "offset=-1", "overdue=maybe"}) {
    INFO(bad);
    auto res = served.Get(std::string("/api/cases?") + bad);
    CHECK(res->status == 400);
  }
}

TEST_CASE("409 on a stale revision, 422 on missing required data, 413 on a large body", "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  auto stale = served.Post("/api/cases/" + id + "/events",
                           R"({"event":"submit","expected_revision":0})", "project_company");
  REQUIRE(stale);
  CHECK(stale->status == 409);
  auto missing = served.Post("/api/cases", R"({"workflow":"rectification","data":{}})");
  REQUIRE(missing);
  CHECK(missing->status == 422);
  CHECK(Body(missing)["error"]["field"] == "subject");
  std::string huge = R"({"workflow":"rectification","data":{"subject":")" +
                     std::string(3 << 20, 'x') + "\"}}";
  auto large = served.Post("/api/cases", huge);
  REQUIRE(large);
  CHECK(large->status == 413);
  CHECK(Body(large)["error"]["code"] == "body-too-large");
}

TEST_CASE("workflows are listed, shown in detail and drawn as SVG", "[web]") {
  Served served;
  auto list = served.Get("/api/workflows", "management_unit");
  REQUIRE(list);
  REQUIRE(list->status == 200);
  bool found = false;
  json workflows = Body(list)["workflows"];
  for (const json& w : workflows) {
    if (w["id"] != "rectification") continue;
    found = true;
    CHECK(w["version"].get<std::string>().size() == 16);
    CHECK(w["start_events"][0]["event"] == "issue");
  }
  CHECK(found);
  auto detail = served.Get("/api/workflows/rectification");
  REQUIRE(detail->status == 200);
  json body = Body(detail);
  CHECK(!body["source"].get<std::string>().empty());
  CHECK(!body["states"].empty());
  CHECK(body["fields"][0].contains("required"));
  CHECK(served.Get("/api/workflows/nope")->status == 404);
  CHECK(served.Get("/api/workflows/rectification?version=0000000000000000")->status == 404);
  auto svg = served.Get("/api/workflows/rectification/diagram.svg");
  REQUIRE(svg->status == 200);
  CHECK(svg->get_header_value("Content-Type") == "image/svg+xml");
  CHECK(svg->body.find("<svg") != std::string::npos);
  std::string id = served.CreateRectification();
  auto active = served.Get("/api/workflows/rectification/diagram.svg?case=" + id);
  REQUIRE(active->status == 200);
  CHECK(active->body.find("active") != std::string::npos);
}

TEST_CASE("/metrics serves cases by state, steps, the latency histogram and the outbox",
          "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  served.Post("/api/cases/" + id + "/events", R"({"event":"submit"})", "project_company");
  auto res = served.client->Get("/metrics");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const std::string& text = res->body;
  CHECK(text.find("zgtflow_cases{workflow=\"rectification\",state=\"verifying\",status=\"running\"} 1") !=
        std::string::npos);
  CHECK(text.find("zgtflow_steps_total 2") != std::string::npos);
  CHECK(text.find("zgtflow_api_steps_total{result=\"accepted\"} 2") != std::string::npos);
  CHECK(text.find("zgtflow_step_latency_seconds_bucket{le=\"+Inf\"} 2") != std::string::npos);
  CHECK(text.find("zgtflow_step_latency_seconds_count 2") != std::string::npos);
  CHECK(text.find("zgtflow_timer_lag_seconds 0") != std::string::npos);
  CHECK(text.find("zgtflow_outbox_pending ") != std::string::npos);
  CHECK(text.find("zgtflow_outbox_dead 0") != std::string::npos);
  CHECK(text.find("zgtflow_store_up 1") != std::string::npos);
}

TEST_CASE("admin reload is for the management unit only", "[web]") {
  Served served;
  CHECK(served.client->Post("/api/admin/reload", "", "application/json")->status == 401);
  CHECK(served.Post("/api/admin/reload", "", "project_company")->status == 403);
  // No reload function is set in tests: 404 once past the role check.
  CHECK(served.Post("/api/admin/reload", "", "management_unit")->status == 404);
}

// ---- login ----

// GET /login's CSRF cookie and field value (they are equal).
std::string LoginCsrf(Served& served) {
  auto form = served.client->Get("/login");
  REQUIRE(form);
  REQUIRE(form->status == 200);
  std::string cookie = form->get_header_value("Set-Cookie");
  std::string prefix = std::string(auth::kLoginCsrfCookie) + "=";
  REQUIRE(cookie.rfind(prefix, 0) == 0);
  std::string value = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
  CHECK(form->body.find(value) != std::string::npos);
  return value;
}

httplib::Result Login(Served& served, const httplib::Params& fields, const std::string& csrf) {
  httplib::Params params = fields;
  params.emplace("csrf", csrf);
  return served.client->Post(
      "/login", {{"Cookie", std::string(auth::kLoginCsrfCookie) + "=" + csrf}}, params);
}

std::string SessionCookie(const httplib::Result& res) {
  std::string cookie = res->get_header_value("Set-Cookie");
  std::string prefix = std::string(auth::kSessionCookie) + "=";
  if (cookie.rfind(prefix, 0) != 0) return "";
  return cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
}

TEST_CASE("a user logs in with name and password and gets an HttpOnly SameSite=Strict session",
          "[web]") {
  Served served;
  REQUIRE(served.server->context().auth->AddUser("李雷", "project_company", "某项目公司",
                                                  "correct horse").ok());
  std::string csrf = LoginCsrf(served);
  auto res = Login(served, {{"name", "李雷"}, {"password", "correct horse"}, {"next", "/cases"}},
                   csrf);
  REQUIRE(res);
  CHECK(res->status == 303);
  CHECK(res->get_header_value("Location") == "/cases");
  std::string set_cookie = res->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  std::string session = SessionCookie(res);
  REQUIRE(session.size() == 64);
  // The store keeps only its hash.
  CHECK(!served.rt.store->GetSession(session).ok());
  CHECK(served.rt.store->GetSession(auth::Sha256Hex(session)).ok());

  httplib::Headers cookie = {{"Cookie", std::string(auth::kSessionCookie) + "=" + session}};
  std::string id = served.CreateRectification();
  auto get = served.client->Get(("/api/cases/" + id).c_str(), cookie);
  REQUIRE(get);
  CHECK(get->status == 200);
  // A POST with the cookie but without the CSRF token is refused…
  auto no_csrf = served.client->Post(("/api/cases/" + id + "/events").c_str(), cookie,
                                     R"({"event":"submit"})", "application/json");
  REQUIRE(no_csrf);
  CHECK(no_csrf->status == 403);
  CHECK(Body(no_csrf)["error"]["code"] == "csrf");
  // …and accepted with it.
  Result<auth::Principal> principal = served.server->context().auth->FromSession(session);
  REQUIRE(principal.ok());
  httplib::Headers with_csrf = cookie;
  with_csrf.emplace(auth::kCsrfHeader, principal->csrf_token);
  auto ok = served.client->Post(("/api/cases/" + id + "/events").c_str(), with_csrf,
                                R"({"event":"submit"})", "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 200);

  // Logout ends the session.
  httplib::Params logout_form{{"csrf", principal->csrf_token}};
  auto out = served.client->Post("/logout", cookie, logout_form);
  REQUIRE(out);
  CHECK(out->status == 303);
  CHECK(served.client->Get(("/api/cases/" + id).c_str(), cookie)->status == 401);
}

TEST_CASE("a token logs in too; a wrong password is 401; a foreign next stays local", "[web]") {
  Served served;
  std::string csrf = LoginCsrf(served);
  auto res = Login(served, {{"token", served.Token("owner_unit")}, {"next", "//evil.example"}},
                   csrf);
  REQUIRE(res);
  CHECK(res->status == 303);
  CHECK(res->get_header_value("Location") == "/");
  CHECK(SessionCookie(res).size() == 64);
  auto wrong = Login(served, {{"name", "nobody"}, {"password", "whatever1"}}, csrf);
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK(SessionCookie(wrong).empty());
  // Without the login CSRF cookie the form is refused.
  httplib::Params fields{{"token", served.Token("owner_unit")}, {"csrf", "x"}};
  auto forged = served.client->Post("/login", fields);
  REQUIRE(forged);
  CHECK(forged->status == 403);
}

TEST_CASE("after 5 failed logins for a name within a minute the next is refused with 429",
          "[web]") {
  Served served;
  REQUIRE(served.server->context().auth->AddUser("han", "management_unit", "", "right-pass").ok());
  std::string csrf = LoginCsrf(served);
  for (int i = 0; i < 5; ++i) {
    auto res = Login(served, {{"name", "han"}, {"password", "wrong-pass"}}, csrf);
    REQUIRE(res);
    CHECK(res->status == 401);
  }
  auto blocked = Login(served, {{"name", "han"}, {"password", "right-pass"}}, csrf);
  REQUIRE(blocked);
  CHECK(blocked->status == 429);
  served.rt.clock.Advance(61 * 1000);
  auto later = Login(served, {{"name", "han"}, {"password", "right-pass"}}, csrf);
  REQUIRE(later);
  CHECK(later->status == 303);
}

TEST_CASE("zgtflow token issue prints a token the server accepts; user add reads stdin",
          "[web]") {
  // Through the binary on a SQLite file, then the store read back.
  std::filesystem::create_directories(std::filesystem::temp_directory_path() / "zgt-web-cli");
  std::string db = (std::filesystem::temp_directory_path() / "zgt-web-cli" /
                    ("t" + std::to_string(::getpid()) + ".db")).string();
  std::filesystem::remove(db);
  std::string command = std::string(ZGT_BINARY) + " token issue --role ecosystem_unit --party " +
                        "甲公司 --db sqlite:" + db;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[256] = {};
  std::string token;
  while (::fgets(buffer, sizeof buffer, pipe)) token += buffer;
  CHECK(::pclose(pipe) == 0);
  while (!token.empty() && (token.back() == '\n')) token.pop_back();
  REQUIRE(token.rfind("zgt_", 0) == 0);
  std::string user_cmd = "printf 'long enough\\n' | " + std::string(ZGT_BINARY) +
                         " user add --name wang --role owner_unit --db sqlite:" + db +
                         " >/dev/null";
  CHECK(std::system(user_cmd.c_str()) == 0);
  CHECK(std::system((user_cmd + " 2>/dev/null").c_str()) != 0);  // The name is taken.

  auto opened = store::OpenStore("sqlite:" + db);
  REQUIRE(opened.ok());
  runtime::SystemClock clock;
  auth::Auth auth(opened.value().get(), &clock);
  Result<auth::Principal> principal = auth.FromBearer(token);
  REQUIRE(principal.ok());
  CHECK(principal->role == "ecosystem_unit");
  CHECK(principal->party == "甲公司");
  CHECK(!principal->sees_all);
  // Only the hash is stored.
  auto row = opened.value()->GetPrincipal(principal->id);
  REQUIRE(row.ok());
  CHECK(row->secret_hash.size() == 64);
  CHECK(token.find(row->secret_hash) == std::string::npos);
  auto user = opened.value()->GetPrincipal("user-wang");
  REQUIRE(user.ok());
  CHECK(user->secret_hash.rfind("$argon2id$", 0) == 0);
  CHECK(auth.LoginWithPassword("wang", "long enough", "127.0.0.1").ok());
  std::filesystem::remove(db);
}

}  // namespace
}  // namespace zgtflow::web
