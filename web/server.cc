// ⑧ Server (see server.h): builds the WebContext, mounts each folder's
// routes, and runs cpp-httplib's accept loop.
#include "web/server.h"

#include <sys/socket.h>

#include <chrono>
#include <exception>
#include <thread>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "engine/base/limits.h"
#include "web/api/api.h"
#include "web/api_error.h"
#include "web/auth/auth.h"
#include "web/auth/http_auth.h"
#include "web/metrics.h"
#include "web/pages_hook.h"
#include "web/route.h"

namespace zgtflow::web {

Result<ServerOptions> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return Status::InvalidArgument("listen address '" + listen + "' is not HOST:PORT");
  }
  std::string port_text = listen.substr(colon + 1);
  if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("port '" + port_text + "' is not a number");
  }
  int port = std::stoi(port_text);  // At most 5 digits: cannot throw.
  if (port > 65535) return Status::InvalidArgument("port " + port_text + " is above 65535");
  ServerOptions options;
  options.host = listen.substr(0, colon);
  options.port = port;
  return options;
}

Server::Server(ServerOptions options, store::Store* store, runtime::DefinitionRegistry* registry,
               runtime::CaseRunner* runner, runtime::Clock* clock,
               const calendar::Calendar* calendar)
    : options_(std::move(options)), http_(std::make_unique<httplib::Server>()) {
  if (clock == nullptr) {
    own_clock_ = std::make_unique<runtime::SystemClock>();
    clock = own_clock_.get();
  }
  auth_ = std::make_unique<auth::Auth>(store, clock);
  metrics_ = std::make_unique<Metrics>();
  routes_ = std::make_unique<RouteList>();
  context_.store = store;
  context_.registry = registry;
  context_.runner = runner;
  context_.clock = clock;
  context_.calendar = calendar;
  context_.auth = auth_.get();
  context_.metrics = metrics_.get();
  context_.routes = routes_.get();
  context_.secure_cookies = options_.secure_cookies;

  int threads = options_.threads > 0 ? options_.threads : 1;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // A kept-alive idle connection holds a worker; a short timeout bounds how
  // long a graceful shutdown waits for idle clients.
  http_->set_keep_alive_timeout(1);
  // httplib closes a kept-alive connection after 5 requests by default: a
  // reconnect (and a listen-queue entry) every 5 pages. nginx keeps 100.
  http_->set_keep_alive_max_count(100);
  // Replaces httplib's default socket options, which set SO_REUSEPORT: with
  // it a second `zgtflow serve` on a port in use binds too and silently gets
  // half the connections (a forgotten old server keeps answering).
  // SO_REUSEADDR still lets a restarted server bind while old connections
  // linger in TIME_WAIT. The socket is kept for the backlog (see Bind).
  http_->set_socket_options([this](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_socket_ = sock;
  });
  // httplib writes the headers and the body separately: without TCP_NODELAY
  // Nagle's algorithm holds the body until the client's delayed ACK, ~40 ms
  // on every kept-alive response (bench/web_bench.sh measured it).
  http_->set_tcp_nodelay(true);
  // httplib answers a larger body 413 before any handler runs.
  http_->set_payload_max_length(limits::kMaxRequestBodyBytes);
  Mount();
}

Server::~Server() { Stop(); }

Status Server::Bind() {
  if (options_.port == 0) {
    int port = http_->bind_to_any_port(options_.host);
    if (port <= 0) return Status(StatusCode::kUnavailable, "cannot bind " + options_.host);
    port_ = port;
  } else {
    if (!http_->bind_to_port(options_.host, options_.port)) {
      return Status(StatusCode::kUnavailable,
                    "cannot bind " + options_.host + ":" + std::to_string(options_.port));
    }
    port_ = options_.port;
  }
  // httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, built
  // into Debian's library). Connections arriving faster than the accept loop
  // takes them overflow it; the kernel drops their handshake's last ACK and
  // the client's first request then waits for TCP retransmissions (0.2, 0.4,
  // 0.8, 1.6 s): the web benchmark's p99 on 50 connections. Linux applies a
  // second listen() to a listening socket, so the queue becomes the
  // system's maximum (net.core.somaxconn).
  if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);
  return Status::Ok();
}

Status Server::Run() {
  running_ = true;
  // Stop() before this point only set the flag (nothing to stop yet).
  if (stop_requested_) {
    running_ = false;
    return Status::Ok();
  }
  // listen_after_bind returns after the accept loop ended and its thread
  // pool finished the requests in flight.
  bool ok = http_->listen_after_bind();
  running_ = false;
  if (!ok && !stop_requested_) return Status(StatusCode::kUnavailable, "the listener failed");
  return Status::Ok();
}

void Server::Stop() {
  stop_requested_ = true;
  // httplib's stop() does nothing before its accept loop runs, so wait for
  // that (a Run that has not set running_ yet sees stop_requested_ instead).
  while (running_) {
    if (http_->is_running()) {
      http_->stop();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void Server::Mount() {
  // httplib catches handler exceptions as a bare 500; answer them as JSON.
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string message = "internal error";
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          message = e.what();
        } catch (...) {
        }
        ReplyError(res, 500, "internal", message);
      });
  // httplib's own refusals (413 over the body limit, 404 no route, 400 a
  // malformed request) carry no body: give them the API's error shape.
  http_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    switch (res.status) {
      case 413:
        return ReplyError(res, 413, "body-too-large",
                          "the request body is larger than " +
                              std::to_string(limits::kMaxRequestBodyBytes) + " bytes");
      case 404:
        return ReplyError(res, 404, "not-found", "no such route");
      case 405:
        return ReplyError(res, 405, "method-not-allowed", "method not allowed on this route");
      default:
        return ReplyError(res, res.status, "bad-request", "the request could not be read");
    }
  });

  auth::RegisterLoginRoutes(*http_, context_);
  api::RegisterHealth(*http_, context_);
  api::RegisterWorkflows(*http_, context_);
  api::RegisterCases(*http_, context_);

  Route(*http_, context_.routes, "POST", "/api/admin/reload", [this](const httplib::Request& req, httplib::Response& res) {
    if (!api::RequireRole(context_, req, res, "management_unit")) return;
    if (!reload_) return ReplyError(res, 404, "not-found", "this server cannot reload");
    Result<std::string> reloaded = reload_();
    if (!reloaded.ok()) return ReplyStatus(res, reloaded.status());
    res.status = 200;
    res.set_content(*reloaded, "application/json");
  });

#ifdef ZGT_WEB_PAGES
  pages::Register(*http_, context_);
#endif
}

}  // namespace zgtflow::web
