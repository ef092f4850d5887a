// ② The canonical printer for `zgtflow fmt`. It prints from the AST alone, so
// everything the layout keeps (comments, braces, `do` forms, parentheses,
// the order of items) is recorded by ast_builder.cc.
#include "dsl/format.h"

#include <algorithm>
#include <cstdio>

namespace zgtflow::dsl {
namespace {

// A one-line `{ a; b }` block is used while the whole line stays this short.
constexpr size_t kMaxLine = 100;
// A data column is not widened for a value longer than this: one long type
// such as `list of enum(…)` would push every label off the screen.
constexpr size_t kMaxColumn = 24;

// Terminal width of UTF-8 text: East Asian wide characters (Chinese labels)
// take two columns, so the columns line up in an editor.
size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    uint32_t code = c;
    size_t length = 1;
    if (c >= 0xF0) {
      length = 4;
      code = c & 0x07;
    } else if (c >= 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if (c >= 0xC0) {
      length = 2;
      code = c & 0x1F;
    }
    for (size_t k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += length;
    bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
                (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
                (code >= 0xFFE0 && code <= 0xFFE6) || (code >= 0x20000 && code <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string UnitWord(const calendar::Duration& d) {
  using calendar::DurationUnit;
  bool one = d.amount == 1;
  switch (d.unit) {
    case DurationUnit::kMinutes: return one ? "minute" : "minutes";
    case DurationUnit::kHours: return one ? "hour" : "hours";
    case DurationUnit::kHalfDays: return "day";
    case DurationUnit::kDays:
      return std::string(d.natural ? "natural " : "") + (one ? "day" : "days");
    case DurationUnit::kWorkingDays: return one ? "working day" : "working days";
    case DurationUnit::kWeeks: return one ? "week" : "weeks";
    case DurationUnit::kMonths: return one ? "month" : "months";
    case DurationUnit::kQuarters: return one ? "quarter" : "quarters";
    case DurationUnit::kYears: return one ? "year" : "years";
  }
  return "days";
}

std::string DurationText(const calendar::Duration& d) {
  if (d.unit == calendar::DurationUnit::kHalfDays) return "half day";
  return std::to_string(d.amount) + " " + UnitWord(d);
}

// Binding strength of each expression form, as FlowParser.g4's `expr` orders
// its alternatives (later = looser). Prefix operators count as primaries for
// their parent; what they may swallow to their right is handled by `follow`.
enum Precedence {
  kNone = 0,
  kOr = 1,
  kAnd = 2,
  kNot = 3,
  kCompare = 4,
  kIn = 5,
  kAdd = 6,
  kMul = 7,
  kNeg = 8,
  kPrimary = 9,
};

int BinaryPrecedence(const std::string& op) {
  if (op == "or") return kOr;
  if (op == "and") return kAnd;
  if (op == "+" || op == "-") return kAdd;
  if (op == "*" || op == "/") return kMul;
  return kCompare;
}

int Precedence(const Expr& e) {
  if (e.parenthesized) return kPrimary;
  switch (e.kind) {
    case ExprKind::kBinary: return BinaryPrecedence(e.op);
    case ExprKind::kIn: return kIn;
    default: return kPrimary;
  }
}

// `follow` is the precedence of the binary operator printed right after this
// expression (kNone when none): a prefix `not` whose operand would swallow it
// must be parenthesized.
std::string PrintExpr(const Expr& e, int follow);

std::string Operand(const Expr& e, bool need_parens, int follow) {
  if (need_parens) return "(" + PrintExpr(e, kNone) + ")";
  return PrintExpr(e, follow);
}

std::string PrintList(const std::vector<Expr>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += PrintExpr(items[i], kNone);
  }
  return out;
}

std::string PrintExpr(const Expr& e, int follow) {
  if (e.parenthesized) {
    Expr inner = e;
    inner.parenthesized = false;
    return "(" + PrintExpr(inner, kNone) + ")";
  }
  switch (e.kind) {
    case ExprKind::kNumber: {
      if (!e.number_text.empty()) return e.number_text;
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.15g", e.number);
      return buffer;
    }
    case ExprKind::kString: return Quote(e.text);
    case ExprKind::kBool: return e.boolean ? "true" : "false";
    case ExprKind::kDuration: return DurationText(e.duration);
    case ExprKind::kNow: return "now";
    case ExprKind::kRef: {
      std::string out;
      for (size_t i = 0; i < e.path.size(); ++i) out += (i > 0 ? "." : "") + e.path[i];
      return out;
    }
    case ExprKind::kCall: return e.text + "(" + PrintList(e.children) + ")";
    case ExprKind::kList: return "[" + PrintList(e.children) + "]";
    case ExprKind::kUnary: {
      if (e.children.empty()) return e.op;
      const Expr& operand = e.children[0];
      if (e.op == "not") {
        // `not x` takes every following operator that binds tighter than it.
        bool wrap_self = follow >= kNot;
        std::string text =
            "not " + Operand(operand, Precedence(operand) < kNot, wrap_self ? kNone : follow);
        return wrap_self ? "(" + text + ")" : text;
      }
      return "-" + Operand(operand, Precedence(operand) < kNeg, follow);
    }
    case ExprKind::kBinary: {
      if (e.children.size() != 2) return "";
      int p = BinaryPrecedence(e.op);
      std::string left = Operand(e.children[0], Precedence(e.children[0]) < p, p);
      std::string right = Operand(e.children[1], Precedence(e.children[1]) <= p, follow);
      return left + " " + e.op + " " + right;
    }
    case ExprKind::kIn: {
      if (e.children.size() != 2) return "";
      std::string left = Operand(e.children[0], Precedence(e.children[0]) < kIn, kIn);
      return left + " " + e.op + " " + PrintExpr(e.children[1], kNone);
    }
  }
  return "";
}

std::string TypeText(const TypeRef& type) {
  switch (type.kind) {
    case TypeKind::kText: return type.unknown_name.empty() ? "text" : type.unknown_name;
    case TypeKind::kNumber: return "number";
    case TypeKind::kBool: return "bool";
    case TypeKind::kDate: return "date";
    case TypeKind::kDateTime: return "datetime";
    case TypeKind::kDuration: return "duration";
    case TypeKind::kDocument: return "document";
    case TypeKind::kEnum: {
      std::string out = "enum(";
      for (size_t i = 0; i < type.enum_values.size(); ++i) {
        if (i > 0) out += ", ";
        bool quoted = i < type.enum_quoted.size() && type.enum_quoted[i];
        out += quoted ? Quote(type.enum_values[i].text) : type.enum_values[i].text;
      }
      return out + ")";
    }
    case TypeKind::kParty: return "party(" + type.party_role.text + ")";
    case TypeKind::kList:
      return "list of " + (type.element.empty() ? std::string("text") : TypeText(type.element[0]));
  }
  return "text";
}

std::string JoinNames(const std::vector<Name>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i > 0 ? ", " : "") + names[i].text;
  return out;
}

// " with { key: value, … }" of `start` and `send`, or "" when written without.
std::string PrintWith(const Action& a) {
  if (!a.has_with) return "";
  if (a.with.empty()) return " with {}";
  std::string out = " with { ";
  for (size_t i = 0; i < a.with.size(); ++i) {
    if (i > 0) out += ", ";
    out += a.with[i].key.text + ": " + PrintExpr(a.with[i].value, kNone);
  }
  return out + " }";
}

std::string ActionText(const Action& a) {
  switch (a.kind) {
    case ActionKind::kSet:
      return "set " + a.target.text + " = " + (a.value ? PrintExpr(*a.value, kNone) : "");
    case ActionKind::kNotify: return "notify " + a.target.text + " " + Quote(a.text);
    case ActionKind::kCall: {
      std::string out = "call " + a.target.text + "." + a.operation.text + "(" +
                        PrintList(a.arguments) + ")";
      if (a.reply_event) out += " on reply -> " + a.reply_event->text;
      if (a.failure_event) out += " on failure -> " + a.failure_event->text;
      return out;
    }
    case ActionKind::kStart: return "start " + a.target.text + PrintWith(a);
    case ActionKind::kRecord: return "record " + Quote(a.text);
    case ActionKind::kEmit: return "emit " + a.target.text;
    case ActionKind::kSend:
      return "send " + a.target.text + " to " + a.to_workflow.text + " matching " +
             a.matching.text + PrintWith(a);
  }
  return "";
}

class Printer {
 public:
  std::string Take() { return std::move(out_); }

  void PrintFile(const FileAst& file) {
    for (size_t i = 0; i < file.order.size(); ++i) {
      if (i > 0) Blank();
      auto [kind, index] = file.order[i];
      if (kind == FileAst::ItemKind::kRoles && index < file.roles.size()) {
        PrintRoles(file.roles[index]);
      } else if (kind == FileAst::ItemKind::kWorkflow && index < file.workflows.size()) {
        PrintWorkflow(file.workflows[index]);
      }
    }
    if (!file.trailing_comments.empty() && !out_.empty()) Blank();
    Comments(file.trailing_comments, 0);
  }

 private:
  void Line(int indent, const std::string& text) {
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }
  void Blank() {
    if (!out_.empty() && out_.compare(out_.size() - std::min<size_t>(2, out_.size()), 2, "\n\n") != 0) {
      out_ += '\n';
    }
  }
  void Comments(const std::vector<Comment>& comments, int indent) {
    for (const Comment& c : comments) Line(indent, c.text);
  }
  // "name<pad>" so that the next column starts at `width` + 2.
  static std::string Pad(const std::string& text, size_t width) {
    size_t w = DisplayWidth(text);
    return text + std::string(w < width ? width - w + 2 : 2, ' ');
  }
  static void TrimRight(std::string* text) {
    while (!text->empty() && text->back() == ' ') text->pop_back();
  }

  void PrintRoles(const RolesDecl& roles) {
    Comments(roles.comments, 0);
    if (roles.roles.empty() && roles.trailing_comments.empty()) {
      Line(0, "roles {}");
      return;
    }
    Line(0, "roles {");
    size_t width = 0;
    for (const RoleDecl& role : roles.roles) {
      if (role.label) width = std::max(width, DisplayWidth(role.name.text));
    }
    for (const RoleDecl& role : roles.roles) {
      Comments(role.comments, 1);
      Line(1, role.label ? Pad(role.name.text, width) + Quote(*role.label) : role.name.text);
    }
    Comments(roles.trailing_comments, 1);
    Line(0, "}");
  }

  // Workflow items fall in groups; a blank line separates groups, and every
  // two states.
  static int Group(WorkflowDecl::ItemKind kind) {
    switch (kind) {
      case WorkflowDecl::ItemKind::kCites:
      case WorkflowDecl::ItemKind::kCalendar: return 0;
      case WorkflowDecl::ItemKind::kData: return 1;
      case WorkflowDecl::ItemKind::kStart: return 2;
      case WorkflowDecl::ItemKind::kState: return 3;
    }
    return 3;
  }

  void PrintWorkflow(const WorkflowDecl& w) {
    using Kind = WorkflowDecl::ItemKind;
    Comments(w.comments, 0);
    std::string head = "workflow " + w.id.text + (w.label ? " " + Quote(*w.label) : "");
    if (w.order.empty() && w.trailing_comments.empty()) {
      Line(0, head + " {}");
      return;
    }
    Line(0, head + " {");
    bool cites_comments_done = false, calendar_done = false, data_comments_done = false;
    int previous_group = -1;
    // The last data block gets the data trailing comments.
    size_t last_data = w.order.size();
    for (size_t i = 0; i < w.order.size(); ++i) {
      if (w.order[i].first == Kind::kData) last_data = i;
    }
    for (size_t i = 0; i < w.order.size(); ++i) {
      auto [kind, index] = w.order[i];
      if (kind == Kind::kCalendar && (calendar_done || !w.calendar)) continue;
      int group = Group(kind);
      if (previous_group >= 0 && (group != previous_group || group == 3)) Blank();
      previous_group = group;
      switch (kind) {
        case Kind::kCites: {
          if (!cites_comments_done) Comments(w.item_comments_cites, 1);
          cites_comments_done = true;
          size_t end = w.cites.size();
          for (size_t j = i + 1; j < w.order.size(); ++j) {
            if (w.order[j].first == Kind::kCites) {
              end = w.order[j].second;
              break;
            }
          }
          std::string line = "cites";
          for (size_t k = index; k < end && k < w.cites.size(); ++k) line += " " + Quote(w.cites[k]);
          Line(1, line);
          break;
        }
        case Kind::kCalendar:
          calendar_done = true;
          Comments(w.item_comments_calendar, 1);
          Line(1, "calendar " + w.calendar->text);
          break;
        case Kind::kData: {
          if (!data_comments_done) Comments(w.item_comments_data, 1);
          data_comments_done = true;
          size_t end = w.fields.size();
          for (size_t j = i + 1; j < w.order.size(); ++j) {
            if (w.order[j].first == Kind::kData) {
              end = w.order[j].second;
              break;
            }
          }
          PrintData(w, index, std::min(end, w.fields.size()), i == last_data);
          break;
        }
        case Kind::kState:
          if (index < w.states.size()) PrintState(w.states[index], 1);
          break;
        case Kind::kStart:
          if (index < w.start_transitions.size()) PrintTransition(w.start_transitions[index], 1);
          break;
      }
    }
    Comments(w.trailing_comments, 1);
    Line(0, "}");
  }

  void PrintData(const WorkflowDecl& w, size_t begin, size_t end, bool last) {
    const std::vector<Comment> none;
    const std::vector<Comment>& trailing = last ? w.data_trailing_comments : none;
    if (begin >= end && trailing.empty()) {
      Line(1, "data {}");
      return;
    }
    Line(1, "data {");
    struct Row {
      std::string name, type, label, options;
    };
    std::vector<Row> rows;
    size_t name_width = 0, type_width = 0, label_width = 0;
    for (size_t i = begin; i < end; ++i) {
      const FieldDecl& f = w.fields[i];
      Row row{f.name.text, TypeText(f.type), f.label ? Quote(*f.label) : "", ""};
      if (f.required) row.options = "required";
      if (f.default_value) {
        row.options += (row.options.empty() ? "" : " ") + std::string("default ") +
                       PrintExpr(*f.default_value, kNone);
      }
      auto widen = [](size_t* width, const std::string& text) {
        size_t w = DisplayWidth(text);
        if (w <= kMaxColumn) *width = std::max(*width, w);
      };
      widen(&name_width, row.name);
      widen(&type_width, row.type);
      widen(&label_width, row.label);
      rows.push_back(std::move(row));
    }
    for (size_t i = begin; i < end; ++i) {
      const Row& row = rows[i - begin];
      Comments(w.fields[i].comments, 2);
      std::string line = Pad(row.name, name_width) + Pad(row.type, type_width);
      if (!row.label.empty() || !row.options.empty()) line += Pad(row.label, label_width);
      line += row.options;
      TrimRight(&line);
      Line(2, line);
    }
    Comments(trailing, 2);
    Line(1, "}");
  }

  void PrintState(const StateDecl& s, int indent) {
    using Kind = StateDecl::ItemKind;
    Comments(s.comments, indent);
    std::string head;
    if (s.initial) head += "initial ";
    if (s.final_state) head += "final ";
    if (s.parallel) head += "parallel ";
    if (s.choice) head += "choice ";
    head += "state " + s.name.text;
    if (s.label) head += " " + Quote(*s.label);
    if (!s.has_body) {
      Line(indent, head);
      return;
    }
    if (s.order.empty() && s.trailing_comments.empty()) {
      Line(indent, head + " {}");
      return;
    }
    Line(indent, head + " {");
    for (size_t i = 0; i < s.order.size(); ++i) {
      auto [kind, index] = s.order[i];
      if (i > 0 && (kind == Kind::kChild || s.order[i - 1].first == Kind::kChild)) Blank();
      switch (kind) {
        case Kind::kEntry:
          if (index < s.entry.size()) PrintBlock("entry", s.entry[index], indent + 1);
          break;
        case Kind::kExit:
          if (index < s.exit.size()) PrintBlock("exit", s.exit[index], indent + 1);
          break;
        case Kind::kTransition:
          if (index < s.transitions.size()) PrintTransition(s.transitions[index], indent + 1);
          break;
        case Kind::kTimer:
          if (index < s.timers.size()) PrintTimer(s.timers[index], indent + 1);
          break;
        case Kind::kChild:
          if (index < s.children.size()) PrintState(s.children[index], indent + 1);
          break;
      }
    }
    Comments(s.trailing_comments, indent + 1);
    Line(indent, "}");
  }

  // `entry { … }` / `exit { … }`.
  void PrintBlock(const std::string& keyword, const DoClause& block, int indent) {
    Comments(block.comments, indent);
    PrintWithActions(indent, keyword, block, /*with_do=*/false);
  }

  // Prints `head`, then the actions: ` do X`, ` { a; b }` on one line when
  // short and comment-free, else one action per line.
  void PrintWithActions(int indent, const std::string& head, const DoClause& clause,
                        bool with_do) {
    std::string prefix = head + (with_do ? " do" : "");
    bool commented = std::any_of(clause.actions.begin(), clause.actions.end(),
                                 [](const Action& a) { return !a.comments.empty(); });
    if (!clause.braced && clause.actions.size() == 1) {
      const Action& a = clause.actions[0];
      if (a.comments.empty()) {
        Line(indent, prefix + " " + ActionText(a));
      } else {
        Line(indent, prefix);
        Comments(a.comments, indent + 1);
        Line(indent + 1, ActionText(a));
      }
      return;
    }
    if (clause.actions.empty()) {
      Line(indent, prefix + " {}");
      return;
    }
    if (!commented) {
      std::string line = prefix + " { ";
      for (size_t i = 0; i < clause.actions.size(); ++i) {
        line += (i > 0 ? "; " : "") + ActionText(clause.actions[i]);
      }
      line += " }";
      if (static_cast<size_t>(indent) * 2 + DisplayWidth(line) <= kMaxLine) {
        Line(indent, line);
        return;
      }
    }
    Line(indent, prefix + " {");
    for (const Action& a : clause.actions) {
      Comments(a.comments, indent + 1);
      Line(indent + 1, ActionText(a));
    }
    Line(indent, "}");
  }

  void PrintTransition(const TransitionDecl& t, int indent) {
    Comments(t.comments, indent);
    std::string line;
    switch (t.kind) {
      case TransitionKind::kOn:
        line = "on " + t.event.text;
        if (!t.roles.empty()) line += " by " + JoinNames(t.roles);
        if (t.guard) line += " if " + PrintExpr(*t.guard, kNone);
        if (!t.required.empty()) line += " require " + JoinNames(t.required);
        break;
      case TransitionKind::kAlways:
        line = "always";
        if (t.guard) line += " if " + PrintExpr(*t.guard, kNone);
        break;
      case TransitionKind::kIf:
        line = "if " + (t.guard ? PrintExpr(*t.guard, kNone) : std::string("true"));
        break;
      case TransitionKind::kElse: line = "else"; break;
    }
    if (t.target) line += " -> " + t.target->text;
    if (t.actions) {
      PrintWithActions(indent, line, *t.actions, /*with_do=*/true);
    } else {
      Line(indent, line);
    }
  }

  void PrintTimer(const TimerDecl& t, int indent) {
    Comments(t.comments, indent);
    std::string line;
    switch (t.kind) {
      case TimerKind::kAfter: line = "after " + DurationText(t.duration); break;
      case TimerKind::kAt: line = "at " + (t.at ? PrintExpr(*t.at, kNone) : std::string("now")); break;
      case TimerKind::kEvery:
        line = "every " + (t.bare_period ? UnitWord(t.duration) : DurationText(t.duration));
        if (t.until) line += " until " + PrintExpr(*t.until, kNone);
        break;
    }
    if (t.target) line += " -> " + t.target->text;
    if (t.actions) {
      PrintWithActions(indent, line, *t.actions, /*with_do=*/true);
    } else {
      Line(indent, line);
    }
  }

  std::string out_;
};

}  // namespace

std::string Format(const FileAst& ast) {
  Printer printer;
  printer.PrintFile(ast);
  return printer.Take();
}

std::string FormatExpr(const Expr& expr) { return PrintExpr(expr, kNone); }

}  // namespace zgtflow::dsl
