// WebhookAdapter against a real cpp-httplib server on 127.0.0.1 (a free port
// chosen by the kernel): signature, idempotency key, status → retry policy,
// timeouts.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adapters/webhook/webhook_adapter.h"

namespace zgtflow::adapters {
namespace {

// A real HTTP server in a thread, answering POST /hook with `handler`.
class TestServer {
 public:
  explicit TestServer(std::function<void(const httplib::Request&, httplib::Response&)> handler) {
    server_.Post("/hook", [this, handler](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++requests_;
        last_body_ = req.body;
        last_signature_ = req.get_header_value("X-Zgtflow-Signature");
        last_key_ = req.get_header_value("Idempotency-Key");
        last_content_type_ = req.get_header_value("Content-Type");
      }
      handler(req, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(server_.is_running());
  }
  ~TestServer() {
    Release();
    server_.stop();
    thread_.join();
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  // For handlers that must not answer: blocks until Release().
  void Hang() {
    std::unique_lock<std::mutex> lock(mutex_);
    released_cv_.wait(lock, [this] { return released_; });
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
    }
    released_cv_.notify_all();
  }

  int requests() { std::lock_guard<std::mutex> l(mutex_); return requests_; }
  std::string last_body() { std::lock_guard<std::mutex> l(mutex_); return last_body_; }
  std::string last_signature() { std::lock_guard<std::mutex> l(mutex_); return last_signature_; }
  std::string last_key() { std::lock_guard<std::mutex> l(mutex_); return last_key_; }
  std::string last_content_type() {
    std::lock_guard<std::mutex> l(mutex_);
    return last_content_type_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  std::mutex mutex_;
  std::condition_variable released_cv_;
  bool released_ = false;
  int requests_ = 0;
  std::string last_body_, last_signature_, last_key_, last_content_type_;
};

store::OutboxRow Row() {
  store::OutboxRow row;
  row.id = 7;
  row.case_id = "probe-1";
  row.adapter = "webhook";
  row.payload = R"({"case_id":"probe-1","role":"management_unit","text":"请核查 平台A"})";
  row.idempotency_key = "probe-1:1:0";
  return row;
}

TEST_CASE("HmacSha256Hex matches the RFC 4231 test vector", "[adapters]") {
  CHECK(HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("a webhook posts the payload signed with the secret and with the idempotency key",
          "[adapters]") {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(R"({"verdict":"合格"})", "application/json");
  });
  WebhookAdapter webhook({server.Url(), "s3cret", 2000});
  runtime::DeliveryResult result = webhook.Deliver(Row());
  INFO(result.error);
  REQUIRE(result.ok);
  CHECK(result.reply_json == R"({"verdict":"合格"})");
  CHECK(server.requests() == 1);
  CHECK(server.last_body() == Row().payload);
  CHECK(server.last_key() == "probe-1:1:0");
  CHECK(server.last_content_type() == "application/json");
  // The receiver's check: the header verifies with the shared secret only.
  CHECK(server.last_signature() == "sha256=" + HmacSha256Hex("s3cret", server.last_body()));
  CHECK(server.last_signature() != "sha256=" + HmacSha256Hex("other", server.last_body()));
}

TEST_CASE("a webhook answering 5xx is retryable and one answering 4xx is not", "[adapters]") {
  int status = 0;
  TestServer server([&status](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    res.set_content("no", "text/plain");
  });
  WebhookAdapter webhook({server.Url(), "s3cret", 2000});

  status = 500;
  runtime::DeliveryResult five = webhook.Deliver(Row());
  CHECK_FALSE(five.ok);
  CHECK(five.retryable);
  CHECK(five.error.find("500") != std::string::npos);

  status = 503;
  CHECK(webhook.Deliver(Row()).retryable);

  status = 400;
  runtime::DeliveryResult four = webhook.Deliver(Row());
  CHECK_FALSE(four.ok);
  CHECK_FALSE(four.retryable);
  CHECK(four.error.find("400") != std::string::npos);

  status = 404;
  CHECK_FALSE(webhook.Deliver(Row()).retryable);
  status = 429;
  CHECK(webhook.Deliver(Row()).retryable);
  CHECK(server.requests() == 5);
}

TEST_CASE("a webhook whose server never answers times out as retryable", "[adapters]") {
  TestServer* self = nullptr;
  TestServer server([&self](const httplib::Request&, httplib::Response& res) {
    self->Hang();
    res.status = 200;
  });
  self = &server;
  WebhookAdapter webhook({server.Url(), "s3cret", 300});
  auto started = std::chrono::steady_clock::now();
  runtime::DeliveryResult result = webhook.Deliver(Row());
  auto took = std::chrono::steady_clock::now() - started;
  server.Release();
  CHECK_FALSE(result.ok);
  CHECK(result.retryable);
  CHECK(took < std::chrono::seconds(3));
  CHECK(took >= std::chrono::milliseconds(250));
}

TEST_CASE("a webhook with nothing listening is a retryable connection error", "[adapters]") {
  // A port that was free a moment ago and is closed again (a raw socket:
  // httplib's Server keeps its socket open after destruction).
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  socklen_t length = sizeof(addr);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0);
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  WebhookAdapter webhook({"http://127.0.0.1:" + std::to_string(port) + "/hook", "s", 500});
  runtime::DeliveryResult result = webhook.Deliver(Row());
  CHECK_FALSE(result.ok);
  CHECK(result.retryable);
  CHECK(result.error.find("Connection") != std::string::npos);  // httplib::Error::Connection.
}

TEST_CASE("a webhook with a malformed url fails without retry", "[adapters]") {
  runtime::DeliveryResult result = WebhookAdapter({"ftp://example/x", "s", 500}).Deliver(Row());
  CHECK_FALSE(result.ok);
  CHECK_FALSE(result.retryable);
  CHECK_FALSE(WebhookAdapter({"http://", "s", 500}).Deliver(Row()).retryable);
}

}  // namespace
}  // namespace zgtflow::adapters
