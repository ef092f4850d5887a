// Lowering: examples/*.flow → model::Workflow (indices, parents, initial
// children, types, versions).
#include <filesystem>

#include <catch2/catch.hpp>

#include "dsl/lower.h"
#include "tests/dsl/compile_helpers.h"

namespace zgtflow::dsl {
namespace {

using model::StateKind;
using model::TypeKind;
using testing::Printed;
using testing::ReadProjectFile;

std::vector<SourceFile> ExampleFiles() {
  std::vector<SourceFile> files;
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(ZGT_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() == ".flow") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    files.push_back({"examples/" + name, ReadProjectFile("examples/" + name)});
  }
  return files;
}

std::shared_ptr<const model::Workflow> Get(const CompileResult& r, const std::string& id) {
  for (const auto& w : r.workflows) {
    if (w->id == id) return w;
  }
  FAIL("no workflow " << id);
  return nullptr;
}

const model::StateDef& S(const model::Workflow& w, const std::string& name) {
  int index = w.FindState(name);
  REQUIRE(index > 0);
  return w.states[index];
}

TEST_CASE("every example compiles together without a diagnostic", "[dsl]") {
  std::vector<SourceFile> files = ExampleFiles();
  REQUIRE(files.size() >= 4);
  CompileResult r = Compile(files);
  INFO(Printed(r.diagnostics));
  CHECK(r.diagnostics.empty());
  CHECK(r.ok());
  CHECK(r.files.size() == files.size());
  CHECK(r.workflows.size() >= 4);
}

TEST_CASE("rectification lowers to a root and five top-level states", "[dsl]") {
  CompileResult r = Compile(ExampleFiles());
  REQUIRE(r.ok());
  auto w = Get(r, "rectification");
  CHECK(w->label == "限期整改");
  CHECK(w->calendar == "cn-mainland");
  CHECK(w->cites == std::vector<std::string>{"【管理单位建设责任】", "第1条", "第7条"});
  CHECK(w->source_path == "examples/rectification.flow");
  REQUIRE(w->states.size() == 6);
  const model::StateDef& root = w->states[0];
  CHECK(root.name.empty());
  CHECK(root.kind == StateKind::kCompound);
  CHECK(root.parent == -1);
  CHECK(root.children == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(root.initial_child == w->FindState("issued"));
  CHECK(w->states[1].name == "issued");
  CHECK(w->states[1].label == "已下发整改通知");
  CHECK(w->states[1].depth == 1);
  CHECK(w->states[1].parent == 0);
  CHECK(S(*w, "closed").kind == StateKind::kFinal);
  CHECK(S(*w, "rectifying").kind == StateKind::kAtomic);

  // Fields, in order, with types and defaults.
  REQUIRE(w->fields.size() == 4);
  CHECK(w->FindField("limit") == 2);
  CHECK(w->fields[0].required);
  CHECK(w->fields[2].type.kind == TypeKind::kDuration);
  CHECK(w->fields[2].has_default);
  CHECK(w->fields[2].default_value.literal.kind() == model::Value::Kind::kDuration);
  CHECK(w->fields[3].type.kind == TypeKind::kDateTime);

  // entry { set due = now + limit; notify … }
  const model::StateDef& issued = S(*w, "issued");
  REQUIRE(issued.entry.size() == 2);
  CHECK(issued.entry[0].kind == model::ActionKind::kSet);
  CHECK(issued.entry[0].field == w->FindField("due"));
  CHECK(issued.entry[0].value.op == model::ExprOp::kAdd);
  CHECK(issued.entry[0].value.type.kind == TypeKind::kDateTime);
  REQUIRE(issued.entry[0].value.children.size() == 2);
  CHECK(issued.entry[0].value.children[0].op == model::ExprOp::kNow);
  CHECK(issued.entry[0].value.children[1].field == w->FindField("limit"));
  CHECK(issued.entry[1].kind == model::ActionKind::kNotify);
  CHECK(issued.entry[1].role == "project_company");
  REQUIRE(issued.transitions.size() == 1);
  CHECK(issued.transitions[0].kind == model::TransitionKind::kAlways);
  CHECK(issued.transitions[0].target == w->FindState("rectifying"));

  const model::StateDef& rectifying = S(*w, "rectifying");
  REQUIRE(rectifying.timers.size() == 2);
  CHECK(rectifying.timers[0].kind == model::TimerKind::kAt);
  CHECK(rectifying.timers[0].target == -1);
  CHECK(rectifying.timers[0].at.op == model::ExprOp::kSub);
  CHECK(rectifying.timers[0].at.type.kind == TypeKind::kDateTime);
  CHECK(rectifying.timers[1].target == w->FindState("penalty"));
  CHECK(rectifying.transitions[0].roles == std::vector<std::string>{"project_company"});

  REQUIRE(w->start_transitions.size() == 1);
  CHECK(w->start_transitions[0].event == "issue");
  CHECK(w->start_transitions[0].required_fields == std::vector<int>{0});
  CHECK(w->start_transitions[0].target == w->FindState("issued"));
  CHECK(w->events == std::vector<std::string>{"accept", "issue", "reject", "submit"});
  REQUIRE(w->FindRole("management_unit") != nullptr);
  CHECK(w->FindRole("management_unit")->label == "管理单位");
}

TEST_CASE("nested and parallel states get parents, depths and initial children", "[dsl]") {
  CompileResult r = Compile(ExampleFiles());
  REQUIRE(r.ok());
  auto w = Get(r, "evaluations");
  // The start transition enters `live`, so the root enters it by default.
  CHECK(w->states[0].initial_child == w->FindState("live"));
  const model::StateDef& live = S(*w, "live");
  CHECK(live.kind == StateKind::kCompound);
  CHECK(live.initial_child == w->FindState("evaluating"));  // Its only child.
  const model::StateDef& evaluating = S(*w, "evaluating");
  CHECK(evaluating.kind == StateKind::kParallel);
  CHECK(evaluating.parent == w->FindState("live"));
  CHECK(evaluating.depth == 2);
  CHECK(evaluating.children ==
        std::vector<int>{w->FindState("mlps"), w->FindState("crypto")});
  const model::StateDef& mlps = S(*w, "mlps");
  CHECK(mlps.kind == StateKind::kCompound);
  CHECK(mlps.initial_child == w->FindState("mlps_pending"));
  CHECK(S(*w, "mlps_done").depth == 4);
  CHECK(S(*w, "mlps_done").kind == StateKind::kFinal);
  // Document order: every parent precedes its children.
  for (size_t i = 1; i < w->states.size(); ++i) CHECK(w->states[i].parent < static_cast<int>(i));
  // list of enum(…, "5g_message")
  const model::FieldDef& terminals = w->fields[w->FindField("terminals")];
  REQUIRE(terminals.type.kind == TypeKind::kList);
  CHECK(terminals.type.element->kind == TypeKind::kEnum);
  CHECK(terminals.type.element->enum_values.back() == "5g_message");
  // every month do notify …
  const model::StateDef& pending = S(*w, "mlps_pending");
  REQUIRE(pending.timers.size() == 1);
  CHECK(pending.timers[0].kind == model::TimerKind::kEvery);
  CHECK(pending.timers[0].duration.unit == calendar::DurationUnit::kMonths);
  CHECK(pending.transitions[0].required_fields ==
        std::vector<int>{w->FindField("report")});
  const model::StateDef& overdue = S(*w, "overdue");
  REQUIRE(overdue.entry.size() == 2);
  CHECK(overdue.entry[1].kind == model::ActionKind::kStart);
  CHECK(overdue.entry[1].workflow == "rectification");
  REQUIRE(overdue.entry[1].with.size() == 1);
  CHECK(overdue.entry[1].with[0].first == "subject");
  CHECK(overdue.entry[1].with[0].second.field == w->FindField("system_name"));
}

TEST_CASE("choice branches keep their order and guards", "[dsl]") {
  CompileResult r = Compile(ExampleFiles());
  REQUIRE(r.ok());
  auto w = Get(r, "triage");
  const model::StateDef& classify = S(*w, "classify");
  CHECK(classify.kind == StateKind::kChoice);
  REQUIRE(classify.transitions.size() == 3);
  CHECK(classify.transitions[0].kind == model::TransitionKind::kChoiceIf);
  CHECK(classify.transitions[0].has_guard);
  CHECK(classify.transitions[0].guard.op == model::ExprOp::kGt);
  CHECK(classify.transitions[0].guard.type.kind == TypeKind::kBool);
  CHECK(classify.transitions[1].guard.op == model::ExprOp::kAnd);
  CHECK(classify.transitions[2].kind == model::TransitionKind::kChoiceElse);
  CHECK(!classify.transitions[2].has_guard);
  REQUIRE(classify.transitions[2].actions.size() == 1);
  CHECK(classify.transitions[2].actions[0].value.literal == model::Value::Number(4));
  CHECK(w->label == "事件分级");
  CHECK(w->calendar == "cn-mainland");  // Not written: the default.
}

TEST_CASE("bare enum values lower to text literals of the enum's type", "[dsl]") {
  CompileResult r = testing::CompileText(
      "workflow w {\n"
      "  data { level enum(high, low) }\n"
      "  initial state a {\n"
      "    entry { set level = high }\n"
      "    on go if level == low -> done\n"
      "  }\n"
      "  final state done\n"
      "}\n");
  INFO(Printed(r.diagnostics));
  REQUIRE(r.ok());
  const model::StateDef& a = r.workflows[0]->states[1];
  CHECK(a.entry[0].value.literal == model::Value::Text("high"));
  CHECK(a.entry[0].value.type.kind == TypeKind::kEnum);
  const model::Expr& guard = a.transitions[0].guard;
  CHECK(guard.children[1].op == model::ExprOp::kLiteral);
  CHECK(guard.children[1].literal == model::Value::Text("low"));
}

TEST_CASE("a workflow's version is the hash of its own text", "[dsl]") {
  const std::string one =
      "workflow a {\n  initial state s { on go -> done }\n  final state done\n}\n";
  const std::string two =
      "# a comment\nworkflow b \"乙\" {\n  initial state s { on go -> done\n on wait -> x }\n"
      "  final state done # \"}\" in a comment\n"
      "  state x { entry { record \"}\" }\n on go -> done }\n}\n";
  CompileResult first = Compile({{"f.flow", one + two}});
  INFO(Printed(first.diagnostics));
  REQUIRE(first.workflows.size() == 2);
  CHECK(first.workflows[0]->source == one.substr(0, one.size() - 1));
  CHECK(first.workflows[1]->source.rfind("workflow b", 0) == 0);
  CHECK(first.workflows[1]->source.back() == '}');
  CHECK(first.workflows[1]->source.find("record") != std::string::npos);
  CHECK(first.workflows[0]->version == Fnv1a64(first.workflows[0]->source));
  CHECK(first.workflows[0]->version != first.workflows[1]->version);

  // The same text elsewhere (another file, another position) keeps its
  // version; changing another workflow does not change it; changing its
  // own text does.
  CompileResult moved = Compile({{"g.flow", "\n\n" + one}});
  REQUIRE(moved.workflows.size() == 1);
  CHECK(moved.workflows[0]->version == first.workflows[0]->version);
  std::string changed = one;
  changed.replace(changed.find("go"), 2, "run");
  CompileResult edited = Compile({{"f.flow", changed + two}});
  REQUIRE(edited.workflows.size() == 2);
  CHECK(edited.workflows[0]->version != first.workflows[0]->version);
  CHECK(edited.workflows[1]->version == first.workflows[1]->version);
}

TEST_CASE("FNV-1a matches its published test vectors", "[dsl]") {
  CHECK(Fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(Fnv1a64("a") == 0xaf63dc4c8601ec8cull);
  CHECK(Fnv1a64("foobar") == 0x85944171f73967e8ull);
}

TEST_CASE("nothing is lowered when any file has an error", "[dsl]") {
  std::vector<SourceFile> files = ExampleFiles();
  files.push_back({"bad.flow", "workflow bad {\n  initial state s { on go -> nowhere }\n}\n"});
  CompileResult r = Compile(files);
  CHECK(!r.ok());
  CHECK(r.workflows.empty());
}

}  // namespace
}  // namespace zgtflow::dsl
