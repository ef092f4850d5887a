// Civil-date algorithms, ISO-8601 parsing and the canonical +08:00 rendering.
#include "engine/calendar/instant.h"

#include <catch2/catch.hpp>

namespace zgtflow::calendar {
namespace {

Instant At(const std::string& text) {
  Result<Instant> r = ParseInstant(text);
  INFO(text << ": " << r.status().message());
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("days from civil and back agree on every day from 1900 to 2100", "[calendar]") {
  const int64_t first = DaysFromCivil(Date{1900, 1, 1});
  const int64_t last = DaysFromCivil(Date{2100, 12, 31});
  Date expected{1900, 1, 1};
  for (int64_t day = first; day <= last; ++day) {
    const Date d = CivilFromDays(day);
    REQUIRE(d == expected);
    REQUIRE(DaysFromCivil(d) == day);
    // Step `expected` by hand, so the test does not trust the algorithm.
    if (++expected.day > DaysInMonth(expected.year, expected.month)) {
      expected.day = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
  CHECK(DaysFromCivil(Date{1970, 1, 1}) == 0);
  CHECK(DaysFromCivil(Date{1969, 12, 31}) == -1);
}

TEST_CASE("leap years follow the Gregorian rule", "[calendar]") {
  CHECK(DaysInMonth(2024, 2) == 29);
  CHECK(DaysInMonth(2025, 2) == 28);
  CHECK(DaysInMonth(1900, 2) == 28);
  CHECK(DaysInMonth(2000, 2) == 29);
  CHECK(DaysInMonth(2026, 4) == 30);
  CHECK(DaysInMonth(2026, 12) == 31);
}

TEST_CASE("weekday counts Monday as 0 and Sunday as 6", "[calendar]") {
  CHECK(Weekday(Date{1970, 1, 1}) == 3);   // Thursday.
  CHECK(Weekday(Date{2025, 9, 28}) == 6);  // Sunday.
  CHECK(Weekday(Date{2025, 10, 11}) == 5); // Saturday.
  CHECK(Weekday(Date{2026, 3, 2}) == 0);   // Monday.
  CHECK(Weekday(Date{1969, 12, 31}) == 2); // Wednesday, before the epoch.
}

TEST_CASE("an instant with +08:00 is read as Shanghai time", "[calendar]") {
  const Instant i = At("2026-03-02T09:00:00+08:00");
  CHECK(i.epoch_ms == 1772413200000);
  CHECK(FormatInstant(i) == "2026-03-02T09:00:00+08:00");
  CHECK(FormatDate(ShanghaiDate(i)) == "2026-03-02");
  CHECK(ShanghaiTimeOfDayMs(i) == 9 * 3600000);
}

TEST_CASE("UTC and other offsets are converted to Shanghai on output", "[calendar]") {
  CHECK(FormatInstant(At("2026-03-02T01:00:00Z")) == "2026-03-02T09:00:00+08:00");
  CHECK(FormatInstant(At("2026-03-01T20:00:00-05:00")) == "2026-03-02T09:00:00+08:00");
  CHECK(FormatInstant(At("2026-03-01T17:00:00Z")) == "2026-03-02T01:00:00+08:00");
  CHECK(At("2026-03-02T09:00:00+0800") == At("2026-03-02T09:00:00+08:00"));
}

TEST_CASE("a date alone is midnight in Shanghai and a missing offset means Shanghai",
          "[calendar]") {
  CHECK(FormatInstant(At("2026-03-02")) == "2026-03-02T00:00:00+08:00");
  CHECK(At("2026-03-02") == StartOfShanghaiDay(Date{2026, 3, 2}));
  CHECK(FormatInstant(At("2026-03-02T09:30")) == "2026-03-02T09:30:00+08:00");
  CHECK(FormatInstant(At("2026-03-02T09:30+08:00")) == "2026-03-02T09:30:00+08:00");
}

TEST_CASE("fractional seconds are kept to the millisecond and shown only when non-zero",
          "[calendar]") {
  const Instant i = At("2026-03-02T09:00:00.250+08:00");
  CHECK(i.epoch_ms % 1000 == 250);
  CHECK(FormatInstant(i) == "2026-03-02T09:00:00.250+08:00");
  CHECK(At("2026-03-02T09:00:00.5Z").epoch_ms % 1000 == 500);
  CHECK(FormatInstant(At("2026-03-02T09:00:00.000+08:00")) == "2026-03-02T09:00:00+08:00");
}

TEST_CASE("formatting then parsing an instant gives it back", "[calendar]") {
  for (int64_t ms : {int64_t{0}, int64_t{1772413200000}, int64_t{-86400000 - 1},
                     int64_t{1735660800123}, int64_t{4102444799000}}) {
    const Instant i{ms};
    CHECK(At(FormatInstant(i)) == i);
  }
}

TEST_CASE("malformed instants and dates are rejected, not guessed", "[calendar]") {
  for (const char* bad : {"", "2026", "2026-3-2", "2026-02-30", "2026-13-01", "2026-03-02T25:00",
                          "2026-03-02T09:60", "2026-03-02T09:00:00+08:00x", "2026-03-02X09:00",
                          "2026-03-02T09:00:00.", "2026-03-02T09:00:00+8", "next monday",
                          "2025-02-29"}) {
    INFO(bad);
    CHECK_FALSE(ParseInstant(bad).ok());
  }
  CHECK(ParseInstant("2026-02-30").status().code() == StatusCode::kInvalidArgument);
  CHECK(ParseDate("2024-02-29").ok());
  CHECK_FALSE(ParseDate("2024-02-29T00:00").ok());
  CHECK_FALSE(ParseDate("2023-02-29").ok());
  CHECK(FormatDate(*ParseDate("2024-02-29")) == "2024-02-29");
}

}  // namespace
}  // namespace zgtflow::calendar
