// ⑦ Server: the HTTP skeleton of `zgtflow serve` over the durable runtime.
// GET /healthz, and a minimal JSON case API (create a case, send it an event)
// so fault tests can drive the runtime over real HTTP; the full API is a
// later issue. No authentication yet (a later issue): bind to loopback.
//
// Routes:
//   GET  /healthz → 200 {"status":"ok","store":"ok","workflows":N}
//        (N distinct workflow ids deployed); 503 {"status":"unavailable",
//        "store":MESSAGE,"workflows":N} when the store call fails.
//   POST /api/cases {"workflow", "data"?, "parties"?, "role"?, "party"?,
//        "event"?, "id"?} → 201 {"id","revision","state"}. "role" defaults to
//        the first role of the workflow's first start transition.
//   POST /api/cases/{id}/events {"event", "role", "data"?, "party"?,
//        "expected_revision"?} → 200 {"id","revision","state"}.
// Errors: {"error":{"code","message","field"}} with 400 bad JSON or a bad
// request shape, 404 unknown case or workflow, 409 stale revision (or
// retries exhausted), 422 a refused input (code = core::Rejection::code),
// 503 the store is unavailable, 500 anything else. A 2xx is sent only after
// the step's commit returned (CaseRunner commits before it returns).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "engine/base/status.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/store.h"

namespace httplib {
class Server;
}

namespace zgtflow::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port (see Server::port()).
  int threads = 8;  // Requests handled at once.
};

// "HOST:PORT" → options (port 0–65535). InvalidArgument otherwise.
Result<ServerOptions> ParseListen(const std::string& listen);

class Server {
 public:
  // None owned; all outlive the server.
  Server(ServerOptions options, store::Store* store, runtime::DefinitionRegistry* registry,
         runtime::CaseRunner* runner);
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

 private:
  void Mount();

  ServerOptions options_;
  store::Store* store_;
  runtime::DefinitionRegistry* registry_;
  runtime::CaseRunner* runner_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<bool> stop_requested_{false};
};

}  // namespace zgtflow::web
