// Test support for the fault tests: clients that drive `zgtflow serve` over
// HTTP with the tests/faults/workflows/tick.flow workflow (create a case whose
// timer falls due shortly, then poke it) and remember what was acknowledged,
// and the check of the store afterwards: every acknowledged event in the
// history exactly once, every due timer fired exactly once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "engine/runtime/json_codec.h"
#include "engine/store/store.h"
#include "tests/cli/run_binary.h"

namespace zgtflow::testing {

// A bearer token for role management_unit in the store at `db`
// (`zgtflow token issue`); "" on failure.
inline std::string IssueToken(const std::string& db) {
  Run run = RunZgtflow({"token", "issue", "--role", "management_unit", "--db", db});
  if (run.status != 0) return "";
  std::string token = run.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

inline int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-11-27T18:40:00.123Z".
inline std::string IsoUtc(int64_t ms) {
  time_t seconds = static_cast<time_t>(ms / 1000);
  tm utc{};
  gmtime_r(&seconds, &utc);
  char text[80];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return text;
}

// What the clients were told: per case, whether its start was acknowledged,
// how many pokes were, and when its timer is due.
class Ledger {
 public:
  struct Case {
    int64_t due_ms = 0;
    int pokes_acked = 0;
  };
  void Created(const std::string& id, int64_t due_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    cases_[id].due_ms = due_ms;
    ++acked_;
  }
  void Poked(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++cases_[id].pokes_acked;
    ++acked_;
  }
  int64_t acked() const { return acked_.load(); }
  std::map<std::string, Case> Cases() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cases_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Case> cases_;
  std::atomic<int64_t> acked_{0};
};

// One client: until `stop` (or its first transport failure when
// `stop_on_error`), creates a tick case due `due_min_ms`..`due_max_ms` ahead
// and pokes it `pokes` times; 5xx answers are counted and, unless
// stop_on_error, the client carries on (the server may be reconnecting).
struct ClientOptions {
  int port = 0;
  int pokes = 3;
  int64_t due_min_ms = 300;
  int64_t due_max_ms = 1500;
  bool stop_on_error = true;
  int64_t fixed_due_ms = 0;  // When set, every case is due at this instant instead.
  std::string token;         // Bearer token of a management_unit principal.
};

inline void RunClient(const ClientOptions& options, Ledger* ledger, std::atomic<bool>* stop,
                      std::atomic<int64_t>* errors, unsigned seed) {
  httplib::Client client("127.0.0.1", options.port);
  client.set_bearer_token_auth(options.token);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(10, 0);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int64_t> ahead(options.due_min_ms, options.due_max_ms);
  auto failed = [&](const httplib::Result& res, int expected) {
    if (res && res->status == expected) return false;
    ++*errors;
    return true;
  };
  while (!*stop) {
    const int64_t due = options.fixed_due_ms > 0 ? options.fixed_due_ms : WallMs() + ahead(random);
    nlohmann::json create = {{"workflow", "tick"},
                             {"role", "management_unit"},
                             {"data", {{"due", {{"$datetime", IsoUtc(due)}}}}}};
    auto created = client.Post("/api/cases", create.dump(), "application/json");
    if (failed(created, 201)) {
      if (options.stop_on_error) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    std::string id = nlohmann::json::parse(created->body)["id"].get<std::string>();
    ledger->Created(id, due);
    for (int i = 0; i < options.pokes && !*stop; ++i) {
      nlohmann::json poke = {{"event", "poke"}, {"role", "management_unit"}};
      auto res = client.Post(("/api/cases/" + id + "/events").c_str(), poke.dump(),
                             "application/json");
      if (failed(res, 200)) {
        if (options.stop_on_error) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      ledger->Poked(id);
    }
  }
}

// What the store holds against the ledger.
struct Tally {
  int64_t cases = 0;
  int64_t acknowledged = 0;   // Starts + pokes acknowledged.
  int64_t lost = 0;           // Acknowledged but not in the history.
  int64_t unacked = 0;        // In the history, not acknowledged (in flight at a kill).
  int64_t duplicated = 0;     // History entries beyond acknowledged + in flight (always 0).
  int64_t timers_due = 0;     // Cases whose timer is due by `now_ms`.
  int64_t timers_fired_once = 0;
  int64_t timers_duplicated = 0;
  int64_t timers_missing = 0;
  std::string Line() const {
    return "cases=" + std::to_string(cases) + " acknowledged=" + std::to_string(acknowledged) +
           " lost=" + std::to_string(lost) + " duplicated=" + std::to_string(duplicated) +
           " unacked_committed=" + std::to_string(unacked) + " timers_due=" +
           std::to_string(timers_due) + " timers_fired_once=" + std::to_string(timers_fired_once) +
           " timers_duplicated=" + std::to_string(timers_duplicated) +
           " timers_missing=" + std::to_string(timers_missing);
  }
};

// `in_flight` bounds the entries that may be committed without an
// acknowledgement (one request per client per kill).
inline Tally Check(store::Store& db, Ledger& ledger, int64_t now_ms, int64_t in_flight) {
  Tally tally;
  for (const auto& [id, c] : ledger.Cases()) {
    ++tally.cases;
    tally.acknowledged += 1 + c.pokes_acked;
    auto history = db.GetHistory(id);
    REQUIRE(history.ok());
    int starts = 0, pokes = 0, fires = 0;
    for (const store::HistoryRow& row : *history) {
      auto input = runtime::DecodeInput(row.input);
      REQUIRE(input.ok());
      if (input->kind == core::InputKind::kStart) {
        ++starts;
      } else if (input->kind == core::InputKind::kTimerFired) {
        ++fires;
      } else if (input->event == "poke") {
        ++pokes;
      }
    }
    if (starts == 0) tally.lost += 1 + c.pokes_acked;
    tally.duplicated += starts > 1 ? starts - 1 : 0;
    if (pokes < c.pokes_acked) tally.lost += c.pokes_acked - pokes;
    if (pokes > c.pokes_acked) tally.unacked += pokes - c.pokes_acked;
    if (c.due_ms <= now_ms) {
      ++tally.timers_due;
      if (fires == 1) ++tally.timers_fired_once;
      if (fires > 1) ++tally.timers_duplicated;
      if (fires == 0) ++tally.timers_missing;
    }
  }
  // More unacknowledged entries than requests could have been in flight
  // would mean an event applied twice.
  if (tally.unacked > in_flight) tally.duplicated += tally.unacked - in_flight;
  return tally;
}

// Waits (up to `seconds`) until the store has no pending timer.
inline int64_t WaitForNoTimers(store::Store& db, int seconds) {
  int64_t left = -1;
  for (int i = 0; i < seconds * 10; ++i) {
    auto count = db.CountTimers();
    if (count.ok()) {
      left = *count;
      if (left == 0) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return left;
}

}  // namespace zgtflow::testing
