// Test support: a .flow AST as text without its source spans, so two ASTs can
// be compared for equality with a readable diff (Parse(Format(x)) == Parse(x)).
#pragma once

#include <sstream>
#include <string>

#include "dsl/ast.h"

namespace zgtflow::dsl::testing {

class AstDumper {
 public:
  std::string Take() { return out_.str(); }

  void File(const FileAst& f) {
    for (const auto& [kind, index] : f.order) Line("item " + std::to_string(int(kind)) + " " + std::to_string(index));
    for (const auto& r : f.roles) Roles(r);
    for (const auto& w : f.workflows) Workflow(w);
    Comments("file trailing", f.trailing_comments);
  }

  void ExprNode(const Expr& e) {
    out_ << "(" << int(e.kind) << " op=" << e.op << " num=" << e.number << " numtext=" << e.number_text
         << " text=" << e.text << " bool=" << e.boolean << " dur=" << e.duration.amount << "/"
         << int(e.duration.unit) << "/" << e.duration.natural << " paren=" << e.parenthesized
         << " path=";
    for (const auto& p : e.path) out_ << p << ".";
    for (const auto& c : e.children) ExprNode(c);
    out_ << ")";
  }

 private:
  void Line(const std::string& text) { out_ << text << "\n"; }
  void Comments(const std::string& where, const std::vector<Comment>& comments) {
    for (const auto& c : comments) Line(where + " comment " + c.text);
  }
  void NameLine(const std::string& what, const Name& n) { Line(what + " " + n.text); }
  void OptExpr(const std::string& what, const std::optional<Expr>& e) {
    if (!e) return;
    out_ << what << " ";
    ExprNode(*e);
    out_ << "\n";
  }

  void Roles(const RolesDecl& r) {
    Comments("roles", r.comments);
    Line("roles {");
    for (const auto& role : r.roles) {
      Comments("role", role.comments);
      Line("role " + role.name.text + " label=" + role.label.value_or("<none>"));
    }
    Comments("roles trailing", r.trailing_comments);
    Line("}");
  }

  void Type(const TypeRef& t) {
    out_ << "type " << int(t.kind) << " unknown=" << t.unknown_name << " party=" << t.party_role.text
         << " enum=";
    for (size_t i = 0; i < t.enum_values.size(); ++i) {
      out_ << t.enum_values[i].text << (i < t.enum_quoted.size() && t.enum_quoted[i] ? "(q)" : "")
           << ",";
    }
    out_ << "\n";
    for (const auto& e : t.element) Type(e);
  }

  void Workflow(const WorkflowDecl& w) {
    Comments("workflow", w.comments);
    Line("workflow " + w.id.text + " label=" + w.label.value_or("<none>"));
    for (const auto& c : w.cites) Line("cite " + c);
    if (w.calendar) NameLine("calendar", *w.calendar);
    Line("has_data " + std::to_string(w.has_data));
    Comments("cites", w.item_comments_cites);
    Comments("calendar", w.item_comments_calendar);
    Comments("data", w.item_comments_data);
    for (const auto& f : w.fields) {
      Comments("field", f.comments);
      Line("field " + f.name.text + " label=" + f.label.value_or("<none>") +
           " required=" + std::to_string(f.required));
      Type(f.type);
      OptExpr("default", f.default_value);
    }
    Comments("data trailing", w.data_trailing_comments);
    for (const auto& [kind, index] : w.order) Line("item " + std::to_string(int(kind)) + " " + std::to_string(index));
    for (const auto& t : w.start_transitions) Transition(t);
    for (const auto& s : w.states) State(s);
    Comments("workflow trailing", w.trailing_comments);
  }

  void Actions(const std::optional<DoClause>& clause) {
    if (clause) Do(*clause);
  }
  void Do(const DoClause& d) {
    Comments("do", d.comments);
    Line("do braced=" + std::to_string(d.braced) + " {");
    for (const auto& a : d.actions) Action(a);
    Line("}");
  }
  void Action(const zgtflow::dsl::Action& a) {
    Comments("action", a.comments);
    Line("action " + std::to_string(int(a.kind)) + " target=" + a.target.text + " op=" +
         a.operation.text + " text=" + a.text + " reply=" +
         (a.reply_event ? a.reply_event->text : "-") + " failure=" +
         (a.failure_event ? a.failure_event->text : "-") + " has_with=" + std::to_string(a.has_with));
    OptExpr("value", a.value);
    for (const auto& e : a.arguments) OptExpr("arg", e);
    for (const auto& entry : a.with) OptExpr("with " + entry.key.text, entry.value);
  }

  void Transition(const TransitionDecl& t) {
    Comments("transition", t.comments);
    std::string roles, required;
    for (const auto& r : t.roles) roles += r.text + ",";
    for (const auto& r : t.required) required += r.text + ",";
    Line("transition " + std::to_string(int(t.kind)) + " event=" + t.event.text + " by=" + roles +
         " require=" + required + " target=" + (t.target ? t.target->text : "-"));
    OptExpr("guard", t.guard);
    Actions(t.actions);
  }

  void Timer(const TimerDecl& t) {
    Comments("timer", t.comments);
    Line("timer " + std::to_string(int(t.kind)) + " dur=" + std::to_string(t.duration.amount) + "/" +
         std::to_string(int(t.duration.unit)) + "/" + std::to_string(t.duration.natural) +
         " bare=" + std::to_string(t.bare_period) + " target=" + (t.target ? t.target->text : "-"));
    OptExpr("at", t.at);
    OptExpr("until", t.until);
    Actions(t.actions);
  }

  void State(const StateDecl& s) {
    Comments("state", s.comments);
    Line("state " + s.name.text + " label=" + s.label.value_or("<none>") + " initial=" +
         std::to_string(s.initial) + " final=" + std::to_string(s.final_state) + " parallel=" +
         std::to_string(s.parallel) + " choice=" + std::to_string(s.choice) +
         " body=" + std::to_string(s.has_body) + " {");
    for (const auto& [kind, index] : s.order) Line("item " + std::to_string(int(kind)) + " " + std::to_string(index));
    for (const auto& d : s.entry) Do(d);
    for (const auto& d : s.exit) Do(d);
    for (const auto& t : s.transitions) Transition(t);
    for (const auto& t : s.timers) Timer(t);
    for (const auto& c : s.children) State(c);
    Comments("state trailing", s.trailing_comments);
    Line("}");
  }

  std::ostringstream out_;
};

// The whole AST as text, spans left out.
inline std::string DumpAst(const FileAst& ast) {
  AstDumper dumper;
  dumper.File(ast);
  return dumper.Take();
}

// One expression as text, spans left out.
inline std::string DumpExpr(const Expr& expr) {
  AstDumper dumper;
  dumper.ExprNode(expr);
  return dumper.Take();
}

}  // namespace zgtflow::dsl::testing
