// Reads calendars/NAME.json (name, weekend, coverage, years → {off, work}) into
// a Calendar. nlohmann/json may throw; every exception stops here.
#include "engine/calendar/calendar_json.h"

#include <map>

#include <nlohmann/json.hpp>

namespace zgtflow::calendar {
namespace {

using nlohmann::json;

Status Bad(const std::string& key, const std::string& what) {
  return Status::InvalidArgument("calendar key '" + key + "': " + what, key);
}

Result<Date> DateAt(const json& j, const std::string& key) {
  if (!j.is_string()) return Bad(key, "expected a date string YYYY-MM-DD");
  Result<Date> d = ParseDate(j.get<std::string>());
  if (!d.ok()) return Bad(key, d.status().message());
  return d;
}

// Reads years.Y.off or years.Y.work (absent = empty) into `days`.
Status ReadDays(const json& year, const std::string& year_key, const char* which,
                std::set<int64_t>* days) {
  const std::string key = "years." + year_key + "." + which;
  auto it = year.find(which);
  if (it == year.end()) return Status::Ok();
  if (!it->is_array()) return Bad(key, "expected a list of dates");
  for (size_t i = 0; i < it->size(); ++i) {
    Result<Date> d = DateAt((*it)[i], key + "[" + std::to_string(i) + "]");
    if (!d.ok()) return d.status();
    days->insert(DaysFromCivil(*d));
  }
  return Status::Ok();
}

Result<Calendar> FromJson(const json& root) {
  if (!root.is_object()) return Bad("(root)", "expected an object");

  auto name_it = root.find("name");
  if (name_it == root.end() || !name_it->is_string() || name_it->get<std::string>().empty()) {
    return Bad("name", "expected a non-empty string");
  }

  static const std::map<std::string, int> kDayNames = {
      {"mon", 0}, {"tue", 1}, {"wed", 2}, {"thu", 3}, {"fri", 4}, {"sat", 5}, {"sun", 6}};
  std::set<int> weekend;
  auto weekend_it = root.find("weekend");
  if (weekend_it == root.end() || !weekend_it->is_array()) {
    return Bad("weekend", "expected a list of day names such as [\"sat\", \"sun\"]");
  }
  for (const json& day : *weekend_it) {
    auto known = day.is_string() ? kDayNames.find(day.get<std::string>()) : kDayNames.end();
    if (known == kDayNames.end()) {
      return Bad("weekend", "expected day names mon, tue, wed, thu, fri, sat, sun");
    }
    weekend.insert(known->second);
  }

  auto coverage = root.find("coverage");
  if (coverage == root.end() || !coverage->is_object()) {
    return Bad("coverage", "expected {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}");
  }
  auto from_it = coverage->find("from");
  auto to_it = coverage->find("to");
  if (from_it == coverage->end()) return Bad("coverage.from", "missing");
  if (to_it == coverage->end()) return Bad("coverage.to", "missing");
  Result<Date> from = DateAt(*from_it, "coverage.from");
  if (!from.ok()) return from.status();
  Result<Date> to = DateAt(*to_it, "coverage.to");
  if (!to.ok()) return to.status();
  if (*to < *from) return Bad("coverage.to", "is before coverage.from");

  std::set<int64_t> off, work;
  auto years = root.find("years");
  if (years == root.end() || !years->is_object()) {
    return Bad("years", "expected an object of years, each {\"off\": [...], \"work\": [...]}");
  }
  for (auto it = years->begin(); it != years->end(); ++it) {
    const std::string key = "years." + it.key();
    if (!it.value().is_object()) return Bad(key, "expected {\"off\": [...], \"work\": [...]}");
    Status s = ReadDays(it.value(), it.key(), "off", &off);
    if (!s.ok()) return s;
    s = ReadDays(it.value(), it.key(), "work", &work);
    if (!s.ok()) return s;
  }
  for (int64_t day : off) {
    if (work.count(day) != 0) {
      return Bad("years", FormatDate(CivilFromDays(day)) + " is listed both off and work");
    }
  }
  return Calendar(name_it->get<std::string>(), *from, *to, std::move(weekend), std::move(off),
                  std::move(work));
}

}  // namespace

Result<Calendar> ParseCalendarJson(const std::string& json_text) {
  try {
    const json root = json::parse(json_text);
    return FromJson(root);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("calendar is not valid JSON: ") + e.what());
  }
}

}  // namespace zgtflow::calendar
