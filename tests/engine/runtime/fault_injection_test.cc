// Store fault injection (issue 7, docs/reliability.md): every write of a
// rectification's life — create, a timer firing, submit, accept — re-run with
// a failure injected at each database call it makes. Afterwards the store is
// either exactly as before the write (untouched) or exactly as after the same
// write without faults (fully stepped): case rows, history (whose chain still
// verifies), timers, outbox and follow-ups. SQLite: every statement, through
// the test-only hook of sqlite_statement.h. PostgreSQL: every (table,
// INSERT/UPDATE/DELETE) statement and the COMMIT, through triggers that raise.
#include <catch2/catch.hpp>

#include <functional>
#include <iostream>
#include <sstream>

#include "engine/runtime/audit_chain.h"
#include "engine/store/open/open_store.h"
#include "engine/store/sqlite/sqlite_statement.h"
#include "tests/cli/run_binary.h"
#include "tests/engine/runtime/runtime_fixture.h"
#include "tests/support/postgres_server.h"

namespace zgtflow::runtime {
namespace {

using testing::At;

// Everything the store holds about every case, minus claims (a failed timer
// firing may leave its claim until the lease ends, by design) and outbox ids
// (a PostgreSQL sequence is not rolled back).
std::string Dump(store::Store* s) {
  std::ostringstream out;
  auto ids = s->ListCaseIds();
  REQUIRE(ids.ok());
  for (const std::string& id : *ids) {
    auto row = s->GetCase(id);
    REQUIRE(row.ok());
    out << "case " << row->id << " " << row->workflow << " " << row->version << " "
        << store::CaseStatusText(row->status) << " " << row->state << " " << row->snapshot << " "
        << row->data << " " << row->parties << " " << row->parent_id << " rev " << row->revision
        << " " << row->created_at_ms << " " << row->updated_at_ms << " "
        << row->next_due_ms.value_or(-1) << "\n";
    auto history = s->GetHistory(id);
    REQUIRE(history.ok());
    for (const store::HistoryRow& h : *history) {
      out << "  history " << h.seq << " " << h.input << " " << h.actor << " " << h.effects << " "
          << h.at_ms << " " << h.prev_hash << " " << h.hash << "\n";
    }
    // The chain verifies whatever happened, against the row's revision.
    Status chain = VerifyChain(id, *history, row->revision);
    INFO(chain.message());
    CHECK(chain.ok());
    auto timers = s->GetTimers(id);
    REQUIRE(timers.ok());
    for (const store::TimerRow& t : *timers) {
      out << "  timer " << t.timer_id << " " << t.due_at_ms << " " << t.state << "\n";
    }
    auto outbox = s->GetOutbox(id);
    REQUIRE(outbox.ok());
    for (const store::OutboxRow& o : *outbox) {
      out << "  outbox " << o.adapter << " " << o.payload << " " << o.idempotency_key << " "
          << o.attempts << " " << store::OutboxStatusText(o.status) << "\n";
    }
    auto follow_ups = s->GetFollowUps(id);
    REQUIRE(follow_ups.ok());
    for (const store::FollowUpRow& f : *follow_ups) {
      out << "  follow-up " << f.key << " " << f.kind << " " << f.target << " " << f.input << "\n";
    }
  }
  return out.str();
}

// One write of the rectification's life; ok when it was applied.
struct Write {
  const char* name;
  std::function<Status(testing::Runtime&)> run;
};

Status Applied(const Result<CaseView>& view) {
  if (!view.ok()) return view.status();
  if (!view->accepted()) return Status::Internal("refused: " + view->rejection->code);
  return Status::Ok();
}

std::vector<Write> Writes() {
  return {
      {"create (case, history, 3 timers, outbox)",
       [](testing::Runtime& rt) {
         return Applied(rt.runner.Create("rectification", "management_unit", "管理单位",
                                         R"({"subject": "平台稳定性不达标"})",
                                         {{"project_company", {"某项目公司"}}}, "", "rect-1"));
       }},
      {"timer firing (due - 14 days reminder: outbox, timer deleted)",
       [](testing::Runtime& rt) -> Status {
         rt.clock.Set(At("2026-04-18T10:00:00+08:00"));
         Result<int> fired = rt.timers.RunOnce(1);
         if (!fired.ok()) return fired.status();
         return *fired == 1 ? Status::Ok() : Status::Internal("no timer fired");
       }},
      {"submit (2 timers cancelled)",
       [](testing::Runtime& rt) {
         return Applied(rt.runner.Submit(
             "rect-1", core::Input::Event("submit", "project_company")));
       }},
      {"accept (final state, outbox)",
       [](testing::Runtime& rt) {
         return Applied(rt.runner.Submit(
             "rect-1", core::Input::Event("accept", "management_unit")));
       }},
  };
}

// How a backend fails its database calls; `point` counts from 0.
class Faults {
 public:
  virtual ~Faults() = default;
  virtual std::unique_ptr<store::Store> FreshStore() = 0;
  // Makes fault point `point` fail from now on; false when there is no such point.
  virtual bool Arm(int point) = 0;
  // Stops failing; true when the armed point was reached (its call failed).
  virtual bool Disarm() = 0;
  virtual std::string Describe() const = 0;
  // True when points are the calls in order (an unreached point means the
  // write made fewer calls: it is the last); false when they are kinds of
  // call, some of which a write may not make.
  virtual bool Ordinal() const = 0;
};

struct Counts {
  int points = 0;      // Fault points reached, each failed once.
  int untouched = 0;   // … after which the store was as before the write.
  int stepped = 0;     // … after which it was as after the write (a retry succeeded).
};

// Runs every write with every fault point of `faults`; checks the outcome.
std::vector<Counts> RunAll(Faults& faults, const std::string& backend) {
  std::vector<Write> writes = Writes();
  std::vector<Counts> counts(writes.size());
  for (size_t w = 0; w < writes.size(); ++w) {
    for (int point = 0;; ++point) {
      std::unique_ptr<store::Store> store = faults.FreshStore();
      REQUIRE(store != nullptr);
      testing::Runtime rt(store.get());
      for (size_t before = 0; before < w; ++before) {
        Status done = writes[before].run(rt);
        INFO(done.message());
        REQUIRE(done.ok());
      }
      std::string before = Dump(rt.store);
      if (!faults.Arm(point)) break;
      Status status = writes[w].run(rt);
      bool reached = faults.Disarm();
      if (!reached) {
        // The write made no such call, so it ran whole.
        INFO(writes[w].name << ": " << status.message());
        CHECK(status.ok());
        if (faults.Ordinal()) break;
        continue;
      }
      std::string after = Dump(rt.store);
      INFO(backend << " " << writes[w].name << ", fault at " << faults.Describe() << ": "
                   << status.message());
      ++counts[w].points;
      if (status.ok()) {
        // The runtime retried: the store must hold the whole step, as a clean run does.
        std::unique_ptr<store::Store> clean_store = faults.FreshStore();
        testing::Runtime clean(clean_store.get());
        for (size_t i = 0; i <= w; ++i) REQUIRE(writes[i].run(clean).ok());
        CHECK(after == Dump(clean.store));
        ++counts[w].stepped;
      } else {
        CHECK(after == before);
        if (after == before) ++counts[w].untouched;
      }
    }
    std::cout << "fault injection " << backend << ": " << writes[w].name << ": "
              << counts[w].points << " fault points, " << counts[w].untouched
              << " left the case untouched, " << counts[w].stepped
              << " fully stepped (retried), 0 half-written\n";
  }
  return counts;
}

// ---- SQLite: the statement hook ----

class SqliteFaults : public Faults {
 public:
  std::unique_ptr<store::Store> FreshStore() override {
    dirs_.push_back(std::make_unique<testing::TempDir>());
    auto opened = store::OpenStore("sqlite:" + dirs_.back()->File("faults.db"));
    if (!opened.ok()) return nullptr;
    return std::move(opened).value();
  }
  bool Arm(int point) override {
    target_ = point;
    seen_ = 0;
    reached_ = false;
    store::sqlite::SetStatementFaultHookForTesting(&SqliteFaults::Hook, this);
    return true;  // The number of statements is known only once run.
  }
  bool Disarm() override {
    store::sqlite::SetStatementFaultHookForTesting(nullptr, nullptr);
    return reached_;
  }
  std::string Describe() const override {
    return "statement " + std::to_string(target_ + 1) + " (" + failed_sql_ + ")";
  }
  bool Ordinal() const override { return true; }

 private:
  static bool Hook(void* arg, const char* sql) {
    auto* self = static_cast<SqliteFaults*>(arg);
    if (self->seen_++ != self->target_) return false;
    self->reached_ = true;
    self->failed_sql_ = std::string(sql).substr(0, 60);
    return true;
  }

  std::vector<std::unique_ptr<testing::TempDir>> dirs_;
  int target_ = 0;
  int seen_ = 0;
  bool reached_ = false;
  std::string failed_sql_;
};

TEST_CASE("a failure at any SQLite statement of a step leaves the case untouched or fully stepped",
          "[runtime]") {
  SqliteFaults faults;
  std::vector<Counts> counts = RunAll(faults, "sqlite");
  int points = 0;
  for (const Counts& c : counts) {
    CHECK(c.points >= 3);  // At least BEGIN, one write and COMMIT of every step.
    points += c.points;
  }
  std::cout << "fault injection sqlite: " << points << " fault points in all\n";
}

// ---- PostgreSQL: triggers that raise ----

testing::PostgresServer& Server() {
  static testing::PostgresServer server;
  return server;
}

class PostgresFaults : public Faults {
 public:
  PostgresFaults() {
    for (const char* table : {"cases", "history", "timers", "outbox", "follow_ups"}) {
      for (const char* op : {"INSERT", "UPDATE", "DELETE"}) {
        points_.push_back({std::string(op) + " " + table,
                           std::string("CREATE TRIGGER zgt_fault BEFORE ") + op + " ON " + table +
                               " FOR EACH ROW EXECUTE FUNCTION zgt_fault()",
                           table});
      }
    }
    points_.push_back({"COMMIT (deferred trigger on cases)",
                       "CREATE CONSTRAINT TRIGGER zgt_fault AFTER INSERT OR UPDATE ON cases"
                       " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zgt_fault()",
                       "cases"});
  }

  bool ok() {
    if (!Server().ok()) return false;
    if (url_.empty()) url_ = Server().CreateDatabase("faults");
    return !url_.empty();
  }

  std::unique_ptr<store::Store> FreshStore() override {
    auto opened = store::OpenStore(url_);
    if (!opened.ok()) return nullptr;
    // The schema exists now (migrations ran at open): empty it.
    if (!Psql("TRUNCATE definitions, cases, history, timers, outbox, follow_ups RESTART IDENTITY CASCADE;"
              "CREATE SEQUENCE IF NOT EXISTS zgt_fault_hits;"
              "CREATE OR REPLACE FUNCTION zgt_fault() RETURNS trigger LANGUAGE plpgsql AS $f$"
              " BEGIN PERFORM nextval('zgt_fault_hits');"
              " RAISE EXCEPTION 'injected fault on % %', TG_OP, TG_TABLE_NAME; END $f$;")) {
      return nullptr;
    }
    return std::move(opened).value();
  }

  bool Arm(int point) override {
    if (point >= static_cast<int>(points_.size())) return false;
    armed_ = point;
    hits_before_ = Hits();
    return Psql(points_[point].create + ";");
  }

  bool Disarm() override {
    Psql("DROP TRIGGER IF EXISTS zgt_fault ON " + points_[armed_].table + ";");
    return Hits() > hits_before_ + 1;  // Hits() itself takes one number.
  }

  std::string Describe() const override { return points_[armed_].name; }
  bool Ordinal() const override { return false; }

 private:
  struct Point {
    std::string name;
    std::string create;
    std::string table;
  };

  bool Psql(const std::string& sql) {
    std::optional<std::string> out = Server().Psql("faults", sql);
    INFO(sql);
    CHECK(out.has_value());
    return out.has_value();
  }

  int64_t Hits() {
    std::optional<std::string> out = Server().Psql("faults", "SELECT nextval('zgt_fault_hits')");
    REQUIRE(out.has_value());
    return std::stoll(*out);
  }

  std::vector<Point> points_;
  std::string url_;
  int armed_ = 0;
  int64_t hits_before_ = 0;
};

TEST_CASE("a failure at any PostgreSQL write or COMMIT of a step leaves the case untouched or "
          "fully stepped",
          "[runtime]") {
  PostgresFaults faults;
  INFO(Server().error());
  REQUIRE(faults.ok());
  std::vector<Counts> counts = RunAll(faults, "postgresql");
  int points = 0;
  for (const Counts& c : counts) {
    CHECK(c.points >= 2);  // At least one write and the COMMIT of every step.
    points += c.points;
  }
  std::cout << "fault injection postgresql: " << points << " fault points in all\n";
}

}  // namespace
}  // namespace zgtflow::runtime
