// zgt_durable_bench: the standard 'app listing' workload (shared/bench/
// WORKLOAD.md) through the durable runtime — CaseRunner, one commit per step,
// hash-chained history — on SQLite (a WAL file in a temp dir) or PostgreSQL
// (a URL, or a throwaway server with default durability started here), beside
// the ceiling of plain single-row transactions (BEGIN; UPDATE one row; INSERT
// one row; COMMIT; as many clients, 8 at most) on the same database in the
// same run. 64 inputs in flight run two ways: 64 client threads blocked on a
// CommitBatcher, and 64 chains driven from CommitPipeline callbacks.
// bench/run_durable_bench.sh runs it; docs/performance.md has the figures.
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/durable_seed.h"
#include "dsl/compile.h"
#include "engine/base/malloc_tuning.h"
#include "engine/calendar/calendar_json.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/commit_batcher.h"
#include "engine/runtime/commit_pipeline.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/memory/memory_store.h"
#include "engine/store/postgres/postgres_store.h"
#include "engine/store/sqlite/sqlite_store.h"
#include "engine/store/sqlite/wal_append_vfs.h"
#include "tests/support/postgres_server.h"

namespace zgtflow::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Options {
  std::string backend = "sqlite";  // sqlite | postgres
  std::string url;                 // postgres: "" = start a throwaway server.
  double seconds = 3.0;            // Per measurement.
  int runs = 3;                    // Medians of this many.
  std::string only;                // Run only the configuration of this name.
  bool ceiling = true;             // false: skip the ceiling (profiling the runtime alone).
  int in_flight = 0;               // Batches in flight; 0 = what the store says.
  // Inputs in flight in the pipelined row (the issue's target is at 64). More
  // tells whether that row is bound by latency (it rises) or by CPU (it does not).
  int chains = 64;
  // Finished cases in the store before anything is timed (durable_seed.h);
  // WORKLOAD.md's durable anchor has 100,000 case rows.
  int64_t seed = 100000;
  // SQLite: false = two writes per WAL page, as SQLite's default VFS does
  // (SqliteOptions::one_write_per_commit; comparing the two).
  bool wal_append = true;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// One measured configuration of the runtime.
struct Config {
  std::string name;
  int threads;         // Concurrent clients, each one input in flight.
  bool batcher;        // Commits through CommitBatcher (group commit).
  // No client threads: `threads` chains of inputs kept in flight through
  // CreateAsync/SubmitAsync and a CommitPipeline, each next input sent from
  // the callback that acknowledges the one before.
  bool pipelined = false;
};

struct Sample {
  double transitions_per_s = 0;
  double commits_per_s = 0;
  double batch = 0;     // Mean commits per batch (batcher only).
  double store_busy = 0;  // Share of the time inside CommitSteps (batcher only).
  double us_per_commit = 0;  // CommitSteps time per commit, microseconds.
  double cpu_us_per_transition = 0;  // This process's CPU (user + system) per transition.
  int failures = 0;
};

// The runtime over one store.
struct Runtime {
  Runtime(store::Store* store, const calendar::Calendar* calendar,
          std::shared_ptr<const model::Workflow> workflow)
      : store(store), registry(store), calendar(calendar) {
    Status deployed = registry.Deploy({workflow}, clock.NowMs());
    if (!deployed.ok()) {
      std::fprintf(stderr, "deploy: %s\n", deployed.message().c_str());
      std::exit(1);
    }
  }
  store::Store* store;
  runtime::DefinitionRegistry registry;
  runtime::SystemClock clock;
  const calendar::Calendar* calendar;
};

// CPU seconds (user + system) this process used so far: a figure less
// shaken than wall time by whatever else the 2 cores run.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// A measurement's figures from its totals; `batches` 0 = no group commit.
Sample Summarize(int64_t transitions, int64_t commits, int failures, double elapsed, double cpu,
                 int64_t batches, int64_t batched_commits, int64_t commit_micros) {
  Sample sample;
  if (transitions > 0) sample.cpu_us_per_transition = cpu * 1e6 / transitions;
  sample.transitions_per_s = transitions / elapsed;
  sample.commits_per_s = commits / elapsed;
  if (batches > 0) {
    sample.batch = static_cast<double>(batched_commits) / batches;
    sample.store_busy = commit_micros / 1e6 / elapsed;
    sample.us_per_commit = static_cast<double>(commit_micros) / batched_commits;
  }
  sample.failures = failures;
  return sample;
}

const char* const kEvents[] = {"submit", "review", "reject", "submit", "review", "approve", "list"};

// One whole case, untimed: the template the store is seeded with.
Status RunOneCase(Runtime& rt, const std::string& id) {
  runtime::CaseRunner runner(rt.store, &rt.registry, &rt.clock, rt.calendar, {});
  auto created = runner.Create("app_listing", "applicant", "", R"({"tests_passed": true})", {}, "",
                               id);
  if (!created.ok()) return created.status();
  if (!created->accepted()) return Status::Internal(id + " not created");
  for (const char* event : kEvents) {
    auto view = runner.Submit(id, core::Input::Event(event, "applicant"));
    if (!view.ok()) return view.status();
    if (!view->accepted()) return Status::Internal(id + " " + event + " refused");
  }
  return Status::Ok();
}

// Each client runs whole cases (create + 7 events, checked at the end) until
// the time is up; returns transitions (accepted events) per second.
Sample Measure(Runtime& rt, const Config& config, double seconds, int run, int in_flight) {
  runtime::CommitBatcher::Options batching;
  batching.max_in_flight = in_flight;
  runtime::CommitBatcher batcher(rt.store, batching);
  runtime::CaseRunner::Options options;
  if (config.batcher) options.batcher = &batcher;
  runtime::CaseRunner runner(rt.store, &rt.registry, &rt.clock, rt.calendar, options);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> transitions{0};
  std::atomic<int64_t> commits{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  const auto start = SteadyClock::now();
  const double cpu_start = ProcessCpuSeconds();
  for (int t = 0; t < config.threads; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        const std::string id = config.name + "-r" + std::to_string(run) + "-t" +
                               std::to_string(t) + "-" + std::to_string(n);
        auto created = runner.Create("app_listing", "applicant", "", R"({"tests_passed": true})",
                                     {}, "", id);
        if (!created.ok() || !created->accepted()) {
          if (failures++ == 0) {
            std::fprintf(stderr, "create %s: %s\n", id.c_str(),
                         created.ok() ? created->rejection->message.c_str()
                                      : created.status().message().c_str());
          }
          continue;
        }
        commits.fetch_add(1, std::memory_order_relaxed);
        for (const char* event : kEvents) {
          auto view = runner.Submit(id, core::Input::Event(event, "applicant"));
          if (!view.ok() || !view->accepted()) {
            if (failures++ == 0) {
              std::fprintf(stderr, "%s %s: %s\n", id.c_str(), event,
                           view.ok() ? view->rejection->message.c_str()
                                     : view.status().message().c_str());
            }
            break;
          }
          transitions.fetch_add(1, std::memory_order_relaxed);
          commits.fetch_add(1, std::memory_order_relaxed);
          if (std::string(event) == "list" &&
              (view->row.state != "[\"listed\"]" ||
               view->row.status != store::CaseStatus::kCompleted)) {
            if (failures++ == 0) std::fprintf(stderr, "%s did not end listed\n", id.c_str());
          }
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const double cpu = ProcessCpuSeconds() - cpu_start;
  if (!config.batcher) return Summarize(transitions, commits, failures, elapsed, cpu, 0, 0, 0);
  return Summarize(transitions, commits, failures, elapsed, cpu, batcher.totals().batches(),
                   batcher.totals().commits(), batcher.totals().commit_micros());
}

// The same cases as Measure, with `config.threads` inputs in flight and no
// thread per input: each chain runs its cases' inputs one after another,
// sending the next from the callback that acknowledges the one before.
Sample MeasurePipelined(Runtime& rt, const Config& config, double seconds, int run,
                        int in_flight) {
  struct Chain {
    int index = 0;
    int64_t n = 0;      // Cases begun.
    std::string id;     // The current case.
    size_t next = 0;    // Its next event in kEvents.
  };
  // The chains' state first: the pipeline's committers, which may still be
  // returning from the last callback, stop before it goes.
  std::function<void(Chain*)> begin_case;
  std::function<void(Chain*)> send_next;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> transitions{0};
  std::atomic<int64_t> commits{0};
  std::atomic<int> failures{0};
  std::mutex ended_mutex;
  std::condition_variable ended;
  int running = config.threads;  // Chains not ended yet; guarded by ended_mutex.
  std::vector<Chain> chains(config.threads);
  auto fail = [&](const std::string& what) {
    if (failures++ == 0) std::fprintf(stderr, "%s\n", what.c_str());
  };
  runtime::CommitPipeline::Options piping;
  piping.max_in_flight = in_flight;
  runtime::CommitPipeline pipeline(rt.store, piping);
  runtime::CaseRunner::Options options;
  options.pipeline = &pipeline;
  runtime::CaseRunner runner(rt.store, &rt.registry, &rt.clock, rt.calendar, options);
  begin_case = [&](Chain* chain) {
    if (stop.load(std::memory_order_relaxed)) {
      std::lock_guard<std::mutex> lock(ended_mutex);
      if (--running == 0) ended.notify_all();
      return;
    }
    chain->id = config.name + "-r" + std::to_string(run) + "-t" + std::to_string(chain->index) +
                "-" + std::to_string(chain->n++);
    chain->next = 0;
    runner.CreateAsync("app_listing", "applicant", "", R"({"tests_passed": true})", {}, "",
                       chain->id, [&, chain](Result<runtime::CaseView> created) {
                         if (!created.ok() || !created->accepted()) {
                           fail("create " + chain->id + ": " +
                                (created.ok() ? created->rejection->message
                                              : created.status().message()));
                           return begin_case(chain);
                         }
                         commits.fetch_add(1, std::memory_order_relaxed);
                         send_next(chain);
                       });
  };
  send_next = [&](Chain* chain) {
    const char* event = kEvents[chain->next];
    runner.SubmitAsync(
        chain->id, core::Input::Event(event, "applicant"),
        [&, chain, event](Result<runtime::CaseView> view) {
          if (!view.ok() || !view->accepted()) {
            fail(chain->id + " " + event + ": " +
                 (view.ok() ? view->rejection->message : view.status().message()));
            return begin_case(chain);
          }
          transitions.fetch_add(1, std::memory_order_relaxed);
          commits.fetch_add(1, std::memory_order_relaxed);
          if (++chain->next < std::size(kEvents)) return send_next(chain);
          if (view->row.state != "[\"listed\"]" ||
              view->row.status != store::CaseStatus::kCompleted) {
            fail(chain->id + " did not end listed");
          }
          begin_case(chain);
        });
  };

  const auto start = SteadyClock::now();
  const double cpu_start = ProcessCpuSeconds();
  for (int t = 0; t < config.threads; ++t) {
    chains[t].index = t;
    begin_case(&chains[t]);
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  {
    // Each chain ends at its next case: the inputs in flight finish first.
    std::unique_lock<std::mutex> lock(ended_mutex);
    ended.wait(lock, [&] { return running == 0; });
  }
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const double cpu = ProcessCpuSeconds() - cpu_start;
  return Summarize(transitions, commits, failures, elapsed, cpu, pipeline.totals().batches(),
                   pipeline.totals().commits(), pipeline.totals().commit_micros());
}

// ---- the ceiling: BEGIN; UPDATE one row; INSERT one row; COMMIT ----

constexpr int kCeilingRows = 12500;  // Case rows per client (WORKLOAD.md).
constexpr int kMaxCeilingClients = 8;

double SqliteCeiling(const std::string& path, int clients, double seconds, int run) {
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "CREATE TABLE IF NOT EXISTS ceiling_case (id INTEGER PRIMARY KEY, state TEXT,"
                 " version INTEGER);"
                 "CREATE TABLE IF NOT EXISTS ceiling_event (case_id INTEGER, seq INTEGER,"
                 " event TEXT, PRIMARY KEY (case_id, seq)) WITHOUT ROWID;"
                 "DELETE FROM ceiling_event; DELETE FROM ceiling_case;",
                 nullptr, nullptr, nullptr);
    const std::string fill =
        "WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < " +
        std::to_string(kCeilingRows * clients - 1) +
        ") INSERT INTO ceiling_case SELECT x, 'draft', 0 FROM g";
    sqlite3_exec(db, fill.c_str(), nullptr, nullptr, nullptr);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  std::atomic<bool> stop{false};
  std::atomic<int64_t> done{0};
  std::vector<std::thread> threads;
  const auto start = SteadyClock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      sqlite3* db = nullptr;
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
      sqlite3_busy_timeout(db, 10000);
      sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
      sqlite3_stmt* update = nullptr;
      sqlite3_stmt* insert = nullptr;
      sqlite3_prepare_v2(db, "UPDATE ceiling_case SET state = ?2, version = version + 1 WHERE id = ?1",
                         -1, &update, nullptr);
      sqlite3_prepare_v2(db, "INSERT INTO ceiling_event VALUES (?1, ?2, ?3)", -1, &insert, nullptr);
      int64_t seq = static_cast<int64_t>(run) << 40;
      for (int64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        const int64_t id = c * kCeilingRows + n % kCeilingRows;
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) continue;
        sqlite3_bind_int64(update, 1, id);
        sqlite3_bind_text(update, 2, "submitted", -1, SQLITE_STATIC);
        sqlite3_step(update);
        sqlite3_reset(update);
        sqlite3_bind_int64(insert, 1, id);
        sqlite3_bind_int64(insert, 2, ++seq);
        sqlite3_bind_text(insert, 3, "submit", -1, SQLITE_STATIC);
        sqlite3_step(insert);
        sqlite3_reset(insert);
        if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) {
          done.fetch_add(1, std::memory_order_relaxed);
        } else {
          sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
      }
      sqlite3_finalize(update);
      sqlite3_finalize(insert);
      sqlite3_close(db);
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  return done.load() / std::chrono::duration<double>(SteadyClock::now() - start).count();
}

double PostgresCeiling(const std::string& url, int clients, double seconds, int run) {
  try {
    pqxx::connection setup(url);
    pqxx::work txn(setup);
    txn.exec(
        "CREATE TABLE IF NOT EXISTS ceiling_case (id BIGINT PRIMARY KEY, state TEXT,"
        " version BIGINT);"
        "CREATE TABLE IF NOT EXISTS ceiling_event (case_id BIGINT, seq BIGINT, event TEXT,"
        " PRIMARY KEY (case_id, seq));"
        "TRUNCATE ceiling_case, ceiling_event;");
    txn.exec_params("INSERT INTO ceiling_case SELECT g, 'draft', 0 FROM generate_series(0, $1) g",
                    kCeilingRows * clients);
    txn.commit();
    pqxx::nontransaction checkpoint(setup);
    checkpoint.exec("CHECKPOINT");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ceiling setup: %s\n", e.what());
    return 0;
  }
  std::atomic<bool> stop{false};
  std::atomic<int64_t> done{0};
  std::vector<std::thread> threads;
  const auto start = SteadyClock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      try {
        pqxx::connection conn(url);
        conn.prepare("update", "UPDATE ceiling_case SET state = $2, version = version + 1 WHERE id = $1");
        conn.prepare("insert", "INSERT INTO ceiling_event VALUES ($1, $2, $3)");
        int64_t seq = static_cast<int64_t>(run) << 40;
        for (int64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
          const int64_t id = c * kCeilingRows + n % kCeilingRows;
          pqxx::work txn(conn);
          txn.exec_prepared("update", id, "submitted");
          txn.exec_prepared("insert", id, ++seq, "submit");
          txn.commit();
          done.fetch_add(1, std::memory_order_relaxed);
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "ceiling client: %s\n", e.what());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  return done.load() / std::chrono::duration<double>(SteadyClock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

int Main(int argc, char** argv) {
  // As `zgtflow serve` runs (engine/base/malloc_tuning.h).
  RestartWithMallocTuning(argv);
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--backend") options.backend = next();
    else if (arg == "--url") options.url = next();
    else if (arg == "--seconds") options.seconds = std::atof(next().c_str());
    else if (arg == "--runs") options.runs = std::atoi(next().c_str());
    else if (arg == "--only") options.only = next();
    else if (arg == "--no-ceiling") options.ceiling = false;
    else if (arg == "--in-flight") options.in_flight = std::atoi(next().c_str());
    else if (arg == "--seed") options.seed = std::atoll(next().c_str());
    else if (arg == "--chains") options.chains = std::max(1, std::atoi(next().c_str()));
    else if (arg == "--two-writes-per-page") options.wal_append = false;
    else {
      std::fprintf(stderr,
                   "usage: zgt_durable_bench [--backend sqlite|postgres|memory] [--url URL]\n"
                   "                         [--seconds S] [--runs R] [--only NAME]"
                   " [--no-ceiling]\n"
                   "                         [--in-flight BATCHES] [--seed CASES]"
                   " [--two-writes-per-page]\n"
                   "                         [--chains INPUTS]\n");
      return 2;
    }
  }
  dsl::CompileResult compiled = dsl::Compile(
      {dsl::SourceFile{"bench/workflows/app_listing.flow",
                       ReadFile(std::string(ZGT_SOURCE_DIR) + "/bench/workflows/app_listing.flow")}});
  if (!compiled.ok() || compiled.workflows.empty()) {
    std::fprintf(stderr, "app_listing.flow did not compile\n");
    return 1;
  }
  auto calendar = calendar::ParseCalendarJson(
      ReadFile(std::string(ZGT_SOURCE_DIR) + "/calendars/cn-mainland.json"));
  if (!calendar.ok()) {
    std::fprintf(stderr, "calendar: %s\n", calendar.status().message().c_str());
    return 1;
  }

  std::unique_ptr<testing::PostgresServer> server;
  std::unique_ptr<store::Store> store;
  std::string sqlite_path;
  std::filesystem::path temp;
  if (options.backend == "sqlite") {
    temp = std::filesystem::temp_directory_path() /
           ("zgt-durable-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(temp);
    sqlite_path = (temp / "zgtflow.db").string();
    store::SqliteOptions sqlite_options;
    sqlite_options.one_write_per_commit = options.wal_append;
    auto opened = store::SqliteStore::Open(sqlite_path, sqlite_options);
    if (!opened.ok()) {
      std::fprintf(stderr, "sqlite: %s\n", opened.status().message().c_str());
      return 1;
    }
    store = std::move(opened).value();
  } else if (options.backend == "postgres") {
    if (options.url.empty()) {
      server = std::make_unique<testing::PostgresServer>(/*durable=*/true);
      if (!server->ok()) {
        std::fprintf(stderr, "postgres server: %s\n", server->error().c_str());
        return 1;
      }
      options.url = server->CreateDatabase("bench");
    }
    auto opened = store::OpenPostgresStore(options.url);
    if (!opened.ok()) {
      std::fprintf(stderr, "postgres: %s\n", opened.status().message().c_str());
      return 1;
    }
    store = std::move(opened).value();
  } else if (options.backend == "memory") {
    // No database at all: the runtime's own cost per step (no ceiling).
    store = std::make_unique<store::MemoryStore>();
    options.ceiling = false;
  } else {
    std::fprintf(stderr, "unknown backend %s\n", options.backend.c_str());
    return 2;
  }
  Runtime rt(store.get(), &*calendar, compiled.workflows.front());
  if (options.backend != "memory" && options.seed > 0) {
    const std::string template_id = "seed-template";
    Status seeded = RunOneCase(rt, template_id);
    if (seeded.ok()) {
      seeded = SeedCases(sqlite_path, options.backend == "postgres" ? options.url : "",
                         template_id, options.seed);
    }
    if (!seeded.ok()) {
      std::fprintf(stderr, "%s\n", seeded.message().c_str());
      return 1;
    }
  }

  const std::vector<Config> configs = {
      {"1-client", 1, false},
      {"8-clients", 8, false},
      {"8-clients-batched", 8, true},
      {"64-in-flight-batched", 64, true},
      {std::to_string(options.chains) + "-in-flight-pipelined", options.chains, true,
       /*pipelined=*/true},
  };
  std::printf("# zgt_durable_bench %s: app-listing cases through CaseRunner, %.1f s x %d runs,"
              " %lld finished cases in the store before\n",
              options.backend.c_str(), options.seconds, options.runs,
              static_cast<long long>(options.backend == "memory" ? 0 : options.seed));
  std::printf("%-22s %12s %12s %8s %10s %11s %10s %12s %7s\n", "configuration", "transitions/s",
              "commits/s", "batch", "store busy", "us/commit", "cpu us/tr", "ceiling tx/s",
              "ratio");
  for (const Config& config : configs) {
    if (!options.only.empty() && config.name != options.only) continue;
    std::vector<double> rates, commit_rates, batches, busy, us_per_commit, cpu, ceilings;
    int failures = 0;
    for (int run = 0; run < options.runs; ++run) {
      Sample sample =
          config.pipelined
              ? MeasurePipelined(rt, config, options.seconds, run, options.in_flight)
              : Measure(rt, config, options.seconds, run, options.in_flight);
      rates.push_back(sample.transitions_per_s);
      commit_rates.push_back(sample.commits_per_s);
      batches.push_back(sample.batch);
      busy.push_back(sample.store_busy);
      us_per_commit.push_back(sample.us_per_commit);
      cpu.push_back(sample.cpu_us_per_transition);
      failures += sample.failures;
      if (!options.ceiling) continue;
      // At most 8 ceiling clients: WORKLOAD.md's anchor (about 4,000 tx/s
      // here) runs 8; 64 clients on 2 cores only lower the ceiling.
      const int clients = std::min(config.threads, kMaxCeilingClients);
      ceilings.push_back(options.backend == "sqlite"
                             ? SqliteCeiling(sqlite_path, clients, options.seconds, run)
                             : PostgresCeiling(options.url, clients, options.seconds, run));
    }
    const double rate = Median(rates);
    const double ceiling = Median(ceilings);
    std::printf("%-22s %12.0f %12.0f %8.1f %9.0f%% %11.1f %10.1f %12.0f %7.2f%s\n",
                config.name.c_str(), rate, Median(commit_rates), Median(batches),
                100 * Median(busy), Median(us_per_commit), Median(cpu), ceiling,
                ceiling > 0 ? rate / ceiling : 0, failures ? "  FAILURES" : "");
    std::fflush(stdout);
  }
  if (auto* sqlite = dynamic_cast<store::SqliteStore*>(store.get())) {
    const store::sqlite::WalAppendCounts wal = store::sqlite::WalAppendTotals();
    std::printf("# sqlite: %lld WAL writes asked, %lld buffers written; %lld syncs, %lld checkpoints\n",
                static_cast<long long>(wal.writes), static_cast<long long>(wal.flushes),
                static_cast<long long>(sqlite->WalSyncs()),
                static_cast<long long>(sqlite->WalCheckpoints()));
  }
  store.reset();
  if (!temp.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temp, ignored);
  }
  return 0;
}

}  // namespace
}  // namespace zgtflow::bench

int main(int argc, char** argv) { return zgtflow::bench::Main(argc, argv); }
