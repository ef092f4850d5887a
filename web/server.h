// ⑧ Server: the HTTP side of `zgtflow serve` — the JSON API (web/api/), the
// login routes (web/auth/) and the HTML pages (web/pages/) over the durable
// runtime. Every route but /healthz, /metrics and /login needs a principal
// (web/auth/auth.h); the API is documented in docs/api.md and
// docs/openapi.yaml (tested against this server).
//
// Routes are mounted by folder (web_context.h says in which order and which
// paths belong to whom); this file builds the WebContext they share, owns the
// httplib::Server, and serves POST /api/admin/reload (management_unit only).
// Requests with a body over limits::kMaxRequestBodyBytes are answered 413.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/store.h"
#include "web/web_context.h"

namespace httplib {
class Server;
}

namespace zgtflow::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port (see Server::port()).
  // Requests handled at once. httplib keeps a worker per kept-alive
  // connection, so this is also the number of clients served without
  // queueing (the web benchmark uses 50 connections).
  int threads = 64;
  bool secure_cookies = false;  // Mark cookies Secure (behind HTTPS).
};

// "HOST:PORT" → options (port 0–65535). InvalidArgument otherwise.
Result<ServerOptions> ParseListen(const std::string& listen);

class Server {
 public:
  // None owned; all outlive the server. `clock` null = the system clock;
  // `calendar` may be null (working-day figures are then left out).
  Server(ServerOptions options, store::Store* store, runtime::DefinitionRegistry* registry,
         runtime::CaseRunner* runner, runtime::Clock* clock = nullptr,
         const calendar::Calendar* calendar = nullptr);
  ~Server();  // Stops and waits when still running.

  // Binds the listening socket. Unavailable when the address cannot be bound.
  Status Bind();
  // The bound port (after Bind), useful with port 0.
  int port() const { return port_; }
  // Serves until Stop(); returns once the requests in flight have finished.
  // Bind() must have succeeded.
  Status Run();
  // Stops accepting connections; Run returns after the requests in flight.
  // Safe from any thread, and before Run started (Run then returns at once).
  void Stop();

  // POST /api/admin/reload (re-reads the workflows; `zgtflow serve` sets it
  // before Run): management_unit only (401/403); 200 with the JSON text
  // `reload` returns, or the error of its Status (400 for workflows with
  // errors). 404 while none is set.
  void SetReload(std::function<Result<std::string>()> reload) { reload_ = std::move(reload); }

  // What the routes share (auth, metrics, clock …), e.g. for tests and CLI.
  const WebContext& context() const { return context_; }

 private:
  void Mount();

  ServerOptions options_;
  int listen_socket_ = -1;  // The bound socket, for its backlog (set by httplib's callback).
  std::unique_ptr<runtime::SystemClock> own_clock_;
  std::unique_ptr<auth::Auth> auth_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<RouteList> routes_;
  WebContext context_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<bool> stop_requested_{false};
  std::function<Result<std::string>()> reload_;
};

}  // namespace zgtflow::web
