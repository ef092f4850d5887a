// zgt_timer_lag_bench: 100,000 pending durable timers falling due over a short
// window, fired by TimerWorker(s) through CaseRunner (one step, one commit per
// firing, or group-committed with --batched), on SQLite or PostgreSQL; prints
// the firing lag (commit time − due time) p50/p99/max and timers per second.
// bench/run_timer_lag_bench.sh runs it; docs/performance.md has the figures.
//
// The cases are seeded first with due times a day ahead; then the clock the
// runtime reads is shifted (it still runs at wall speed) so that the window
// starts 1 s after the workers start. Seeding is not measured (SQLite seeds
// with synchronous=NORMAL, then reopens with FULL for the measurement).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "dsl/compile.h"
#include "engine/base/malloc_tuning.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/commit_batcher.h"
#include "engine/runtime/commit_pipeline.h"
#include "engine/runtime/definition_registry.h"
#include "engine/runtime/timer_worker.h"
#include "engine/store/postgres/postgres_store.h"
#include "engine/store/sqlite/sqlite_store.h"
#include "tests/support/postgres_server.h"

namespace zgtflow::bench {
namespace {

struct Options {
  std::string backend = "sqlite";  // sqlite | postgres
  std::string url;                 // postgres: "" = a throwaway server (default durability).
  int timers = 100000;
  int64_t window_ms = 20000;       // Due times spread evenly over this window.
  int workers = 1;                 // TimerWorkers (nodes), each its own claimer.
  int threads = 1;                 // Firing threads per worker (SetFiringThreads).
  int batch = 100;                 // Claim limit per round.
  int64_t period_ms = 200;         // Worker period (as serve).
  bool batched = false;            // CaseRunner commits through a CommitBatcher.
  int seed_threads = 8;
};

// Wall time plus an offset that can be moved (atomically) between phases.
class ShiftedClock final : public runtime::Clock {
 public:
  int64_t NowMs() const override { return system_.NowMs() + offset_ms_.load(); }
  void Shift(int64_t offset_ms) { offset_ms_ = offset_ms; }

 private:
  runtime::SystemClock system_;
  std::atomic<int64_t> offset_ms_{0};
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string IsoUtc(int64_t ms) {
  time_t seconds = static_cast<time_t>(ms / 1000);
  tm utc{};
  gmtime_r(&seconds, &utc);
  char text[80];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return text;
}

double Percentile(std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t at = static_cast<size_t>(p * (sorted.size() - 1));
  return static_cast<double>(sorted[at]);
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
    else if (arg == "--timers") options.timers = std::atoi(next().c_str());
    else if (arg == "--window-ms") options.window_ms = std::atoll(next().c_str());
    else if (arg == "--workers") options.workers = std::max(1, std::atoi(next().c_str()));
    else if (arg == "--threads") options.threads = std::max(1, std::atoi(next().c_str()));
    else if (arg == "--batch") options.batch = std::max(1, std::atoi(next().c_str()));
    else if (arg == "--period-ms") options.period_ms = std::atoll(next().c_str());
    else if (arg == "--batched") options.batched = true;
    else if (arg == "--seed-threads") options.seed_threads = std::max(1, std::atoi(next().c_str()));
    else {
      std::fprintf(stderr,
                   "usage: zgt_timer_lag_bench [--backend sqlite|postgres] [--url URL]\n"
                   "         [--timers N] [--window-ms W] [--workers K] [--threads T]\n"
                   "         [--batch B] [--period-ms P] [--batched] [--seed-threads S]\n");
      return 2;
    }
  }
  dsl::CompileResult compiled = dsl::Compile({dsl::SourceFile{
      "tests/faults/workflows/tick.flow",
      ReadFile(std::string(ZGT_SOURCE_DIR) + "/tests/faults/workflows/tick.flow")}});
  if (!compiled.ok() || compiled.workflows.empty()) {
    std::fprintf(stderr, "tick.flow did not compile\n");
    return 1;
  }

  // Opens the store (again); SQLite with synchronous FULL unless `seeding`.
  std::unique_ptr<testing::PostgresServer> server;
  std::filesystem::path temp;
  std::string sqlite_path;
  if (options.backend == "sqlite") {
    temp = std::filesystem::temp_directory_path() / ("zgt-timer-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(temp);
    sqlite_path = (temp / "zgtflow.db").string();
  } else if (options.backend == "postgres") {
    if (options.url.empty()) {
      server = std::make_unique<testing::PostgresServer>(/*durable=*/true);
      if (!server->ok()) {
        std::fprintf(stderr, "postgres server: %s\n", server->error().c_str());
        return 1;
      }
      options.url = server->CreateDatabase("timer_bench");
    }
  } else {
    std::fprintf(stderr, "unknown backend %s\n", options.backend.c_str());
    return 2;
  }
  auto open = [&](bool seeding) -> std::unique_ptr<store::Store> {
    if (options.backend == "sqlite") {
      store::SqliteOptions sqlite;
      sqlite.synchronous_full = !seeding;
      auto opened = store::SqliteStore::Open(sqlite_path, sqlite);
      if (!opened.ok()) {
        std::fprintf(stderr, "sqlite: %s\n", opened.status().message().c_str());
        std::exit(1);
      }
      return std::move(opened).value();
    }
    auto opened = store::OpenPostgresStore(options.url);
    if (!opened.ok()) {
      std::fprintf(stderr, "postgres: %s\n", opened.status().message().c_str());
      std::exit(1);
    }
    return std::move(opened).value();
  };

  ShiftedClock clock;
  // Virtual start of the window: a day ahead of the wall clock.
  const int64_t window_start = clock.NowMs() + 86400000;

  // ---- seeding ----
  const auto seed_begin = std::chrono::steady_clock::now();
  {
    std::unique_ptr<store::Store> db = open(true);
    runtime::DefinitionRegistry registry(db.get());
    if (Status s = registry.Deploy({compiled.workflows.front()}, clock.NowMs()); !s.ok()) {
      std::fprintf(stderr, "deploy: %s\n", s.message().c_str());
      return 1;
    }
    runtime::CommitBatcher batcher(db.get());
    runtime::CaseRunner::Options runner_options;
    runner_options.batcher = &batcher;
    runtime::CaseRunner runner(db.get(), &registry, &clock, nullptr, runner_options);
    std::atomic<int> next{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < options.seed_threads; ++t) {
      threads.emplace_back([&] {
        for (int i = next++; i < options.timers; i = next++) {
          const int64_t due = window_start + options.window_ms * i / options.timers;
          const std::string data = R"({"due": {"$datetime": ")" + IsoUtc(due) + "\"}}";
          auto created = runner.Create("tick", "management_unit", "", data, {}, "",
                                       "t" + std::to_string(i));
          if (!created.ok() || !created->accepted()) {
            if (failures++ == 0) {
              std::fprintf(stderr, "seed: %s\n",
                           created.ok() ? created->rejection->message.c_str()
                                        : created.status().message().c_str());
            }
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    if (failures > 0) return 1;
    auto pending = db->CountTimers();
    if (!pending.ok() || *pending != options.timers) {
      std::fprintf(stderr, "seeded %lld timers, expected %d\n",
                   pending.ok() ? static_cast<long long>(*pending) : -1LL, options.timers);
      return 1;
    }
  }
  const double seed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - seed_begin).count();

  // ---- firing ----
  std::unique_ptr<store::Store> db = open(false);
  runtime::DefinitionRegistry registry(db.get());
  if (Status s = registry.Deploy({compiled.workflows.front()}, clock.NowMs()); !s.ok()) {
    std::fprintf(stderr, "deploy: %s\n", s.message().c_str());
    return 1;
  }
  // --batched runs what serve runs: the batcher for blocking steps, the
  // pipeline for the timer firings.
  runtime::CommitBatcher batcher(db.get());
  runtime::CommitPipeline pipeline(db.get());
  runtime::CaseRunner::Options runner_options;
  if (options.batched) {
    runner_options.batcher = &batcher;
    runner_options.pipeline = &pipeline;
  }
  runtime::CaseRunner runner(db.get(), &registry, &clock, nullptr, runner_options);

  std::mutex mutex;
  std::vector<int64_t> lags;
  lags.reserve(options.timers);
  int64_t last_fire = 0;
  std::atomic<int> fired{0};
  std::vector<std::unique_ptr<runtime::TimerWorker>> workers;
  for (int w = 0; w < options.workers; ++w) {
    auto worker = std::make_unique<runtime::TimerWorker>(db.get(), &runner, &clock,
                                                         "bench-" + std::to_string(w), 30000);
    worker->SetFiringThreads(options.threads);
    worker->SetFiredObserver([&](const store::TimerRow& timer, int64_t at_ms) {
      std::lock_guard<std::mutex> lock(mutex);
      lags.push_back(at_ms - timer.due_at_ms);
      last_fire = std::max(last_fire, at_ms);
      ++fired;
    });
    workers.push_back(std::move(worker));
  }
  // The window opens 1 s after the workers start.
  clock.Shift(window_start - 1000 - runtime::SystemClock().NowMs());
  for (auto& worker : workers) worker->Start(options.period_ms, options.batch);
  const auto fire_begin = std::chrono::steady_clock::now();
  const double limit_s = options.window_ms / 1000.0 + 600;
  while (fired.load() < options.timers &&
         std::chrono::duration<double>(std::chrono::steady_clock::now() - fire_begin).count() <
             limit_s) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& worker : workers) worker->Stop();

  std::vector<int64_t> sorted;
  {
    std::lock_guard<std::mutex> lock(mutex);
    sorted = lags;
  }
  std::sort(sorted.begin(), sorted.end());
  const double span_s = (last_fire - window_start) / 1000.0;
  const double rate = span_s > 0 ? sorted.size() / span_s : 0;
  std::printf(
      "TIMER-LAG %s: timers=%d window_s=%.1f workers=%d threads=%d batch=%d batched=%s "
      "fired=%zu lag_p50_ms=%.0f lag_p99_ms=%.0f lag_max_ms=%.0f timers_per_s=%.0f "
      "(seeded in %.1f s)\n",
      options.backend.c_str(), options.timers, options.window_ms / 1000.0, options.workers,
      options.threads, options.batch, options.batched ? "yes" : "no", sorted.size(),
      Percentile(sorted, 0.50), Percentile(sorted, 0.99),
      sorted.empty() ? 0.0 : static_cast<double>(sorted.back()), rate, seed_s);
  workers.clear();
  db.reset();
  if (!temp.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temp, ignored);
  }
  return static_cast<int>(sorted.size()) == options.timers ? 0 : 1;
}

}  // namespace
}  // namespace zgtflow::bench

int main(int argc, char** argv) { return zgtflow::bench::Main(argc, argv); }
