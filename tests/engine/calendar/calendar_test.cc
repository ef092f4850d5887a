// Calendar::Add and working days against calendars/cn-mainland.json: holidays,
// adjusted working weekends, month-end clamping and the coverage edge.
#include "engine/calendar/calendar.h"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/calendar/calendar_json.h"

namespace zgtflow::calendar {
namespace {

std::string ReadCalendarText() {
  std::ifstream in(std::string(ZGT_SOURCE_DIR) + "/calendars/cn-mainland.json");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Calendar& CnMainland() {
  static const Calendar calendar = [] {
    Result<Calendar> r = ParseCalendarJson(ReadCalendarText());
    INFO(r.status().message());
    REQUIRE(r.ok());
    return *r;
  }();
  return calendar;
}

Instant At(const std::string& text) {
  Result<Instant> r = ParseInstant(text);
  INFO(text);
  REQUIRE(r.ok());
  return *r;
}

Duration D(const std::string& text) {
  Result<Duration> r = ParseDuration(text);
  INFO(text);
  REQUIRE(r.ok());
  return *r;
}

Date DateOf(const std::string& text) {
  Result<Date> r = ParseDate(text);
  INFO(text);
  REQUIRE(r.ok());
  return *r;
}

// `start` + `duration` on cn-mainland, formatted; "error: CODE" on failure.
std::string Plus(const std::string& start, const std::string& duration) {
  Result<Instant> r = CnMainland().Add(At(start), D(duration));
  if (!r.ok()) return std::string("error: ") + StatusCodeName(r.status().code());
  return FormatInstant(*r);
}

std::string Minus(const std::string& start, const std::string& duration) {
  Result<Instant> r = CnMainland().Subtract(At(start), D(duration));
  if (!r.ok()) return std::string("error: ") + StatusCodeName(r.status().code());
  return FormatInstant(*r);
}

bool Working(const std::string& date) {
  Result<bool> r = CnMainland().IsWorkingDay(DateOf(date));
  INFO(date);
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("National Day 2025: five working days from 09-26 end on 10-10", "[calendar]") {
  // 09-28 (Sunday) is worked, 10-01..10-08 are off, 10-11 (Saturday) is worked.
  CHECK(Plus("2025-09-26T10:00:00+08:00", "5 working days") == "2025-10-10T10:00:00+08:00");
  CHECK(Plus("2025-09-26T10:00:00+08:00", "1 working day") == "2025-09-28T10:00:00+08:00");
  CHECK(Plus("2025-09-30T10:00:00+08:00", "1 working day") == "2025-10-09T10:00:00+08:00");
  CHECK(Plus("2025-10-10T10:00:00+08:00", "1 working day") == "2025-10-11T10:00:00+08:00");
  CHECK(Plus("2025-10-03T10:00:00+08:00", "1 working day") == "2025-10-09T10:00:00+08:00");
  CHECK(Working("2025-09-28"));
  CHECK(Working("2025-10-11"));
  CHECK_FALSE(Working("2025-10-08"));
  CHECK_FALSE(Working("2025-10-12"));
}

TEST_CASE("Spring Festival 2025 skips 01-28..02-04 and works 01-26 and 02-08",
          "[calendar]") {
  CHECK(Plus("2025-01-24T09:00:00+08:00", "1 working day") == "2025-01-26T09:00:00+08:00");
  CHECK(Plus("2025-01-24T09:00:00+08:00", "2 working days") == "2025-01-27T09:00:00+08:00");
  CHECK(Plus("2025-01-24T09:00:00+08:00", "3 working days") == "2025-02-05T09:00:00+08:00");
  CHECK(Plus("2025-02-07T09:00:00+08:00", "1 working day") == "2025-02-08T09:00:00+08:00");
  CHECK(Plus("2025-02-07T09:00:00+08:00", "2 working days") == "2025-02-10T09:00:00+08:00");
}

TEST_CASE("Spring Festival 2024: New Year's Eve 02-09 is worked, 02-04 and 02-18 too",
          "[calendar]") {
  CHECK(Working("2024-02-09"));
  CHECK(Working("2024-02-04"));
  CHECK(Working("2024-02-18"));
  CHECK_FALSE(Working("2024-02-10"));
  CHECK_FALSE(Working("2024-02-17"));
  CHECK(Plus("2024-02-08T15:30:00+08:00", "1 working day") == "2024-02-09T15:30:00+08:00");
  CHECK(Plus("2024-02-09T15:30:00+08:00", "1 working day") == "2024-02-18T15:30:00+08:00");
  CHECK(Plus("2024-02-09T15:30:00+08:00", "2 working days") == "2024-02-19T15:30:00+08:00");
  CHECK(Plus("2024-02-02T08:00:00+08:00", "1 working day") == "2024-02-04T08:00:00+08:00");
}

TEST_CASE("National Day 2024 works 09-29 (Sunday) and 10-12 (Saturday)", "[calendar]") {
  CHECK(Plus("2024-09-27T09:00:00+08:00", "1 working day") == "2024-09-29T09:00:00+08:00");
  CHECK(Plus("2024-09-30T09:00:00+08:00", "1 working day") == "2024-10-08T09:00:00+08:00");
  CHECK(Plus("2024-10-11T09:00:00+08:00", "1 working day") == "2024-10-12T09:00:00+08:00");
  CHECK(Plus("2024-10-11T09:00:00+08:00", "2 working days") == "2024-10-14T09:00:00+08:00");
}

TEST_CASE("2026 holidays: Spring Festival 02-15..02-23 and National Day 10-01..10-07",
          "[calendar]") {
  CHECK(Plus("2026-02-13T09:00:00+08:00", "1 working day") == "2026-02-14T09:00:00+08:00");
  CHECK(Plus("2026-02-13T09:00:00+08:00", "2 working days") == "2026-02-24T09:00:00+08:00");
  CHECK(Plus("2026-02-27T09:00:00+08:00", "1 working day") == "2026-02-28T09:00:00+08:00");
  CHECK(Plus("2026-09-30T09:00:00+08:00", "1 working day") == "2026-10-08T09:00:00+08:00");
  CHECK(Plus("2026-09-30T09:00:00+08:00", "3 working days") == "2026-10-10T09:00:00+08:00");
  CHECK(Plus("2026-09-18T09:00:00+08:00", "1 working day") == "2026-09-20T09:00:00+08:00");
  CHECK(Plus("2025-12-31T09:00:00+08:00", "1 working day") == "2026-01-04T09:00:00+08:00");
}

TEST_CASE("working days count from the Shanghai date even late at night", "[calendar]") {
  // 23:30 on Friday 2025-09-26 in Shanghai is 15:30 UTC the same day; a start
  // written in UTC on the next UTC day is still Saturday in Shanghai.
  CHECK(Plus("2025-09-26T23:30:00+08:00", "1 working day") == "2025-09-28T23:30:00+08:00");
  CHECK(Plus("2025-09-26T16:30:00Z", "1 working day") == "2025-09-28T00:30:00+08:00");
  // A start on a day off counts from that day: the next working day is the first.
  CHECK(Plus("2025-10-04T00:00:00+08:00", "1 working day") == "2025-10-09T00:00:00+08:00");
}

TEST_CASE("subtracting working days walks back over holidays and adjusted days",
          "[calendar]") {
  CHECK(Minus("2025-10-10T10:00:00+08:00", "5 working days") == "2025-09-26T10:00:00+08:00");
  CHECK(Minus("2025-10-09T10:00:00+08:00", "1 working day") == "2025-09-30T10:00:00+08:00");
  CHECK(Minus("2025-09-29T10:00:00+08:00", "1 working day") == "2025-09-28T10:00:00+08:00");
  CHECK(Minus("2024-02-19T10:00:00+08:00", "2 working days") == "2024-02-09T10:00:00+08:00");
  Result<Date> back = CnMainland().AddWorkingDays(DateOf("2025-10-10"), -5);
  REQUIRE(back.ok());
  CHECK(FormatDate(*back) == "2025-09-26");
}

TEST_CASE("working days outside the calendar's coverage are an error, not a guess",
          "[calendar]") {
  CHECK(Plus("2026-12-31T09:00:00+08:00", "1 working day") == "error: out_of_range");
  CHECK(Plus("2026-12-30T09:00:00+08:00", "5 working days") == "error: out_of_range");
  CHECK(Plus("2027-03-01T09:00:00+08:00", "1 working day") == "error: out_of_range");
  CHECK(Minus("2020-01-02T09:00:00+08:00", "2 working days") == "error: out_of_range");
  CHECK(Plus("2026-12-30T09:00:00+08:00", "1 working day") == "2026-12-31T09:00:00+08:00");
  Result<bool> r = CnMainland().IsWorkingDay(DateOf("2027-01-04"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kOutOfRange);
  CHECK(r.status().message().find("2027-01-04") != std::string::npos);
  // A huge count stops at the edge instead of looping for ever.
  Result<Date> far = CnMainland().AddWorkingDays(DateOf("2025-01-01"), int64_t{1} << 60);
  CHECK(far.status().code() == StatusCode::kOutOfRange);
  // Natural days, months and exact units need no calendar data, so 2027 is fine.
  CHECK(Plus("2026-12-31T09:00:00+08:00", "1 day") == "2027-01-01T09:00:00+08:00");
  CHECK(Plus("2026-12-31T09:00:00+08:00", "1 month") == "2027-01-31T09:00:00+08:00");
}

TEST_CASE("every covered day agrees with the JSON's rule and 2024 has 251 working days",
          "[calendar]") {
  // An independent reading of the file: a day is worked iff listed in work,
  // or it is Monday–Friday and not listed in off.
  const nlohmann::json root = nlohmann::json::parse(ReadCalendarText());
  std::set<std::string> off, work;
  for (const auto& year : root["years"].items()) {
    for (const auto& d : year.value()["off"]) off.insert(d.get<std::string>());
    for (const auto& d : year.value()["work"]) work.insert(d.get<std::string>());
  }
  int worked_2024 = 0;
  for (int64_t day = DaysFromCivil(DateOf("2020-01-01")); day <= DaysFromCivil(DateOf("2026-12-31"));
       ++day) {
    const Date date = CivilFromDays(day);
    const std::string text = FormatDate(date);
    const bool expected = work.count(text) != 0 || (Weekday(date) < 5 && off.count(text) == 0);
    INFO(text);
    REQUIRE(Working(text) == expected);
    if (date.year == 2024 && expected) ++worked_2024;
  }
  CHECK(worked_2024 == 251);
}

TEST_CASE("months clamp to the last day of the target month", "[calendar]") {
  CHECK(Plus("2025-01-31T09:00:00+08:00", "1 month") == "2025-02-28T09:00:00+08:00");
  CHECK(Plus("2024-01-31T09:00:00+08:00", "1 month") == "2024-02-29T09:00:00+08:00");
  CHECK(Plus("2026-01-31T09:00:00+08:00", "2 months") == "2026-03-31T09:00:00+08:00");
  CHECK(Plus("2026-03-31T09:00:00+08:00", "1 month") == "2026-04-30T09:00:00+08:00");
  CHECK(Plus("2026-10-31T09:00:00+08:00", "3 months") == "2027-01-31T09:00:00+08:00");
  CHECK(Minus("2026-03-31T09:00:00+08:00", "1 month") == "2026-02-28T09:00:00+08:00");
  CHECK(Minus("2026-01-15T09:00:00+08:00", "13 months") == "2024-12-15T09:00:00+08:00");
  CHECK(AddMonths(Date{2026, 1, 31}, 1) == Date{2026, 2, 28});
  CHECK(AddMonths(Date{2026, 1, 31}, -2) == Date{2025, 11, 30});
  CHECK(AddMonths(Date{2026, 5, 15}, 0) == Date{2026, 5, 15});
}

TEST_CASE("years from a leap day land on 02-28, and back on 02-29 in a leap year",
          "[calendar]") {
  CHECK(Plus("2024-02-29T09:00:00+08:00", "1 year") == "2025-02-28T09:00:00+08:00");
  CHECK(Plus("2024-02-29T09:00:00+08:00", "4 years") == "2028-02-29T09:00:00+08:00");
  CHECK(Plus("2023-02-28T09:00:00+08:00", "1 year") == "2024-02-28T09:00:00+08:00");
  CHECK(Minus("2024-02-29T09:00:00+08:00", "1 year") == "2023-02-28T09:00:00+08:00");
  CHECK(Plus("2024-02-28T09:00:00+08:00", "1 day") == "2024-02-29T09:00:00+08:00");
  CHECK(Plus("2025-02-28T09:00:00+08:00", "1 day") == "2025-03-01T09:00:00+08:00");
}

TEST_CASE("quarters are three months with the same clamping", "[calendar]") {
  CHECK(Plus("2025-11-30T09:00:00+08:00", "1 quarter") == "2026-02-28T09:00:00+08:00");
  CHECK(Plus("2026-01-15T09:00:00+08:00", "quarter") == "2026-04-15T09:00:00+08:00");
  CHECK(Plus("2026-01-15T09:00:00+08:00", "4 quarters") ==
        Plus("2026-01-15T09:00:00+08:00", "1 year"));
  CHECK(Minus("2026-05-31T09:00:00+08:00", "1 quarter") == "2026-02-28T09:00:00+08:00");
}

TEST_CASE("exact units, half days, natural days and weeks add elapsed time", "[calendar]") {
  CHECK(Plus("2026-03-02T09:00:00+08:00", "30 minutes") == "2026-03-02T09:30:00+08:00");
  CHECK(Plus("2026-03-02T23:00:00+08:00", "2 hours") == "2026-03-03T01:00:00+08:00");
  CHECK(Plus("2026-03-02T09:00:00+08:00", "half day") == "2026-03-02T21:00:00+08:00");
  CHECK(Plus("2026-03-02T15:00:00+08:00", "half day") == "2026-03-03T03:00:00+08:00");
  CHECK(Plus("2026-03-02T09:00:00+08:00", "3 days") == "2026-03-05T09:00:00+08:00");
  CHECK(Plus("2025-09-30T09:00:00+08:00", "3 natural days") == "2025-10-03T09:00:00+08:00");
  CHECK(Plus("2026-02-26T09:00:00+08:00", "1 week") == "2026-03-05T09:00:00+08:00");
  CHECK(Plus("2026-03-02T09:00:00+08:00", "week") == "2026-03-09T09:00:00+08:00");
  CHECK(Minus("2026-03-02T09:00:00+08:00", "14 days") == "2026-02-16T09:00:00+08:00");
  CHECK(Minus("2026-03-02T09:00:00+08:00", "half day") == "2026-03-01T21:00:00+08:00");
}

TEST_CASE("arithmetic without a calendar works except for working days", "[calendar]") {
  Result<Instant> month = AddWithoutCalendar(At("2026-01-31T09:00:00+08:00"), D("1 month"));
  REQUIRE(month.ok());
  CHECK(FormatInstant(*month) == "2026-02-28T09:00:00+08:00");
  Result<Instant> wd = AddWithoutCalendar(At("2026-01-31T09:00:00+08:00"), D("1 working day"));
  REQUIRE_FALSE(wd.ok());
  CHECK(wd.status().message().find("calendar") != std::string::npos);
}

TEST_CASE("results past year 9999 are an error instead of an overflow", "[calendar]") {
  CHECK(Plus("2026-01-01T00:00:00+08:00", "100000 years") == "error: out_of_range");
  CHECK(Plus("2026-01-01T00:00:00+08:00", "9223372036854775807 minutes") ==
        "error: out_of_range");
  CHECK(Minus("2026-01-01T00:00:00+08:00", "9223372036854775807 days") == "error: out_of_range");
  CHECK(Plus("9999-12-31T00:00:00+08:00", "1 day") == "error: out_of_range");
}

}  // namespace
}  // namespace zgtflow::calendar
