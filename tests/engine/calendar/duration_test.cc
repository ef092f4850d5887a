// Durations as written in the measures: parsing, the canonical text, exactness.
#include "engine/calendar/duration.h"

#include <catch2/catch.hpp>

namespace zgtflow::calendar {
namespace {

Duration D(const std::string& text) {
  Result<Duration> r = ParseDuration(text);
  INFO(text << ": " << r.status().message());
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("every written form of the durations table parses to its unit", "[calendar]") {
  CHECK(D("30 minutes") == Duration{30, DurationUnit::kMinutes});
  CHECK(D("1 minute") == Duration{1, DurationUnit::kMinutes});
  CHECK(D("1 hour") == Duration{1, DurationUnit::kHours});
  CHECK(D("12 hours") == Duration{12, DurationUnit::kHours});
  CHECK(D("half day") == Duration{1, DurationUnit::kHalfDays});
  CHECK(D("3 days") == Duration{3, DurationUnit::kDays});
  CHECK(D("1 day") == Duration{1, DurationUnit::kDays});
  CHECK(D("5 working days") == Duration{5, DurationUnit::kWorkingDays});
  CHECK(D("1 working day") == Duration{1, DurationUnit::kWorkingDays});
  CHECK(D("2 weeks") == Duration{2, DurationUnit::kWeeks});
  CHECK(D("2 months") == Duration{2, DurationUnit::kMonths});
  CHECK(D("1 month") == Duration{1, DurationUnit::kMonths});
  CHECK(D("2 quarters") == Duration{2, DurationUnit::kQuarters});
  CHECK(D("1 year") == Duration{1, DurationUnit::kYears});
  CHECK(D("  2   Months ") == Duration{2, DurationUnit::kMonths});
}

TEST_CASE("natural days mean calendar days and keep how they were written", "[calendar]") {
  const Duration d = D("3 natural days");
  CHECK(d.unit == DurationUnit::kDays);
  CHECK(d.amount == 3);
  CHECK(d.natural);
  CHECK(d == D("3 days"));
  CHECK_FALSE(D("3 days").natural);
  CHECK(FormatDuration(d) == "3 natural days");
}

TEST_CASE("a bare unit is one of it, as in every week", "[calendar]") {
  CHECK(D("week") == Duration{1, DurationUnit::kWeeks});
  CHECK(D("month") == Duration{1, DurationUnit::kMonths});
  CHECK(D("quarter") == Duration{1, DurationUnit::kQuarters});
  CHECK(D("year") == Duration{1, DurationUnit::kYears});
  CHECK(D("working day") == Duration{1, DurationUnit::kWorkingDays});
}

TEST_CASE("durations print in one canonical text that parses back to them", "[calendar]") {
  CHECK(FormatDuration(Duration{2, DurationUnit::kMonths}) == "2 months");
  CHECK(FormatDuration(Duration{1, DurationUnit::kMonths}) == "1 month");
  CHECK(FormatDuration(Duration{5, DurationUnit::kWorkingDays}) == "5 working days");
  CHECK(FormatDuration(Duration{1, DurationUnit::kHalfDays}) == "half day");
  CHECK(FormatDuration(Duration{30, DurationUnit::kMinutes}) == "30 minutes");
  CHECK(FormatDuration(Duration{1, DurationUnit::kHours}) == "1 hour");
  for (const char* text : {"30 minutes", "1 minute", "1 hour", "12 hours", "half day", "3 days",
                           "1 day", "3 natural days", "5 working days", "1 week", "2 weeks",
                           "2 months", "1 quarter", "3 quarters", "1 year", "10 years",
                           "3 half days", "-90 minutes"}) {
    const Duration d = D(text);
    CHECK(FormatDuration(d) == text);
    CHECK(D(FormatDuration(d)) == d);
  }
}

TEST_CASE("only minutes, hours and half days have a fixed length", "[calendar]") {
  CHECK(D("30 minutes").IsExact());
  CHECK(D("30 minutes").ExactMs() == 30 * 60 * 1000);
  CHECK(D("2 hours").ExactMs() == 2 * 3600 * 1000);
  CHECK(D("half day").ExactMs() == 12 * 3600 * 1000);
  CHECK(D("half day").ExactMs() == D("12 hours").ExactMs());
  CHECK_FALSE(D("1 day").IsExact());
  CHECK_FALSE(D("5 working days").IsExact());
  CHECK_FALSE(D("1 month").IsExact());
  CHECK_FALSE(D("1 week").IsExact());
}

TEST_CASE("text that is not a duration is rejected", "[calendar]") {
  for (const char* bad : {"", "3", "days", "3 fortnights", "1.5 hours", "half", "half month",
                          "working days 3", "3 working", "3 days later", "2 natural months",
                          "99999999999999999999 days", "三天"}) {
    INFO(bad);
    Result<Duration> r = ParseDuration(bad);
    CHECK_FALSE(r.ok());
    if (!r.ok()) CHECK(r.status().code() == StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace zgtflow::calendar
