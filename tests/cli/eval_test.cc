// `zgtflow eval`: expressions evaluated at --at against a working-day calendar.
#include <catch2/catch.hpp>

#include "tests/cli/run_binary.h"

using namespace zgtflow::testing;

TEST_CASE("eval counts working days across the National Day holiday", "[cli]") {
  Run run = RunZgtflow({"eval", "--at", "2025-09-26T10:00:00+08:00", "now + 5 working days"});
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK(run.out == "2025-10-10T10:00:00+08:00\n");
  CHECK(run.err.empty());
}

TEST_CASE("eval finds the calendars from outside the project root", "[cli]") {
  TempDir dir;
  Run run = RunZgtflow({"eval", "--at", "2025-09-26T10:00:00+08:00", "now + 5 working days"},
                       dir.path());
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK(run.out == "2025-10-10T10:00:00+08:00\n");
}

TEST_CASE("eval adds calendar months with the day clamped to the month's end", "[cli]") {
  Run run = RunZgtflow({"eval", "--at", "2026-01-31T09:00:00+08:00", "now + 1 month"});
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK(run.out == "2026-02-28T09:00:00+08:00\n");
}

TEST_CASE("eval fails cleanly for a date outside the calendar's years", "[cli]") {
  Run run = RunZgtflow({"eval", "--at", "2027-03-01T10:00:00+08:00", "now + 5 working days"});
  CHECK(run.status == 1);
  CHECK(run.out.empty());
  CHECK(Contains(run.err, "error"));
}

TEST_CASE("eval reports a syntax error in the expression and exits 1", "[cli]") {
  Run run = RunZgtflow({"eval", "--at", "2025-09-26T10:00:00+08:00", "now + + 5"});
  CHECK(run.status == 1);
  CHECK(run.out.empty());
  CHECK(Contains(run.err, "error:"));
}

TEST_CASE("eval rejects a malformed --at and an unknown calendar", "[cli]") {
  Run bad_at = RunZgtflow({"eval", "--at", "yesterday", "now"});
  CHECK(bad_at.status == 1);
  CHECK(Contains(bad_at.err, "--at"));
  Run bad_calendar = RunZgtflow({"eval", "--calendar", "mars", "now"});
  CHECK(bad_calendar.status == 1);
  CHECK(Contains(bad_calendar.err, "calendar 'mars' not found"));
}
