// `zgtflow serve` delivers what steps notify: a real serve process, the log
// channel on its stdout, the webhook channel to a real cpp-httplib server in
// the test; a webhook that keeps failing is retried, then dead-lettered.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/support/serve_node.h"

namespace zgtflow::testing {
namespace {

using nlohmann::json;

// A webhook receiver on 127.0.0.1 answering every POST /hook with `status`.
class Receiver {
 public:
  explicit Receiver(int status) : status_(status) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(req);
      }
      res.status = status_;
      res.set_content(status_ < 300 ? "{}" : "try later", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<httplib::Request> Requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  // Waits up to `seconds` for at least `n` requests.
  size_t WaitFor(size_t n, int seconds) {
    for (int i = 0; i < seconds * 100; ++i) {
      if (Requests().size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Requests().size();
  }

 private:
  int status_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<httplib::Request> requests_;
};

constexpr const char* kCreate =
    R"({"workflow":"rectification","data":{"subject":"平台稳定性未达标"}})";

// A bearer token for management_unit in the store at `db`.
std::string Token(const std::string& db) {
  Run run = RunZgtflow({"token", "issue", "--role", "management_unit", "--db", db});
  REQUIRE(run.status == 0);
  std::string token = run.out;
  while (!token.empty() && token.back() == '\n') token.pop_back();
  return token;
}

// Creates a rectification case (its start notifies project_company).
std::string CreateCase(int port, const std::string& token) {
  httplib::Client client("127.0.0.1", port);
  client.set_bearer_token_auth(token);
  auto created = client.Post("/api/cases", kCreate, "application/json");
  REQUIRE(created);
  REQUIRE(created->status == 201);
  return json::parse(created->body)["id"].get<std::string>();
}

TEST_CASE("serve delivers a notify to the log and webhook channels of its route", "[cli]") {
  TempDir dir;
  Receiver receiver(200);
  WriteText(dir.File("routes.json"), R"({"project_company": ["log", "webhook"], "*": ["log"]})");
  ServeNode serve({"--db", "sqlite:" + dir.File("z.db"), "--routes", dir.File("routes.json"),
                   "--webhook-url", receiver.Url(), "--webhook-secret", "s3cret", "--node",
                   "node-a"},
                  dir.File("out"));
  int port = serve.WaitForPort();
  INFO(serve.Output());
  REQUIRE(port > 0);
  CHECK(Contains(serve.Stdout(), "node node-a, notify routes " + dir.File("routes.json")));
  std::string id = CreateCase(port, Token("sqlite:" + dir.File("z.db")));

  REQUIRE(receiver.WaitFor(1, 20) == 1);
  httplib::Request hook = receiver.Requests()[0];
  CHECK(hook.get_header_value("Idempotency-Key") == id + ":1:0");
  std::string signature = hook.get_header_value("X-Zgtflow-Signature");
  CHECK(signature.rfind("sha256=", 0) == 0);
  CHECK(signature.size() == 7 + 64);
  json body = json::parse(hook.body);
  CHECK(body["case_id"] == id);
  CHECK(body["role"] == "project_company");
  CHECK(Contains(body["text"].get<std::string>(), "平台稳定性未达标"));
  // The log channel wrote its line on stdout (before the webhook: route order).
  CHECK(Contains(serve.Stdout(), "outbox notify key=" + id + ":1:0 case=" + id));
  CHECK(serve.Signal(SIGTERM) == 0);

  auto db = store::OpenStore("sqlite:" + dir.File("z.db"));
  REQUIRE(db.ok());
  auto outbox = db.value()->GetOutbox(id);
  REQUIRE(outbox.ok());
  REQUIRE(outbox->size() == 1);
  CHECK((*outbox)[0].status == store::OutboxStatus::kDelivered);
  auto attempts = db.value()->ListDeliveryAttempts(id);
  REQUIRE(attempts.ok());
  REQUIRE(attempts->size() == 2);
  CHECK((*attempts)[0].channel == "log");
  CHECK((*attempts)[1].channel == "webhook");
  CHECK((*attempts)[1].outcome == "delivered");
}

TEST_CASE("serve retries a failing webhook with backoff, then dead-letters the delivery",
          "[cli]") {
  TempDir dir;
  Receiver receiver(503);
  WriteText(dir.File("routes.json"), R"({"project_company": ["webhook"], "*": ["log"]})");
  ServeNode serve({"--db", "sqlite:" + dir.File("z.db"), "--routes", dir.File("routes.json"),
                   "--webhook-url", receiver.Url(), "--outbox-attempts", "3",
                   "--outbox-backoff-ms", "100"},
                  dir.File("out"));
  int port = serve.WaitForPort();
  INFO(serve.Output());
  REQUIRE(port > 0);
  std::string id = CreateCase(port, Token("sqlite:" + dir.File("z.db")));
  REQUIRE(receiver.WaitFor(3, 30) >= 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // Would be attempt 4 by now.
  std::vector<httplib::Request> requests = receiver.Requests();
  CHECK(requests.size() == 3);
  for (const httplib::Request& request : requests) {
    CHECK(request.get_header_value("Idempotency-Key") == id + ":1:0");  // Same key each time.
  }
  CHECK(serve.Signal(SIGTERM) == 0);

  auto db = store::OpenStore("sqlite:" + dir.File("z.db"));
  REQUIRE(db.ok());
  auto outbox = db.value()->GetOutbox(id);
  REQUIRE(outbox.ok());
  REQUIRE(outbox->size() == 1);
  const store::OutboxRow& row = (*outbox)[0];
  CHECK(row.status == store::OutboxStatus::kDead);
  CHECK(row.attempts == 3);
  CHECK(Contains(row.last_error, "answered 503"));
  CHECK(Contains(row.last_error, "giving up"));
  // Each attempt is in the case's delivery history.
  auto attempts = db.value()->ListDeliveryAttempts(id);
  REQUIRE(attempts.ok());
  REQUIRE(attempts->size() == 3);
  for (int n = 0; n < 3; ++n) {
    const store::DeliveryAttemptRow& attempt = (*attempts)[n];
    CHECK(attempt.attempt == n + 1);
    CHECK(attempt.channel == "webhook");
    CHECK(attempt.outcome == (n < 2 ? "retry" : "dead"));
    CHECK(Contains(attempt.error, "answered 503"));
  }
}

TEST_CASE("serve refuses to start when a notify route names a channel not configured", "[cli]") {
  TempDir dir;
  WriteText(dir.File("routes.json"), R"({"police": ["webhook"]})");
  Run run = RunZgtflow({"serve", "--db", "memory:", "--listen", "127.0.0.1:0", "--routes",
                        dir.File("routes.json")});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, "role 'police' is routed to channel 'webhook'"));
  CHECK(Contains(run.err, "--webhook-url"));
}

TEST_CASE("serve refuses a notify routes file that is not an object of channel lists", "[cli]") {
  TempDir dir;
  WriteText(dir.File("routes.json"), R"({"police": "log"})");
  Run run = RunZgtflow({"serve", "--db", "memory:", "--listen", "127.0.0.1:0", "--routes",
                        dir.File("routes.json")});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, "routes.json"));
  CHECK(Contains(run.err, "'police' must list adapter names"));
}

}  // namespace
}  // namespace zgtflow::testing
