// `zgtflow serve` as a real process on a temporary SQLite file: graceful
// shutdown on SIGTERM, restart with the cases still there, and kill -9 while
// 4 clients send events: every acknowledged event is in the history exactly
// once and the audit chain verifies.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "engine/runtime/json_codec.h"
#include "engine/runtime/clock.h"
#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/cli/serve_process.h"
#include "web/auth/auth.h"

namespace zgtflow::testing {
namespace {

using nlohmann::json;

constexpr const char* kCreate =
    R"({"workflow":"rectification","data":{"subject":"平台稳定性未达标"}})";

// The Authorization header of a bearer token for `role`, stored in the
// database `db` (as `zgtflow token issue` does), issued once per (db, role).
httplib::Headers AuthAs(const std::string& db, const std::string& role) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, std::string> tokens;
  std::lock_guard<std::mutex> lock(mutex);
  std::string& token = tokens[{db, role}];
  if (token.empty()) {
    auto opened = store::OpenStore(db);
    REQUIRE(opened.ok());
    runtime::SystemClock clock;
    web::auth::Auth auth(opened.value().get(), &clock);
    auto issued = auth.IssueToken(role, "");
    REQUIRE(issued.ok());
    token = *issued;
  }
  return {{"Authorization", "Bearer " + token}};
}

httplib::Result CreateCase(httplib::Client& client, const std::string& db) {
  return client.Post("/api/cases", AuthAs(db, "management_unit"), std::string(kCreate),
                     "application/json");
}

httplib::Result PostEvent(httplib::Client& client, const std::string& db, const std::string& id,
                          const std::string& event, const std::string& role) {
  json body = {{"event", event}};
  return client.Post(("/api/cases/" + id + "/events").c_str(), AuthAs(db, role), body.dump(),
                     "application/json");
}

// The event names of a case's stored history, in seq order.
std::vector<std::string> StoredEvents(store::Store& db, const std::string& id) {
  std::vector<std::string> events;
  auto history = db.GetHistory(id);
  REQUIRE(history.ok());
  for (const store::HistoryRow& row : *history) {
    auto input = runtime::DecodeInput(row.input);
    REQUIRE(input.ok());
    events.push_back(input->kind == core::InputKind::kStart ? "start" : input->event);
  }
  return events;
}

TEST_CASE("serve stops with exit 0 on SIGTERM and keeps its cases across a restart", "[cli]") {
  TempDir dir;
  std::string db = "sqlite:" + dir.File("zgtflow.db");
  std::string id;
  {
    ServeProcess serve(db, dir.File("out1"));
    int port = serve.WaitForPort();
    REQUIRE(port > 0);
    CHECK(Contains(serve.Output(), "zgtflow serving "));
    CHECK(Contains(serve.Output(), "workflows on http://127.0.0.1:"));
    CHECK(Contains(serve.Output(), "(store " + db + ")"));
    httplib::Client client("127.0.0.1", port);
    auto health = client.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    auto created = CreateCase(client, db);
    REQUIRE(created);
    REQUIRE(created->status == 201);
    id = json::parse(created->body)["id"].get<std::string>();
    auto submitted = PostEvent(client, db, id, "submit", "project_company");
    REQUIRE(submitted);
    CHECK(submitted->status == 200);
    INFO(serve.Output());
    CHECK(serve.Signal(SIGTERM) == 0);
  }
  ServeProcess again(db, dir.File("out2"));
  int port = again.WaitForPort();
  REQUIRE(port > 0);
  httplib::Client client("127.0.0.1", port);
  auto accepted = PostEvent(client, db, id, "accept", "management_unit");
  REQUIRE(accepted);
  CHECK(accepted->status == 200);
  json body = json::parse(accepted->body);
  CHECK(body["revision"] == 3);
  CHECK(body["state"] == json::array({"closed"}));
  CHECK(again.Signal(SIGINT) == 0);
}

TEST_CASE("after a workflow changed, a restart runs old cases on their stored version", "[cli]") {
  TempDir dir;
  std::string flows = dir.File("workflows");
  std::filesystem::create_directory(flows);
  for (const char* name : {"roles.flow", "rectification.flow"}) {
    std::filesystem::copy_file(std::string(ZGT_SOURCE_DIR) + "/workflows/" + name,
                               flows + "/" + name);
  }
  std::string db = "sqlite:" + dir.File("zgtflow.db");
  std::string old_id;
  {
    ServeProcess serve(db, dir.File("out1"), flows);
    int port = serve.WaitForPort();
    REQUIRE(port > 0);
    httplib::Client client("127.0.0.1", port);
    auto created = CreateCase(client, db);
    REQUIRE(created);
    REQUIRE(created->status == 201);
    old_id = json::parse(created->body)["id"].get<std::string>();
    CHECK(serve.Signal(SIGTERM) == 0);
  }
  // The new version swaps accept and reject: accept now ends in penalty.
  std::string text = ReadText(flows + "/rectification.flow");
  using Edit = std::pair<std::string, std::string>;
  const std::string kAccept = "on accept by management_unit -> ";
  const std::string kReject = "on reject by management_unit -> ";
  for (const Edit& edit : {Edit{kAccept + "closed", kAccept + "@"},
                           Edit{kReject + "penalty", kReject + "closed"},
                           Edit{kAccept + "@", kAccept + "penalty"}}) {
    const auto& [from, to] = edit;
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  }
  WriteText(flows + "/rectification.flow", text);

  ServeProcess again(db, dir.File("out2"), flows);
  int port = again.WaitForPort();
  INFO(again.Output());
  REQUIRE(port > 0);
  httplib::Client client("127.0.0.1", port);
  // Cases run start to finish; revision 3 after the accept.
  auto run_case = [&](const std::string& id) {
    auto submitted = PostEvent(client, db, id, "submit", "project_company");
    REQUIRE(submitted);
    REQUIRE(submitted->status == 200);
    auto accepted = PostEvent(client, db, id, "accept", "management_unit");
    REQUIRE(accepted);
    REQUIRE(accepted->status == 200);
    json body = json::parse(accepted->body);
    CHECK(body["revision"] == 3);
    return body["state"];
  };
  CHECK(run_case(old_id) == json::array({"closed"}));  // The stored version.
  auto created = CreateCase(client, db);
  REQUIRE(created);
  REQUIRE(created->status == 201);
  CHECK(run_case(json::parse(created->body)["id"].get<std::string>()) ==
        json::array({"penalty"}));  // The new version.
  CHECK(again.Signal(SIGTERM) == 0);
}

TEST_CASE("serve runs with malloc's per-thread caches enlarged, as the process it was started as",
          "[cli]") {
  TempDir dir;
  ServeProcess serve("sqlite:" + dir.File("zgtflow.db"), dir.File("out"));
  REQUIRE(serve.WaitForPort() > 0);
  // It re-executed itself (engine/base/malloc_tuning.h): the process id the
  // test started now serves, with the setting in its environment.
  std::ifstream environ_file("/proc/" + std::to_string(serve.pid()) + "/environ",
                             std::ios::binary);
  std::string environment((std::istreambuf_iterator<char>(environ_file)),
                          std::istreambuf_iterator<char>());
  CHECK(Contains(environment, std::string("GLIBC_TUNABLES=glibc.malloc.tcache_count=64") + '\0'));
  CHECK(serve.Signal(SIGTERM) == 0);
}

TEST_CASE("serve refuses a listen address that is not HOST:PORT", "[cli]") {
  Run run = RunZgtflow({"serve", "--db", "memory:", "--listen", "nowhere"});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, "HOST:PORT"));
}

TEST_CASE("after kill -9 under 4 clients every acknowledged event is stored exactly once",
          "[cli]") {
  TempDir dir;
  std::string db_path = dir.File("zgtflow.db");
  std::string db = "sqlite:" + db_path;
  // case id → the events acknowledged for it, in order.
  std::map<std::string, std::vector<std::string>> acknowledged;
  std::mutex mutex;
  std::atomic<int> acks{0};
  {
    ServeProcess serve(db, dir.File("out1"));
    int port = serve.WaitForPort();
    REQUIRE(port > 0);
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&, port] {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(5, 0);
        for (int i = 0; i < 200; ++i) {  // Bounded: the kill comes long before.
          auto created = CreateCase(client, db);
          if (!created || created->status != 201) return;
          std::string id = json::parse(created->body)["id"].get<std::string>();
          {
            std::lock_guard<std::mutex> lock(mutex);
            acknowledged[id].push_back("start");
          }
          ++acks;
          using Step = std::pair<const char*, const char*>;
          for (auto [event, role] :
               {Step{"submit", "project_company"}, Step{"accept", "management_unit"}}) {
            auto res = PostEvent(client, db, id, event, role);
            if (!res || res->status != 200) return;
            std::lock_guard<std::mutex> lock(mutex);
            acknowledged[id].push_back(event);
            ++acks;
          }
        }
      });
    }
    for (int i = 0; i < 2000 && acks < 40; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(serve.Signal(SIGKILL) == 128 + SIGKILL);
    for (std::thread& client : clients) client.join();
  }
  REQUIRE(acks >= 40);

  // Restart on the same file: it opens, serves, and stops cleanly.
  {
    ServeProcess again(db, dir.File("out2"));
    int port = again.WaitForPort();
    INFO(again.Output());
    REQUIRE(port > 0);
    httplib::Client client("127.0.0.1", port);
    auto health = client.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(again.Signal(SIGTERM) == 0);
  }

  Run audit = RunZgtflow({"audit", "verify", "--db", db});
  INFO(audit.out << audit.err);
  CHECK(audit.status == 0);

  auto opened = store::OpenStore(db);
  REQUIRE(opened.ok());
  store::Store& store = *opened.value();
  int64_t found = 0;
  for (const auto& [id, events] : acknowledged) {
    std::vector<std::string> stored = StoredEvents(store, id);
    INFO(id);
    // The acknowledged events are the history's first entries, each once;
    // an event committed but not acknowledged (the kill) may follow them.
    REQUIRE(stored.size() >= events.size());
    for (size_t i = 0; i < events.size(); ++i) CHECK(stored[i] == events[i]);
    for (const std::string& event : events) {
      CHECK(std::count(stored.begin(), stored.end(), event) == 1);
    }
    found += static_cast<int64_t>(events.size());
  }
  CHECK(found == acks.load());
}

}  // namespace
}  // namespace zgtflow::testing
