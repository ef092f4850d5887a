// Calendar from the JSON text of calendars/NAME.json (weekend, coverage,
// years → {off, work}). The caller reads the file.
#pragma once

#include <string>

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"

namespace zgtflow::calendar {

// InvalidArgument naming the bad key when the text is not a calendar.
Result<Calendar> ParseCalendarJson(const std::string& json_text);

}  // namespace zgtflow::calendar
