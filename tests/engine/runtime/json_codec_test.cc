// The JSON codec keeps every value, state, input and effect exactly, and
// turns bad JSON into a Status.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "engine/core/replay.h"
#include "engine/runtime/json_codec.h"
#include "tests/engine/runtime/runtime_fixture.h"

namespace zgtflow::runtime {
namespace {

using model::Value;

Value RoundTrip(const Value& value) {
  Result<Value> back = ValueFromJson(ValueToJson(value));
  REQUIRE(back.ok());
  return *back;
}

TEST_CASE("every kind of value survives a round trip through JSON", "[runtime]") {
  calendar::Duration two_months{2, calendar::DurationUnit::kMonths, false};
  calendar::Duration natural{3, calendar::DurationUnit::kDays, true};
  calendar::Duration half{1, calendar::DurationUnit::kHalfDays, false};
  std::vector<Value> values = {
      Value(),
      Value::Bool(true),
      Value::Number(3),
      Value::Number(-2.5),
      Value::Number(1e300),
      Value::Text("整改事项 \"quoted\""),
      Value::DateTime(calendar::Instant{testing::At("2026-03-02T09:00:00+08:00")}),
      Value::DateTime(calendar::Instant{testing::At("2026-03-02T09:00:00+08:00") + 123}),
      Value::Date(calendar::Date{2026, 2, 28}),
      Value::Duration(two_months),
      Value::Duration(half),
      Value::Doc(model::Document{"report.pdf", std::string(64, 'a')}),
      Value::MakeList({Value::Text("app"), Value::Number(1), Value::MakeList({})}),
      Value::MakeObject({{"a", Value::Number(1)}, {"b", Value::Duration(two_months)}}),
      // An object whose keys look like the encoding's tags stays an object.
      Value::MakeObject({{"$datetime", Value::Text("not a date")}}),
      Value::Text("2026-03-02T09:00:00+08:00"),  // A text that reads like a datetime stays text.
  };
  for (const Value& value : values) {
    INFO(ValueToJson(value).dump());
    Value back = RoundTrip(value);
    CHECK(back == value);
    CHECK(back.kind() == value.kind());
  }
  Value natural_back = RoundTrip(Value::Duration(natural));
  CHECK(natural_back.AsDuration().natural);

  CHECK(std::isnan(RoundTrip(Value::Number(std::nan(""))).AsNumber()));
  CHECK(RoundTrip(Value::Number(-std::numeric_limits<double>::infinity())).AsNumber() ==
        -std::numeric_limits<double>::infinity());
  CHECK(ValueToJson(Value::DateTime(calendar::Instant{testing::At("2026-03-02T09:00:00+08:00")}))
            .dump() == "{\"$datetime\":\"2026-03-02T09:00:00+08:00\"}");
}

TEST_CASE("bad JSON is a Status naming the place, never an exception", "[runtime]") {
  const std::vector<std::string> texts = {
      "", "{", "[]", "null", "{\"workflow_version\": 7}", "\"text\"",
      "{\"workflow_version\":\"00000000000000zz\",\"status\":\"running\",\"active\":[],\"data\":[],"
      "\"timers\":[],\"revision\":1,\"next_id\":1}",
      "{\"workflow_version\":\"0000000000000001\",\"status\":\"running\",\"active\":[1],\"data\":[],"
      "\"timers\":[{\"id\":1,\"state\":1,\"timer\":0,\"due\":\"yesterday\"}],\"revision\":1,\"next_id\":2}",
      "{\"workflow_version\":\"0000000000000001\",\"status\":\"running\",\"active\":[-1],\"data\":[],"
      "\"timers\":[],\"revision\":1,\"next_id\":1}",
      "\xff\xfe",
  };
  for (const std::string& text : texts) {
    INFO(text);
    CHECK_NOTHROW(DecodeCaseState(text));
    CHECK_FALSE(DecodeCaseState(text).ok());
    CHECK_FALSE(DecodeInput(text).ok());
    if (text != "[]") CHECK_FALSE(DecodeEffects(text).ok());  // [] is no effects.
  }
  CHECK(DecodeEffects("[]").value().empty());
  CHECK_FALSE(DecodeInput("{\"kind\":\"teleport\"}").ok());
  CHECK_FALSE(DecodeInput("{\"kind\":\"event\",\"payload\":[1]}").ok());
  CHECK_FALSE(DecodeInput("{\"kind\":\"timer-fired\",\"timer_id\":-4}").ok());
  CHECK_FALSE(DecodeEffects("[{\"kind\":\"notify\",\"role\":5}]").ok());
  CHECK_FALSE(DecodeEffects("[{\"kind\":\"start-child\",\"data\":[[1,2]]}]").ok());
  CHECK_FALSE(ValueFromJson(nlohmann::json{{"$duration", "2 fortnights"}}).ok());
  CHECK_FALSE(ValueFromJson(nlohmann::json{{"$document", {{"name", "x"}}}}).ok());
  Result<model::Object> not_object = ParseObject("[1, 2]");
  REQUIRE_FALSE(not_object.ok());
  CHECK(not_object.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("states, inputs and effects of real steps decode to what was encoded", "[runtime]") {
  testing::Runtime rt;
  // A rectification through its timers, and an assessment that starts a child.
  auto rect = rt.runner.Create("rectification", "management_unit", "管理单位",
                               R"({"subject": "平台稳定性不达标", "findings": "宕机 3 次"})");
  REQUIRE(rect.ok());
  auto assess = rt.runner.Create("annual_assessment", "management_unit", "",
                                 R"({"year": 2025})");
  REQUIRE(assess.ok());
  auto failed = rt.runner.Submit(
      assess->row.id,
      core::Input::Event("fail", "management_unit",
                         {{"construction_ok", Value::Bool(true)},
                          {"operation_ok", Value::Bool(false)},
                          {"om_ok", Value::Bool(true)}}));
  REQUIRE(failed.ok());
  REQUIRE(failed->accepted());
  rt.clock.Advance(70LL * 24 * 3600 * 1000);
  REQUIRE(rt.timers.RunOnce(100).ok());

  auto ids = rt.store->ListCaseIds();
  REQUIRE(ids.ok());
  REQUIRE(ids->size() == 3);
  for (const std::string& id : *ids) {
    INFO(id);
    auto row = rt.store->GetCase(id);
    REQUIRE(row.ok());
    auto state = DecodeCaseState(row->snapshot);
    REQUIRE(state.ok());
    CHECK(EncodeCaseState(*state) == row->snapshot);
    auto history = rt.store->GetHistory(id);
    REQUIRE(history.ok());
    REQUIRE_FALSE(history->empty());
    for (const store::HistoryRow& entry : *history) {
      auto input = DecodeInput(entry.input);
      REQUIRE(input.ok());
      CHECK(EncodeInput(*input) == entry.input);
      auto effects = DecodeEffects(entry.effects);
      REQUIRE(effects.ok());
      CHECK(EncodeEffects(*effects) == entry.effects);
      CHECK(*DecodeEffects(EncodeEffects(*effects)) == *effects);
    }
  }
}

}  // namespace
}  // namespace zgtflow::runtime
