// Name checks: unknown and duplicate names across the files compiled together.
#include <catch2/catch.hpp>

#include "tests/dsl/compile_helpers.h"

namespace zgtflow::dsl {
namespace {

using testing::CompileText;
using testing::Find;
using testing::Printed;

TEST_CASE("a misspelt target state is reported with the state it probably means", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state drafting { on submit -> verfying }\n"
      "  state verifying { on accept -> done }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].ToString() ==
        "test.flow:2:41: error: unknown state 'verfying' (did you mean 'verifying'?)");
  CHECK(r.workflows.empty());
}

TEST_CASE("a name far from every candidate gets no hint", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { on go -> zzzzzzzz }\n"
      "  final state done\n"
      "}\n");
  const Diagnostic* d = Find(r.diagnostics, "unknown-state");
  REQUIRE(d != nullptr);
  CHECK(d->hint.empty());
}

TEST_CASE("roles declared in another file are known", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { on go by police, cac -> done }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  CHECK(r.ok());
  CHECK(r.diagnostics.empty());
}

TEST_CASE("without the roles file every role is unknown", "[dsl]") {
  CompileResult r = Compile({{"test.flow",
                              "workflow w {\n"
                              "  initial state a { on go by police -> done }\n"
                              "  final state done\n"
                              "}\n"}});
  REQUIRE(Find(r.diagnostics, "unknown-role") != nullptr);
  CHECK(Find(r.diagnostics, "unknown-role")->message == "unknown role 'police'");
}

TEST_CASE("start may name a workflow of another file, and its keys are the child's fields",
          "[dsl]") {
  SourceFile child{"child.flow",
                   "workflow child {\n"
                   "  data { subject text }\n"
                   "  initial state a { on go -> done }\n"
                   "  final state done\n"
                   "}\n"};
  SourceFile parent{"parent.flow",
                    "workflow parent {\n"
                    "  data { title text }\n"
                    "  initial state a {\n"
                    "    entry { start child with { subject: title, title: title } }\n"
                    "    on child.done -> done\n"
                    "  }\n"
                    "  final state done\n"
                    "}\n"};
  CompileResult r = Compile({testing::RolesFile(), parent, child});
  INFO(Printed(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "unknown-field");
  CHECK(r.diagnostics[0].message == "workflow 'child' has no field 'title'");
  CHECK(r.diagnostics[0].span.path == "parent.flow");
}

TEST_CASE("child.done is valid only in a workflow that starts a child case", "[dsl]") {
  CompileResult r = CompileText(
      "workflow w {\n"
      "  initial state a { on child.done -> done }\n"
      "  final state done\n"
      "}\n");
  REQUIRE(Find(r.diagnostics, "invalid-done-event") != nullptr);
}

TEST_CASE("X.done is valid for a compound state and rejected for an atomic one", "[dsl]") {
  CompileResult ok = CompileText(
      "workflow w {\n"
      "  initial state outer {\n"
      "    initial state inner { on go -> end }\n"
      "    final state end\n"
      "    on outer.done -> done\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(ok.diagnostics));
  CHECK(ok.diagnostics.empty());
  CompileResult bad = CompileText(
      "workflow w {\n"
      "  initial state a { on a.done -> done\n on go -> done }\n"
      "  final state done\n"
      "}\n");
  REQUIRE(Find(bad.diagnostics, "invalid-done-event") != nullptr);
}

TEST_CASE("a file with syntax errors still declares its workflows and roles", "[dsl]") {
  // The broken file's workflow is named by `start`; only its syntax error is
  // reported, not an unknown workflow in the other file.
  SourceFile broken{"broken.flow", "roles { auditor }\nworkflow child { state a { on -> } }\n"};
  SourceFile parent{"parent.flow",
                    "workflow parent {\n"
                    "  initial state a {\n"
                    "    entry { start child }\n"
                    "    on child.done by auditor -> done\n"
                    "  }\n"
                    "  final state done\n"
                    "}\n"};
  CompileResult r = Compile({parent, broken});
  INFO(Printed(r.diagnostics));
  REQUIRE(!r.diagnostics.empty());
  for (const Diagnostic& d : r.diagnostics) CHECK(d.span.path == "broken.flow");
  CHECK(r.workflows.empty());
}

TEST_CASE("every error of every file is reported in one run, sorted by position", "[dsl]") {
  SourceFile a{"a.flow",
               "workflow a {\n  initial state s { on go by nobody -> t }\n  final state done\n}\n"};
  SourceFile b{"b.flow",
               "workflow b {\n  initial state s { on go -> t }\n  final state done\n}\n"};
  CompileResult r = Compile({testing::RolesFile(), b, a});
  INFO(Printed(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 3);
  CHECK(r.diagnostics[0].ToString() == "a.flow:2:30: error: unknown role 'nobody'");
  CHECK(r.diagnostics[1].span.path == "a.flow");
  CHECK(r.diagnostics[1].code == "unknown-state");
  CHECK(r.diagnostics[2].span.path == "b.flow");
}

TEST_CASE("the known calendars are a parameter", "[dsl]") {
  const std::string text =
      "workflow w {\n  calendar hk-sar\n  initial state a { on go -> done }\n"
      "  final state done\n}\n";
  CHECK(Find(CompileText(text).diagnostics, "unknown-calendar") != nullptr);
  CompileOptions options;
  options.calendars = {"cn-mainland", "hk-sar"};
  CompileResult r = CompileText(text, options);
  INFO(Printed(r.diagnostics));
  CHECK(r.ok());
  REQUIRE(r.workflows.size() == 1);
  CHECK(r.workflows[0]->calendar == "hk-sar");
}

TEST_CASE("duplicate workflows are reported across files", "[dsl]") {
  SourceFile a{"a.flow", "workflow w {\n  initial state s { on go -> done }\n  final state done\n}\n"};
  SourceFile b{"b.flow", "workflow w {\n  initial state s { on go -> done }\n  final state done\n}\n"};
  CompileResult r = Compile({a, b});
  const Diagnostic* d = Find(r.diagnostics, "duplicate-workflow");
  REQUIRE(d != nullptr);
  CHECK(d->span.path == "b.flow");
  CHECK(d->hint == "first declared at a.flow:1:10");
}

}  // namespace
}  // namespace zgtflow::dsl
