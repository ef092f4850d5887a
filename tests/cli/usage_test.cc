// Bad usage: unknown subcommands and options print the usage and exit 2,
// without a crash; --help exits 0.
#include <catch2/catch.hpp>

#include "tests/cli/run_binary.h"

using namespace zgtflow::testing;

TEST_CASE("an unknown subcommand prints the usage and exits 2", "[cli]") {
  Run run = RunZgtflow({"frobnicate"});
  CHECK(run.status == 2);
  CHECK(Contains(run.err, "frobnicate"));
  CHECK(Contains(run.err, "Usage"));
  CHECK(run.out.empty());
}

TEST_CASE("no subcommand at all prints the usage and exits 2", "[cli]") {
  Run run = RunZgtflow({});
  CHECK(run.status == 2);
  CHECK(Contains(run.err, "Usage"));
}

TEST_CASE("an unknown option of a subcommand prints its usage and exits 2", "[cli]") {
  Run run = RunZgtflow({"check", "--frobnicate", "examples/"});
  CHECK(run.status == 2);
  CHECK(Contains(run.err, "--frobnicate"));
  CHECK(Contains(run.err, "check"));
}

TEST_CASE("a subcommand without its required arguments exits 2", "[cli]") {
  CHECK(RunZgtflow({"check"}).status == 2);
  CHECK(RunZgtflow({"eval"}).status == 2);
  CHECK(RunZgtflow({"graph", "examples/hello.flow", "--format", "png"}).status == 2);
}

TEST_CASE("--help prints the subcommands and exits 0", "[cli]") {
  Run run = RunZgtflow({"--help"});
  CHECK(run.status == 0);
  for (const char* command : {"check", "fmt", "graph", "eval", "test"}) {
    CHECK(Contains(run.out, command));
  }
  Run sub = RunZgtflow({"graph", "--help"});
  CHECK(sub.status == 0);
  CHECK(Contains(sub.out, "--format"));
}
