// `zgtflow graph`: DOT and SVG of every example workflow on stdout.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/cli/run_binary.h"

using namespace zgtflow::testing;

namespace {

struct Example {
  std::string file;
  std::string workflow;  // "" = the file's first.
  std::vector<std::string> labels;  // Chinese labels the drawing must show.
};

std::vector<Example> Examples() {
  return {
      {"examples/hello.flow", "", {"你好", "等待答复", "已答复", "已上报"}},
      {"examples/rectification.flow", "", {"限期整改", "整改中", "管理单位验收", "依约处罚"}},
      {"examples/evaluations.flow", "", {"上线后测评", "等保测评待完成", "密码测评通过"}},
      {"examples/evaluations.flow", "triage", {"事件分级", "特别重大", "已结束"}},
  };
}

}  // namespace

TEST_CASE("graph --format svg draws every example with its Chinese labels", "[cli]") {
  for (const Example& example : Examples()) {
    INFO(example.file << " " << example.workflow);
    std::vector<std::string> args = {"graph", example.file, "--format", "svg"};
    if (!example.workflow.empty()) {
      args.push_back("--workflow");
      args.push_back(example.workflow);
    }
    Run run = RunZgtflow(args);
    INFO(run.err);
    REQUIRE(run.status == 0);
    CHECK(Contains(run.out, "<svg"));
    CHECK(LastLine(run.out) == "</svg>");
    for (const std::string& label : example.labels) CHECK(Contains(run.out, label));
  }
}

TEST_CASE("graph --format dot draws nested states as clusters and regions dashed", "[cli]") {
  Run run = RunZgtflow({"graph", "examples/evaluations.flow", "--format", "dot"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK(Contains(run.out, "digraph \"evaluations\""));
  CHECK(Contains(run.out, "subgraph cluster_s"));
  CHECK(Contains(run.out, "rounded,dashed"));
  CHECK(Contains(run.out, "label=\"after 1 year\""));
  CHECK(Contains(run.out, "label=\"every month\""));
  CHECK(Contains(run.out, "mlps_passed [by project_company]"));
}

TEST_CASE("graph labels timers with their durations and deadlines", "[cli]") {
  Run hello = RunZgtflow({"graph", "examples/hello.flow"});
  REQUIRE(hello.status == 0);
  CHECK(Contains(hello.out, "label=\"after 5 working days\""));
  CHECK(Contains(hello.out, "label=\"answer [by project_company]\""));
  Run rectification = RunZgtflow({"graph", "examples/rectification.flow"});
  REQUIRE(rectification.status == 0);
  CHECK(Contains(rectification.out, "label=\"at due\""));
  CHECK(Contains(rectification.out, "shape=doublecircle"));
  Run triage = RunZgtflow({"graph", "examples/evaluations.flow", "--workflow", "triage"});
  REQUIRE(triage.status == 0);
  CHECK(Contains(triage.out, "shape=diamond"));
  CHECK(Contains(triage.out, "every 30 minutes until level > 1"));
}

TEST_CASE("graph names the workflows of a file when asked for one it lacks", "[cli]") {
  Run run = RunZgtflow({"graph", "examples/evaluations.flow", "--workflow", "nope"});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, "evaluations, triage"));
  CHECK(run.out.empty());
}

TEST_CASE("graph prints the diagnostics of a file that does not compile and exits 1", "[cli]") {
  Run run = RunZgtflow({"graph", "tests/cli/golden/misspelt_state.flow"});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, "unknown state 'verfying'"));
  CHECK(run.out.empty());
}
