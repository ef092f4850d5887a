// `zgtflow serve` as a real process on a temporary SQLite file: graceful
// shutdown on SIGTERM, restart with the cases still there, and kill -9 while
// 4 clients send events: every acknowledged event is in the history exactly
// once and the audit chain verifies.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
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
#include "web/auth/auth.h"

extern char** environ;

namespace zgtflow::testing {
namespace {

using nlohmann::json;

// A running `zgtflow serve --listen 127.0.0.1:0`; the port is read from its
// "serving … on http://HOST:PORT" line.
class ServeProcess {
 public:
  ServeProcess(const std::string& db_url, const std::string& out_path,
               const std::string& workflows = "workflows")
      : out_path_(out_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (out_path + ".err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, ZGT_SOURCE_DIR);
    std::vector<std::string> args = {ZGT_BINARY, "serve", "--db", db_url, "--workflows",
                                     workflows, "--listen", "127.0.0.1:0"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, ZGT_BINARY, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // The port once the server prints its URL; 0 when it exits or 20 s pass.
  int WaitForPort() {
    for (int i = 0; i < 2000 && pid_ > 0; ++i) {
      std::string out = ReadText(out_path_);
      size_t at = out.find("on http://127.0.0.1:");
      if (at != std::string::npos) {
        size_t start = at + std::string("on http://127.0.0.1:").size();
        size_t end = out.find(' ', start);
        if (end != std::string::npos) return std::stoi(out.substr(start, end - start));
      }
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  }

  // Sends `signal` and returns the exit status (128 + signal when killed).
  int Signal(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  }

  std::string Output() const { return ReadText(out_path_) + ReadText(out_path_ + ".err"); }

 private:
  std::string out_path_;
  pid_t pid_ = -1;
};

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
