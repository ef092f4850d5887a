// PostgresStore against the Store conformance suite, on a real server started
// by the test itself, plus what only PostgreSQL has: several nodes claiming
// from one database, restarts of the server, migrations at open.
#include "engine/store/postgres/postgres_store.h"

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "engine/store/postgres/batch_statement_sql.h"
#include "engine/store/postgres/migrations.h"
#include "tests/engine/store/store_conformance.h"
#include "tests/support/postgres_server.h"

namespace {

using zgtflow::StatusCode;
using zgtflow::store::OpenPostgresStore;
using zgtflow::store::Store;
using zgtflow::testing::PostgresServer;

// One server for the whole test process (started on first use, stopped at
// exit); every test case gets its own database or an emptied one.
PostgresServer& Server() {
  static PostgresServer server;
  return server;
}

std::unique_ptr<Store> OpenOrNull(const std::string& url) {
  auto store = OpenPostgresStore(url);
  if (!store.ok()) {
    UNSCOPED_INFO("OpenPostgresStore: " << store.status().message());
    return nullptr;
  }
  return std::move(store).value();
}

// The conformance factory: the server's own "postgres" database for the
// suite, emptied for each case (TRUNCATE is far faster than CREATE DATABASE,
// and ctest starts a server per test case).
std::unique_ptr<Store> MakeFreshPostgresStore() {
  PostgresServer& server = Server();
  if (!server.ok()) {
    UNSCOPED_INFO(server.error());
    return nullptr;
  }
  std::unique_ptr<Store> store = OpenOrNull(server.Url("postgres"));
  if (store == nullptr) return nullptr;
  if (!server.Psql("postgres",
                   "TRUNCATE definitions, cases, history, timers, outbox, follow_ups, delivery_attempts RESTART IDENTITY")) {
    UNSCOPED_INFO("TRUNCATE failed");
    return nullptr;
  }
  return store;
}

// A fresh database named `db` for a PostgreSQL-only test; fails the test when
// the server is missing.
std::string FreshDatabase(const std::string& db) {
  PostgresServer& server = Server();
  INFO(server.error());
  REQUIRE(server.ok());
  std::string url = server.CreateDatabase(db);
  REQUIRE_FALSE(url.empty());
  return url;
}

std::unique_ptr<Store> MustOpen(const std::string& url) {
  auto store = OpenPostgresStore(url);
  INFO(store.status().message());
  REQUIRE(store.ok());
  return std::move(store).value();
}

// A case with `timers` timers due at 1000 + i.
void CreateCaseWithTimers(Store& store, const std::string& id, int timers) {
  auto commit = zgtflow::store::conformance::Create(id, 100);
  for (int i = 0; i < timers; ++i) {
    zgtflow::store::TimerRow timer;
    timer.timer_id = static_cast<uint32_t>(i + 1);
    timer.due_at_ms = 1000 + i;
    timer.state = "rectifying";
    commit.add_timers.push_back(timer);
  }
  zgtflow::Status status = store.CommitStep(commit);
  INFO(status.message());
  REQUIRE(status.ok());
}

}  // namespace

ZGT_STORE_CONFORMANCE("postgres", MakeFreshPostgresStore)

TEST_CASE("postgres: the batch statement of every combination of parts prepares, its parameters "
          "numbered without a gap",
          "[store]") {
  using zgtflow::store::postgres::BatchParts;
  const std::string url = FreshDatabase("batch_parts");
  MustOpen(url);  // Creates the tables.
  std::set<std::string> names;
  for (int mask = 0; mask < 32; ++mask) {
    BatchParts parts;
    parts.follow_up_done = mask & 1;
    parts.timer_deletes = mask & 2;
    parts.timer_adds = mask & 4;
    parts.outbox = mask & 8;
    parts.follow_up_adds = mask & 16;
    names.insert(parts.StatementName());
    const std::string sql = zgtflow::store::postgres::BatchStatementSql(parts);
    // Numbered in the order the statement first uses them, the order the
    // store passes the columns in.
    std::set<int> numbers;
    std::vector<int> first_uses;
    for (size_t at = sql.find('$'); at != std::string::npos; at = sql.find('$', at + 1)) {
      const int number = std::stoi(sql.substr(at + 1));
      if (numbers.insert(number).second) first_uses.push_back(number);
    }
    for (size_t i = 0; i < first_uses.size(); ++i) CHECK(first_uses[i] == static_cast<int>(i) + 1);
    const int expected = 23 + (parts.timer_deletes ? 2 : 0) + (parts.timer_adds ? 4 : 0) +
                         (parts.outbox ? 8 : 0) + (parts.follow_up_adds ? 7 : 0);
    INFO(parts.StatementName() << ": " << sql);
    CHECK(static_cast<int>(numbers.size()) == expected);
    CHECK(*numbers.rbegin() == expected);
    CHECK((sql.find("fu_locked") != std::string::npos) == parts.follow_up_done);
    CHECK((sql.find("INSERT INTO outbox") != std::string::npos) == parts.outbox);
    CHECK((sql.find("INSERT INTO timers") != std::string::npos) == parts.timer_adds);
    // The server parses it and types every parameter.
    CHECK(Server().Psql("batch_parts", "PREPARE s AS " + sql).has_value());
  }
  CHECK(names.size() == 32);  // A prepared statement per combination.
}

TEST_CASE("postgres: two nodes claiming timers at once never claim the same timer", "[store]") {
  std::string url = FreshDatabase("two_nodes_claim");
  auto node_a = MustOpen(url);
  auto node_b = MustOpen(url);
  for (int c = 0; c < 10; ++c) CreateCaseWithTimers(*node_a, "case-" + std::to_string(c), 20);

  // Both nodes claim in small batches from several threads until nothing is left.
  std::vector<std::vector<std::pair<std::string, uint32_t>>> claimed(4);
  std::vector<std::string> errors(4);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Store& store = t % 2 == 0 ? *node_a : *node_b;
      std::string node = t % 2 == 0 ? "node-a" : "node-b";
      ready.fetch_add(1);
      while (ready.load() < 4) std::this_thread::yield();
      for (;;) {
        auto batch = store.ClaimDueTimers(node, 5000, 60000, 7);
        if (!batch.ok()) {
          errors[t] = batch.status().message();
          return;
        }
        if (batch->empty()) return;
        for (const auto& timer : *batch) {
          if (timer.claimed_by != node) errors[t] = "claimed_by " + timer.claimed_by;
          claimed[t].emplace_back(timer.case_id, timer.timer_id);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::pair<std::string, uint32_t>> all;
  size_t total = 0;
  for (int t = 0; t < 4; ++t) {
    INFO("thread " << t << ": " << errors[t]);
    CHECK(errors[t].empty());
    total += claimed[t].size();
    all.insert(claimed[t].begin(), claimed[t].end());
  }
  CHECK(total == 200);       // Every timer was claimed …
  CHECK(all.size() == 200);  // … and none twice.
  CHECK(node_b->ClaimDueTimers("node-b", 5000, 60000, 100)->empty());
}

TEST_CASE("postgres: a timer whose claim expired is taken over by the other node", "[store]") {
  std::string url = FreshDatabase("lease_takeover");
  auto node_a = MustOpen(url);
  auto node_b = MustOpen(url);
  CreateCaseWithTimers(*node_a, "c1", 3);

  auto first = node_a->ClaimDueTimers("node-a", 2000, 1000, 10);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 3);
  // Node a "dies" holding its claims: node b gets nothing while the lease runs …
  auto during = node_b->ClaimDueTimers("node-b", 2999, 1000, 10);
  REQUIRE(during.ok());
  CHECK(during->empty());
  // … and all of them once it has expired.
  auto after = node_b->ClaimDueTimers("node-b", 3000, 1000, 10);
  REQUIRE(after.ok());
  REQUIRE(after->size() == 3);
  for (const auto& timer : *after) {
    CHECK(timer.claimed_by == "node-b");
    CHECK(timer.claimed_until_ms == 4000);
  }
  auto seen_by_a = node_a->GetTimers("c1");
  REQUIRE(seen_by_a.ok());
  for (const auto& timer : *seen_by_a) CHECK(timer.claimed_by == "node-b");
}

TEST_CASE("postgres: the store keeps working after the server restarts", "[store]") {
  std::string url = FreshDatabase("restart");
  auto store = MustOpen(url);
  CreateCaseWithTimers(*store, "before", 1);
  // Several pooled connections, all of which the restart breaks.
  std::vector<std::thread> warm;
  for (int t = 0; t < 3; ++t) warm.emplace_back([&] { (void)store->CountTimers(); });
  for (auto& thread : warm) thread.join();

  REQUIRE(Server().Restart());

  // The first calls may fail on a dead pooled connection, as kUnavailable;
  // within a few calls a fresh connection answers.
  bool recovered = false;
  for (int attempt = 0; attempt < 20 && !recovered; ++attempt) {
    auto row = store->GetCase("before");
    if (row.ok()) {
      CHECK(row->id == "before");
      recovered = true;
    } else {
      INFO(row.status().message());
      CHECK(row.status().code() == StatusCode::kUnavailable);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  CHECK(recovered);
  // Writes work too, with the data from before the restart intact.
  CreateCaseWithTimers(*store, "after", 1);
  auto count = store->CountTimers();
  REQUIRE(count.ok());
  CHECK(*count == 2);
}

TEST_CASE("postgres: a call while the server is down is unavailable, not a crash", "[store]") {
  std::string url = FreshDatabase("down");
  auto store = MustOpen(url);
  REQUIRE(Server().Stop());
  auto row = store->GetCase("x");
  bool started = Server().Start();
  REQUIRE_FALSE(row.ok());
  CHECK(row.status().code() == StatusCode::kUnavailable);
  REQUIRE(started);
  // And opening a store on a server nobody listens on is unavailable too.
  auto nowhere = OpenPostgresStore("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2");
  REQUIRE_FALSE(nowhere.ok());
  CHECK(nowhere.status().code() == StatusCode::kUnavailable);
}

TEST_CASE("postgres: opening a migrated database again applies no migration", "[store]") {
  std::string url = FreshDatabase("migrate_twice");
  auto latest = std::to_string(zgtflow::store::postgres::Migrations().back().version);
  auto count = std::to_string(zgtflow::store::postgres::Migrations().size());
  {
    auto store = MustOpen(url);
    CreateCaseWithTimers(*store, "kept", 1);
  }
  auto before = Server().Psql("migrate_twice", "SELECT count(*), max(version) FROM schema_migrations");
  REQUIRE(before);
  CHECK(*before == count + "|" + latest + "\n");
  auto again = MustOpen(url);
  auto after = Server().Psql("migrate_twice", "SELECT count(*), max(version) FROM schema_migrations");
  REQUIRE(after);
  CHECK(*after == *before);
  auto kept = again->GetCase("kept");
  REQUIRE(kept.ok());
  CHECK(kept->revision == 1);
}

TEST_CASE("postgres: stores opened at once on a fresh database all migrate it once", "[store]") {
  std::string url = FreshDatabase("open_together");
  constexpr int kNodes = 4;
  std::vector<zgtflow::Status> results(kNodes);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n) {
    threads.emplace_back([&, n] {
      ready.fetch_add(1);
      while (ready.load() < kNodes) std::this_thread::yield();
      auto store = OpenPostgresStore(url);
      results[n] = store.ok() ? zgtflow::Status::Ok() : store.status();
    });
  }
  for (auto& thread : threads) thread.join();
  for (int n = 0; n < kNodes; ++n) {
    INFO("node " << n << ": " << results[n].message());
    CHECK(results[n].ok());
  }
  auto applied = Server().Psql("open_together", "SELECT count(*) FROM schema_migrations");
  REQUIRE(applied);
  CHECK(*applied == std::to_string(zgtflow::store::postgres::Migrations().size()) + "\n");
}

TEST_CASE("postgres: steps committed while the server restarts fail only as unavailable, then resume",
          "[store]") {
  std::string url = FreshDatabase("restart_under_load");
  auto store = MustOpen(url);
  constexpr int kThreads = 4;
  constexpr int kStepsAfterRestart = 5;
  std::vector<std::string> errors(kThreads);  // Catch2 asserts are not thread-safe.
  std::vector<int> unavailable(kThreads, 0);
  std::vector<int> landed_after(kThreads, 0);
  std::atomic<int> steps_done{0};
  std::atomic<bool> restarted{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string id = "load-" + std::to_string(t);
      // A slow thread may create its case while the server restarts: an
      // unavailable create is retried once the stored row says it did not land.
      auto create_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
      zgtflow::Status created = store->CommitStep(zgtflow::store::conformance::Create(id, 100));
      while (created.code() == StatusCode::kUnavailable &&
             std::chrono::steady_clock::now() < create_deadline) {
        ++unavailable[t];
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        auto row = store->GetCase(id);
        if (row.ok()) {
          created = zgtflow::Status();
        } else if (row.status().code() == StatusCode::kNotFound) {
          created = store->CommitStep(zgtflow::store::conformance::Create(id, 100));
        }
      }
      if (!created.ok()) {
        errors[t] = "create: " + created.message();
        return;
      }
      // Steps until a few have landed after the restart (bounded in time).
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
      while (landed_after[t] < kStepsAfterRestart && std::chrono::steady_clock::now() < deadline) {
        bool after_restart = restarted.load();
        // Re-read before every step: after an unavailable commit the stored
        // revision tells whether it landed.
        auto row = store->GetCase(id);
        zgtflow::Status status = row.ok() ? store->CommitStep(zgtflow::store::conformance::Next(
                                                *row, 1000 + row->revision))
                                          : row.status();
        if (status.ok()) {
          steps_done.fetch_add(1);
          if (after_restart) ++landed_after[t];
        } else if (status.code() == StatusCode::kUnavailable) {
          ++unavailable[t];
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } else {
          errors[t] = status.message();
          return;
        }
      }
    });
  }
  while (steps_done.load() < kThreads * 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  bool restart_ok = Server().Restart();
  restarted.store(true);
  for (auto& thread : threads) thread.join();
  REQUIRE(restart_ok);
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t << ": " << errors[t] << " (" << unavailable[t] << " calls unavailable)");
    CHECK(errors[t].empty());
    CHECK(landed_after[t] == kStepsAfterRestart);
    // Nothing half-written: the case's revision is its history's length, and
    // history seqs run without gaps.
    std::string id = "load-" + std::to_string(t);
    auto row = store->GetCase(id);
    REQUIRE(row.ok());
    auto history = store->GetHistory(id);
    REQUIRE(history.ok());
    CHECK(row->revision == static_cast<int64_t>(history->size()));
    for (size_t i = 0; i < history->size(); ++i) {
      CHECK((*history)[i].seq == static_cast<int64_t>(i + 1));
    }
  }
}

TEST_CASE("postgres: ZGT_PG_CONNECTIONS bounds the connections a store opens; a bad value is refused",
          "[store]") {
  const std::string url = FreshDatabase("slots");
  ::setenv("ZGT_PG_CONNECTIONS", "2", 1);
  auto opened = OpenPostgresStore(url);
  ::unsetenv("ZGT_PG_CONNECTIONS");
  REQUIRE(opened.ok());
  std::unique_ptr<Store> store = std::move(opened).value();
  // 8 threads reading at once: 2 connections serve them, and stay open.
  std::vector<std::thread> readers;
  std::atomic<int> answered{0};
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (store->ListCaseIds().ok()) ++answered;
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  CHECK(answered == 160);
  // (Polled: a backend leaves pg_stat_activity a moment after its client.)
  int open_connections = -1;
  for (int i = 0; i < 40 && open_connections != 2; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto counted = Server().Psql(
        "postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = 'slots'");
    REQUIRE(counted.has_value());
    open_connections = std::stoi(*counted);
  }
  CHECK(open_connections == 2);

  for (const char* bad : {"0", "-3", "lots", "4x", "100000"}) {
    ::setenv("ZGT_PG_CONNECTIONS", bad, 1);
    auto refused = OpenPostgresStore(url);
    ::unsetenv("ZGT_PG_CONNECTIONS");
    INFO(bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == StatusCode::kInvalidArgument);
    CHECK(refused.status().message().find("ZGT_PG_CONNECTIONS") != std::string::npos);
  }
}
