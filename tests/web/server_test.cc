// web::Server over real HTTP on 127.0.0.1 (a free port): /healthz, creating a
// case and sending it events with a bearer token, and each error answer (400,
// 404, 409, 422, 503), and the listening socket (a port in use, the listen
// queue). Auth, access by party and the other routes are in api_test.cc.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/web/served.h"

namespace zgtflow::web {
namespace {

using nlohmann::json;

json Body(const httplib::Result& res) { return json::parse(res->body); }

TEST_CASE("GET /healthz answers 200 with the store ok and the number of workflows", "[web]") {
  Served served;
  auto res = served.client->Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  json body = Body(res);
  CHECK(body["status"] == "ok");
  CHECK(body["store"] == "ok");
  std::set<std::string> ids;
  for (const auto& workflow : served.rt.registry.All()) ids.insert(workflow->id);
  CHECK(body["workflows"] == ids.size());
  CHECK(ids.size() > 1);
}

TEST_CASE("GET /healthz answers 503 with the store's error when the store fails", "[web]") {
  DownStore down;
  Served served(&down);
  auto res = served.client->Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(Body(res)["store"] == "database is down");
}

TEST_CASE("a rectification case created over HTTP accepts submit and is committed", "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  auto created = served.rt.store->GetCase(id);
  REQUIRE(created.ok());
  CHECK(created->revision == 1);

  auto res = served.Post("/api/cases/" + id + "/events",
                         R"({"event":"submit","role":"project_company","expected_revision":1})");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  json body = Body(res);
  CHECK(body["id"] == id);
  CHECK(body["revision"] == 2);
  CHECK(body["state"] == json::array({"verifying"}));
  // Acknowledged means committed: the store has it already.
  auto stored = served.rt.store->GetCase(id);
  REQUIRE(stored.ok());
  CHECK(stored->revision == 2);
  auto history = served.rt.store->GetHistory(id);
  REQUIRE(history.ok());
  CHECK(history->size() == 2);
}

TEST_CASE("a refused event answers 422 with the rejection as the error JSON", "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  // accept is not handled in rectifying.
  auto res = served.Post("/api/cases/" + id + "/events",
                         R"({"event":"accept","role":"management_unit"})");
  REQUIRE(res);
  CHECK(res->status == 422);
  json error = Body(res)["error"];
  CHECK(error["code"] == "not-in-state");
  CHECK(!error["message"].get<std::string>().empty());
  CHECK(error.contains("field"));

  auto wrong_role = served.Post("/api/cases/" + id + "/events",
                                R"({"event":"submit","role":"management_unit"})");
  REQUIRE(wrong_role);
  CHECK(wrong_role->status == 422);
  CHECK(Body(wrong_role)["error"]["code"] == "role-not-allowed");

  auto missing = served.Post("/api/cases", R"({"workflow":"rectification","data":{}})",
                             "management_unit");
  REQUIRE(missing);
  CHECK(missing->status == 422);
  CHECK(Body(missing)["error"]["code"] == "missing-field");
  CHECK(Body(missing)["error"]["field"] == "subject");
  CHECK(served.rt.store->GetCase(id)->revision == 1);
}

TEST_CASE("a stale expected_revision answers 409 and applies nothing", "[web]") {
  Served served;
  std::string id = served.CreateRectification();
  auto res = served.Post("/api/cases/" + id + "/events",
                         R"({"event":"submit","role":"project_company","expected_revision":7})");
  REQUIRE(res);
  CHECK(res->status == 409);
  CHECK(Body(res)["error"]["code"] == "conflict");
  CHECK(served.rt.store->GetCase(id)->revision == 1);
}

TEST_CASE("an unknown case or workflow answers 404", "[web]") {
  Served served;
  auto res = served.Post("/api/cases/no-such-case/events",
                         R"({"event":"submit","role":"project_company"})");
  REQUIRE(res);
  CHECK(res->status == 404);
  CHECK(Body(res)["error"]["code"] == "not-found");
  auto workflow = served.Post("/api/cases", R"({"workflow":"no_such_workflow"})",
                              "management_unit");
  REQUIRE(workflow);
  CHECK(workflow->status == 404);
}

TEST_CASE("a body that is not a JSON object, or of the wrong shape, answers 400", "[web]") {
  Served served;
  for (const char* body : {"{not json", "[1,2]", "", R"({"data":{}})",
                           R"({"workflow":"rectification","data":[1]})",
                           R"({"workflow":3})"}) {
    INFO(body);
    auto res = served.Post("/api/cases", body, "management_unit");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(Body(res)["error"].contains("code"));
  }
  std::string id = served.CreateRectification();
  auto res = served.Post("/api/cases/" + id + "/events",
                         R"({"event":"submit","expected_revision":"1"})", "project_company");
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(Body(res)["error"]["field"] == "expected_revision");
}

// A server of `rt` on 127.0.0.1:`port` (0 = any free port), not bound yet.
std::unique_ptr<Server> ServerOn(testing::Runtime& rt, int port) {
  ServerOptions options;
  options.port = port;
  return std::make_unique<Server>(options, rt.store, &rt.registry, &rt.runner);
}

TEST_CASE("Stop ends Run, also when it comes before Run started", "[web]") {
  testing::Runtime rt;
  std::unique_ptr<Server> bound = ServerOn(rt, 0);
  Server& server = *bound;
  REQUIRE(server.Bind().ok());
  server.Stop();
  CHECK(server.Run().ok());  // Returns at once.
}

TEST_CASE("a second server cannot bind a port another server holds", "[web]") {
  testing::Runtime rt;
  std::unique_ptr<Server> first = ServerOn(rt, 0);
  REQUIRE(first->Bind().ok());
  Status bound = ServerOn(rt, first->port())->Bind();
  CHECK(bound.code() == StatusCode::kUnavailable);
  CHECK(bound.message().find(std::to_string(first->port())) != std::string::npos);
}

TEST_CASE("a bound server queues 64 connections arriving at once, not 5", "[web]") {
  testing::Runtime rt;
  std::unique_ptr<Server> bound = ServerOn(rt, 0);
  Server& server = *bound;
  REQUIRE(server.Bind().ok());
  // Not Run yet: nothing accepts, so only the listen queue holds the
  // connections. A handshake that overflows it is dropped and retried after
  // a second, so within 0.8 s only queued connections complete.
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server.port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<pollfd> sockets;
  for (int i = 0; i < 64; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    REQUIRE(fd >= 0);
    ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    sockets.push_back(pollfd{fd, POLLOUT, 0});
  }
  int connected = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(800);
  while (connected < 64 && std::chrono::steady_clock::now() < deadline) {
    ::poll(sockets.data(), sockets.size(), 50);
    connected = 0;
    for (pollfd& socket : sockets) {
      int error = 0;
      socklen_t length = sizeof(error);
      getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if ((socket.revents & POLLOUT) != 0 && error == 0) ++connected;
    }
  }
  for (pollfd& socket : sockets) ::close(socket.fd);
  CHECK(connected == 64);
}

TEST_CASE("ParseListen reads HOST:PORT and refuses anything else", "[web]") {
  auto parsed = ParseListen("0.0.0.0:9090");
  REQUIRE(parsed.ok());
  CHECK(parsed->host == "0.0.0.0");
  CHECK(parsed->port == 9090);
  for (const char* bad : {"8080", ":8080", "localhost:", "host:80a", "host:70000", "h:123456"}) {
    INFO(bad);
    CHECK(!ParseListen(bad).ok());
  }
}

}  // namespace
}  // namespace zgtflow::web
