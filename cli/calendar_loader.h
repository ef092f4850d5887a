// Finds and reads calendars/NAME.json for the CLI commands that evaluate
// durations (`eval`, `test`). The calendar library itself reads no files.
#pragma once

#include <string>

#include "engine/base/status.h"
#include "engine/calendar/calendar.h"

namespace zgtflow::cli {

// The calendar NAME, read from DIR/NAME.json when `dir` is not empty;
// otherwise from the first of ./calendars/NAME.json and the calendars/ folder
// of the source tree the binary was built in (found by walking up from the
// binary's own folder). NotFound naming the places looked in; InvalidArgument
// when the JSON is not a calendar.
Result<calendar::Calendar> LoadCalendar(const std::string& name, const std::string& dir);

}  // namespace zgtflow::cli
