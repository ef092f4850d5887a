// ② Lowering: checked AST → model::Workflow. Resolves every name to an index
// (states, fields), types every expression, flattens the state tree with the
// synthetic root at index 0, and versions the workflow by its own text.
#include "dsl/lower.h"

#include <algorithm>
#include <set>

namespace zgtflow::dsl {

namespace {

model::SourcePos Pos(const SourceSpan& span) { return model::SourcePos{span.line, span.column}; }

class ExprLowerer {
 public:
  // `queries`: where case_in(…) calls are collected (deduplicated); may be null.
  ExprLowerer(const FieldTypes& fields, const std::unordered_map<std::string, int>& index,
              std::vector<model::CaseQuery>* queries = nullptr)
      : fields_(fields), index_(index), queries_(queries) {}

  // `context`: the type a bare enum value name takes here, or null.
  model::Expr Lower(const Expr& e, const model::Type* context = nullptr) {
    model::Expr out;
    out.pos = Pos(e.span);
    switch (e.kind) {
      case ExprKind::kNumber:
        out.literal = model::Value::Number(e.number);
        break;
      case ExprKind::kString:
        out.literal = model::Value::Text(e.text);
        break;
      case ExprKind::kBool:
        out.literal = model::Value::Bool(e.boolean);
        break;
      case ExprKind::kDuration:
        out.literal = model::Value::Duration(e.duration);
        break;
      case ExprKind::kNow:
        out.op = model::ExprOp::kNow;
        break;
      case ExprKind::kRef: {
        auto it = index_.find(e.path.empty() ? "" : e.path[0]);
        if (it == index_.end()) {
          // Checked: a bare name that is no field is a value of the enum it
          // is compared with or stored in.
          out.literal = model::Value::Text(e.path.empty() ? "" : e.path[0]);
          out.type = context ? *context : model::Type::Of(model::TypeKind::kText);
          return out;
        }
        out.op = model::ExprOp::kField;
        out.field = it->second;
        out.path.assign(e.path.begin() + 1, e.path.end());
        break;
      }
      case ExprKind::kCall:
        if (e.text == "exists") {
          out.op = model::ExprOp::kExists;
          if (!e.children.empty() && !e.children[0].path.empty()) {
            auto it = index_.find(e.children[0].path[0]);
            if (it != index_.end()) out.field = it->second;
          }
        } else if (e.text == "count") {
          out.op = model::ExprOp::kCount;
          for (const Expr& child : e.children) out.children.push_back(Lower(child));
        } else if (e.text == "case_in") {
          // Checked: three bare names — workflow, state, field.
          out.op = model::ExprOp::kFunction;
          out.function = e.text;
          for (const Expr& child : e.children) out.path.push_back(child.path.empty() ? "" : child.path[0]);
          if (out.path.size() == 3) AddQuery(model::CaseQuery{out.path[0], out.path[1], out.path[2]});
        } else {
          out.op = model::ExprOp::kFunction;
          out.function = e.text;
          for (const Expr& child : e.children) out.children.push_back(Lower(child));
        }
        break;
      case ExprKind::kList:
        out.op = model::ExprOp::kList;
        for (const Expr& child : e.children) out.children.push_back(Lower(child, context));
        break;
      case ExprKind::kUnary:
        out.op = e.op == "not" ? model::ExprOp::kNot : model::ExprOp::kNeg;
        for (const Expr& child : e.children) out.children.push_back(Lower(child));
        break;
      case ExprKind::kBinary:
        out.op = BinaryOp(e.op);
        LowerOperands(e, out);
        break;
      case ExprKind::kIn:
        out.op = e.op == "not in" ? model::ExprOp::kNotIn : model::ExprOp::kIn;
        if (e.children.size() == 2) {
          out.children.push_back(Lower(e.children[0]));
          model::Type left = out.children[0].type;
          out.children.push_back(Lower(e.children[1], &left));
        }
        break;
    }
    out.type = TypeOf(e, fields_, nullptr);
    if (out.type.kind == model::TypeKind::kAny && context && e.kind == ExprKind::kList) {
      out.type = model::Type::ListOf(*context);
    }
    return out;
  }

 private:
  static model::ExprOp BinaryOp(const std::string& op) {
    if (op == "+") return model::ExprOp::kAdd;
    if (op == "-") return model::ExprOp::kSub;
    if (op == "*") return model::ExprOp::kMul;
    if (op == "/") return model::ExprOp::kDiv;
    if (op == "==") return model::ExprOp::kEq;
    if (op == "!=") return model::ExprOp::kNe;
    if (op == "<") return model::ExprOp::kLt;
    if (op == "<=") return model::ExprOp::kLe;
    if (op == ">") return model::ExprOp::kGt;
    if (op == ">=") return model::ExprOp::kGe;
    if (op == "and") return model::ExprOp::kAnd;
    return model::ExprOp::kOr;
  }

  // As the checker does, a bare enum value takes the type of the other side.
  void LowerOperands(const Expr& e, model::Expr& out) {
    if (e.children.size() != 2) return;
    const Expr& lhs = e.children[0];
    const Expr& rhs = e.children[1];
    if (IsEnumValueRef(lhs, fields_) && !IsEnumValueRef(rhs, fields_)) {
      model::Expr right = Lower(rhs);
      model::Type type = right.type;
      out.children.push_back(Lower(lhs, &type));
      out.children.push_back(std::move(right));
    } else {
      out.children.push_back(Lower(lhs));
      model::Type type = out.children[0].type;
      out.children.push_back(Lower(rhs, &type));
    }
  }

  void AddQuery(model::CaseQuery query) {
    if (queries_ == nullptr) return;
    for (const model::CaseQuery& q : *queries_) {
      if (q.Key() == query.Key()) return;
    }
    queries_->push_back(std::move(query));
  }

  const FieldTypes& fields_;
  const std::unordered_map<std::string, int>& index_;
  std::vector<model::CaseQuery>* queries_;
};

class WorkflowLowerer {
 public:
  WorkflowLowerer(const WorkflowDecl& decl, const SourceFile& file, const LowerContext& context)
      : decl_(decl), file_(file), context_(context) {}

  std::shared_ptr<const model::Workflow> Run() {
    auto workflow = std::make_shared<model::Workflow>();
    w_ = workflow.get();
    w_->id = decl_.id.text;
    w_->label = decl_.label ? *decl_.label : decl_.id.text;
    w_->source_path = file_.path;
    w_->source = WorkflowSourceText(decl_, file_.text);
    w_->version = Fnv1a64(w_->source);
    w_->cites = decl_.cites;
    if (decl_.calendar) w_->calendar = decl_.calendar->text;
    w_->roles = context_.roles;

    for (const FieldDecl& field : decl_.fields) {
      if (w_->field_index.count(field.name.text)) continue;
      w_->field_index[field.name.text] = static_cast<int>(w_->fields.size());
      model::FieldDef def;
      def.name = field.name.text;
      def.label = field.label ? *field.label : field.name.text;
      def.type = TypeFromRef(field.type);
      def.required = field.required;
      fields_[def.name] = def.type;
      w_->fields.push_back(std::move(def));
    }
    for (const FieldDecl& field : decl_.fields) {
      model::FieldDef& def = w_->fields[w_->field_index.at(field.name.text)];
      if (!field.default_value || def.has_default) continue;
      def.has_default = true;
      def.default_value = LowerValue(*field.default_value, def.type);
    }

    // Pass 1: the tree, so that pass 2 can resolve targets anywhere in it.
    model::StateDef root;
    root.kind = model::StateKind::kCompound;
    w_->states.push_back(std::move(root));
    for (const StateDecl& state : decl_.states) Flatten(state, 0);
    w_->states[0].initial_child = RootInitial();
    // Pass 2: what each state does.
    for (const auto& [state, index] : decls_) FillState(*state, index);

    for (const TransitionDecl& t : decl_.start_transitions) {
      w_->start_transitions.push_back(LowerTransition(t));
    }
    std::set<std::string> events;
    for (const model::StateDef& state : w_->states) {
      for (const model::TransitionDef& t : state.transitions) {
        if (t.kind == model::TransitionKind::kEvent) events.insert(t.event);
      }
    }
    for (const model::TransitionDef& t : w_->start_transitions) events.insert(t.event);
    w_->events.assign(events.begin(), events.end());
    return workflow;
  }

 private:
  int Flatten(const StateDecl& decl, int parent) {
    int index = static_cast<int>(w_->states.size());
    model::StateDef state;
    state.name = decl.name.text;
    state.label = decl.label ? *decl.label : decl.name.text;
    state.pos = Pos(decl.name.span);
    state.parent = parent;
    state.depth = w_->states[parent].depth + 1;
    if (decl.final_state) {
      state.kind = model::StateKind::kFinal;
    } else if (decl.choice) {
      state.kind = model::StateKind::kChoice;
    } else if (decl.parallel) {
      state.kind = model::StateKind::kParallel;
    } else if (!decl.children.empty()) {
      state.kind = model::StateKind::kCompound;
    }
    w_->states.push_back(std::move(state));
    w_->states[parent].children.push_back(index);
    w_->state_index.emplace(decl.name.text, index);
    decls_.emplace_back(&decl, index);
    for (const StateDecl& child : decl.children) Flatten(child, index);
    if (w_->states[index].kind == model::StateKind::kCompound) {
      w_->states[index].initial_child = InitialOf(decl, index);
    }
    return index;
  }

  // The child marked `initial`, else the first child (checked: the only one).
  int InitialOf(const StateDecl& decl, int index) const {
    const std::vector<int>& children = w_->states[index].children;
    for (size_t i = 0; i < decl.children.size() && i < children.size(); ++i) {
      if (decl.children[i].initial) return children[i];
    }
    return children.empty() ? -1 : children[0];
  }

  // The top-level state a case enters by default: the one marked `initial`,
  // else the top-level state holding the first start transition's target,
  // else the first (checked: the only) top-level state.
  int RootInitial() const {
    const std::vector<int>& children = w_->states[0].children;
    for (size_t i = 0; i < decl_.states.size() && i < children.size(); ++i) {
      if (decl_.states[i].initial) return children[i];
    }
    for (const TransitionDecl& t : decl_.start_transitions) {
      if (!t.target) continue;
      int s = w_->FindState(t.target->text);
      while (s > 0 && w_->states[s].parent != 0) s = w_->states[s].parent;
      if (s > 0) return s;
    }
    return children.empty() ? -1 : children[0];
  }

  void FillState(const StateDecl& decl, int index) {
    std::vector<model::ActionDef> entry, exit;
    for (const DoClause& clause : decl.entry) AppendActions(clause, entry);
    for (const DoClause& clause : decl.exit) AppendActions(clause, exit);
    std::vector<model::TransitionDef> transitions;
    for (const TransitionDecl& t : decl.transitions) transitions.push_back(LowerTransition(t));
    std::vector<model::TimerDef> timers;
    for (const TimerDecl& t : decl.timers) timers.push_back(LowerTimer(t));
    model::StateDef& state = w_->states[index];
    state.entry = std::move(entry);
    state.exit = std::move(exit);
    state.transitions = std::move(transitions);
    state.timers = std::move(timers);
  }

  int Target(const std::optional<Name>& target) const {
    return target ? w_->FindState(target->text) : -1;
  }

  model::Expr LowerExpr(const Expr& e) {
    return ExprLowerer(fields_, w_->field_index, &w_->case_queries).Lower(e);
  }

  // A value stored in a field of type `type` (a bare name may be its enum value).
  model::Expr LowerValue(const Expr& e, const model::Type& type) {
    return ExprLowerer(fields_, w_->field_index, &w_->case_queries).Lower(e, &type);
  }

  model::TransitionDef LowerTransition(const TransitionDecl& t) {
    model::TransitionDef def;
    def.pos = Pos(t.span);
    switch (t.kind) {
      case TransitionKind::kOn: def.kind = model::TransitionKind::kEvent; break;
      case TransitionKind::kAlways: def.kind = model::TransitionKind::kAlways; break;
      case TransitionKind::kIf: def.kind = model::TransitionKind::kChoiceIf; break;
      case TransitionKind::kElse: def.kind = model::TransitionKind::kChoiceElse; break;
    }
    def.event = t.event.text;
    for (const Name& role : t.roles) def.roles.push_back(role.text);
    if (t.guard) {
      def.has_guard = true;
      def.guard = LowerExpr(*t.guard);
    }
    for (const Name& field : t.required) def.required_fields.push_back(w_->FindField(field.text));
    def.target = Target(t.target);
    if (t.actions) AppendActions(*t.actions, def.actions);
    return def;
  }

  model::TimerDef LowerTimer(const TimerDecl& t) {
    model::TimerDef def;
    def.pos = Pos(t.span);
    switch (t.kind) {
      case TimerKind::kAfter: def.kind = model::TimerKind::kAfter; break;
      case TimerKind::kAt: def.kind = model::TimerKind::kAt; break;
      case TimerKind::kEvery: def.kind = model::TimerKind::kEvery; break;
    }
    def.duration = t.duration;
    if (t.at) {
      def.has_at = true;
      def.at = LowerExpr(*t.at);
    }
    if (t.until) {
      def.has_until = true;
      def.until = LowerExpr(*t.until);
    }
    def.target = Target(t.target);
    if (t.actions) AppendActions(*t.actions, def.actions);
    return def;
  }

  void AppendActions(const DoClause& clause, std::vector<model::ActionDef>& out) {
    for (const Action& action : clause.actions) out.push_back(LowerAction(action));
  }

  model::ActionDef LowerAction(const Action& a) {
    model::ActionDef def;
    def.pos = Pos(a.span);
    switch (a.kind) {
      case ActionKind::kSet: {
        def.kind = model::ActionKind::kSet;
        def.field = w_->FindField(a.target.text);
        if (a.value) {
          def.value = def.field >= 0 ? LowerValue(*a.value, w_->fields[def.field].type)
                                     : LowerExpr(*a.value);
        }
        break;
      }
      case ActionKind::kNotify:
        def.kind = model::ActionKind::kNotify;
        def.role = a.target.text;
        def.text = a.text;
        break;
      case ActionKind::kCall:
        def.kind = model::ActionKind::kCall;
        def.adapter = a.target.text;
        def.operation = a.operation.text;
        for (const Expr& arg : a.arguments) def.arguments.push_back(LowerExpr(arg));
        if (a.reply_event) def.reply_event = a.reply_event->text;
        if (a.failure_event) def.failure_event = a.failure_event->text;
        break;
      case ActionKind::kStart: {
        def.kind = model::ActionKind::kStart;
        def.workflow = a.target.text;
        const FieldTypes* child = nullptr;
        auto it = context_.workflow_fields.find(a.target.text);
        if (it != context_.workflow_fields.end()) child = &it->second;
        for (const ObjectEntry& entry : a.with) {
          const model::Type* type = nullptr;
          if (child) {
            auto f = child->find(entry.key.text);
            if (f != child->end()) type = &f->second;
          }
          def.with.emplace_back(entry.key.text,
                                type ? LowerValue(entry.value, *type) : LowerExpr(entry.value));
        }
        break;
      }
      case ActionKind::kRecord:
        def.kind = model::ActionKind::kRecord;
        def.text = a.text;
        break;
      case ActionKind::kEmit:
        def.kind = model::ActionKind::kEmit;
        def.event = a.target.text;
        break;
      case ActionKind::kSend: {
        def.kind = model::ActionKind::kSend;
        def.event = a.target.text;
        def.workflow = a.to_workflow.text;
        def.match_field = w_->FindField(a.matching.text);
        const FieldTypes* receiver = nullptr;
        auto it = context_.workflow_fields.find(a.to_workflow.text);
        if (it != context_.workflow_fields.end()) receiver = &it->second;
        for (const ObjectEntry& entry : a.with) {
          const model::Type* type = nullptr;
          if (receiver) {
            auto f = receiver->find(entry.key.text);
            if (f != receiver->end()) type = &f->second;
          }
          def.with.emplace_back(entry.key.text,
                                type ? LowerValue(entry.value, *type) : LowerExpr(entry.value));
        }
        break;
      }
    }
    return def;
  }

  const WorkflowDecl& decl_;
  const SourceFile& file_;
  const LowerContext& context_;
  model::Workflow* w_ = nullptr;
  FieldTypes fields_;
  std::vector<std::pair<const StateDecl*, int>> decls_;
};

// Byte offset of a 1-based (line, column) position, columns in code points.
size_t Offset(const std::string& text, int line, int column) {
  int l = 1, c = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(text[i]);
    if ((ch & 0xC0) == 0x80) continue;  // A continuation byte: same code point.
    if (l == line && c == column) return i;
    if (ch == '\n') {
      ++l;
      c = 1;
    } else {
      ++c;
    }
  }
  return text.size();
}

}  // namespace

std::shared_ptr<const model::Workflow> Lower(const WorkflowDecl& workflow, const SourceFile& file,
                                             const LowerContext& context) {
  return WorkflowLowerer(workflow, file, context).Run();
}

model::Expr LowerExpr(const Expr& expr, const FieldTypes& fields,
                      const std::unordered_map<std::string, int>& field_index) {
  return ExprLowerer(fields, field_index).Lower(expr);
}

std::string WorkflowSourceText(const WorkflowDecl& workflow, const std::string& file_text) {
  size_t begin = Offset(file_text, workflow.span.line, workflow.span.column);
  int depth = 0;
  bool opened = false;
  for (size_t i = begin; i < file_text.size(); ++i) {
    char ch = file_text[i];
    if (ch == '"') {
      // Skip the string; a backslash escapes the next byte.
      for (++i; i < file_text.size() && file_text[i] != '"'; ++i) {
        if (file_text[i] == '\\') ++i;
      }
    } else if (ch == '#') {
      while (i < file_text.size() && file_text[i] != '\n') ++i;
    } else if (ch == '{') {
      ++depth;
      opened = true;
    } else if (ch == '}') {
      if (--depth == 0 && opened) return file_text.substr(begin, i + 1 - begin);
    }
  }
  return begin < file_text.size() ? file_text.substr(begin) : std::string();
}

uint64_t Fnv1a64(const std::string& text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char ch : text) {
    hash ^= ch;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace zgtflow::dsl
