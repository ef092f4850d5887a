// Expression typing (dsl/check/types.h) and the type checks of workflows.
#include <catch2/catch.hpp>

#include "dsl/check/types.h"
#include "dsl/parse.h"
#include "tests/dsl/compile_helpers.h"

namespace zgtflow::dsl {
namespace {

using model::Type;
using model::TypeKind;
using testing::CompileText;
using testing::Find;
using testing::Printed;

FieldTypes Fields() {
  FieldTypes fields;
  fields["due"] = Type::Of(TypeKind::kDateTime);
  fields["day"] = Type::Of(TypeKind::kDate);
  fields["limit"] = Type::Of(TypeKind::kDuration);
  fields["score"] = Type::Of(TypeKind::kNumber);
  fields["subject"] = Type::Of(TypeKind::kText);
  fields["report"] = Type::Of(TypeKind::kDocument);
  fields["tags"] = Type::ListOf(Type::Of(TypeKind::kText));
  Type level = Type::Of(TypeKind::kEnum);
  level.enum_values = {"high", "low"};
  fields["level"] = level;
  return fields;
}

// The type of `text` over Fields(), and the codes of the problems found.
Type TypeOfText(const std::string& text, std::vector<std::string>* codes = nullptr) {
  ExprParseResult parsed = ParseExpression({"expr", text});
  REQUIRE(parsed.diagnostics.empty());
  REQUIRE(parsed.expr.has_value());
  Diagnostics found;
  Type type = TypeOf(*parsed.expr, Fields(), &found);
  if (codes) {
    for (const Diagnostic& d : found) codes->push_back(d.code);
  } else {
    INFO(Printed(found));
    CHECK(found.empty());
  }
  return type;
}

bool Fails(const std::string& text) {
  std::vector<std::string> codes;
  TypeOfText(text, &codes);
  return !codes.empty();
}

TEST_CASE("date-times move by durations and differ by a duration", "[dsl]") {
  CHECK(TypeOfText("due + limit").kind == TypeKind::kDateTime);
  CHECK(TypeOfText("due - 14 days").kind == TypeKind::kDateTime);
  CHECK(TypeOfText("2 months + now").kind == TypeKind::kDateTime);
  CHECK(TypeOfText("day + 3 working days").kind == TypeKind::kDate);
  CHECK(TypeOfText("due - now").kind == TypeKind::kDuration);
  CHECK(Fails("due + now"));
  CHECK(Fails("limit + limit"));
  CHECK(Fails("due * 2"));
}

TEST_CASE("arithmetic takes numbers and comparisons take like types", "[dsl]") {
  CHECK(TypeOfText("score * 2 + 1 / 3").kind == TypeKind::kNumber);
  CHECK(TypeOfText("-score").kind == TypeKind::kNumber);
  CHECK(TypeOfText("score > 3 and not (subject == \"x\")").kind == TypeKind::kBool);
  CHECK(TypeOfText("due < now").kind == TypeKind::kBool);
  CHECK(Fails("score + subject"));
  CHECK(Fails("score < due"));
  CHECK(Fails("score and true"));
  CHECK(Fails("not score"));
  CHECK(Fails("-subject"));
  CHECK(Fails("report < report"));
}

TEST_CASE("enum fields compare with their values, bare or quoted", "[dsl]") {
  CHECK(TypeOfText("level == high").kind == TypeKind::kBool);
  CHECK(TypeOfText("low != level").kind == TypeKind::kBool);
  CHECK(TypeOfText("level == \"low\"").kind == TypeKind::kBool);
  CHECK(TypeOfText("level in [high, \"low\"]").kind == TypeKind::kBool);
  CHECK(Fails("level == medium"));
  CHECK(Fails("level == \"medium\""));
  CHECK(Fails("level in [high, 3]"));
}

TEST_CASE("exists takes a field name and count takes a list", "[dsl]") {
  CHECK(TypeOfText("exists(report)").kind == TypeKind::kBool);
  CHECK(TypeOfText("count(tags) > 0").kind == TypeKind::kBool);
  CHECK(TypeOfText("count([1, 2])").kind == TypeKind::kNumber);
  CHECK(Fails("exists(score + 1)"));
  CHECK(Fails("exists(nothing)"));
  CHECK(Fails("count(score)"));
  std::vector<std::string> codes;
  TypeOfText("exist(report)", &codes);
  CHECK(codes == std::vector<std::string>{"unknown-function"});
}

TEST_CASE("a document has a name and a hash, other fields have no parts", "[dsl]") {
  CHECK(TypeOfText("report.name == \"a.pdf\"").kind == TypeKind::kBool);
  CHECK(Fails("report.size > 1"));
  CHECK(Fails("subject.name == \"x\""));
}

TEST_CASE("list items share one type", "[dsl]") {
  Type list = TypeOfText("[1, 2, 3]");
  REQUIRE(list.kind == TypeKind::kList);
  CHECK(list.element->kind == TypeKind::kNumber);
  CHECK(Fails("[1, \"a\"]"));
  CHECK(TypeOfText("subject in [\"a\", \"b\"]").kind == TypeKind::kBool);
  CHECK(Fails("subject not in [1]"));
}

TEST_CASE("an unknown field is reported once, with a hint", "[dsl]") {
  ExprParseResult parsed = ParseExpression({"expr", "scor + 1 > 2"});
  REQUIRE(parsed.expr.has_value());
  Diagnostics found;
  CHECK(TypeOf(*parsed.expr, Fields(), &found).kind == TypeKind::kBool);
  REQUIRE(found.size() == 1);
  CHECK(found[0].ToString() == "expr:1:1: error: unknown field 'scor' (did you mean 'score'?)");
}

TEST_CASE("guards must be bool and set values must fit their field", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  data { score number\n due datetime\n level enum(high, low) }\n"
      "  initial state a {\n"
      "    entry { set due = now + 3 days; set level = high; set level = \"low\" }\n"
      "    on go if score -> done\n"
      "    on set do set score = \"ten\"\n"
      "    at score -> done\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 3);
  CHECK(r.diagnostics[0].message == "a condition must be bool, not number");
  CHECK(r.diagnostics[1].message == "field 'score' is number but the value is text");
  CHECK(r.diagnostics[2].message == "a deadline must be datetime, not number");
}

TEST_CASE("a default must fit its field", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  data { limit duration default 2 months\n score number default \"x\" }\n"
      "  initial state a { on go -> done }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].message == "the default of field 'score' is number but the value is text");
}

TEST_CASE("start values must fit the child's fields", "[dsl]") {
  CompileResult r = CompileText(
      "workflow child {\n"
      "  data { count number }\n"
      "  initial state a { on go -> done }\n"
      "  final state done\n"
      "}\n"
      "workflow parent {\n"
      "  data { title text }\n"
      "  initial state a { entry { start child with { count: title } }\n on child.done -> done }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  REQUIRE(Find(r.diagnostics, "type-error") != nullptr);
  CHECK(Find(r.diagnostics, "type-error")->message ==
        "field 'count' of 'child' is number but the value is text");
}

TEST_CASE("CompileExpression types an expression over no fields", "[dsl]") {
  Diagnostics diagnostics;
  Result<model::Expr> ok = CompileExpression({"eval", "now + 2 months"}, &diagnostics);
  REQUIRE(ok.ok());
  CHECK(ok->op == model::ExprOp::kAdd);
  CHECK(ok->type.kind == TypeKind::kDateTime);
  CHECK(diagnostics.empty());

  Result<model::Expr> bad = CompileExpression({"eval", "due > now"}, &diagnostics);
  CHECK(!bad.ok());
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "unknown-field");

  Result<model::Expr> syntax = CompileExpression({"eval", "1 +"}, nullptr);
  CHECK(!syntax.ok());
}

}  // namespace
}  // namespace zgtflow::dsl
