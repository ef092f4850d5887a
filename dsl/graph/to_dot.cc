// ② → ⑧ model::Workflow → DOT: states as nodes and clusters, transitions and
// timers as labelled edges (see to_dot.h for the drawing conventions).
#include "dsl/graph/to_dot.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"

namespace zgtflow::graph {

namespace {

using model::Expr;
using model::ExprOp;
using model::StateDef;
using model::StateKind;
using model::Workflow;

constexpr const char* kFont = "Noto Sans CJK SC";
constexpr const char* kActiveFill = "#ffe08a";
constexpr const char* kActiveClusterFill = "#fff6d5";
constexpr const char* kTimerColor = "#9a5b00";  // Timer edges, apart from event edges.

// ---- Expressions as text ----

// Binding strength, loosest first, as DSL.md's expressions nest.
int Precedence(ExprOp op) {
  switch (op) {
    case ExprOp::kOr: return 1;
    case ExprOp::kAnd: return 2;
    case ExprOp::kNot: return 3;
    case ExprOp::kEq: case ExprOp::kNe: case ExprOp::kLt: case ExprOp::kLe:
    case ExprOp::kGt: case ExprOp::kGe: case ExprOp::kIn: case ExprOp::kNotIn:
      return 4;
    case ExprOp::kAdd: case ExprOp::kSub: return 5;
    case ExprOp::kMul: case ExprOp::kDiv: return 6;
    case ExprOp::kNeg: return 7;
    default: return 8;  // Primaries.
  }
}

std::string NumberText(double n) {
  if (std::isfinite(n) && n == std::floor(n) && std::fabs(n) < 1e15) {
    return std::to_string(static_cast<long long>(n));
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", n);
  return buffer;
}

// Literals printed here rather than by Value::ToDisplayString because text
// needs its quotes back to read as the DSL does.
std::string LiteralText(const model::Value& value) {
  using Kind = model::Value::Kind;
  switch (value.kind()) {
    case Kind::kNull: return "null";
    case Kind::kBool: return value.AsBool() ? "true" : "false";
    case Kind::kNumber: return NumberText(value.AsNumber());
    case Kind::kText: return "\"" + value.AsText() + "\"";
    case Kind::kDateTime: return calendar::FormatInstant(value.AsDateTime());
    case Kind::kDate: return calendar::FormatDate(value.AsDate());
    case Kind::kDuration: return calendar::FormatDuration(value.AsDuration());
    case Kind::kDocument: return value.AsDocument().name;
    case Kind::kList: {
      std::string out = "[";
      const auto& items = value.AsList();
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        out += LiteralText(items[i]);
      }
      return out + "]";
    }
    case Kind::kObject: return "{…}";
  }
  return "?";
}

std::string FieldName(const Workflow& workflow, int field) {
  if (field >= 0 && field < static_cast<int>(workflow.fields.size())) {
    return workflow.fields[field].name;
  }
  return "?";
}

std::string JoinPath(std::string head, const std::vector<std::string>& path) {
  for (const auto& part : path) head += (head.empty() ? "" : ".") + part;
  return head;
}

std::string ExprText(const Workflow& workflow, const Expr& expr);

// A child operand, in parentheses when it binds looser than its parent
// (or equally on the right of a left-associative operator: a - (b - c)).
std::string Operand(const Workflow& workflow, const Expr& child, int parent_precedence,
                    bool right) {
  int p = Precedence(child.op);
  std::string text = ExprText(workflow, child);
  if (p < parent_precedence || (right && p == parent_precedence && p < 8)) {
    return "(" + text + ")";
  }
  return text;
}

std::string ExprText(const Workflow& workflow, const Expr& expr) {
  const auto& c = expr.children;
  switch (expr.op) {
    case ExprOp::kLiteral: return LiteralText(expr.literal);
    case ExprOp::kNow: return "now";
    case ExprOp::kField: return JoinPath(FieldName(workflow, expr.field), expr.path);
    case ExprOp::kPayload: return JoinPath("payload", expr.path);
    case ExprOp::kNeg:
      return c.empty() ? "-?" : "-" + Operand(workflow, c[0], Precedence(expr.op), false);
    case ExprOp::kNot:
      return c.empty() ? "not ?" : "not " + Operand(workflow, c[0], Precedence(expr.op), false);
    case ExprOp::kList: {
      std::string out = "[";
      for (size_t i = 0; i < c.size(); ++i) {
        if (i > 0) out += ", ";
        out += ExprText(workflow, c[i]);
      }
      return out + "]";
    }
    case ExprOp::kExists: {
      std::string inner = expr.field >= 0 ? JoinPath(FieldName(workflow, expr.field), expr.path)
                          : c.empty()     ? "?"
                                          : ExprText(workflow, c[0]);
      return "exists(" + inner + ")";
    }
    case ExprOp::kCount:
      return "count(" + (c.empty() ? std::string("?") : ExprText(workflow, c[0])) + ")";
    case ExprOp::kFunction: {
      // case_in(workflow, state, field) keeps its three names in `path`.
      if (expr.children.empty() && !expr.path.empty()) {
        std::string out = expr.function + "(";
        for (size_t i = 0; i < expr.path.size(); ++i) out += (i > 0 ? ", " : "") + expr.path[i];
        return out + ")";
      }
      std::string out = expr.function + "(";
      for (size_t i = 0; i < c.size(); ++i) {
        if (i > 0) out += ", ";
        out += ExprText(workflow, c[i]);
      }
      return out + ")";
    }
    default: {
      // kNeg and kNot are handled above, so an operator here is binary.
      const char* op = model::OperatorText(expr.op);
      if (op == nullptr || c.size() != 2) return "?";
      int p = Precedence(expr.op);
      return Operand(workflow, c[0], p, false) + " " + op + " " + Operand(workflow, c[1], p, true);
    }
  }
}

// ---- DOT ----

// A DOT double-quoted string: quotes and backslashes escaped, line breaks as
// centred "\n".
std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (size_t i = 0; i < roles.size(); ++i) out += (i > 0 ? ", " : "") + roles[i];
  return out;
}

// "every month" reads better than "every 1 month"; other counts stay.
std::string PeriodText(const calendar::Duration& duration) {
  std::string text = calendar::FormatDuration(duration);
  if (duration.amount == 1 && text.rfind("1 ", 0) == 0) return text.substr(2);
  return text;
}

class DotWriter {
 public:
  DotWriter(const Workflow& workflow, const std::set<int>& active)
      : workflow_(workflow), active_(active) {}

  std::string Write() {
    out_ << "digraph " << Quote(workflow_.id) << " {\n";
    out_ << "  graph [compound=true, rankdir=LR, labelloc=t, fontname=" << Quote(kFont)
         << ", label=" << Quote(Title()) << "];\n";
    out_ << "  node [fontname=" << Quote(kFont) << ", fontsize=12];\n";
    out_ << "  edge [fontname=" << Quote(kFont) << ", fontsize=10];\n";
    out_ << "  start [shape=point, width=0.18, label=\"\"];\n";
    if (!workflow_.states.empty()) {
      for (int child : workflow_.states[0].children) WriteState(child, 1);
      WriteStartEdges();
      for (int s = 1; s < static_cast<int>(workflow_.states.size()); ++s) WriteEdges(s);
    }
    out_ << "}\n";
    return out_.str();
  }

 private:
  std::string Title() const {
    if (workflow_.label.empty() || workflow_.label == workflow_.id) return workflow_.id;
    return workflow_.label + " (" + workflow_.id + ")";
  }

  bool Valid(int s) const { return s >= 0 && s < static_cast<int>(workflow_.states.size()); }
  bool IsCluster(int s) const {
    const StateDef& state = workflow_.states[s];
    return (state.kind == StateKind::kCompound || state.kind == StateKind::kParallel) &&
           !state.children.empty();
  }
  bool IsActive(int s) const { return active_.count(s) > 0; }

  std::string StateLabel(int s) const {
    const StateDef& state = workflow_.states[s];
    if (state.label.empty() || state.label == state.name) return state.name;
    return state.label + "\n(" + state.name + ")";
  }

  // The node an edge to or from state `s` attaches to: the state's own node,
  // or for a cluster its initial dot (compound) or its first region's anchor.
  std::string Anchor(int s) const {
    if (!IsCluster(s)) return "s" + std::to_string(s);
    const StateDef& state = workflow_.states[s];
    if (state.kind == StateKind::kCompound && Valid(state.initial_child)) {
      return "i" + std::to_string(s);
    }
    return Anchor(state.children.front());
  }

  void Indent(int depth) { out_ << std::string(2 * depth, ' '); }

  void WriteState(int s, int depth) {
    if (!Valid(s)) return;
    const StateDef& state = workflow_.states[s];
    if (IsCluster(s)) {
      WriteCluster(s, depth);
      return;
    }
    Indent(depth);
    out_ << "s" << s << " [label=" << Quote(StateLabel(s));
    std::string style;
    switch (state.kind) {
      case StateKind::kChoice: out_ << ", shape=diamond"; break;
      case StateKind::kFinal: out_ << ", shape=doublecircle, margin=0.02"; break;
      default: out_ << ", shape=box"; style = "rounded"; break;
    }
    if (IsActive(s)) {
      style += style.empty() ? "filled" : ",filled";
      // class="active" reaches the SVG as <g class="node active">, so pages
      // and browser tests can find the highlighted states.
      out_ << ", fillcolor=" << Quote(kActiveFill) << ", penwidth=2.5, class=\"active\"";
    }
    if (!style.empty()) out_ << ", style=" << Quote(style);
    out_ << "];\n";
  }

  void WriteCluster(int s, int depth) {
    const StateDef& state = workflow_.states[s];
    bool region = Valid(state.parent) && workflow_.states[state.parent].kind == StateKind::kParallel;
    std::string label = StateLabel(s);
    if (state.kind == StateKind::kParallel) label += "\n‖ parallel";
    for (const std::string& line : TargetlessLines(s)) label += "\n" + line;
    std::string style = region ? "rounded,dashed" : "rounded";
    Indent(depth);
    out_ << "subgraph cluster_s" << s << " {\n";
    Indent(depth + 1);
    out_ << "label=" << Quote(label) << ";\n";
    if (IsActive(s)) {
      style += ",filled";
      Indent(depth + 1);
      out_ << "fillcolor=" << Quote(kActiveClusterFill) << "; penwidth=2; class=\"active\";\n";
    }
    Indent(depth + 1);
    out_ << "style=" << Quote(style) << ";\n";
    if (state.kind == StateKind::kCompound && Valid(state.initial_child)) {
      Indent(depth + 1);
      out_ << "i" << s << " [shape=point, width=0.12, label=\"\"];\n";
    }
    for (int child : state.children) WriteState(child, depth + 1);
    Indent(depth);
    out_ << "}\n";
  }

  // Targetless timers and internal transitions of a cluster, as label lines
  // (a cluster has no node to hang a self-loop on).
  std::vector<std::string> TargetlessLines(int s) const {
    std::vector<std::string> lines;
    const StateDef& state = workflow_.states[s];
    for (const auto& timer : state.timers) {
      if (timer.target < 0) lines.push_back(TimerLabel(timer));
    }
    for (const auto& transition : state.transitions) {
      if (transition.target < 0) lines.push_back(TransitionLabel(transition));
    }
    return lines;
  }

  std::string TimerLabel(const model::TimerDef& timer) const {
    switch (timer.kind) {
      case model::TimerKind::kAfter:
        return "after " + calendar::FormatDuration(timer.duration);
      case model::TimerKind::kAt:
        return "at " + (timer.has_at ? ExprText(workflow_, timer.at) : std::string("?"));
      case model::TimerKind::kEvery: {
        std::string text = "every " + PeriodText(timer.duration);
        if (timer.has_until) text += " until " + ExprText(workflow_, timer.until);
        return text;
      }
    }
    return "timer";
  }

  std::string TransitionLabel(const model::TransitionDef& transition) const {
    std::string text;
    switch (transition.kind) {
      case model::TransitionKind::kEvent:
        text = transition.event;
        if (!transition.roles.empty()) text += " [by " + JoinRoles(transition.roles) + "]";
        if (transition.has_guard) text += "\nif " + ExprText(workflow_, transition.guard);
        return text;
      case model::TransitionKind::kAlways:
        return transition.has_guard ? "always if " + ExprText(workflow_, transition.guard)
                                    : "always";
      case model::TransitionKind::kChoiceIf:
        return "if " + (transition.has_guard ? ExprText(workflow_, transition.guard)
                                             : std::string("?"));
      case model::TransitionKind::kChoiceElse:
        return "else";
    }
    return text;
  }

  // An edge between the drawings of states `from` and `to`; lhead/ltail clip
  // it at a cluster's border unless one state holds the other.
  void WriteEdge(const std::string& tail, int from, int to, const std::string& label,
                 const std::string& style, const char* color = nullptr) {
    out_ << "  " << tail << " -> " << Anchor(to) << " [label=" << Quote(label);
    if (from >= 0 && IsCluster(from) && !workflow_.IsAncestorOrSelf(from, to)) {
      out_ << ", ltail=cluster_s" << from;
    }
    if (IsCluster(to) && (from < 0 || !workflow_.IsAncestorOrSelf(to, from))) {
      out_ << ", lhead=cluster_s" << to;
    }
    if (!style.empty()) out_ << ", style=" << Quote(style);
    if (color != nullptr) out_ << ", color=" << Quote(color) << ", fontcolor=" << Quote(color);
    out_ << "];\n";
  }

  void WriteStartEdges() {
    const StateDef& root = workflow_.states[0];
    if (workflow_.start_transitions.empty()) {
      int first = Valid(root.initial_child) ? root.initial_child
                  : root.children.empty()   ? -1
                                            : root.children.front();
      if (Valid(first)) WriteEdge("start", -1, first, "", "");
      return;
    }
    for (const auto& transition : workflow_.start_transitions) {
      int target = Valid(transition.target) ? transition.target : root.initial_child;
      if (!Valid(target)) continue;
      WriteEdge("start", -1, target, TransitionLabel(transition), "");
    }
  }

  void WriteEdges(int s) {
    const StateDef& state = workflow_.states[s];
    if (IsCluster(s) && state.kind == StateKind::kCompound && Valid(state.initial_child)) {
      out_ << "  i" << s << " -> " << Anchor(state.initial_child);
      if (IsCluster(state.initial_child)) out_ << " [lhead=cluster_s" << state.initial_child << "]";
      out_ << ";\n";
    }
    std::string tail = Anchor(s);
    for (const auto& transition : state.transitions) {
      if (Valid(transition.target)) {
        WriteEdge(tail, s, transition.target, TransitionLabel(transition), "");
      } else if (!IsCluster(s)) {
        WriteEdge(tail, s, s, TransitionLabel(transition), "dotted");
      }
    }
    for (const auto& timer : state.timers) {
      if (Valid(timer.target)) {
        WriteEdge(tail, s, timer.target, TimerLabel(timer), "", kTimerColor);
      } else if (!IsCluster(s)) {
        WriteEdge(tail, s, s, TimerLabel(timer), "dotted", kTimerColor);
      }
    }
  }

  const Workflow& workflow_;
  const std::set<int>& active_;
  std::ostringstream out_;
};

}  // namespace

std::string ExprToText(const Workflow& workflow, const Expr& expr) {
  return ExprText(workflow, expr);
}

std::string ToDot(const Workflow& workflow, const std::set<int>& active) {
  return DotWriter(workflow, active).Write();
}

}  // namespace zgtflow::graph
