// `zgtflow audit verify --db sqlite:FILE` on a database the runtime wrote:
// exit 0 while every chain is intact, 1 after an entry is edited or deleted.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

// Writes a few cases into a fresh SQLite file through the runtime.
void FillDatabase(const std::string& path) {
  auto opened = store::OpenStore("sqlite:" + path);
  REQUIRE(opened.ok());
  testing::Runtime rt(opened.value().get());
  auto rect = rt.runner.Create("rectification", "management_unit", "",
                               R"({"subject": "平台稳定性不达标"})");
  REQUIRE(rect.ok());
  REQUIRE(rect->accepted());
  REQUIRE(rt.runner.Submit(rect->row.id, core::Input::Event("submit", "project_company"))->accepted());
  auto assessment = rt.runner.Create("annual_assessment", "management_unit", "", R"({"year": 2025})");
  REQUIRE(assessment.ok());
  rt.clock.Set(testing::At("2026-06-01T09:00:00+08:00"));
  REQUIRE(rt.timers.RunOnce(100).ok());
}

void Execute(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  CHECK(sqlite3_changes(db) == 1);
  sqlite3_close(db);
  INFO(message);
  REQUIRE(rc == SQLITE_OK);
}

TEST_CASE("audit verify exits 0 on a clean SQLite database and 1 after an edit", "[runtime]") {
  testing::TempDir dir;
  const std::string path = dir.File("zgtflow.db");
  FillDatabase(path);

  auto clean = testing::RunZgtflow({"audit", "verify", "--db", "sqlite:" + path});
  INFO(clean.out + clean.err);
  CHECK(clean.status == 0);
  CHECK(testing::Contains(clean.out, "ok: 2 cases"));

  auto rect_id = [&] {
    auto opened = store::OpenStore("sqlite:" + path);
    REQUIRE(opened.ok());
    auto cases = opened.value()->ListCases(store::CaseFilter{"rectification", "", "", {}, 0, 0, 0});
    REQUIRE(cases.ok());
    REQUIRE(cases->size() == 1);
    return cases->front().id;
  }();
  Execute(path, "UPDATE history SET actor = 'management_unit' WHERE case_id = '" + rect_id +
                    "' AND seq = 2");
  auto edited = testing::RunZgtflow({"audit", "verify", "--db", "sqlite:" + path});
  INFO(edited.out + edited.err);
  CHECK(edited.status == 1);
  CHECK(testing::Contains(edited.err, "case " + rect_id + " seq 2"));
  CHECK(testing::Contains(edited.out, "1 of 2 cases"));
}

TEST_CASE("audit verify exits 1 when a case's last history entry is deleted", "[runtime]") {
  testing::TempDir dir;
  const std::string path = dir.File("zgtflow.db");
  FillDatabase(path);
  Execute(path, "DELETE FROM history WHERE seq = 2 AND case_id LIKE 'rectification-%'");
  auto run = testing::RunZgtflow({"audit", "verify", "--db", "sqlite:" + path});
  INFO(run.out + run.err);
  CHECK(run.status == 1);
  CHECK(testing::Contains(run.err, "deleted"));
}

TEST_CASE("audit verify of a database file that does not exist fails", "[runtime]") {
  testing::TempDir dir;
  auto run = testing::RunZgtflow({"audit", "verify", "--db", "sqlite:" + dir.File("none.db")});
  CHECK(run.status == 1);
  CHECK(testing::Contains(run.err, "no database file"));
}

}  // namespace
}  // namespace zgtflow::runtime
