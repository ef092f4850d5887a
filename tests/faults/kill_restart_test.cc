// Fault test (a): `zgtflow serve` on SQLite is killed with SIGKILL, three
// times, while 8 clients create cases and send events and the cases' timers
// fall due; after a restart every acknowledged event is in the history
// exactly once, every due timer fired exactly once (those due while the
// server was down too), and `zgtflow audit verify` passes.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/faults/fault_support.h"
#include "tests/support/serve_node.h"

namespace zgtflow::testing {
namespace {

constexpr int kClients = 8;
constexpr int kRounds = 3;

TEST_CASE("after kill -9 under 8 clients and falling timers nothing acknowledged is lost or doubled",
          "[faults]") {
  TempDir dir;
  const std::string db = "sqlite:" + dir.File("z.db");
  const std::vector<std::string> args = {"--db", db, "--workflows", "tests/faults/workflows",
                                         "--node", "solo", "--timer-lease-ms", "2000"};
  const std::string token = IssueToken(db);
  REQUIRE(!token.empty());
  Ledger ledger;
  std::atomic<int64_t> errors{0};
  for (int round = 0; round < kRounds; ++round) {
    ServeNode serve(args, dir.File("out" + std::to_string(round)));
    int port = serve.WaitForPort();
    INFO(serve.Output());
    REQUIRE(port > 0);
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    ClientOptions options;
    options.port = port;
    options.token = token;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back(RunClient, options, &ledger, &stop, &errors, 100 * round + c);
    }
    // Long enough for the first cases' timers (300–1500 ms ahead) to fire.
    const int64_t target = ledger.acked() + 400;
    for (int i = 0; i < 1000 && ledger.acked() < target; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    CHECK(serve.Signal(SIGKILL) == 128 + SIGKILL);
    stop = true;
    for (std::thread& client : clients) client.join();
  }
  REQUIRE(ledger.acked() >= kRounds * 400);

  // The last restart fires what fell due while the server was down.
  {
    ServeNode serve(args, dir.File("out-final"));
    int port = serve.WaitForPort();
    INFO(serve.Output());
    REQUIRE(port > 0);
    auto opened = store::OpenStore(db);
    REQUIRE(opened.ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(1600));  // Every due time has passed.
    CHECK(WaitForNoTimers(*opened.value(), 60) == 0);
    CHECK(serve.Signal(SIGTERM) == 0);
  }

  Run audit = RunZgtflow({"audit", "verify", "--db", db});
  INFO(audit.out << audit.err);
  CHECK(audit.status == 0);

  auto opened = store::OpenStore(db);
  REQUIRE(opened.ok());
  Tally tally = Check(*opened.value(), ledger, WallMs(), kRounds * kClients);
  std::cout << "FAULTS kill9-sqlite: rounds=" << kRounds << " clients=" << kClients << " "
            << tally.Line() << std::endl;
  CHECK(tally.lost == 0);
  CHECK(tally.duplicated == 0);
  CHECK(tally.timers_due == tally.cases);
  CHECK(tally.timers_fired_once == tally.timers_due);
  CHECK(tally.timers_duplicated == 0);
  CHECK(tally.timers_missing == 0);
}

}  // namespace
}  // namespace zgtflow::testing
