// Test support for tests/web: the runtime of tests/engine/runtime served by
// web::Server on a free loopback port, with a bearer token per (role, party)
// issued on demand, and a store that fails on request.
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/engine/runtime/runtime_fixture.h"
#include "web/auth/auth.h"
#include "web/server.h"

namespace zgtflow::web {

// A store whose every read fails, as a database that went away.
class DownStore : public store::MemoryStore {
 public:
  Result<int64_t> CountTimers() override {
    return Status(StatusCode::kUnavailable, "database is down");
  }
};

struct Served {
  explicit Served(store::Store* use_store = nullptr) : rt(use_store) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    server = std::make_unique<Server>(options, rt.store, &rt.registry, &rt.runner, &rt.clock);
    REQUIRE(server->Bind().ok());
    thread = std::thread([this] { run_status = server->Run(); });
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
  }
  ~Served() {
    server->Stop();
    thread.join();
  }

  // A bearer token for (role, party), issued once and kept.
  std::string Token(const std::string& role, const std::string& party = "") {
    auto key = std::make_pair(role, party);
    auto it = tokens.find(key);
    if (it != tokens.end()) return it->second;
    Result<std::string> token = server->context().auth->IssueToken(role, party, role);
    REQUIRE(token.ok());
    return tokens[key] = *token;
  }
  httplib::Headers As(const std::string& role, const std::string& party = "") {
    return {{"Authorization", "Bearer " + Token(role, party)}};
  }

  // POST with the token of `role` (default: the body's "role", else
  // management_unit).
  httplib::Result Post(const std::string& path, const std::string& body, std::string role = "",
                       const std::string& party = "") {
    if (role.empty()) {
      nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
      role = parsed.is_object() && parsed.contains("role") && parsed["role"].is_string()
                 ? parsed["role"].get<std::string>()
                 : "management_unit";
    }
    return client->Post(path.c_str(), As(role, party), body, "application/json");
  }
  httplib::Result Get(const std::string& path, const std::string& role = "management_unit",
                      const std::string& party = "") {
    return client->Get(path.c_str(), As(role, party));
  }

  // Creates a rectification case (by the management unit) naming
  // `project_company` as its project company; returns its id.
  std::string CreateRectification(const std::string& project_company = "某项目公司") {
    nlohmann::json body = {{"workflow", "rectification"},
                           {"data", {{"subject", "平台稳定性未达标"}}},
                           {"parties", {{"project_company", {project_company}}}}};
    auto res = Post("/api/cases", body.dump(), "management_unit");
    REQUIRE(res);
    REQUIRE(res->status == 201);
    return nlohmann::json::parse(res->body)["id"].get<std::string>();
  }

  testing::Runtime rt;
  std::unique_ptr<Server> server;
  std::thread thread;
  Status run_status;
  std::unique_ptr<httplib::Client> client;
  std::map<std::pair<std::string, std::string>, std::string> tokens;
};

}  // namespace zgtflow::web
