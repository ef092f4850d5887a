// ⑧ How long is left until a deadline, as the case page and the lists show
// it: in working days when the timer's rule is written in working days
// (engine/calendar's working-day calendar), otherwise in days and hours.
// Pure: `now` is given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/calendar/calendar.h"
#include "engine/calendar/instant.h"
#include "engine/model/timer.h"
#include "engine/model/value.h"

namespace zgtflow::web::pages {

struct TimeLeft {
  bool overdue = false;          // due <= now.
  bool due_soon = false;         // Not overdue, and at most 3 (working) days left.
  bool in_working_days = false;  // `text` counts working days.
  int64_t working_days = 0;      // When in_working_days: working days after today up to the due date.
  std::string text;              // "剩余 3 个工作日", "剩余 2 天 4 小时", "已逾期 5 天", "今日到期（剩余 2 小时 10 分钟）".
};

// The time left from `now` to `due`. With `working_days` and a calendar that
// knows the dates, counts the working days d with today < d <= the due date
// (Shanghai dates): "剩余 N 个工作日"; on the due date itself the hours left.
// Without (or outside the calendar's years) counts natural time.
TimeLeft ComputeTimeLeft(calendar::Instant now, calendar::Instant due, bool working_days,
                         const calendar::Calendar* calendar);

// Whether `timer`'s rule is written in working days: an `after` or `every`
// duration in working days, or an `at` expression with a working-days
// duration literal or a duration field (value in `data`, indexed as
// Workflow::fields) holding one.
bool TimerInWorkingDays(const model::TimerDef& timer, const std::vector<model::Value>& data);

// The Shanghai wall-clock text of an instant: "2026-03-02 09:00".
std::string FormatShanghai(calendar::Instant instant);

}  // namespace zgtflow::web::pages
