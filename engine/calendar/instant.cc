// Instants and civil dates in Asia/Shanghai: the day-number algorithms, ISO-8601
// parsing and the canonical "+08:00" rendering every deadline is shown in.
#include "engine/calendar/instant.h"

#include <cstdio>

namespace zgtflow::calendar {
namespace {

constexpr int64_t kMsPerDay = 86400000;

// Floor division, so instants before 1970 land on the right day.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// A tiny cursor over the text; every reader returns false instead of throwing.
class Cursor {
 public:
  explicit Cursor(const std::string& s) : s_(s) {}
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }
  // Exactly `n` decimal digits.
  bool Digits(int n, int* out) {
    int v = 0;
    for (int k = 0; k < n; ++k) {
      char c = Peek();
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
      ++i_;
    }
    *out = v;
    return true;
  }
  // One or more digits of a fraction, as milliseconds (digits past the third
  // are read and dropped: an instant has millisecond resolution).
  bool FractionMs(int* ms) {
    int count = 0, v = 0;
    while (Peek() >= '0' && Peek() <= '9') {
      if (count < 3) v = v * 10 + (Peek() - '0');
      ++count;
      ++i_;
    }
    if (count == 0) return false;
    for (int k = count; k < 3; ++k) v *= 10;
    *ms = v;
    return true;
  }

 private:
  const std::string& s_;
  size_t i_ = 0;
};

bool ReadDate(Cursor& c, Date* date) {
  int y, m, d;
  if (!c.Digits(4, &y) || !c.Eat('-') || !c.Digits(2, &m) || !c.Eat('-') || !c.Digits(2, &d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
  *date = Date{y, m, d};
  return true;
}

Status BadInstant(const std::string& text) {
  return Status::InvalidArgument("'" + text +
                                 "' is not an ISO-8601 date-time (expected e.g. "
                                 "2026-03-02T09:00:00+08:00)");
}

}  // namespace

int64_t DaysFromCivil(Date date) {
  // Howard Hinnant's days_from_civil.
  int64_t y = date.year;
  const int64_t m = date.month;
  const int64_t d = date.day;
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;                                 // [0, 399]
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         // [0, 146096]
  return era * 146097 + doe - 719468;
}

Date CivilFromDays(int64_t days) {
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeap(year)) return 29;
  return kDays[month - 1];
}

int Weekday(Date date) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  int64_t w = (DaysFromCivil(date) + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w);
}

Date ShanghaiDate(Instant instant) {
  return CivilFromDays(FloorDiv(instant.epoch_ms + kShanghaiOffsetMs, kMsPerDay));
}

Instant StartOfShanghaiDay(Date date) {
  return Instant{DaysFromCivil(date) * kMsPerDay - kShanghaiOffsetMs};
}

int64_t ShanghaiTimeOfDayMs(Instant instant) {
  const int64_t local = instant.epoch_ms + kShanghaiOffsetMs;
  return local - FloorDiv(local, kMsPerDay) * kMsPerDay;
}

Result<Date> ParseDate(const std::string& text) {
  Cursor c(text);
  Date date;
  if (!ReadDate(c, &date) || !c.AtEnd()) {
    return Status::InvalidArgument("'" + text + "' is not a date (expected YYYY-MM-DD)");
  }
  return date;
}

Result<Instant> ParseInstant(const std::string& text) {
  Cursor c(text);
  Date date;
  if (!ReadDate(c, &date)) return BadInstant(text);
  if (c.AtEnd()) return StartOfShanghaiDay(date);
  if (!c.Eat('T') && !c.Eat('t') && !c.Eat(' ')) return BadInstant(text);

  int hh, mm, ss = 0, ms = 0;
  if (!c.Digits(2, &hh) || !c.Eat(':') || !c.Digits(2, &mm)) return BadInstant(text);
  if (c.Eat(':')) {
    if (!c.Digits(2, &ss)) return BadInstant(text);
    if ((c.Eat('.') || c.Eat(',')) && !c.FractionMs(&ms)) return BadInstant(text);
  }
  if (hh > 23 || mm > 59 || ss > 59) return BadInstant(text);

  // No offset: Shanghai time, the only zone the measures are written in.
  int64_t offset_ms = kShanghaiOffsetMs;
  if (c.Eat('Z') || c.Eat('z')) {
    offset_ms = 0;
  } else if (c.Peek() == '+' || c.Peek() == '-') {
    const int sign = c.Peek() == '-' ? -1 : 1;
    c.Eat(c.Peek());
    int oh, om = 0;
    if (!c.Digits(2, &oh)) return BadInstant(text);
    if (c.Eat(':')) {
      if (!c.Digits(2, &om)) return BadInstant(text);
    } else if (!c.AtEnd() && !c.Digits(2, &om)) {
      return BadInstant(text);
    }
    if (oh > 23 || om > 59) return BadInstant(text);
    offset_ms = sign * (oh * 3600000LL + om * 60000LL);
  }
  if (!c.AtEnd()) return BadInstant(text);

  const int64_t local_ms = DaysFromCivil(date) * kMsPerDay + hh * 3600000LL + mm * 60000LL +
                           ss * 1000LL + ms;
  return Instant{local_ms - offset_ms};
}

std::string FormatDate(Date date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

std::string FormatInstant(Instant instant) {
  const Date date = ShanghaiDate(instant);
  const int64_t tod = ShanghaiTimeOfDayMs(instant);
  const int hh = static_cast<int>(tod / 3600000);
  const int mm = static_cast<int>(tod / 60000 % 60);
  const int ss = static_cast<int>(tod / 1000 % 60);
  const int ms = static_cast<int>(tod % 1000);
  char buf[64];
  if (ms != 0) {
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03d+08:00", FormatDate(date).c_str(), hh,
                  mm, ss, ms);
  } else {
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d+08:00", FormatDate(date).c_str(), hh, mm,
                  ss);
  }
  return buf;
}

}  // namespace zgtflow::calendar
