// dsl/graph: ToDot's drawing conventions on a hand-built statechart and on the
// compiled examples, and RenderSvg through libgvc.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "dsl/compile.h"
#include "dsl/graph/render_svg.h"
#include "dsl/graph/to_dot.h"
#include "engine/model/workflow.h"

namespace {

using namespace zgtflow;
using model::StateKind;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The line of `dot` that starts (after indentation) with `start`, or "".
std::string LineStartingWith(const std::string& dot, const std::string& start) {
  size_t from = 0;
  while (from < dot.size()) {
    size_t end = dot.find('\n', from);
    if (end == std::string::npos) end = dot.size();
    std::string line = dot.substr(from, end - from);
    size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, start.size(), start) == 0) return line;
    from = end + 1;
  }
  return "";
}

// The style of cluster `cluster_sN` ("rounded,dashed"), or "" when absent.
std::string ClusterStyle(const std::string& dot, int state) {
  size_t at = dot.find("subgraph cluster_s" + std::to_string(state) + " {");
  if (at == std::string::npos) return "";
  size_t style = dot.find("style=\"", at);
  if (style == std::string::npos) return "";
  style += 7;
  return dot.substr(style, dot.find('"', style) - style);
}

int AddState(model::Workflow& w, const std::string& name, const std::string& label,
             StateKind kind, int parent) {
  model::StateDef state;
  state.name = name;
  state.label = label;
  state.kind = kind;
  state.parent = parent;
  state.depth = parent < 0 ? 0 : w.states[parent].depth + 1;
  w.states.push_back(state);
  int index = static_cast<int>(w.states.size()) - 1;
  if (parent >= 0) {
    w.states[parent].children.push_back(index);
    if (w.states[parent].initial_child < 0 && w.states[parent].kind == StateKind::kCompound) {
      w.states[parent].initial_child = index;
    }
  }
  w.state_index[name] = index;
  return index;
}

model::TransitionDef On(const std::string& event, std::vector<std::string> roles, int target) {
  model::TransitionDef t;
  t.event = event;
  t.roles = std::move(roles);
  t.target = target;
  return t;
}

model::Expr FieldRef(int field) {
  model::Expr e;
  e.op = model::ExprOp::kField;
  e.field = field;
  return e;
}

model::Expr Number(double n) {
  model::Expr e;
  e.literal = model::Value::Number(n);
  return e;
}

model::Expr Binary(model::ExprOp op, model::Expr a, model::Expr b) {
  model::Expr e;
  e.op = op;
  e.children = {std::move(a), std::move(b)};
  return e;
}

// A small chart with every kind of state: a compound `work` holding a
// parallel `checks` of two regions, a choice, finals, timers of all kinds.
struct Chart {
  model::Workflow w;
  int work, checks, region_a, a_pending, a_done, region_b, b_pending, b_done, decide, done,
      late;
};

Chart MakeChart() {
  Chart c;
  model::Workflow& w = c.w;
  w.id = "chart";
  w.label = "测试流程";
  model::FieldDef due;
  due.name = "due";
  due.type = model::Type::Of(model::TypeKind::kDateTime);
  model::FieldDef level;
  level.name = "level";
  level.type = model::Type::Of(model::TypeKind::kNumber);
  w.fields = {due, level};
  w.field_index = {{"due", 0}, {"level", 1}};

  AddState(w, "", "", StateKind::kCompound, -1);
  c.work = AddState(w, "work", "办理中", StateKind::kCompound, 0);
  c.checks = AddState(w, "checks", "并行检查", StateKind::kParallel, c.work);
  c.region_a = AddState(w, "a", "检查甲", StateKind::kCompound, c.checks);
  c.a_pending = AddState(w, "a_pending", "甲待办", StateKind::kAtomic, c.region_a);
  c.a_done = AddState(w, "a_done", "甲完成", StateKind::kFinal, c.region_a);
  c.region_b = AddState(w, "b", "检查乙", StateKind::kCompound, c.checks);
  c.b_pending = AddState(w, "b_pending", "乙待办", StateKind::kAtomic, c.region_b);
  c.b_done = AddState(w, "b_done", "乙完成", StateKind::kFinal, c.region_b);
  c.decide = AddState(w, "decide", "分级", StateKind::kChoice, 0);
  c.done = AddState(w, "done", "已办结", StateKind::kFinal, 0);
  c.late = AddState(w, "late", "逾期", StateKind::kFinal, 0);

  w.states[c.a_pending].transitions.push_back(On("pass_a", {"project_company"}, c.a_done));
  w.states[c.b_pending].transitions.push_back(
      On("pass_b", {"project_company", "management_unit"}, c.b_done));
  model::TransitionDef done_event = On("checks.done", {}, c.decide);
  w.states[c.work].transitions.push_back(done_event);

  model::TimerDef after;
  after.kind = model::TimerKind::kAfter;
  after.duration = {5, calendar::DurationUnit::kWorkingDays};
  after.target = c.late;
  w.states[c.work].timers.push_back(after);

  model::TimerDef at;
  at.kind = model::TimerKind::kAt;
  at.has_at = true;
  at.at = FieldRef(0);
  at.target = c.late;
  w.states[c.a_pending].timers.push_back(at);

  model::TimerDef every;
  every.kind = model::TimerKind::kEvery;
  every.duration = {30, calendar::DurationUnit::kMinutes};
  every.has_until = true;
  every.until = Binary(model::ExprOp::kGt, FieldRef(1), Number(1));
  w.states[c.b_pending].timers.push_back(every);

  model::TransitionDef branch;
  branch.kind = model::TransitionKind::kChoiceIf;
  branch.has_guard = true;
  branch.guard = Binary(model::ExprOp::kGt, FieldRef(1), Number(30));
  branch.target = c.late;
  model::TransitionDef otherwise;
  otherwise.kind = model::TransitionKind::kChoiceElse;
  otherwise.target = c.done;
  w.states[c.decide].transitions = {branch, otherwise};

  w.states[0].initial_child = c.work;
  w.start_transitions.push_back(On("open", {"management_unit"}, c.work));
  return c;
}

// The examples (with their roles), compiled together.
std::vector<std::shared_ptr<const model::Workflow>> CompileExamples() {
  std::vector<dsl::SourceFile> files;
  for (const char* name : {"evaluations.flow", "hello.flow", "rectification.flow", "roles.flow"}) {
    std::string path = std::string(ZGT_SOURCE_DIR) + "/examples/" + name;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({path, text.str()});
  }
  dsl::CompileResult result = dsl::Compile(files);
  for (const auto& d : result.diagnostics) UNSCOPED_INFO(d.ToString());
  REQUIRE(result.ok());
  return result.workflows;
}

const model::Workflow& Find(const std::vector<std::shared_ptr<const model::Workflow>>& all,
                            const std::string& id) {
  for (const auto& workflow : all) {
    if (workflow->id == id) return *workflow;
  }
  FAIL("no workflow " << id);
  return *all.front();
}

}  // namespace

TEST_CASE("ToDot draws compound states as clusters and parallel regions dashed", "[dsl]") {
  Chart c = MakeChart();
  std::string dot = graph::ToDot(c.w);
  CHECK(Contains(dot, "subgraph cluster_s" + std::to_string(c.work) + " {"));
  CHECK(Contains(dot, "subgraph cluster_s" + std::to_string(c.checks) + " {"));
  CHECK(ClusterStyle(dot, c.region_a) == "rounded,dashed");
  CHECK(ClusterStyle(dot, c.region_b) == "rounded,dashed");
  // Neither the compound `work` nor the parallel state itself is a region.
  CHECK(ClusterStyle(dot, c.work) == "rounded");
  CHECK(ClusterStyle(dot, c.checks) == "rounded");
}

TEST_CASE("ToDot draws choice states as diamonds and final states as double circles", "[dsl]") {
  Chart c = MakeChart();
  std::string dot = graph::ToDot(c.w);
  CHECK(Contains(LineStartingWith(dot, "s" + std::to_string(c.decide) + " "), "shape=diamond"));
  CHECK(Contains(LineStartingWith(dot, "s" + std::to_string(c.done) + " "), "shape=doublecircle"));
  CHECK(Contains(LineStartingWith(dot, "s" + std::to_string(c.a_pending) + " "), "shape=box"));
}

TEST_CASE("ToDot labels event edges with their roles and timer edges with their durations",
          "[dsl]") {
  Chart c = MakeChart();
  std::string dot = graph::ToDot(c.w);
  CHECK(Contains(dot, "label=\"pass_a [by project_company]\""));
  CHECK(Contains(dot, "label=\"pass_b [by project_company, management_unit]\""));
  CHECK(Contains(dot, "label=\"after 5 working days\""));
  CHECK(Contains(dot, "label=\"at due\""));
  CHECK(Contains(dot, "label=\"every 30 minutes until level > 1\""));
  CHECK(Contains(dot, "label=\"if level > 30\""));
  CHECK(Contains(dot, "label=\"else\""));
  CHECK(Contains(dot, "start -> "));
  CHECK(Contains(dot, "label=\"open [by management_unit]\""));
}

TEST_CASE("ToDot clips edges of compound states at their cluster border", "[dsl]") {
  Chart c = MakeChart();
  std::string dot = graph::ToDot(c.w);
  // work --after 5 working days--> late leaves the cluster of `work`.
  std::string line = LineStartingWith(dot, "i" + std::to_string(c.work) + " -> s" +
                                               std::to_string(c.late));
  CHECK(Contains(line, "ltail=cluster_s" + std::to_string(c.work)));
  // The start edge into `work` ends at its border.
  CHECK(Contains(LineStartingWith(dot, "start -> "), "lhead=cluster_s" + std::to_string(c.work)));
}

TEST_CASE("ToDot writes labels in UTF-8 with a CJK font", "[dsl]") {
  Chart c = MakeChart();
  std::string dot = graph::ToDot(c.w);
  CHECK(Contains(dot, "fontname=\"Noto Sans CJK SC\""));
  CHECK(Contains(dot, "label=\"甲待办\\n(a_pending)\""));
  CHECK(Contains(dot, "测试流程 (chart)"));
}

TEST_CASE("ToDot highlights the active states and only them", "[dsl]") {
  Chart c = MakeChart();
  std::string plain = graph::ToDot(c.w);
  std::string active = graph::ToDot(c.w, {c.work, c.checks, c.region_a, c.a_pending});
  CHECK_FALSE(Contains(plain, "filled"));
  CHECK(Contains(LineStartingWith(active, "s" + std::to_string(c.a_pending) + " "), "filled"));
  CHECK_FALSE(
      Contains(LineStartingWith(active, "s" + std::to_string(c.b_pending) + " "), "filled"));
  CHECK(ClusterStyle(active, c.work) == "rounded,filled");
  CHECK(ClusterStyle(active, c.region_a) == "rounded,dashed,filled");
  CHECK(ClusterStyle(active, c.region_b) == "rounded,dashed");
}

TEST_CASE("ToDot escapes quotes and backslashes in labels", "[dsl]") {
  Chart c = MakeChart();
  c.w.states[c.done].label = "say \"hi\" \\ bye";
  std::string dot = graph::ToDot(c.w);
  CHECK(Contains(dot, "label=\"say \\\"hi\\\" \\\\ bye\\n(done)\""));
}

TEST_CASE("RenderSvg lays out the chart as SVG with its Chinese labels", "[dsl]") {
  Chart c = MakeChart();
  Result<std::string> svg = graph::RenderSvg(graph::ToDot(c.w));
  REQUIRE(svg.ok());
  CHECK(Contains(svg.value(), "<svg"));
  CHECK(Contains(svg.value(), "</svg>"));
  CHECK(Contains(svg.value(), "甲待办"));
  CHECK(Contains(svg.value(), "after 5 working days"));
}

TEST_CASE("RenderSvg refuses text that is not DOT without printing or crashing", "[dsl]") {
  Result<std::string> svg = graph::RenderSvg("digraph { a -> ");
  REQUIRE_FALSE(svg.ok());
  CHECK(svg.status().code() == StatusCode::kInvalidArgument);
  CHECK(graph::RenderSvg("").ok() == false);
}

TEST_CASE("ToDot draws the evaluations example with nested clusters and dashed regions", "[dsl]") {
  auto all = CompileExamples();
  const model::Workflow& w = Find(all, "evaluations");
  std::string dot = graph::ToDot(w);
  int live = w.FindState("live");
  int evaluating = w.FindState("evaluating");
  REQUIRE(live > 0);
  REQUIRE(evaluating > 0);
  CHECK(ClusterStyle(dot, live) == "rounded");
  CHECK(ClusterStyle(dot, evaluating) == "rounded");
  CHECK(ClusterStyle(dot, w.FindState("mlps")) == "rounded,dashed");
  CHECK(ClusterStyle(dot, w.FindState("crypto")) == "rounded,dashed");
  // The regions sit inside the parallel cluster, which sits inside `live`.
  size_t live_at = dot.find("subgraph cluster_s" + std::to_string(live) + " {");
  size_t evaluating_at = dot.find("subgraph cluster_s" + std::to_string(evaluating) + " {");
  size_t mlps_at = dot.find("subgraph cluster_s" + std::to_string(w.FindState("mlps")) + " {");
  CHECK(live_at < evaluating_at);
  CHECK(evaluating_at < mlps_at);
  CHECK(Contains(dot, "label=\"after 1 year\", ltail=cluster_s" + std::to_string(live)));
  CHECK(Contains(dot, "label=\"evaluating.done\""));
  CHECK(Contains(dot, "label=\"every month\", style=\"dotted\""));
  CHECK(Contains(dot, "label=\"go_live [by project_company]\""));
  CHECK(Contains(LineStartingWith(dot, "s" + std::to_string(w.FindState("passed")) + " "),
                 "shape=doublecircle"));
}

TEST_CASE("ToDot labels the examples' timers and events as the workflows write them", "[dsl]") {
  auto all = CompileExamples();
  std::string hello = graph::ToDot(Find(all, "hello"));
  CHECK(Contains(hello, "label=\"after 5 working days\""));
  CHECK(Contains(hello, "label=\"answer [by project_company]\""));
  CHECK(Contains(hello, "label=\"ask [by ecosystem_unit]\""));
  std::string rectification = graph::ToDot(Find(all, "rectification"));
  CHECK(Contains(rectification, "label=\"at due\""));
  CHECK(Contains(rectification, "label=\"at due - 14 days\", style=\"dotted\""));
  CHECK(Contains(rectification, "label=\"always\""));
  CHECK(Contains(rectification, "label=\"限期整改 (rectification)\""));
  std::string triage = graph::ToDot(Find(all, "triage"));
  CHECK(Contains(triage, "shape=diamond"));
  CHECK(Contains(triage, "label=\"if outage_minutes > 30\""));
  CHECK(Contains(triage, "label=\"if outage_minutes >= 5 and outage_minutes <= 30\""));
  CHECK(Contains(triage, "label=\"else\""));
  CHECK(Contains(triage, "label=\"every 30 minutes until level > 1\""));
  CHECK(Contains(triage, "label=\"resolve [by project_company, management_unit]\""));
}

TEST_CASE("ToDot marks an example's active configuration, leaf and ancestors", "[dsl]") {
  auto all = CompileExamples();
  const model::Workflow& w = Find(all, "evaluations");
  int pending = w.FindState("crypto_pending");
  std::set<int> active = {w.FindState("live"), w.FindState("evaluating"), w.FindState("crypto"),
                          pending, w.FindState("mlps"), w.FindState("mlps_done")};
  std::string dot = graph::ToDot(w, active);
  CHECK(Contains(LineStartingWith(dot, "s" + std::to_string(pending) + " "), "filled"));
  CHECK(Contains(LineStartingWith(dot, "s" + std::to_string(w.FindState("mlps_done")) + " "),
                 "filled"));
  CHECK_FALSE(Contains(LineStartingWith(dot, "s" + std::to_string(w.FindState("mlps_pending")) + " "),
                       "filled"));
  CHECK(ClusterStyle(dot, w.FindState("crypto")) == "rounded,dashed,filled");
  CHECK(ClusterStyle(dot, w.FindState("live")) == "rounded,filled");
}

TEST_CASE("RenderSvg draws every example workflow", "[dsl]") {
  for (const auto& workflow : CompileExamples()) {
    INFO(workflow->id);
    Result<std::string> svg = graph::RenderSvg(graph::ToDot(*workflow));
    REQUIRE(svg.ok());
    CHECK(Contains(svg.value(), "</svg>"));
    CHECK(Contains(svg.value(), workflow->label));
    for (const auto& state : workflow->states) CHECK(Contains(svg.value(), state.label));
  }
}
