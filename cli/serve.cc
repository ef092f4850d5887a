// `zgtflow serve [--db URL] [--workflows DIR] [--listen HOST:PORT] [--calendars DIR]`:
// opens the store, deploys DIR's workflows (and recompiles older stored
// versions that running cases still use), runs the timer worker and the HTTP
// server until SIGINT/SIGTERM, then shuts down gracefully (exit 0). SIGHUP
// and POST /api/admin/reload deploy DIR again; the store's definitions are
// polled so versions deployed elsewhere (`zgtflow deploy`) are followed.
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/calendar_loader.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "cli/report.h"
#include "cli/serve_outbox.h"
#include "dsl/compile.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/commit_batcher.h"
#include "engine/runtime/commit_pipeline.h"
#include "engine/runtime/follow_up_worker.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/definition_registry.h"
#include "engine/runtime/definition_sync.h"
#include "engine/runtime/polling_loop.h"
#include "engine/runtime/timer_worker.h"
#include "engine/store/open/open_store.h"
#include "web/server.h"

namespace zgtflow::cli {
namespace {

constexpr int64_t kTimerPeriodMs = 200;
constexpr int64_t kTimerLeaseMs = 30000;
// 64 firings in flight: enough to fill a group commit's batch while the one
// before it syncs (docs/performance.md, "Durable timers").
constexpr int kTimerFiringThreads = 64;
constexpr int kTimerBatch = 2000;
constexpr int64_t kOutboxPeriodMs = 200;
// How often the store's definitions are read again, so that a version
// another node (or `zgtflow deploy`) stored reaches this one.
constexpr int64_t kDefinitionPollMs = 2000;

// Stored versions that DIR no longer holds, recompiled from their stored
// text so the cases still on them keep running after a restart. Each is
// compiled with DIR's files that define other workflows (their roles, and
// workflows it may `start`). A version that no longer compiles (or whose
// hash differs) is reported; its cases answer 404 until it is redeployed.
std::vector<std::shared_ptr<const model::Workflow>> OldVersions(
    store::Store& db, const std::vector<dsl::SourceFile>& sources,
    const dsl::CompileResult& current) {
  std::vector<std::shared_ptr<const model::Workflow>> old;
  Result<std::vector<store::DefinitionRow>> rows = db.ListDefinitions();
  if (!rows.ok()) {
    std::cerr << "zgtflow serve: warning: cannot list stored versions: "
              << rows.status().message() << "\n";
    return old;
  }
  std::set<std::pair<std::string, std::string>> held;
  std::map<std::string, std::set<std::string>> files_of;  // workflow id → files defining it.
  for (const auto& workflow : current.workflows) {
    held.insert({workflow->id, workflow->VersionHex()});
    files_of[workflow->id].insert(workflow->source_path);
  }
  for (const store::DefinitionRow& row : *rows) {
    if (held.count({row.workflow, row.version}) > 0) continue;
    std::vector<dsl::SourceFile> files = {{row.source_path, row.source}};
    for (const dsl::SourceFile& file : sources) {
      if (files_of[row.workflow].count(file.path) == 0 && file.path != row.source_path) {
        files.push_back(file);
      }
    }
    dsl::CompileResult compiled = dsl::Compile(files);
    std::shared_ptr<const model::Workflow> found;
    for (const auto& workflow : compiled.workflows) {
      if (workflow->id == row.workflow && workflow->VersionHex() == row.version) found = workflow;
    }
    if (found == nullptr) {
      std::cerr << "zgtflow serve: warning: stored version " << row.version << " of "
                << row.workflow << " no longer compiles; its cases cannot run\n";
      continue;
    }
    held.insert({row.workflow, row.version});
    old.push_back(found);
  }
  return old;
}

}  // namespace

CLI::App* AddServe(CLI::App& app, ServeOptions& options) {
  CLI::App* command = app.add_subcommand("serve", "Run the workflows: HTTP server and timers");
  command->add_option("--db", options.db,
                      "Store URL: sqlite:FILE, memory: or postgresql://… "
                      "(default sqlite:var/zgtflow.db)");
  command->add_option("--workflows", options.workflows_dir,
                      "Folder of the workflows to deploy (default workflows/)");
  command->add_option("--listen", options.listen,
                      "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 = any free port)");
  command->add_option("--calendars", options.calendars_dir,
                      "Folder of calendar files (default: ./calendars, then the source tree's)");
  command->add_option("--node", options.node,
                      "Name of this process in timer and outbox claims (default HOSTNAME-PID)");
  command->add_option("--timer-lease-ms", options.timer_lease_ms,
                      "How long a timer claim keeps other nodes off it (default 30000)");
  command->add_option("--routes", options.routes,
                      "Notify routes, JSON role -> [channels] (default config/notify_routes.json)");
  command->add_option("--webhook-url", options.webhook_url,
                      "URL the webhook channel POSTs to (secret: $ZGTFLOW_WEBHOOK_SECRET)");
  command->add_option("--webhook-secret", options.webhook_secret,
                      "HMAC-SHA256 key of the webhook (prefer $ZGTFLOW_WEBHOOK_SECRET)");
  command->add_option("--webhook-timeout-ms", options.webhook_timeout_ms,
                      "Connect/read/write timeout of one webhook attempt (default 5000)");
  command->add_option("--outbox-attempts", options.outbox_attempts,
                      "Failed attempts before a delivery is dead-lettered (default 8)");
  command->add_option("--outbox-backoff-ms", options.outbox_backoff_ms,
                      "Wait after a first failed delivery, doubled each time (default 1000)");
  return command;
}

int RunServe(const ServeOptions& options) {
  // SIGINT/SIGTERM are blocked from the start in every thread (those started
  // later inherit the mask) and taken by one waiting thread, which stops the
  // server; one that comes during startup stays pending until then, so the
  // exit is still graceful.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);  // Reload the workflows (see Reload below).
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Result<web::ServerOptions> listen = web::ParseListen(options.listen);
  if (!listen.ok()) {
    std::cerr << "zgtflow serve: " << listen.status().message() << "\n";
    return 1;
  }

  // The workflows first: a folder that does not compile starts nothing.
  Result<std::vector<std::string>> paths = ExpandPaths({options.workflows_dir}, ".flow");
  if (!paths.ok()) {
    std::cerr << "zgtflow serve: " << paths.status().message() << "\n";
    return 1;
  }
  std::vector<dsl::SourceFile> sources;
  for (const std::string& path : *paths) {
    Result<dsl::SourceFile> source = ReadSource(path);
    if (!source.ok()) {
      std::cerr << "zgtflow serve: " << path << ": " << source.status().message() << "\n";
      return 1;
    }
    sources.push_back(std::move(source).value());
  }
  dsl::CompileResult compiled = dsl::Compile(sources);
  if (PrintDiagnostics(compiled.diagnostics, std::cerr).errors > 0) {
    std::cerr << "zgtflow serve: the workflows of " << options.workflows_dir
              << " do not compile\n";
    return 1;
  }

  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(options.db);
  if (!opened.ok()) {
    std::cerr << "zgtflow serve: " << opened.status().message() << "\n";
    return 1;
  }
  store::Store& db = *opened.value();

  Result<calendar::Calendar> calendar = LoadCalendar("cn-mainland", options.calendars_dir);
  if (!calendar.ok()) {
    std::cerr << "zgtflow serve: warning: " << calendar.status().message()
              << " (durations in working days will fail)\n";
  }

  runtime::SystemClock clock;
  runtime::DefinitionRegistry registry(&db);
  // Older versions first, so that DIR's version is each id's newest.
  Status deployed = registry.Deploy(OldVersions(db, sources, compiled), clock.NowMs());
  if (deployed.ok()) deployed = registry.Deploy(compiled, clock.NowMs());
  if (!deployed.ok()) {
    std::cerr << "zgtflow serve: cannot deploy the workflows: " << deployed.message() << "\n";
    return 1;
  }

  // Versions (issue 5): the store's definitions table is shared by every
  // node; each id's most recently deployed version is the one new cases use.
  runtime::DefinitionSync sync(&db, &registry);
  std::mutex workflows_mutex;  // Guards the two below (reload vs poll).
  std::vector<dsl::SourceFile> current_sources = sources;
  std::vector<std::shared_ptr<const model::Workflow>> current_workflows = compiled.workflows;
  auto sync_now = [&](const char* why) -> Result<runtime::SyncReport> {
    std::vector<dsl::SourceFile> context;
    std::vector<std::shared_ptr<const model::Workflow>> known;
    {
      std::lock_guard<std::mutex> lock(workflows_mutex);
      context = current_sources;
      known = current_workflows;
    }
    Result<runtime::SyncReport> report = sync.Sync(context, known);
    if (!report.ok()) {
      std::cerr << "zgtflow serve: " << why << ": " << report.status().message() << std::endl;
      return report;
    }
    for (const std::string& warning : report->warnings) {
      std::cerr << "zgtflow serve: warning: " << warning << std::endl;
    }
    for (const std::string& newest : report->newest) {
      std::cout << "zgtflow serve: new cases start on " << newest << " (" << why << ")" << std::endl;
    }
    return report;
  };
  // Reload (SIGHUP, POST /api/admin/reload): deploy the workflows folder
  // again (refused as a whole when a file has an error), then follow the
  // store. The answer is a JSON object for the admin endpoint.
  auto reload = [&]() -> Result<std::string> {
    Result<std::vector<std::string>> paths = ExpandPaths({options.workflows_dir}, ".flow");
    if (!paths.ok()) return paths.status();
    std::vector<dsl::SourceFile> files;
    for (const std::string& path : *paths) {
      Result<dsl::SourceFile> source = ReadSource(path);
      if (!source.ok()) return Status::InvalidArgument(path + ": " + source.status().message());
      files.push_back(std::move(source).value());
    }
    dsl::CompileResult recompiled = dsl::Compile(files);
    std::ostringstream diagnostics;
    if (PrintDiagnostics(recompiled.diagnostics, diagnostics).errors > 0 || !recompiled.ok()) {
      return Status::InvalidArgument("the workflows of " + options.workflows_dir +
                                     " do not compile; nothing was reloaded\n" +
                                     diagnostics.str());
    }
    Result<std::vector<runtime::DeployedVersion>> stored =
        runtime::StoreVersions(db, recompiled.workflows, clock.NowMs());
    if (!stored.ok()) return stored.status();
    {
      std::lock_guard<std::mutex> lock(workflows_mutex);
      current_sources = files;
      current_workflows = recompiled.workflows;
    }
    Result<runtime::SyncReport> report = sync_now("reload");
    if (!report.ok()) return report.status();
    nlohmann::json out = {{"deployed", nlohmann::json::array()},
                          {"newest", report->newest},
                          {"loaded", report->loaded},
                          {"warnings", report->warnings}};
    for (const runtime::DeployedVersion& version : *stored) {
      out["deployed"].push_back({{"workflow", version.workflow},
                                 {"version", version.version},
                                 {"new", version.is_new}});
    }
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (!sync_now("start").ok()) return 1;

  // Group commit: steps of concurrent requests share one transaction (one
  // WAL flush); each request is answered after its own commit. Timer
  // firings go through the pipeline: many in flight without a thread each.
  runtime::CommitBatcher batcher(&db);
  runtime::CommitPipeline pipeline(&db);
  runtime::CaseRunner::Options runner_options;
  runner_options.batcher = &batcher;
  runner_options.pipeline = &pipeline;
  runtime::CaseRunner runner(&db, &registry, &clock, calendar.ok() ? &calendar.value() : nullptr,
                             runner_options);
  const std::string node = options.node.empty() ? DefaultNodeName() : options.node;
  Result<std::unique_ptr<ServeOutbox>> outbox =
      MakeServeOutbox(options, &db, &runner, &clock, node);
  if (!outbox.ok()) {
    std::cerr << "zgtflow serve: " << outbox.status().message() << "\n";
    return 1;
  }
  web::Server server(*listen, &db, &registry, &runner, &clock,
                     calendar.ok() ? &calendar.value() : nullptr);
  server.SetReload(reload);
  Status bound = server.Bind();
  if (!bound.ok()) {
    std::cerr << "zgtflow serve: " << bound.message() << "\n";
    return 1;
  }

  std::atomic<bool> done{false};
  std::thread waiter([&] {
    timespec period{0, 100 * 1000 * 1000};
    while (!done) {
      const int got = sigtimedwait(&signals, nullptr, &period);
      if (got == SIGHUP) {
        Result<std::string> reloaded = reload();
        if (!reloaded.ok()) {
          std::cerr << "zgtflow serve: reload: " << reloaded.status().message() << std::endl;
        } else {
          std::cout << "zgtflow serve: reloaded " << *reloaded << std::endl;
        }
        continue;
      }
      if (got > 0) {
        server.Stop();
        return;
      }
    }
  });

  runtime::TimerWorker worker(&db, &runner, &clock, node,
                              std::max<int64_t>(1, options.timer_lease_ms));
  // Several firing threads: their commits go through the batcher together,
  // many firings per transaction and per sync (docs/performance.md).
  worker.SetFiringThreads(kTimerFiringThreads);
  worker.Start(kTimerPeriodMs, kTimerBatch);
  // Follow-ups (child starts, child.done, send … matching) that a crash left
  // after their step's commit: all of them now, then every few seconds.
  runtime::FollowUpWorker follow_ups(&runner, &clock, "serve-" + std::to_string(::getpid()),
                                     /*lease_ms=*/60000, /*grace_ms=*/10000);
  if (Result<int> recovered = follow_ups.RecoverAll(10000); !recovered.ok()) {
    std::cerr << "zgtflow serve: follow-ups: " << recovered.status().message() << std::endl;
  }
  follow_ups.Start(/*period_ms=*/5000);
  (*outbox)->worker->Start(kOutboxPeriodMs);
  std::cout << "zgtflow serve: node " << node << ", notify routes "
            << ((*outbox)->routes_path.empty() ? "built-in (* -> log)" : (*outbox)->routes_path)
            << std::endl;
  runtime::PollingLoop definition_poll;
  definition_poll.Start(kDefinitionPollMs, 1, [&](int) -> Result<int> {
    sync_now("deployed elsewhere");
    return 0;
  });

  std::set<std::string> ids;
  for (const auto& workflow : compiled.workflows) ids.insert(workflow->id);
  std::cout << "zgtflow serving " << ids.size() << " workflows on http://" << listen->host << ":"
            << server.port() << " (store " << options.db << ")" << std::endl;

  Status served = server.Run();  // Returns after the requests in flight finished.
  definition_poll.Stop();
  (*outbox)->worker->Stop();
  follow_ups.Stop();
  worker.Stop();
  done = true;
  waiter.join();
  if (!served.ok()) {
    std::cerr << "zgtflow serve: " << served.message() << "\n";
    return 1;
  }
  std::cout << "zgtflow serve: stopped" << std::endl;
  return 0;
}

}  // namespace zgtflow::cli
