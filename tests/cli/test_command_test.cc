// `zgtflow test`: scenario files run against compiled workflows; one line per
// scenario and a last line "N passed, N failed".
#include <catch2/catch.hpp>

#include <regex>

#include "tests/cli/run_binary.h"

using namespace zgtflow::testing;

namespace {

void CopyExample(const TempDir& dir, const std::string& name) {
  WriteText(dir.File(name), ReadText(std::string(ZGT_SOURCE_DIR) + "/examples/" + name));
}

}  // namespace

TEST_CASE("test on the examples folder passes every scenario", "[cli]") {
  Run run = RunZgtflow({"test", "examples/"});
  INFO(run.out << run.err);
  CHECK(run.status == 0);
  std::smatch match;
  std::string last = LastLine(run.out);
  REQUIRE(std::regex_match(last, match, std::regex("([0-9]+) passed, 0 failed")));
  CHECK(std::stoi(match[1]) > 0);
  CHECK(Contains(run.out, "PASS examples/"));
}

TEST_CASE("test reports a failing scenario with its failure and exits 1", "[cli]") {
  TempDir dir;
  CopyExample(dir, "hello.flow");
  CopyExample(dir, "roles.flow");
  WriteText(dir.File("hello.scenario"),
            "scenario \"an answer closes the request\"\n"
            "workflow hello\n"
            "at 2025-09-26T10:00:00+08:00\n"
            "start as ecosystem_unit with {\"subject\": \"接口对接\"}\n"
            "send answer as project_company\n"
            "expect state answered\n"
            "\n"
            "scenario \"a wrong expectation fails\"\n"
            "workflow hello\n"
            "at 2025-09-26T10:00:00+08:00\n"
            "start as ecosystem_unit with {\"subject\": \"接口对接\"}\n"
            "expect state escalated\n");
  Run run = RunZgtflow({"test", "--workflows", dir.path(), dir.path()});
  INFO(run.out << run.err);
  CHECK(run.status == 1);
  CHECK(Contains(run.out, "PASS " + dir.File("hello.scenario") + ": an answer closes the request\n"));
  CHECK(Contains(run.out, "FAIL " + dir.File("hello.scenario") + ": a wrong expectation fails\n"));
  CHECK(LastLine(run.out) == "1 passed, 1 failed");
}

TEST_CASE("test counts a scenario file that does not parse as a failure", "[cli]") {
  TempDir dir;
  CopyExample(dir, "hello.flow");
  CopyExample(dir, "roles.flow");
  WriteText(dir.File("broken.scenario"), "scenario \"broken\"\nworkflow hello\nat yesterday\n");
  Run run = RunZgtflow({"test", "--workflows", dir.path(), dir.File("broken.scenario")});
  INFO(run.out << run.err);
  CHECK(run.status == 1);
  CHECK(Contains(run.err, dir.File("broken.scenario") + ":3:"));
  CHECK(LastLine(run.out) == "0 passed, 1 failed");
}

TEST_CASE("test refuses to run when the workflows do not compile", "[cli]") {
  TempDir dir;
  WriteText(dir.File("bad.flow"), ReadText(std::string(ZGT_SOURCE_DIR) +
                                           "/tests/cli/golden/misspelt_state.flow"));
  WriteText(dir.File("bad.scenario"), "scenario \"x\"\nworkflow misspelt\nstart\n");
  Run run = RunZgtflow({"test", "--workflows", dir.path(), dir.path()});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, "unknown state 'verfying'"));
}
