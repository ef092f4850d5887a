// Tests for dsl::Format: the canonical layout, and the two round-trip laws on
// every .flow file of the project: Format is idempotent, and parsing its output
// gives the same AST as parsing the input (spans aside).
#include "dsl/format.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "dsl/parse.h"
#include "tests/support/ast_dump.h"

namespace zgtflow::dsl {
namespace {

namespace fs = std::filesystem;
using testing::DumpAst;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

FileAst ParseOk(const std::string& path, const std::string& text) {
  ParseResult result = Parse(SourceFile{path, text});
  std::string printed;
  for (const Diagnostic& d : result.diagnostics) printed += d.ToString() + "\n";
  INFO(path << "\n" << printed << "text:\n" << text);
  REQUIRE(result.diagnostics.empty());
  return result.ast;
}

// Both laws for one text.
void CheckRoundTrip(const std::string& path, const std::string& text) {
  FileAst original = ParseOk(path, text);
  std::string once = Format(original);
  FileAst reparsed = ParseOk(path, once);
  INFO(path << " formatted:\n" << once);
  CHECK(DumpAst(reparsed) == DumpAst(original));
  CHECK(Format(reparsed) == once);
}

std::string FormatText(const std::string& text) { return Format(ParseOk("t.flow", text)); }

TEST_CASE("every .flow file of examples/ and workflows/ round-trips through Format", "[dsl]") {
  const fs::path root = ZGT_SOURCE_DIR;
  std::vector<fs::path> files;
  for (const char* folder : {"examples", "workflows"}) {
    if (!fs::is_directory(root / folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (entry.path().extension() == ".flow") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 4);  // At least examples/{hello,roles,rectification,evaluations}.
  for (const fs::path& file : files) {
    std::string relative = fs::relative(file, root).string();
    SECTION(relative) { CheckRoundTrip(relative, ReadFile(file)); }
  }
}

TEST_CASE("Format prints the canonical layout", "[dsl]") {
  std::string messy =
      "# header\n"
      "workflow   hello \"你好\"{calendar cn-mainland\n"
      "data{subject text \"事项\" required\n"
      "limit duration \"期限\" default 2 months\n"
      "n number}\n"
      "on ask by ecosystem_unit require subject->waiting\n"
      "initial state waiting \"等待答复\"{on answer by project_company->answered\n"
      "after 5 working days->escalated}\n"
      "final state answered \"已答复\" final state escalated \"已上报\"{entry{notify "
      "management_unit \"超过{limit}未答复\";}}}\n";
  std::string expected =
      "# header\n"
      "workflow hello \"你好\" {\n"
      "  calendar cn-mainland\n"
      "\n"
      "  data {\n"
      "    subject  text      \"事项\"  required\n"
      "    limit    duration  \"期限\"  default 2 months\n"
      "    n        number\n"
      "  }\n"
      "\n"
      "  on ask by ecosystem_unit require subject -> waiting\n"
      "\n"
      "  initial state waiting \"等待答复\" {\n"
      "    on answer by project_company -> answered\n"
      "    after 5 working days -> escalated\n"
      "  }\n"
      "\n"
      "  final state answered \"已答复\"\n"
      "\n"
      "  final state escalated \"已上报\" {\n"
      "    entry { notify management_unit \"超过{limit}未答复\" }\n"
      "  }\n"
      "}\n";
  CHECK(FormatText(messy) == expected);
  CHECK(FormatText(expected) == expected);
}

TEST_CASE("Format aligns role labels and separates top-level declarations", "[dsl]") {
  CHECK(FormatText("roles { a \"甲\" longer_name \"乙\" bare }\nroles{}\n") ==
        "roles {\n"
        "  a            \"甲\"\n"
        "  longer_name  \"乙\"\n"
        "  bare\n"
        "}\n"
        "\n"
        "roles {}\n");
}

TEST_CASE("Format keeps do forms and breaks long blocks one action per line", "[dsl]") {
  std::string text =
      "workflow w {\n"
      "  state s {\n"
      "    on a -> s do emit x\n"
      "    on b -> s do { emit x }\n"
      "    on c do {}\n"
      "    entry { notify project_company \"一个很长很长很长很长很长很长很长很长的通知内容，超过一百个字符\"; "
      "record \"留痕\" }\n"
      "    exit { }\n"
      "  }\n"
      "}\n";
  std::string expected =
      "workflow w {\n"
      "  state s {\n"
      "    on a -> s do emit x\n"
      "    on b -> s do { emit x }\n"
      "    on c do {}\n"
      "    entry {\n"
      "      notify project_company \"一个很长很长很长很长很长很长很长很长的通知内容，超过一百个字符\"\n"
      "      record \"留痕\"\n"
      "    }\n"
      "    exit {}\n"
      "  }\n"
      "}\n";
  CHECK(FormatText(text) == expected);
  CheckRoundTrip("t.flow", text);
}

TEST_CASE("Format prints actions, timers and strings back as written", "[dsl]") {
  std::string text =
      "workflow w {\n"
      "  state s {\n"
      "    entry { call hotline.create(subject, 1) on reply -> created on failure -> failed }\n"
      "    entry { start child with { a: 1, b: \"x\" }; start other with {}; start bare }\n"
      "    every week until count(files) > 2 do record \"tab\\tquote\\\"slash\\\\nl\\n\"\n"
      "    every 2 quarters\n"
      "    after half day -> s\n"
      "    at due - 3 natural days -> s\n"
      "    after 1 minute\n"
      "  }\n"
      "}\n";
  std::string expected =
      "workflow w {\n"
      "  state s {\n"
      "    entry { call hotline.create(subject, 1) on reply -> created on failure -> failed }\n"
      "    entry { start child with { a: 1, b: \"x\" }; start other with {}; start bare }\n"
      "    every week until count(files) > 2 do record \"tab\\tquote\\\"slash\\\\nl\\n\"\n"
      "    every 2 quarters\n"
      "    after half day -> s\n"
      "    at due - 3 natural days -> s\n"
      "    after 1 minute\n"
      "  }\n"
      "}\n";
  CHECK(FormatText(text) == expected);
  CheckRoundTrip("t.flow", text);
}

TEST_CASE("Format keeps written parentheses and adds none the parse does not need", "[dsl]") {
  auto expr = [](const std::string& text) {
    ExprParseResult result = ParseExpression(SourceFile{"e", text});
    REQUIRE(result.expr.has_value());
    return FormatExpr(*result.expr);
  };
  CHECK(expr("(a + b) * c") == "(a + b) * c");
  CHECK(expr("a+b*c") == "a + b * c");
  CHECK(expr("((x))") == "(x)");
  CHECK(expr("not a == b and c") == "not a == b and c");
  CHECK(expr("a == not b") == "a == not b");
  CHECK(expr("- x") == "-x");
  CHECK(expr("x not in [1,2]") == "x not in [1, 2]");
  CHECK(expr("exists( report )or count(x)>=1") == "exists(report) or count(x) >= 1");
  CHECK(expr("now + 1 year") == "now + 1 year");
  CHECK(expr("2.50") == "2.50");
}

TEST_CASE("FormatExpr adds the parentheses a built tree needs", "[dsl]") {
  auto ref = [](const std::string& name) {
    Expr e;
    e.kind = ExprKind::kRef;
    e.path = {name};
    return e;
  };
  auto binary = [](const std::string& op, Expr l, Expr r) {
    Expr e;
    e.kind = ExprKind::kBinary;
    e.op = op;
    e.children = {std::move(l), std::move(r)};
    return e;
  };
  auto negation = [](Expr operand) {
    Expr e;
    e.kind = ExprKind::kUnary;
    e.op = "not";
    e.children = {std::move(operand)};
    return e;
  };
  CHECK(FormatExpr(binary("*", binary("+", ref("a"), ref("b")), ref("c"))) == "(a + b) * c");
  CHECK(FormatExpr(binary("-", ref("a"), binary("-", ref("b"), ref("c")))) == "a - (b - c)");
  CHECK(FormatExpr(binary("-", binary("-", ref("a"), ref("b")), ref("c"))) == "a - b - c");
  // (not a) == b must not print as `not a == b`, which is not (a == b).
  CHECK(FormatExpr(binary("==", negation(ref("a")), ref("b"))) == "(not a) == b");
  // (x + not a) == b: the `not` would swallow `== b`.
  CHECK(FormatExpr(binary("==", binary("+", ref("x"), negation(ref("a"))), ref("b"))) ==
        "x + (not a) == b");
  CHECK(FormatExpr(negation(binary("and", ref("a"), ref("b")))) == "not (a and b)");
  CHECK(FormatExpr(binary("and", negation(ref("a")), ref("b"))) == "not a and b");
}

TEST_CASE("Format keeps comments where they were written", "[dsl]") {
  std::string text =
      "# The file's header.\n"
      "\n"
      "# Roles.\n"
      "roles {\n"
      "  # First role.\n"
      "  a \"甲\"\n"
      "  # No more roles.\n"
      "}\n"
      "workflow w { # trailing on the header line\n"
      "  # Calendar.\n"
      "  calendar cn-mainland\n"
      "  data {\n"
      "    # A field.\n"
      "    x text\n"
      "    # After the fields.\n"
      "  }\n"
      "  # How a case starts.\n"
      "  on go by a -> s\n"
      "  state s {\n"
      "    # Entry.\n"
      "    entry {\n"
      "      # First action.\n"
      "      set x = \"1\"\n"
      "      set x = \"2\"\n"
      "    }\n"
      "    on t -> s do # before the action\n"
      "      emit e\n"
      "    # Timer.\n"
      "    after 1 day -> s\n"
      "    # Child.\n"
      "    state c\n"
      "    # End of s.\n"
      "  }\n"
      "  # End of w.\n"
      "}\n"
      "# End of file.\n";
  std::string expected =
      "# The file's header.\n"
      "# Roles.\n"
      "roles {\n"
      "  # First role.\n"
      "  a  \"甲\"\n"
      "  # No more roles.\n"
      "}\n"
      "\n"
      "workflow w {\n"
      "  # trailing on the header line\n"
      "  # Calendar.\n"
      "  calendar cn-mainland\n"
      "\n"
      "  data {\n"
      "    # A field.\n"
      "    x  text\n"
      "    # After the fields.\n"
      "  }\n"
      "\n"
      "  # How a case starts.\n"
      "  on go by a -> s\n"
      "\n"
      "  state s {\n"
      "    # Entry.\n"
      "    entry {\n"
      "      # First action.\n"
      "      set x = \"1\"\n"
      "      set x = \"2\"\n"
      "    }\n"
      "    on t -> s do\n"
      "      # before the action\n"
      "      emit e\n"
      "    # Timer.\n"
      "    after 1 day -> s\n"
      "\n"
      "    # Child.\n"
      "    state c\n"
      "    # End of s.\n"
      "  }\n"
      "  # End of w.\n"
      "}\n"
      "\n"
      "# End of file.\n";
  CHECK(FormatText(text) == expected);
  CheckRoundTrip("t.flow", text);
  CheckRoundTrip("t.flow", expected);
}

TEST_CASE("Format of an empty file is empty, and of comments only is the comments", "[dsl]") {
  CHECK(FormatText("") == "");
  CHECK(FormatText("  \n\n") == "");
  CHECK(FormatText("# a\n\n# b\n") == "# a\n# b\n");
}

TEST_CASE("Format round-trips keyword names, Unicode names and several blocks", "[dsl]") {
  CheckRoundTrip("t.flow",
                 "workflow 整改 {\n"
                 "  cites \"a\"\n"
                 "  cites \"b\" \"c\"\n"
                 "  data { year number }\n"
                 "  data { record text \"记录\" default \"无\" }\n"
                 "  state data { on record by start -> state }\n"
                 "  final state state\n"
                 "  choice state 分支 { if year > 1 and not (year in [2, 3]) -> data "
                 "else -> state do set year = -1 }\n"
                 "}\n");
}

}  // namespace
}  // namespace zgtflow::dsl
