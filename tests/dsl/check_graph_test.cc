// Structure and graph checks: initial states, final states, choice states,
// reachability, ways out and workflows that can never finish.
#include <catch2/catch.hpp>

#include "tests/dsl/compile_helpers.h"

namespace zgtflow::dsl {
namespace {

using testing::Codes;
using testing::CompileText;
using testing::Find;
using testing::Printed;

TEST_CASE("a workflow with start transitions needs no initial state", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  on open by police -> b\n"
      "  state a { on go -> done }\n"
      "  state b { on go -> a }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("a compound state with one child enters it without an initial mark", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state outer {\n"
      "    state inner { on go -> done }\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("only the outermost unreachable state is reported", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { on go -> done }\n"
      "  state island {\n"
      "    initial state inner { on go -> done }\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "unreachable-state");
  CHECK(r.diagnostics[0].message == "state 'island' is unreachable");
}

TEST_CASE("a child state reached directly makes its ancestors reachable", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { on go -> inner2 }\n"
      "  state outer {\n"
      "    initial state inner1 { on go -> inner2 }\n"
      "    state inner2 { on go -> done }\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("a child inherits its parent's transitions as a way out", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state outer {\n"
      "    initial state waiting\n"
      "    after 3 days -> done\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("an internal transition is no way out", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { on go -> stuck\n on skip -> done }\n"
      "  state stuck { on note do record \"x\" }\n"
      "  final state done\n"
      "}\n");
  REQUIRE(Find(r.diagnostics, "no-way-out") != nullptr);
  CHECK(Find(r.diagnostics, "no-way-out")->message ==
        "state 'stuck' is not final and has no way out");
}

TEST_CASE("a done transition moves on only when the compound state is done", "[dsl]") {
  // `outer.done` is the only way on, and `outer` has no final child: the
  // case can never finish, though a transition seems to lead to `done`.
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state outer {\n"
      "    initial state x { on go -> y }\n"
      "    state y { on go -> x }\n"
      "    on outer.done -> done\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  REQUIRE(Find(r.diagnostics, "never-finishes") != nullptr);
  CHECK(Find(r.diagnostics, "never-finishes")->message ==
        "states 'x' and 'y' loop without ever reaching a final state");
}

TEST_CASE("a parallel state is done when its regions reach their final states", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state top {\n"
      "    parallel state both {\n"
      "      state r1 { initial state p1 { on a -> f1 }\n final state f1 }\n"
      "      state r2 { initial state p2 { on b -> f2 }\n final state f2 }\n"
      "    }\n"
      "    on both.done -> done\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("a workflow without a final state can never finish", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { after 1 day -> b }\n"
      "  state b { after 1 day -> a }\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "never-finishes");
}

TEST_CASE("a timer without a target is no way out", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { every 1 day do notify police \"x\" }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  CHECK(Codes(r.diagnostics) == std::vector<std::string>{"no-way-out", "unreachable-state"});
}

TEST_CASE("graph checks are skipped while a name is wrong", "[dsl]") {
  // The misspelt target would also make `verifying` unreachable; only the
  // cause is reported.
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { on go -> verifyng }\n"
      "  state verifying { on go -> done }\n"
      "  final state done\n"
      "}\n");
  CHECK(Codes(r.diagnostics) == std::vector<std::string>{"unknown-state"});
}

TEST_CASE("warnings alone do not stop lowering", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  data { score number }\n"
      "  on grade require score -> pick\n"
      "  choice state pick { if score > 1 -> done }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  CHECK(Codes(r.diagnostics) == std::vector<std::string>{"choice-without-else"});
  CHECK(r.ok());
  CHECK(r.workflows.size() == 1);
}

}  // namespace
}  // namespace zgtflow::dsl
