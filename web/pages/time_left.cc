// ⑧ Time left until a deadline (see time_left.h).
#include "web/pages/time_left.h"

#include <cstdio>

namespace zgtflow::web::pages {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;
// A working-day count past this many calendar days is not attempted (a
// deadline years away needs no exact working-day count).
constexpr int64_t kMaxScanDays = 3660;

std::string HoursMinutes(int64_t ms) {
  int64_t hours = ms / kHourMs;
  int64_t minutes = (ms % kHourMs) / kMinuteMs;
  if (hours > 0) return std::to_string(hours) + " 小时 " + std::to_string(minutes) + " 分钟";
  return std::to_string(minutes) + " 分钟";
}

std::string NaturalSpan(int64_t ms) {
  if (ms >= kDayMs) {
    int64_t days = ms / kDayMs;
    int64_t hours = (ms % kDayMs) / kHourMs;
    return std::to_string(days) + " 天" + (hours > 0 ? " " + std::to_string(hours) + " 小时" : "");
  }
  return HoursMinutes(ms);
}

// Working days d with from < d <= to; -1 when the calendar cannot say.
int64_t WorkingDaysBetween(const calendar::Calendar& cal, calendar::Date from, calendar::Date to) {
  int64_t a = calendar::DaysFromCivil(from), b = calendar::DaysFromCivil(to);
  if (b - a > kMaxScanDays) return -1;
  int64_t count = 0;
  for (int64_t d = a + 1; d <= b; ++d) {
    Result<bool> working = cal.IsWorkingDay(calendar::CivilFromDays(d));
    if (!working.ok()) return -1;
    if (*working) ++count;
  }
  return count;
}

bool ExprHasWorkingDays(const model::Expr& expr, const std::vector<model::Value>& data) {
  if (expr.op == model::ExprOp::kLiteral &&
      expr.literal.kind() == model::Value::Kind::kDuration &&
      expr.literal.AsDuration().unit == calendar::DurationUnit::kWorkingDays) {
    return true;
  }
  if (expr.op == model::ExprOp::kField && expr.path.empty() && expr.field >= 0 &&
      expr.field < static_cast<int>(data.size())) {
    const model::Value& value = data[expr.field];
    if (value.kind() == model::Value::Kind::kDuration &&
        value.AsDuration().unit == calendar::DurationUnit::kWorkingDays) {
      return true;
    }
  }
  for (const model::Expr& child : expr.children) {
    if (ExprHasWorkingDays(child, data)) return true;
  }
  return false;
}

}  // namespace

TimeLeft ComputeTimeLeft(calendar::Instant now, calendar::Instant due, bool working_days,
                         const calendar::Calendar* cal) {
  TimeLeft left;
  int64_t ms = due.epoch_ms - now.epoch_ms;
  calendar::Date today = calendar::ShanghaiDate(now);
  calendar::Date due_date = calendar::ShanghaiDate(due);
  if (ms <= 0) {
    left.overdue = true;
    if (working_days && cal != nullptr) {
      int64_t n = WorkingDaysBetween(*cal, due_date, today);
      if (n > 0) {
        left.in_working_days = true;
        left.working_days = -n;
        left.text = "已逾期 " + std::to_string(n) + " 个工作日";
        return left;
      }
    }
    left.text = "已逾期 " + NaturalSpan(-ms);
    return left;
  }
  if (working_days && cal != nullptr) {
    int64_t n = WorkingDaysBetween(*cal, today, due_date);
    if (n >= 0) {
      left.in_working_days = true;
      left.working_days = n;
      left.due_soon = n <= 3;
      left.text = n == 0 ? "今日到期（剩余 " + HoursMinutes(ms) + "）"
                         : "剩余 " + std::to_string(n) + " 个工作日";
      return left;
    }
  }
  left.due_soon = ms <= 3 * kDayMs;
  left.text = "剩余 " + NaturalSpan(ms);
  return left;
}

bool TimerInWorkingDays(const model::TimerDef& timer, const std::vector<model::Value>& data) {
  if (timer.kind != model::TimerKind::kAt) {
    return timer.duration.unit == calendar::DurationUnit::kWorkingDays;
  }
  return timer.has_at && ExprHasWorkingDays(timer.at, data);
}

std::string FormatShanghai(calendar::Instant instant) {
  calendar::Date date = calendar::ShanghaiDate(instant);
  int64_t tod = calendar::ShanghaiTimeOfDayMs(instant);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d", date.year, date.month, date.day,
                static_cast<int>(tod / kHourMs), static_cast<int>((tod % kHourMs) / kMinuteMs));
  return buffer;
}

}  // namespace zgtflow::web::pages
