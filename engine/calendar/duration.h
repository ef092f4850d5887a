// A duration as the measures write it: "2 months", "5 working days", "half day".
// Kept in its written unit, because a month or a working day has no fixed
// length: only Calendar::Add turns it into an instant.
#pragma once

#include <cstdint>
#include <string>

#include "engine/base/status.h"

namespace zgtflow::calendar {

enum class DurationUnit {
  kMinutes,      // Exact 60 s.
  kHours,        // Exact 3600 s.
  kHalfDays,     // "half day": exact 12 hours.
  kDays,         // "days" / "natural days": calendar days, same clock time.
  kWorkingDays,  // Working days per the calendar, same clock time.
  kWeeks,        // 7 calendar days.
  kMonths,       // Same day of month, clamped to the month's last day.
  kQuarters,     // 3 months.
  kYears,        // 12 months.
};

struct Duration {
  int64_t amount = 0;
  DurationUnit unit = DurationUnit::kDays;
  bool natural = false;  // Written "natural days" (same meaning as "days").

  friend bool operator==(const Duration& a, const Duration& b) {
    return a.amount == b.amount && a.unit == b.unit;
  }
  friend bool operator!=(const Duration& a, const Duration& b) { return !(a == b); }

  // True for units whose length is fixed (minutes, hours, half days).
  bool IsExact() const;
  // Milliseconds of an exact duration. REQUIRES: IsExact().
  int64_t ExactMs() const;
};

// Canonical text: "2 months", "1 month", "5 working days", "half day",
// "3 natural days".
std::string FormatDuration(const Duration& duration);

// Parses the canonical text and its variants ("30 minutes", "1 hour",
// "half day", "12 hours", "3 days", "3 natural days", "5 working days",
// "2 months", "1 year", "week" = "1 week").
Result<Duration> ParseDuration(const std::string& text);

}  // namespace zgtflow::calendar
