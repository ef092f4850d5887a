// `zgtflow check`: diagnostics compiler-style on stderr, a summary, exit 1 on
// any error (the real binary, golden files under tests/cli/golden/).
#include <catch2/catch.hpp>

#include "tests/cli/run_binary.h"

using namespace zgtflow::testing;

TEST_CASE("check on the examples folder reports no error and exits 0", "[cli]") {
  Run run = RunZgtflow({"check", "examples/"});
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK_FALSE(Contains(run.err, "error:"));
  CHECK(Contains(run.out, "checked "));
  CHECK(Contains(run.out, ": 0 errors, "));
}

TEST_CASE("check on one example file finds the roles declared next to it", "[cli]") {
  Run run = RunZgtflow({"check", "examples/hello.flow"});
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK(Contains(run.out, ": 0 errors, "));
}

TEST_CASE("check points at a misspelt target state and suggests the right one", "[cli]") {
  Run run = RunZgtflow({"check", "tests/cli/golden/misspelt_state.flow"});
  CHECK(run.status == 1);
  CHECK(run.err == Golden("misspelt_state.stderr", run.err));
  CHECK(run.out == Golden("misspelt_state.stdout", run.out));
  CHECK(Contains(run.err,
                 "tests/cli/golden/misspelt_state.flow:11:39: error: unknown state 'verfying' "
                 "(did you mean 'verifying'?)"));
}

TEST_CASE("check reports a file that does not exist and exits 1", "[cli]") {
  Run run = RunZgtflow({"check", "examples/no_such_file.flow"});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, "no_such_file.flow"));
}

TEST_CASE("check reports every syntax error of a broken file without crashing", "[cli]") {
  TempDir dir;
  WriteText(dir.File("broken.flow"), "workflow broken {\n  state a { on -> }\n  state \"\n");
  Run run = RunZgtflow({"check", dir.File("broken.flow")});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, dir.File("broken.flow") + ":2:"));
  CHECK(Contains(run.err, "error:"));
}
