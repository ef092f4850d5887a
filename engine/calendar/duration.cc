// Durations as the measures write them ("2 months", "5 working days", "half
// day"): parsing the written forms and printing the one canonical form.
#include "engine/calendar/duration.h"

#include <cctype>
#include <limits>
#include <sstream>
#include <vector>

namespace zgtflow::calendar {
namespace {

constexpr int64_t kMsPerMinute = 60 * 1000;
constexpr int64_t kMsPerHour = 60 * kMsPerMinute;

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) {
    for (char& ch : w) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    words.push_back(w);
  }
  return words;
}

// Matches a unit written as one or two words, singular or plural (the DSL's
// lexer treats both the same). Returns false for anything else.
bool ParseUnit(const std::vector<std::string>& w, size_t from, DurationUnit* unit, bool* natural) {
  const size_t n = w.size() - from;
  *natural = false;
  auto is = [&](size_t i, const char* singular, const char* plural) {
    return w[from + i] == singular || w[from + i] == plural;
  };
  if (n == 1) {
    if (is(0, "minute", "minutes")) *unit = DurationUnit::kMinutes;
    else if (is(0, "hour", "hours")) *unit = DurationUnit::kHours;
    else if (is(0, "day", "days")) *unit = DurationUnit::kDays;
    else if (is(0, "week", "weeks")) *unit = DurationUnit::kWeeks;
    else if (is(0, "month", "months")) *unit = DurationUnit::kMonths;
    else if (is(0, "quarter", "quarters")) *unit = DurationUnit::kQuarters;
    else if (is(0, "year", "years")) *unit = DurationUnit::kYears;
    else return false;
    return true;
  }
  if (n == 2 && is(1, "day", "days")) {
    if (w[from] == "working") {
      *unit = DurationUnit::kWorkingDays;
      return true;
    }
    if (w[from] == "natural") {
      *unit = DurationUnit::kDays;
      *natural = true;
      return true;
    }
    if (w[from] == "half") {
      *unit = DurationUnit::kHalfDays;
      return true;
    }
  }
  return false;
}

// An optionally signed decimal integer that fits in int64 (no fractions: a
// "1.5 months" has no meaning in the measures).
bool ParseAmount(const std::string& s, int64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  if (i == s.size()) return false;
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const int d = s[i] - '0';
    if (v > (std::numeric_limits<int64_t>::max() - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = negative ? -v : v;
  return true;
}

const char* UnitName(const Duration& d, bool plural) {
  switch (d.unit) {
    case DurationUnit::kMinutes: return plural ? "minutes" : "minute";
    case DurationUnit::kHours: return plural ? "hours" : "hour";
    case DurationUnit::kHalfDays: return plural ? "half days" : "half day";
    case DurationUnit::kDays:
      if (d.natural) return plural ? "natural days" : "natural day";
      return plural ? "days" : "day";
    case DurationUnit::kWorkingDays: return plural ? "working days" : "working day";
    case DurationUnit::kWeeks: return plural ? "weeks" : "week";
    case DurationUnit::kMonths: return plural ? "months" : "month";
    case DurationUnit::kQuarters: return plural ? "quarters" : "quarter";
    case DurationUnit::kYears: return plural ? "years" : "year";
  }
  return "?";
}

}  // namespace

bool Duration::IsExact() const {
  return unit == DurationUnit::kMinutes || unit == DurationUnit::kHours ||
         unit == DurationUnit::kHalfDays;
}

int64_t Duration::ExactMs() const {
  switch (unit) {
    case DurationUnit::kMinutes: return amount * kMsPerMinute;
    case DurationUnit::kHours: return amount * kMsPerHour;
    case DurationUnit::kHalfDays: return amount * 12 * kMsPerHour;
    default: return 0;  // Not exact: callers check IsExact() first.
  }
}

std::string FormatDuration(const Duration& duration) {
  // "half day" is how the measures write one half day; any other count is
  // written with its number so that ParseDuration reads it back.
  if (duration.unit == DurationUnit::kHalfDays && duration.amount == 1) return "half day";
  const bool plural = duration.amount != 1 && duration.amount != -1;
  return std::to_string(duration.amount) + " " + UnitName(duration, plural);
}

Result<Duration> ParseDuration(const std::string& text) {
  const std::vector<std::string> w = Words(text);
  auto bad = [&] {
    return Status::InvalidArgument("'" + text +
                                   "' is not a duration (expected e.g. \"30 minutes\", "
                                   "\"half day\", \"5 working days\", \"2 months\")");
  };
  if (w.empty()) return bad();

  Duration d;
  size_t unit_from = 0;
  if (ParseAmount(w[0], &d.amount)) {
    unit_from = 1;
    if (w.size() == 1) return bad();
  } else {
    // A bare unit is one of it ("week" = "1 week", "half day"), so it must be
    // written in the singular: "weeks" alone says nothing.
    d.amount = 1;
    if (w.back().back() == 's') return bad();
  }
  if (!ParseUnit(w, unit_from, &d.unit, &d.natural)) return bad();
  return d;
}

}  // namespace zgtflow::calendar
