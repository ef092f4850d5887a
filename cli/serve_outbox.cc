// serve's adapters, notify routes and outbox worker (see serve_outbox.h).
#include "cli/serve_outbox.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>

#include "cli/files.h"

namespace zgtflow::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDefaultRoutes = "config/notify_routes.json";

// Long enough that a delivery (bounded by the webhook timeout) ends before
// another node may take the row over.
int64_t OutboxLeaseMs(const ServeOptions& options) {
  return std::max<int64_t>(30000, 4 * options.webhook_timeout_ms);
}

}  // namespace

std::string DefaultNodeName() {
  char host[HOST_NAME_MAX + 1] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    return "serve-" + std::to_string(::getpid());
  }
  return std::string(host) + "-" + std::to_string(::getpid());
}

std::string FindRoutesFile(const std::string& routes) {
  if (!routes.empty()) return routes;
  std::error_code error;
  if (fs::is_regular_file(kDefaultRoutes, error)) return kDefaultRoutes;
  // As calendars: a checkout's config/ above the running binary
  // (build-x/cli/zgtflow lives two levels below the project root).
  fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (error) return "";
  for (fs::path p = binary.parent_path(); !p.empty(); p = p.parent_path()) {
    fs::path candidate = p / kDefaultRoutes;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
    if (p == p.root_path()) break;
  }
  return "";
}

Result<std::unique_ptr<ServeOutbox>> MakeServeOutbox(const ServeOptions& options,
                                                     store::Store* store,
                                                     runtime::CaseRunner* runner,
                                                     runtime::Clock* clock,
                                                     const std::string& node) {
  auto outbox = std::make_unique<ServeOutbox>();
  outbox->log = std::make_unique<adapters::LogAdapter>(&std::cout);
  outbox->registry.Register("log", outbox->log.get());
  if (!options.webhook_url.empty()) {
    adapters::WebhookOptions webhook;
    webhook.url = options.webhook_url;
    webhook.secret = options.webhook_secret;
    if (webhook.secret.empty()) {
      const char* secret = std::getenv("ZGTFLOW_WEBHOOK_SECRET");
      if (secret != nullptr) webhook.secret = secret;
    }
    webhook.timeout_ms = std::max<int64_t>(1, options.webhook_timeout_ms);
    outbox->webhook = std::make_unique<adapters::WebhookAdapter>(std::move(webhook));
    outbox->registry.Register("webhook", outbox->webhook.get());
  }

  outbox->routes_path = FindRoutesFile(options.routes);
  runtime::NotifyRouting routing;
  if (outbox->routes_path.empty()) {
    routing.routes["*"] = {"log"};
  } else {
    Result<std::string> text = ReadFile(outbox->routes_path);
    if (!text.ok()) {
      return Status::NotFound("notify routes " + outbox->routes_path + ": " +
                              text.status().message());
    }
    Result<runtime::NotifyRouting> parsed = runtime::ParseNotifyRouting(*text);
    if (!parsed.ok()) {
      return Status::InvalidArgument(outbox->routes_path + ": " + parsed.status().message());
    }
    routing = std::move(parsed).value();
  }
  for (const auto& [role, channels] : routing.routes) {
    for (const std::string& channel : channels) {
      if (outbox->registry.Find(channel) != nullptr) continue;
      std::string path = outbox->routes_path.empty() ? "built-in routes" : outbox->routes_path;
      std::string hint = channel == "webhook" ? " (give --webhook-url)" : "";
      return Status::InvalidArgument(path + ": role '" + role + "' is routed to channel '" +
                                     channel + "', which is not configured" + hint);
    }
  }
  outbox->registry.SetNotifyRouting(std::move(routing));

  runtime::OutboxOptions worker_options;
  worker_options.max_attempts = std::max(1, options.outbox_attempts);
  worker_options.base_backoff_ms = std::max<int64_t>(0, options.outbox_backoff_ms);
  outbox->worker = std::make_unique<runtime::OutboxWorker>(
      store, runner, &outbox->registry, clock, node, OutboxLeaseMs(options), worker_options);
  return outbox;
}

}  // namespace zgtflow::cli
