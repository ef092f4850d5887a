// Working-day calendar and calendar arithmetic in Asia/Shanghai. Pure: the
// caller reads calendars/NAME.json and hands the text to ParseCalendarJson.
#pragma once

#include <set>
#include <string>

#include "engine/base/status.h"
#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"

namespace zgtflow::calendar {

// Which days are working days: Monday–Friday unless an official day off, plus
// the adjusted working days (调休) on weekends. Known only between `from` and
// `to`; asking about a day outside is an error, not a guess.
class Calendar {
 public:
  Calendar() = default;
  Calendar(std::string name, Date from, Date to, std::set<int> weekend_days,
           std::set<int64_t> off_days, std::set<int64_t> work_days);

  const std::string& name() const { return name_; }
  Date from() const { return from_; }
  Date to() const { return to_; }

  // Whether `date` is a working day. OutOfRange outside [from, to].
  Result<bool> IsWorkingDay(Date date) const;

  // `start` plus `duration` as DSL.md's durations table defines it:
  // exact units add milliseconds; days and weeks add calendar days at the same
  // clock time; working days move to the Nth working day strictly after the
  // start date, same clock time; months, quarters and years keep the day of
  // month clamped to the month's end. Fails only for working days outside the
  // calendar's years.
  Result<Instant> Add(Instant start, const Duration& duration) const;
  // `start` minus `duration` (working days count backwards).
  Result<Instant> Subtract(Instant start, const Duration& duration) const;

  // The Nth working day strictly after `date` (N ≥ 1), or before it (N ≤ -1).
  Result<Date> AddWorkingDays(Date date, int64_t n) const;

 private:
  std::string name_;
  Date from_, to_;
  std::set<int> weekend_days_;  // 0 = Monday … 6 = Sunday.
  std::set<int64_t> off_days_;  // Days since epoch.
  std::set<int64_t> work_days_;
};

// Calendar arithmetic that needs no working-day data (months, days, exact).
// Fails for working days, which need a Calendar.
Result<Instant> AddWithoutCalendar(Instant start, const Duration& duration);

// Adds `months` to a civil date, clamping the day to the target month's end.
Date AddMonths(Date date, int64_t months);

}  // namespace zgtflow::calendar
