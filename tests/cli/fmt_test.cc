// `zgtflow fmt [--check]`: canonical files pass, misformatted ones are listed
// (--check, exit 1) or rewritten; files with syntax errors are left alone.
#include <catch2/catch.hpp>

#include "tests/cli/run_binary.h"

using namespace zgtflow::testing;

namespace {

// examples/hello.flow with its layout spoilt: indentation, spacing and blank
// lines changed, nothing else.
std::string Misformatted() {
  return "workflow hello \"你好\" {\n"
         "calendar   cn-mainland\n"
         "  data {   subject text \"事项\" required }\n"
         "\n\n\n"
         "      on ask by ecosystem_unit require subject -> waiting\n"
         "initial state waiting \"等待答复\" { on answer by project_company -> answered\n"
         "after 5 working days -> escalated }\n"
         "  final state answered \"已答复\"\n"
         "final state escalated \"已上报\" { entry { notify management_unit \"事项 {subject} "
         "超过5个工作日未答复\" } }\n"
         "}\n";
}

}  // namespace

TEST_CASE("fmt --check lists a misformatted file and exits 1, and fmt rewrites it", "[cli]") {
  TempDir dir;
  std::string file = dir.File("hello.flow");
  WriteText(file, Misformatted());

  Run check = RunZgtflow({"fmt", "--check", dir.path()});
  INFO(check.err);
  CHECK(check.status == 1);
  CHECK(Contains(check.out, file));
  CHECK(ReadText(file) == Misformatted());  // --check rewrites nothing.

  Run rewrite = RunZgtflow({"fmt", file});
  INFO(rewrite.err);
  REQUIRE(rewrite.status == 0);
  std::string formatted = ReadText(file);
  CHECK(formatted != Misformatted());
  CHECK(Contains(formatted, "initial state waiting \"等待答复\""));

  // The rewritten file is canonical: --check passes and fmt is idempotent.
  Run again = RunZgtflow({"fmt", "--check", file});
  INFO(again.out << again.err);
  CHECK(again.status == 0);
  CHECK(again.out.empty());
  REQUIRE(RunZgtflow({"fmt", file}).status == 0);
  CHECK(ReadText(file) == formatted);
  // And it still checks clean, with the roles of the examples.
  WriteText(dir.File("roles.flow"), ReadText(std::string(ZGT_SOURCE_DIR) + "/examples/roles.flow"));
  Run checked = RunZgtflow({"check", dir.path()});
  INFO(checked.err);
  CHECK(checked.status == 0);
}

TEST_CASE("fmt --check passes canonical files and exits 0", "[cli]") {
  TempDir dir;
  for (const char* name : {"hello.flow", "rectification.flow", "evaluations.flow", "roles.flow"}) {
    WriteText(dir.File(name), ReadText(std::string(ZGT_SOURCE_DIR) + "/examples/" + name));
  }
  REQUIRE(RunZgtflow({"fmt", dir.path()}).status == 0);  // Now canonical, whatever they were.
  Run run = RunZgtflow({"fmt", "--check", dir.path()});
  INFO(run.out << run.err);
  CHECK(run.status == 0);
  CHECK(run.out.empty());
}

TEST_CASE("fmt refuses to rewrite a file with syntax errors", "[cli]") {
  TempDir dir;
  std::string file = dir.File("broken.flow");
  std::string text = "workflow broken {\n   state a { on -> }\n";
  WriteText(file, text);
  Run run = RunZgtflow({"fmt", file});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, file + ":"));
  CHECK(Contains(run.err, "error:"));
  CHECK(ReadText(file) == text);
}

TEST_CASE("the shipped workflows and examples are in canonical form", "[cli]") {
  Run check = RunZgtflow({"fmt", "--check", "workflows", "examples"});
  INFO(check.out << check.err);
  CHECK(check.status == 0);
}

TEST_CASE("the shipped workflows check clean and every scenario of theirs passes", "[cli]") {
  Run check = RunZgtflow({"check", "workflows"});
  INFO(check.err);
  CHECK(check.status == 0);
  CHECK(check.err.empty());  // Not even a warning.
  Run test = RunZgtflow({"test", "--workflows", "workflows", "workflows"});
  INFO(test.out << test.err);
  CHECK(test.status == 0);
  CHECK(Contains(LastLine(test.out), " passed, 0 failed"));
}
