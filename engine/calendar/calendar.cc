// Calendar arithmetic in Asia/Shanghai (DSL.md "Durations and calendars"):
// exact units, calendar days, month-end clamping, and working days counted on
// the calendar's data, never guessed outside the years it covers.
#include "engine/calendar/calendar.h"

#include <utility>

namespace zgtflow::calendar {
namespace {

constexpr int64_t kMsPerDay = 86400000;

// Results are kept to years 0001–9999: past that an ISO-8601 text cannot show
// them, and the arithmetic below could overflow.
Instant MinInstant() { return StartOfShanghaiDay(Date{1, 1, 1}); }
Instant MaxInstant() { return Instant{StartOfShanghaiDay(Date{10000, 1, 1}).epoch_ms - 1}; }

Status TooFar(const Duration& duration) {
  return Status::OutOfRange("adding " + FormatDuration(duration) +
                            " leaves the years 0001-9999");
}

Result<Instant> Checked(Instant start, int64_t delta_ms, const Duration& duration) {
  int64_t out;
  if (__builtin_add_overflow(start.epoch_ms, delta_ms, &out) || out < MinInstant().epoch_ms ||
      out > MaxInstant().epoch_ms) {
    return TooFar(duration);
  }
  return Instant{out};
}

Result<Instant> AddMultiple(Instant start, int64_t amount, int64_t unit_ms,
                            const Duration& duration) {
  int64_t delta;
  if (__builtin_mul_overflow(amount, unit_ms, &delta)) return TooFar(duration);
  return Checked(start, delta, duration);
}

Result<Instant> AddMonthsKeepingTime(Instant start, int64_t amount, int64_t months_per_unit,
                                     const Duration& duration) {
  int64_t months;
  // 12 × 10000 years of months is the most any valid result can need.
  if (__builtin_mul_overflow(amount, months_per_unit, &months) || months > 120000 ||
      months < -120000) {
    return TooFar(duration);
  }
  const Date date = ShanghaiDate(start);
  const Date target = AddMonths(date, months);
  if (target.year < 1 || target.year > 9999) return TooFar(duration);
  return Instant{StartOfShanghaiDay(target).epoch_ms + ShanghaiTimeOfDayMs(start)};
}

// Add for every unit; `calendar` is null when working days are not allowed.
Result<Instant> AddDuration(const Calendar* calendar, Instant start, const Duration& duration,
                            int64_t sign) {
  int64_t amount;
  if (__builtin_mul_overflow(duration.amount, sign, &amount)) return TooFar(duration);
  switch (duration.unit) {
    case DurationUnit::kMinutes: return AddMultiple(start, amount, 60000, duration);
    case DurationUnit::kHours: return AddMultiple(start, amount, 3600000, duration);
    case DurationUnit::kHalfDays: return AddMultiple(start, amount, 12 * 3600000, duration);
    // Shanghai has no daylight saving, so "same clock time N days later" is
    // exactly N × 24 hours.
    case DurationUnit::kDays: return AddMultiple(start, amount, kMsPerDay, duration);
    case DurationUnit::kWeeks: return AddMultiple(start, amount, 7 * kMsPerDay, duration);
    case DurationUnit::kMonths: return AddMonthsKeepingTime(start, amount, 1, duration);
    case DurationUnit::kQuarters: return AddMonthsKeepingTime(start, amount, 3, duration);
    case DurationUnit::kYears: return AddMonthsKeepingTime(start, amount, 12, duration);
    case DurationUnit::kWorkingDays: {
      if (calendar == nullptr) {
        return Status::InvalidArgument("'" + FormatDuration(duration) +
                                       "' needs a working-day calendar, and none is set");
      }
      if (amount == 0) return start;
      const Result<Date> day = calendar->AddWorkingDays(ShanghaiDate(start), amount);
      if (!day.ok()) return day.status();
      return Instant{StartOfShanghaiDay(*day).epoch_ms + ShanghaiTimeOfDayMs(start)};
    }
  }
  return Status::Internal("unknown duration unit");
}

}  // namespace

Calendar::Calendar(std::string name, Date from, Date to, std::set<int> weekend_days,
                   std::set<int64_t> off_days, std::set<int64_t> work_days)
    : name_(std::move(name)),
      from_(from),
      to_(to),
      weekend_days_(std::move(weekend_days)),
      off_days_(std::move(off_days)),
      work_days_(std::move(work_days)) {}

Result<bool> Calendar::IsWorkingDay(Date date) const {
  if (date < from_ || to_ < date) {
    return Status::OutOfRange("calendar '" + name_ + "' covers " + FormatDate(from_) + " to " +
                              FormatDate(to_) + ", not " + FormatDate(date) +
                              "; working days there are unknown");
  }
  const int64_t day = DaysFromCivil(date);
  // An adjusted working day (调休) wins over the weekend; an official day off
  // wins over Monday–Friday.
  if (work_days_.count(day) != 0) return true;
  if (weekend_days_.count(Weekday(date)) != 0) return false;
  return off_days_.count(day) == 0;
}

Result<Date> Calendar::AddWorkingDays(Date date, int64_t n) const {
  if (n == 0) return Status::InvalidArgument("the number of working days must not be 0");
  const int64_t step = n > 0 ? 1 : -1;
  int64_t remaining = n > 0 ? n : -n;
  int64_t day = DaysFromCivil(date);
  // Each step checks coverage, so even a huge n stops at the calendar's edge.
  while (remaining > 0) {
    day += step;
    const Date d = CivilFromDays(day);
    const Result<bool> working = IsWorkingDay(d);
    if (!working.ok()) return working.status();
    if (*working) --remaining;
  }
  return CivilFromDays(day);
}

Result<Instant> Calendar::Add(Instant start, const Duration& duration) const {
  return AddDuration(this, start, duration, 1);
}

Result<Instant> Calendar::Subtract(Instant start, const Duration& duration) const {
  return AddDuration(this, start, duration, -1);
}

Result<Instant> AddWithoutCalendar(Instant start, const Duration& duration) {
  return AddDuration(nullptr, start, duration, 1);
}

Date AddMonths(Date date, int64_t months) {
  const int64_t total = static_cast<int64_t>(date.year) * 12 + (date.month - 1) + months;
  int64_t year = total / 12;
  int64_t month0 = total % 12;
  if (month0 < 0) {
    month0 += 12;
    --year;
  }
  Date out{static_cast<int>(year), static_cast<int>(month0 + 1), date.day};
  const int last = DaysInMonth(out.year, out.month);
  if (out.day > last) out.day = last;
  return out;
}

}  // namespace zgtflow::calendar
