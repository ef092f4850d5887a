// ParseCalendarJson: the shape of calendars/NAME.json and the key named when
// the text is not a calendar.
#include "engine/calendar/calendar_json.h"

#include <catch2/catch.hpp>

namespace zgtflow::calendar {
namespace {

const char* kSmall = R"({
  "name": "tiny",
  "weekend": ["sat", "sun"],
  "coverage": {"from": "2030-01-01", "to": "2030-01-31"},
  "years": {"2030": {"off": ["2030-01-01", "2030-01-02"], "work": ["2030-01-05"]}}
})";

bool Working(const Calendar& c, Date d) {
  Result<bool> r = c.IsWorkingDay(d);
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("a small calendar is read with its name, coverage and days", "[calendar]") {
  Result<Calendar> r = ParseCalendarJson(kSmall);
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->name() == "tiny");
  CHECK(r->from() == Date{2030, 1, 1});
  CHECK(r->to() == Date{2030, 1, 31});
  CHECK_FALSE(Working(*r, Date{2030, 1, 1}));  // Tuesday, off.
  CHECK(Working(*r, Date{2030, 1, 3}));        // Thursday.
  CHECK(Working(*r, Date{2030, 1, 5}));        // Saturday, worked.
  CHECK_FALSE(Working(*r, Date{2030, 1, 6}));  // Sunday.
  CHECK(r->IsWorkingDay(Date{2030, 2, 1}).status().code() == StatusCode::kOutOfRange);
}

TEST_CASE("the weekend is data: a Friday-Saturday weekend is honoured", "[calendar]") {
  Result<Calendar> r = ParseCalendarJson(R"({"name": "fs", "weekend": ["fri", "sat"],
      "coverage": {"from": "2030-01-01", "to": "2030-12-31"}, "years": {}})");
  REQUIRE(r.ok());
  CHECK_FALSE(Working(*r, Date{2030, 1, 4}));  // Friday.
  CHECK(Working(*r, Date{2030, 1, 6}));        // Sunday.
}

TEST_CASE("text that is not JSON is an InvalidArgument, not an exception", "[calendar]") {
  for (const char* bad : {"", "{", "not json", "{\"name\": }", "[1, 2"}) {
    INFO(bad);
    Result<Calendar> r = ParseCalendarJson(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("a calendar with a bad key says which key", "[calendar]") {
  struct Case {
    const char* json;
    const char* key;
  };
  const Case cases[] = {
      {R"([1, 2])", "(root)"},
      {R"({"weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": "2030-01-31"},
          "years": {}})", "name"},
      {R"({"name": 7, "weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": "2030-01-31"},
          "years": {}})", "name"},
      {R"({"name": "x", "weekend": ["saturday"],
          "coverage": {"from": "2030-01-01", "to": "2030-01-31"}, "years": {}})", "weekend"},
      {R"({"name": "x", "weekend": "sat",
          "coverage": {"from": "2030-01-01", "to": "2030-01-31"}, "years": {}})", "weekend"},
      {R"({"name": "x", "weekend": ["sat"], "years": {}})", "coverage"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"to": "2030-01-31"}, "years": {}})",
       "coverage.from"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-13-01", "to": "2030-01-31"},
          "years": {}})", "coverage.from"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": 2030},
          "years": {}})", "coverage.to"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-02-01", "to": "2030-01-31"},
          "years": {}})", "coverage.to"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": "2030-01-31"}})",
       "years"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": "2030-01-31"},
          "years": {"2030": []}})", "years.2030"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": "2030-01-31"},
          "years": {"2030": {"off": "2030-01-01"}}})", "years.2030.off"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": "2030-01-31"},
          "years": {"2030": {"off": ["2030-01-01", "2030-02-30"]}}})", "years.2030.off[1]"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": "2030-01-31"},
          "years": {"2030": {"work": [5]}}})", "years.2030.work[0]"},
      {R"({"name": "x", "weekend": ["sat"], "coverage": {"from": "2030-01-01", "to": "2030-01-31"},
          "years": {"2030": {"off": ["2030-01-05"], "work": ["2030-01-05"]}}})", "years"},
  };
  for (const Case& c : cases) {
    INFO(c.json);
    Result<Calendar> r = ParseCalendarJson(c.json);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(r.status().field() == c.key);
    CHECK(r.status().message().find(std::string("'") + c.key + "'") != std::string::npos);
  }
}

}  // namespace
}  // namespace zgtflow::calendar
