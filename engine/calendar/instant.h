// A point in time: UTC milliseconds since the Unix epoch. All deadlines are
// shown in Asia/Shanghai (+08:00, no daylight saving).
#pragma once

#include <cstdint>
#include <string>

#include "engine/base/status.h"

namespace zgtflow::calendar {

struct Instant {
  int64_t epoch_ms = 0;

  friend bool operator==(Instant a, Instant b) { return a.epoch_ms == b.epoch_ms; }
  friend bool operator!=(Instant a, Instant b) { return a.epoch_ms != b.epoch_ms; }
  friend bool operator<(Instant a, Instant b) { return a.epoch_ms < b.epoch_ms; }
  friend bool operator<=(Instant a, Instant b) { return a.epoch_ms <= b.epoch_ms; }
  friend bool operator>(Instant a, Instant b) { return a.epoch_ms > b.epoch_ms; }
  friend bool operator>=(Instant a, Instant b) { return a.epoch_ms >= b.epoch_ms; }
};

// Asia/Shanghai's fixed offset from UTC.
constexpr int64_t kShanghaiOffsetMs = 8 * 3600 * 1000;

// A civil date in Asia/Shanghai.
struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend bool operator==(Date a, Date b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(Date a, Date b) { return !(a == b); }
  friend bool operator<(Date a, Date b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
  }
  friend bool operator<=(Date a, Date b) { return !(b < a); }
};

// Days since 1970-01-01 for a civil date, and back (proleptic Gregorian).
int64_t DaysFromCivil(Date date);
Date CivilFromDays(int64_t days);
int DaysInMonth(int year, int month);
// 0 = Monday … 6 = Sunday.
int Weekday(Date date);

// The Shanghai date of an instant, and the instant of a date's 00:00 there.
Date ShanghaiDate(Instant instant);
Instant StartOfShanghaiDay(Date date);
// Milliseconds since the instant's Shanghai midnight.
int64_t ShanghaiTimeOfDayMs(Instant instant);

// Parses ISO-8601: "2026-03-02" (00:00 Shanghai), "2026-03-02T09:00:00+08:00",
// "…Z", "…T09:00+08:00", with optional fractional seconds. A date-time without
// an offset is read as Shanghai time.
Result<Instant> ParseInstant(const std::string& text);
Result<Date> ParseDate(const std::string& text);

// "2026-03-02T09:00:00+08:00" (milliseconds shown only when non-zero).
std::string FormatInstant(Instant instant);
// "2026-03-02".
std::string FormatDate(Date date);

}  // namespace zgtflow::calendar
