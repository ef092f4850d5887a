// The delivery side of `zgtflow serve`: the adapters (log on stdout, webhook
// when a URL is given), the notify routes read from a JSON file, and the
// OutboxWorker that delivers the outbox rows steps commit.
#pragma once

#include <memory>
#include <string>

#include "adapters/log/log_adapter.h"
#include "adapters/webhook/webhook_adapter.h"
#include "cli/commands.h"
#include "engine/base/status.h"
#include "engine/runtime/adapter.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/outbox_worker.h"
#include "engine/store/store.h"

namespace zgtflow::cli {

// Owns the adapters, the registry and the worker (in the order they must
// go: the worker first).
struct ServeOutbox {
  std::unique_ptr<adapters::LogAdapter> log;
  std::unique_ptr<adapters::WebhookAdapter> webhook;  // nullptr without --webhook-url.
  runtime::AdapterRegistry registry;
  std::string routes_path;                            // The file read ("" = built-in).
  std::unique_ptr<runtime::OutboxWorker> worker;
};

// The path of the routes file: `options.routes` when given; otherwise
// config/notify_routes.json in the working directory, then next to the
// binary's source tree; "" when none exists (built-in {"*": ["log"]}).
std::string FindRoutesFile(const std::string& routes);

// Reads the routes, registers "log" (and "webhook" when options.webhook_url
// is set; its secret from options.webhook_secret, else the environment
// variable ZGTFLOW_WEBHOOK_SECRET) and builds the worker for `node`. Fails
// (kInvalidArgument / kNotFound, with the file's name) when the routes file
// is missing or malformed or names a channel that is not registered, so a
// bad configuration stops serve at start instead of dead-lettering rows.
// The worker is built, not started.
Result<std::unique_ptr<ServeOutbox>> MakeServeOutbox(const ServeOptions& options,
                                                     store::Store* store,
                                                     runtime::CaseRunner* runner,
                                                     runtime::Clock* clock,
                                                     const std::string& node);

// "<hostname>-<pid>": the default --node.
std::string DefaultNodeName();

}  // namespace zgtflow::cli
