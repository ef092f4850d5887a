// core::Eval over hand-built model::Expr trees: every operator, the calendar
// arithmetic through it, and the run-time errors with their line:col.
#include "engine/core/eval.h"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "dsl/compile.h"
#include "engine/calendar/calendar_json.h"

namespace zgtflow::core {
namespace {

using calendar::Duration;
using calendar::DurationUnit;
using model::Expr;
using model::ExprOp;
using model::Value;
using Kind = model::Value::Kind;

// ---- Tree builders ----

Expr Lit(Value v, int line = 1, int column = 1) {
  Expr e;
  e.op = ExprOp::kLiteral;
  e.literal = std::move(v);
  e.pos = {line, column};
  return e;
}
Expr Num(double n) { return Lit(Value::Number(n)); }
Expr Text(const std::string& s) { return Lit(Value::Text(s)); }
Expr Bool(bool b) { return Lit(Value::Bool(b)); }
Expr Dur(int64_t amount, DurationUnit unit) { return Lit(Value::Duration(Duration{amount, unit})); }
Expr At(const std::string& text) {
  Result<calendar::Instant> i = calendar::ParseInstant(text);
  REQUIRE(i.ok());
  return Lit(Value::DateTime(*i));
}
Expr Day(int y, int m, int d) { return Lit(Value::Date(calendar::Date{y, m, d})); }
Expr Now() {
  Expr e;
  e.op = ExprOp::kNow;
  return e;
}
Expr FieldRef(int index, std::vector<std::string> path = {}, int line = 1, int column = 1) {
  Expr e;
  e.op = ExprOp::kField;
  e.field = index;
  e.path = std::move(path);
  e.pos = {line, column};
  return e;
}
Expr Op(ExprOp op, std::vector<Expr> children, int line = 1, int column = 1) {
  Expr e;
  e.op = op;
  e.children = std::move(children);
  e.pos = {line, column};
  return e;
}
Expr Bin(ExprOp op, Expr a, Expr b, int line = 1, int column = 1) {
  return Op(op, {std::move(a), std::move(b)}, line, column);
}
Expr ListExpr(std::vector<Expr> items) { return Op(ExprOp::kList, std::move(items)); }
Expr ExistsOf(int index) {
  Expr e;
  e.op = ExprOp::kExists;
  e.field = index;
  return e;
}
Expr Call(const std::string& name, std::vector<Expr> args) {
  Expr e = Op(ExprOp::kFunction, std::move(args));
  e.function = name;
  return e;
}

// ---- Fixture: a case with a few fields, the cn-mainland calendar ----

const calendar::Calendar& CnMainland() {
  static const calendar::Calendar c = [] {
    std::ifstream in(std::string(ZGT_SOURCE_DIR) + "/calendars/cn-mainland.json");
    std::stringstream ss;
    ss << in.rdbuf();
    Result<calendar::Calendar> r = calendar::ParseCalendarJson(ss.str());
    REQUIRE(r.ok());
    return *r;
  }();
  return c;
}

enum FieldIndex { kSubject, kScore, kDue, kReport, kReviews, kUnset, kLimit, kFieldCount };

struct Fixture {
  Fixture() {
    for (const char* name : {"subject", "score", "due", "report", "reviews", "remark", "limit"}) {
      model::FieldDef f;
      f.name = name;
      fields.push_back(std::move(f));
    }
    data.resize(kFieldCount);
    data[kSubject] = Value::Text("平台稳定性");
    data[kScore] = Value::Number(85);
    data[kDue] = Value::DateTime(*calendar::ParseInstant("2026-03-31T09:00:00+08:00"));
    data[kReport] = Value::Doc(model::Document{"report.pdf", std::string(64, 'a')});
    data[kReviews] = Value::MakeList({Value::Text("pass"), Value::Text("fail")});
    // data[kUnset] stays null.
    data[kLimit] = Value::Duration(Duration{2, DurationUnit::kMonths});
    context.data = &data;
    context.fields = &fields;
    context.now = *calendar::ParseInstant("2025-09-26T10:00:00+08:00");
    context.calendar = &CnMainland();
  }

  Value Ok(const Expr& e) const {
    Result<Value> r = Eval(e, context);
    INFO(r.status().message());
    REQUIRE(r.ok());
    return *r;
  }
  std::string Shown(const Expr& e) const { return Ok(e).ToDisplayString(); }
  Status Fails(const Expr& e) const {
    Result<Value> r = Eval(e, context);
    REQUIRE_FALSE(r.ok());
    return r.status();
  }

  std::vector<model::FieldDef> fields;
  std::vector<Value> data;
  EvalContext context;
};

// ---- Tests ----

TEST_CASE("now plus five working days over National Day 2025 is 10-10", "[core]") {
  Fixture f;
  CHECK(f.Shown(Bin(ExprOp::kAdd, Now(), Dur(5, DurationUnit::kWorkingDays))) ==
        "2025-10-10T10:00:00+08:00");
  CHECK(f.Shown(Bin(ExprOp::kAdd, Dur(5, DurationUnit::kWorkingDays), Now())) ==
        "2025-10-10T10:00:00+08:00");
}

TEST_CASE("literals, now and fields evaluate to their values", "[core]") {
  Fixture f;
  CHECK(f.Ok(Num(3)) == Value::Number(3));
  CHECK(f.Ok(Text("x")) == Value::Text("x"));
  CHECK(f.Ok(Now()) == Value::DateTime(f.context.now));
  CHECK(f.Ok(FieldRef(kSubject)) == Value::Text("平台稳定性"));
  CHECK(f.Ok(FieldRef(kScore)) == Value::Number(85));
  CHECK(f.Shown(FieldRef(kLimit)) == "2 months");
}

TEST_CASE("a field with no value is an error naming the field and where", "[core]") {
  Fixture f;
  Status s = f.Fails(FieldRef(kUnset, {}, 12, 7));
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message() == "12:7: field 'remark' has no value");
  CHECK(s.field() == "remark");
  // Without field names the index stands in.
  f.context.fields = nullptr;
  CHECK(f.Fails(FieldRef(kUnset, {}, 3, 4)).message() == "3:4: field '#5' has no value");
  // Without any data every field is unset.
  f.context.data = nullptr;
  CHECK(f.Fails(FieldRef(kSubject)).message().find("has no value") != std::string::npos);
}

TEST_CASE("a document's name and sha256 are its sub-fields", "[core]") {
  Fixture f;
  CHECK(f.Ok(FieldRef(kReport, {"name"})) == Value::Text("report.pdf"));
  CHECK(f.Ok(FieldRef(kReport, {"sha256"})) == Value::Text(std::string(64, 'a')));
  Status s = f.Fails(FieldRef(kReport, {"size"}, 2, 9));
  CHECK(s.message().rfind("2:9: ", 0) == 0);
  CHECK(s.message().find("'size'") != std::string::npos);
  CHECK_FALSE(Eval(FieldRef(kSubject, {"name"}), f.context).ok());
}

TEST_CASE("number arithmetic, negation and division by zero", "[core]") {
  Fixture f;
  CHECK(f.Ok(Bin(ExprOp::kAdd, Num(2), Num(3))) == Value::Number(5));
  CHECK(f.Ok(Bin(ExprOp::kSub, Num(2), Num(3))) == Value::Number(-1));
  CHECK(f.Ok(Bin(ExprOp::kMul, FieldRef(kScore), Num(2))) == Value::Number(170));
  CHECK(f.Ok(Bin(ExprOp::kDiv, Num(7), Num(2))) == Value::Number(3.5));
  CHECK(f.Ok(Op(ExprOp::kNeg, {Num(4)})) == Value::Number(-4));
  Status s = f.Fails(Bin(ExprOp::kDiv, Num(1), Num(0), 5, 3));
  CHECK(s.message() == "5:3: division by zero");
  CHECK_FALSE(Eval(Bin(ExprOp::kMul, Num(1e308), Num(1e308)), f.context).ok());
}

TEST_CASE("arithmetic on the wrong kinds is a type error at run time", "[core]") {
  Fixture f;
  Status s = f.Fails(Bin(ExprOp::kAdd, Text("a"), Num(1), 4, 10));
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message() == "4:10: operator '+' cannot take text and number");
  CHECK(f.Fails(Bin(ExprOp::kMul, Dur(1, DurationUnit::kDays), Num(2))).message() ==
        "1:1: operator '*' cannot take duration and number");
  CHECK_FALSE(Eval(Bin(ExprOp::kAdd, Dur(1, DurationUnit::kDays), Dur(1, DurationUnit::kDays)),
                   f.context).ok());
  CHECK_FALSE(Eval(Bin(ExprOp::kSub, Dur(1, DurationUnit::kDays), Now()), f.context).ok());
  CHECK_FALSE(Eval(Bin(ExprOp::kAdd, Now(), Now()), f.context).ok());
  CHECK_FALSE(Eval(Op(ExprOp::kNeg, {Text("x")}), f.context).ok());
  CHECK_FALSE(Eval(Op(ExprOp::kNot, {Num(1)}), f.context).ok());
}

TEST_CASE("datetime plus and minus durations go through the calendar", "[core]") {
  Fixture f;
  CHECK(f.Shown(Bin(ExprOp::kAdd, At("2026-01-31T09:00:00+08:00"), FieldRef(kLimit))) ==
        "2026-03-31T09:00:00+08:00");
  CHECK(f.Shown(Bin(ExprOp::kSub, FieldRef(kDue), Dur(14, DurationUnit::kDays))) ==
        "2026-03-17T09:00:00+08:00");
  CHECK(f.Shown(Bin(ExprOp::kAdd, At("2025-01-31T09:00:00+08:00"), Dur(1, DurationUnit::kMonths))) ==
        "2025-02-28T09:00:00+08:00");
  CHECK(f.Shown(Bin(ExprOp::kAdd, Now(), Dur(1, DurationUnit::kHalfDays))) ==
        "2025-09-26T22:00:00+08:00");
  CHECK(f.Shown(Bin(ExprOp::kSub, At("2025-10-10T10:00:00+08:00"),
                    Dur(5, DurationUnit::kWorkingDays))) == "2025-09-26T10:00:00+08:00");
  CHECK(f.Shown(Bin(ExprOp::kAdd, Now(), Op(ExprOp::kNeg, {Dur(30, DurationUnit::kMinutes)}))) ==
        "2025-09-26T09:30:00+08:00");
}

TEST_CASE("working days outside the calendar's years fail with where", "[core]") {
  Fixture f;
  Status s = f.Fails(Bin(ExprOp::kAdd, At("2026-12-31T09:00:00+08:00"),
                         Dur(1, DurationUnit::kWorkingDays), 8, 15));
  CHECK(s.code() == StatusCode::kOutOfRange);
  CHECK(s.message().rfind("8:15: ", 0) == 0);
  CHECK(s.message().find("2027-01-01") != std::string::npos);
}

TEST_CASE("without a calendar, working days fail but months still work", "[core]") {
  Fixture f;
  f.context.calendar = nullptr;
  Status s = f.Fails(Bin(ExprOp::kAdd, Now(), Dur(5, DurationUnit::kWorkingDays), 2, 2));
  CHECK(s.message().find("calendar") != std::string::npos);
  CHECK(s.message().rfind("2:2: ", 0) == 0);
  CHECK_FALSE(Eval(Bin(ExprOp::kSub, Now(), Dur(5, DurationUnit::kWorkingDays)), f.context).ok());
  CHECK(f.Shown(Bin(ExprOp::kSub, At("2026-03-31T09:00:00+08:00"), Dur(1, DurationUnit::kMonths))) ==
        "2026-02-28T09:00:00+08:00");
}

TEST_CASE("datetime minus datetime is a duration in whole minutes", "[core]") {
  Fixture f;
  Value d = f.Ok(Bin(ExprOp::kSub, At("2025-09-27T10:30:59+08:00"), Now()));
  REQUIRE(d.kind() == Kind::kDuration);
  CHECK(d.AsDuration() == Duration{1470, DurationUnit::kMinutes});
  Value back = f.Ok(Bin(ExprOp::kSub, Now(), At("2025-09-27T10:30:59+08:00")));
  CHECK(back.AsDuration() == Duration{-1470, DurationUnit::kMinutes});
  // It compares with exact durations: more than a day has passed.
  CHECK(f.Ok(Bin(ExprOp::kGt, Bin(ExprOp::kSub, At("2025-09-27T10:30:59+08:00"), Now()),
                 Dur(24, DurationUnit::kHours))) == Value::Bool(true));
}

TEST_CASE("dates move by whole days and subtract to days", "[core]") {
  Fixture f;
  CHECK(f.Ok(Bin(ExprOp::kAdd, Day(2024, 2, 29), Dur(1, DurationUnit::kYears))) ==
        Value::Date(calendar::Date{2025, 2, 28}));
  CHECK(f.Ok(Bin(ExprOp::kAdd, Day(2025, 9, 26), Dur(5, DurationUnit::kWorkingDays))) ==
        Value::Date(calendar::Date{2025, 10, 10}));
  CHECK(f.Ok(Bin(ExprOp::kSub, Day(2026, 3, 1), Dur(1, DurationUnit::kWeeks))) ==
        Value::Date(calendar::Date{2026, 2, 22}));
  CHECK(f.Ok(Bin(ExprOp::kSub, Day(2024, 3, 1), Day(2024, 2, 1))).AsDuration() ==
        Duration{29, DurationUnit::kDays});
  Status s = f.Fails(Bin(ExprOp::kAdd, Day(2026, 3, 1), Dur(3, DurationUnit::kHours)));
  CHECK(s.message().find("3 hours") != std::string::npos);
  CHECK_FALSE(Eval(Bin(ExprOp::kSub, Day(2026, 3, 1), Now()), f.context).ok());
}

TEST_CASE("comparisons order numbers, text, datetimes and dates", "[core]") {
  Fixture f;
  CHECK(f.Ok(Bin(ExprOp::kGe, FieldRef(kScore), Num(60))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kLt, FieldRef(kScore), Num(60))) == Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kLe, Num(60), Num(60))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kGt, Num(60), Num(60))) == Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kLt, Text("abc"), Text("abd"))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kGe, Now(), FieldRef(kDue))) == Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kLt, Now(), FieldRef(kDue))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kLt, Day(2024, 2, 29), Day(2024, 3, 1))) == Value::Bool(true));
  Status s = f.Fails(Bin(ExprOp::kLt, Bool(true), Bool(false), 6, 1));
  CHECK(s.message() == "6:1: operator '<' cannot take bool and bool");
  CHECK(f.Fails(Bin(ExprOp::kLt, Now(), Num(3))).message() ==
        "1:1: operator '<' cannot take datetime and number");
}

TEST_CASE("durations compare only when they share a measure", "[core]") {
  Fixture f;
  CHECK(f.Ok(Bin(ExprOp::kEq, Dur(12, DurationUnit::kHours), Dur(1, DurationUnit::kHalfDays))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kLt, Dur(90, DurationUnit::kMinutes), Dur(2, DurationUnit::kHours))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kEq, Dur(2, DurationUnit::kWeeks), Dur(14, DurationUnit::kDays))) ==
        Value::Bool(true));
  // A calendar day in Shanghai is always 24 hours.
  CHECK(f.Ok(Bin(ExprOp::kEq, Dur(1, DurationUnit::kDays), Dur(24, DurationUnit::kHours))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kGt, Dur(4320, DurationUnit::kMinutes), Dur(2, DurationUnit::kDays))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kLt, Dur(1, DurationUnit::kHalfDays), Dur(1, DurationUnit::kWeeks))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kGt, FieldRef(kLimit), Dur(1, DurationUnit::kMonths))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kEq, Dur(1, DurationUnit::kYears), Dur(4, DurationUnit::kQuarters))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kLe, Dur(5, DurationUnit::kWorkingDays),
                 Dur(5, DurationUnit::kWorkingDays))) == Value::Bool(true));
  // A month has no fixed number of days, nor a working day of hours.
  Status s = f.Fails(Bin(ExprOp::kLt, Dur(1, DurationUnit::kMonths), Dur(30, DurationUnit::kDays),
                         9, 9));
  CHECK(s.message() == "9:9: cannot compare 1 month with 30 days: they have no common length");
  CHECK_FALSE(Eval(Bin(ExprOp::kGt, Dur(1, DurationUnit::kWorkingDays),
                       Dur(1, DurationUnit::kDays)), f.context).ok());
  CHECK(f.Ok(Bin(ExprOp::kEq, Dur(1, DurationUnit::kMonths), Dur(30, DurationUnit::kDays))) ==
        Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kNe, Dur(1, DurationUnit::kMonths), Dur(30, DurationUnit::kDays))) ==
        Value::Bool(true));
}

TEST_CASE("equality works on every kind and refuses mixed kinds", "[core]") {
  Fixture f;
  CHECK(f.Ok(Bin(ExprOp::kEq, Num(1), Num(1))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kNe, Num(1), Num(2))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kEq, FieldRef(kSubject), Text("平台稳定性"))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kEq, Bool(true), Bool(false))) == Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kEq, Now(), At("2025-09-26T02:00:00Z"))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kEq, Day(2025, 1, 1), Day(2025, 1, 1))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kEq, FieldRef(kReport), FieldRef(kReport))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kEq, FieldRef(kReviews), ListExpr({Text("pass"), Text("fail")}))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kEq, FieldRef(kReviews), ListExpr({Text("fail"), Text("pass")}))) ==
        Value::Bool(false));
  CHECK(f.Fails(Bin(ExprOp::kEq, Text("1"), Num(1), 2, 8)).message() ==
        "2:8: operator '==' cannot take text and number");
}

TEST_CASE("and and or short-circuit and need bools", "[core]") {
  Fixture f;
  CHECK(f.Ok(Bin(ExprOp::kAnd, Bool(true), Bool(true))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kAnd, Bool(true), Bool(false))) == Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kOr, Bool(false), Bool(true))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kOr, Bool(false), Bool(false))) == Value::Bool(false));
  // The right side reads an unset field; short-circuit means it is never read.
  CHECK(f.Ok(Bin(ExprOp::kAnd, Bool(false), FieldRef(kUnset))) == Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kOr, Bool(true), FieldRef(kUnset))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kAnd, ExistsOf(kUnset),
                 Bin(ExprOp::kEq, FieldRef(kUnset), Text("x")))) == Value::Bool(false));
  // When it is read, its error comes through.
  CHECK(f.Fails(Bin(ExprOp::kAnd, Bool(true), FieldRef(kUnset, {}, 7, 20))).message() ==
        "7:20: field 'remark' has no value");
  CHECK(f.Fails(Bin(ExprOp::kOr, Num(1), Bool(true), 3, 3)).message() ==
        "3:3: 'or' takes bool, not number");
  CHECK(f.Fails(Bin(ExprOp::kAnd, Bool(true), Text("yes"), 3, 3)).message() ==
        "3:3: 'and' takes bool, not text");
  CHECK(f.Ok(Op(ExprOp::kNot, {Bool(false)})) == Value::Bool(true));
  CHECK(f.Ok(Op(ExprOp::kNot, {Bin(ExprOp::kGt, FieldRef(kScore), Num(60))})) ==
        Value::Bool(false));
}

TEST_CASE("in and not in test membership in a list literal or a list field", "[core]") {
  Fixture f;
  CHECK(f.Ok(Bin(ExprOp::kIn, Text("pass"), FieldRef(kReviews))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kIn, Text("void"), FieldRef(kReviews))) == Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kNotIn, Text("void"), FieldRef(kReviews))) == Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kIn, FieldRef(kScore), ListExpr({Num(60), Num(85)}))) ==
        Value::Bool(true));
  CHECK(f.Ok(Bin(ExprOp::kNotIn, FieldRef(kScore), ListExpr({Num(60), Num(85)}))) ==
        Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kIn, Num(1), ListExpr({}))) == Value::Bool(false));
  CHECK(f.Ok(Bin(ExprOp::kIn, Dur(12, DurationUnit::kHours),
                 ListExpr({Dur(1, DurationUnit::kHalfDays)}))) == Value::Bool(true));
  CHECK(f.Fails(Bin(ExprOp::kIn, Num(1), Num(1), 4, 4)).message() ==
        "4:4: 'in' needs a list, not number");
}

TEST_CASE("exists tells whether a field holds a value", "[core]") {
  Fixture f;
  CHECK(f.Ok(ExistsOf(kSubject)) == Value::Bool(true));
  CHECK(f.Ok(ExistsOf(kUnset)) == Value::Bool(false));
  CHECK(f.Ok(Call("exists", {FieldRef(kReport)})) == Value::Bool(true));
  CHECK(f.Ok(Call("exists", {FieldRef(kUnset)})) == Value::Bool(false));
  f.data[kUnset] = Value::Text("补充说明");
  CHECK(f.Ok(ExistsOf(kUnset)) == Value::Bool(true));
}

TEST_CASE("count gives a list's length, and 0 for a list never set", "[core]") {
  Fixture f;
  CHECK(f.Ok(Op(ExprOp::kCount, {FieldRef(kReviews)})) == Value::Number(2));
  CHECK(f.Ok(Op(ExprOp::kCount, {ListExpr({Num(1), Num(2), Num(3)})})) == Value::Number(3));
  CHECK(f.Ok(Op(ExprOp::kCount, {FieldRef(kUnset)})) == Value::Number(0));
  CHECK(f.Ok(Call("count", {FieldRef(kReviews)})) == Value::Number(2));
  CHECK(f.Ok(Bin(ExprOp::kGe, Op(ExprOp::kCount, {FieldRef(kReviews)}), Num(2))) ==
        Value::Bool(true));
  CHECK(f.Fails(Op(ExprOp::kCount, {FieldRef(kSubject)}, 2, 5)).message() ==
        "2:5: count() takes a list, not text");
}

TEST_CASE("date() takes the Shanghai date of a datetime or parses text", "[core]") {
  Fixture f;
  CHECK(f.Ok(Call("date", {At("2025-09-26T20:00:00Z")})) ==
        Value::Date(calendar::Date{2025, 9, 27}));
  CHECK(f.Ok(Call("date", {Text("2024-02-29")})) == Value::Date(calendar::Date{2024, 2, 29}));
  CHECK_FALSE(Eval(Call("date", {Text("2023-02-29")}), f.context).ok());
  CHECK_FALSE(Eval(Call("date", {Num(1)}), f.context).ok());
  CHECK(f.Fails(Call("later", {})).message().find("unknown function 'later'") !=
        std::string::npos);
}

TEST_CASE("payload fields are read from the input's object", "[core]") {
  Fixture f;
  Expr e;
  e.op = ExprOp::kPayload;
  e.path = {"score"};
  CHECK_FALSE(Eval(e, f.context).ok());  // No payload in this context.
  const Value payload = Value::MakeObject({{"score", Value::Number(90)}});
  f.context.payload = &payload;
  CHECK(f.Ok(e) == Value::Number(90));
  e.path = {"missing"};
  CHECK(f.Fails(e).message().find("'missing'") != std::string::npos);
}

TEST_CASE("a list literal evaluates its items and passes their errors on", "[core]") {
  Fixture f;
  Value v = f.Ok(ListExpr({Num(1), Text("a"), Now()}));
  REQUIRE(v.kind() == Kind::kList);
  CHECK(v.AsList().size() == 3);
  CHECK(f.Fails(ListExpr({Num(1), FieldRef(kUnset, {}, 1, 5)})).message() ==
        "1:5: field 'remark' has no value");
}

TEST_CASE("malformed trees and very deep nesting fail instead of crashing", "[core]") {
  Fixture f;
  CHECK_FALSE(Eval(Op(ExprOp::kAdd, {Num(1)}), f.context).ok());
  CHECK_FALSE(Eval(FieldRef(42), f.context).ok());
  CHECK_FALSE(Eval(FieldRef(-1), f.context).ok());
  Expr deep = Num(1);
  for (int i = 0; i < 2000; ++i) deep = Op(ExprOp::kNeg, {std::move(deep)});
  CHECK_FALSE(Eval(deep, f.context).ok());
}

// Compiles `text` with the real front end and evaluates it at `at` on
// cn-mainland; the value's display text, or "error: " and the message.
std::string EvalText(const std::string& text, const std::string& at) {
  Result<model::Expr> expr = dsl::CompileExpression(dsl::SourceFile{"<expr>", text}, nullptr);
  INFO(text << ": " << expr.status().message());
  REQUIRE(expr.ok());
  EvalContext context;
  context.now = *calendar::ParseInstant(at);
  context.calendar = &CnMainland();
  Result<Value> v = Eval(*expr, context);
  if (!v.ok()) return "error: " + v.status().message();
  return v->ToDisplayString();
}

TEST_CASE("expressions written in the DSL evaluate as DSL.md says", "[core]") {
  const std::string at = "2025-09-26T10:00:00+08:00";
  CHECK(EvalText("now + 5 working days", at) == "2025-10-10T10:00:00+08:00");
  CHECK(EvalText("now - 5 working days", "2025-10-10T10:00:00+08:00") == at);
  CHECK(EvalText("now + half day", at) == "2025-09-26T22:00:00+08:00");
  CHECK(EvalText("now + 3 natural days", at) == "2025-09-29T10:00:00+08:00");
  CHECK(EvalText("now + 1 month", "2025-01-31T09:00:00+08:00") == "2025-02-28T09:00:00+08:00");
  CHECK(EvalText("now + 1 year", "2024-02-29T09:00:00+08:00") == "2025-02-28T09:00:00+08:00");
  CHECK(EvalText("now + 1 quarter", "2025-11-30T09:00:00+08:00") == "2026-02-28T09:00:00+08:00");
  CHECK(EvalText("now + 2 weeks", at) == "2025-10-10T10:00:00+08:00");
  CHECK(EvalText("(now + 3 days) - now", at) == "4320 minutes");
  CHECK(EvalText("now + 1 day - now == 24 hours", at) == "true");
  CHECK(EvalText("1 + 2 * 3", at) == "7");
  CHECK(EvalText("count([1, 2, 3]) >= 3 and not (2 in [1, 3])", at) == "true");
  CHECK(EvalText("\"b\" not in [\"a\", \"c\"] or 1 / 0 > 1", at) == "true");
  CHECK(EvalText("now + 1 working day", "2026-12-31T09:00:00+08:00").find("2027-01-01") !=
        std::string::npos);
  CHECK(EvalText("1 / 0", at) == "error: 1:1: division by zero");
}

TEST_CASE("date, datetime, max and min compare notice periods by day", "[core]") {
  const std::string at = "2025-09-26T10:00:00+08:00";
  // The 5th working day after a request on 2025-09-26 is 2025-10-10 (National Day).
  CHECK(EvalText("date(now + 5 working days)", at) == "2025-10-10");
  CHECK(EvalText("date(\"2025-10-10\") >= date(now + 5 working days)", at) == "true");
  CHECK(EvalText("date(\"2025-10-09\") >= date(now + 5 working days)", at) == "false");
  CHECK(EvalText("datetime(date(now))", at) == "2025-09-26T00:00:00+08:00");
  // Delisting: the later of the planned day's 00:00 and the notice + 3 days.
  CHECK(EvalText("max(datetime(date(\"2025-09-28\")), now + 3 days)", at) ==
        "2025-09-29T10:00:00+08:00");
  CHECK(EvalText("max(datetime(date(\"2025-10-08\")), now + 3 days)", at) ==
        "2025-10-08T00:00:00+08:00");
  CHECK(EvalText("min(3, 1, 2)", at) == "1");
  CHECK(EvalText("max(2 hours, half day)", at) == "half day");
  CHECK(EvalText("max(1 month, 3 days)", at).rfind("error: ", 0) == 0);
}

TEST_CASE("date functions refuse values of the wrong type before anything runs", "[core]") {
  for (const char* text : {"max(1, now)", "datetime(3)", "date(true)", "min(1)"}) {
    dsl::Diagnostics diagnostics;
    Result<model::Expr> expr = dsl::CompileExpression(dsl::SourceFile{"<expr>", text}, &diagnostics);
    INFO(text);
    CHECK_FALSE(expr.ok());
    REQUIRE_FALSE(diagnostics.empty());
    CHECK(diagnostics[0].code == "type-error");
  }
}

}  // namespace
}  // namespace zgtflow::core
