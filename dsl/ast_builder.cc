// ② Parse tree → AST (dsl/ast.h). The only code that reads FlowParser's
// contexts; one Build function per grammar rule, the rule quoted above it (as
// lparser.c). Every accessor may return null after ANTLR's error recovery, so
// each is checked: a broken file still yields a partial AST, never a crash.
#include "dsl/ast_builder.h"

#include <cstdlib>
#include <utility>

#include "FlowLexer.h"
#include "FlowParser.h"
#include "antlr4-runtime.h"

namespace zgtflow::dsl {
namespace {

using gen::FlowLexer;
using gen::FlowParser;

// The lexer sends `# …` comments to this channel (FlowLexer.g4).
constexpr size_t kCommentChannel = 2;

// Which keyword introduced the names that follow it in a rule with several
// name lists (transition: BY roles, REQUIRE fields, ARROW target).
enum class NameSlot { kNone, kRoles, kRequired, kTarget };

class Builder {
 public:
  Builder(antlr4::BufferedTokenStream* tokens, std::string path, Diagnostics* diagnostics)
      : tokens_(tokens), path_(std::move(path)), diagnostics_(diagnostics) {
    for (antlr4::Token* token : tokens_->getTokens()) {
      if (token->getChannel() == kCommentChannel) comment_tokens_.push_back(token);
    }
  }

  FileAst BuildFile(FlowParser::FileContext* ctx);
  std::optional<Expr> BuildExprOnly(FlowParser::ExprOnlyContext* ctx);

 private:
  // ---- Positions and comments ----

  SourceSpan SpanOf(antlr4::Token* start, antlr4::Token* stop) const {
    SourceSpan span;
    span.path = path_;
    if (start == nullptr) return span;
    span.line = static_cast<int>(start->getLine());
    span.column = static_cast<int>(start->getCharPositionInLine()) + 1;
    if (stop != nullptr && stop->getTokenIndex() >= start->getTokenIndex() &&
        stop->getType() != antlr4::Token::EOF) {
      span.end_line = static_cast<int>(stop->getLine());
      // Token indices count code points (the input stream is UTF-32), so the
      // length needs no copy of the token's text.
      int length = static_cast<int>(stop->getStopIndex() - stop->getStartIndex() + 1);
      span.end_column = static_cast<int>(stop->getCharPositionInLine()) + (length > 0 ? length : 1);
    }
    return span;
  }
  SourceSpan SpanOf(antlr4::ParserRuleContext* ctx) const {
    return ctx == nullptr ? SourceSpan{path_} : SpanOf(ctx->getStart(), ctx->getStop());
  }
  SourceSpan SpanOf(antlr4::tree::TerminalNode* node) const {
    return node == nullptr ? SourceSpan{path_} : SpanOf(node->getSymbol(), node->getSymbol());
  }

  // Every comment not yet attached that comes before `token`. Called in
  // source order (pre-order), so each comment goes to the first declaration
  // after it, or to the block's end when no declaration follows.
  std::vector<Comment> TakeComments(antlr4::Token* token) {
    std::vector<Comment> out;
    if (token == nullptr) return out;
    size_t limit = token->getTokenIndex();
    if (limit > tokens_->size()) return out;  // A token conjured by error recovery.
    while (next_comment_ < comment_tokens_.size() &&
           comment_tokens_[next_comment_]->getTokenIndex() < limit) {
      antlr4::Token* c = comment_tokens_[next_comment_++];
      Comment comment;
      comment.text = c->getText();
      while (!comment.text.empty() && (comment.text.back() == ' ' || comment.text.back() == '\t')) {
        comment.text.pop_back();
      }
      comment.span = SpanOf(c, c);
      out.push_back(std::move(comment));
    }
    return out;
  }
  std::vector<Comment> TakeComments(antlr4::tree::TerminalNode* node) {
    return node == nullptr ? std::vector<Comment>{} : TakeComments(node->getSymbol());
  }
  std::vector<Comment> TakeRemainingComments() {
    std::vector<Comment> out;
    while (next_comment_ < comment_tokens_.size()) {
      antlr4::Token* c = comment_tokens_[next_comment_++];
      out.push_back(Comment{c->getText(), SpanOf(c, c)});
      while (!out.back().text.empty() &&
             (out.back().text.back() == ' ' || out.back().text.back() == '\t')) {
        out.back().text.pop_back();
      }
    }
    return out;
  }

  void Error(const SourceSpan& span, std::string message) {
    Diagnostic d;
    d.severity = Severity::kError;
    d.code = "syntax";
    d.span = span;
    d.message = std::move(message);
    diagnostics_->push_back(std::move(d));
  }

  // ---- Terminals ----

  std::string Unescape(antlr4::tree::TerminalNode* node);
  // The text of a rule that matched one token (`name`, `enumValue`), read
  // from the token: RuleContext::getText() walks and concatenates children.
  static std::string SingleTokenText(antlr4::ParserRuleContext* ctx) {
    if (ctx == nullptr) return "";
    if (ctx->children.size() == 1) {
      if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(ctx->children[0])) {
        return terminal->getSymbol()->getText();
      }
    }
    return ctx->getText();  // Error recovery left it empty or odd.
  }

  Name BuildName(FlowParser::NameContext* ctx) {
    Name name;
    name.span = SpanOf(ctx);
    name.text = SingleTokenText(ctx);
    return name;
  }

  // ---- Rules ----

  RolesDecl BuildRolesDecl(FlowParser::RolesDeclContext* ctx);
  RoleDecl BuildRoleDecl(FlowParser::RoleDeclContext* ctx);
  WorkflowDecl BuildWorkflowDecl(FlowParser::WorkflowDeclContext* ctx);
  void BuildWorkflowItem(FlowParser::WorkflowItemContext* ctx, WorkflowDecl* workflow);
  void BuildCitesDecl(FlowParser::CitesDeclContext* ctx, WorkflowDecl* workflow);
  void BuildCalendarDecl(FlowParser::CalendarDeclContext* ctx, WorkflowDecl* workflow);
  Name BuildCalendarName(FlowParser::CalendarNameContext* ctx);
  void BuildDataBlock(FlowParser::DataBlockContext* ctx, WorkflowDecl* workflow);
  FieldDecl BuildFieldDecl(FlowParser::FieldDeclContext* ctx);
  void BuildFieldOption(FlowParser::FieldOptionContext* ctx, FieldDecl* field);
  TypeRef BuildTypeRef(FlowParser::TypeRefContext* ctx);
  void BuildEnumValue(FlowParser::EnumValueContext* ctx, TypeRef* type);
  StateDecl BuildStateDecl(FlowParser::StateDeclContext* ctx);
  void BuildStateModifier(FlowParser::StateModifierContext* ctx, StateDecl* state);
  void BuildStateBody(FlowParser::StateBodyContext* ctx, StateDecl* state);
  void BuildStateItem(FlowParser::StateItemContext* ctx, StateDecl* state);
  DoClause BuildEntryBlock(FlowParser::EntryBlockContext* ctx);
  DoClause BuildExitBlock(FlowParser::ExitBlockContext* ctx);
  TransitionDecl BuildTransition(FlowParser::TransitionContext* ctx);
  TransitionDecl BuildAlwaysTransition(FlowParser::AlwaysTransitionContext* ctx);
  TransitionDecl BuildChoiceBranch(FlowParser::ChoiceBranchContext* ctx);
  Name BuildEventName(FlowParser::EventNameContext* ctx);
  TimerDecl BuildTimer(FlowParser::TimerContext* ctx);
  DoClause BuildDoClause(FlowParser::DoClauseContext* ctx);
  std::vector<Action> BuildActionBlock(FlowParser::ActionBlockContext* ctx);
  Action BuildAction(FlowParser::ActionContext* ctx);
  std::vector<ObjectEntry> BuildObjectLit(FlowParser::ObjectLitContext* ctx);
  ObjectEntry BuildObjectEntry(FlowParser::ObjectEntryContext* ctx);
  calendar::Duration BuildPeriod(FlowParser::PeriodContext* ctx, bool* bare);
  calendar::Duration BuildDuration(FlowParser::DurationContext* ctx);
  calendar::Duration BuildDurationUnit(FlowParser::DurationUnitContext* ctx);
  Expr BuildExpr(FlowParser::ExprContext* ctx);
  Expr BuildListLit(FlowParser::ListLitContext* ctx);

  antlr4::BufferedTokenStream* tokens_;
  std::string path_;
  Diagnostics* diagnostics_;
  std::vector<antlr4::Token*> comment_tokens_;
  size_t next_comment_ = 0;
};

// Strings keep their quotes in the token; the AST holds the value. The
// escapes are those Format writes back: \" \\ \n \t.
std::string Builder::Unescape(antlr4::tree::TerminalNode* node) {
  if (node == nullptr) return "";
  std::string raw = node->getText();
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return raw;  // Conjured.
  std::string out;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 2 >= raw.size()) {
      out += c;
      continue;
    }
    char e = raw[++i];
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      default: {
        // The escaped character may be several UTF-8 bytes; keep it whole.
        std::string escaped(1, e);
        while (i + 2 < raw.size() && (static_cast<unsigned char>(raw[i + 1]) & 0xC0) == 0x80) {
          escaped += raw[++i];
        }
        Error(SpanOf(node), "unknown escape '\\" + escaped +
                                "' in string (write \\\" \\\\ \\n or \\t)");
        out += '\\';
        out += escaped;
      }
    }
  }
  return out;
}

// file : (rolesDecl | workflowDecl)* EOF;
FileAst Builder::BuildFile(FlowParser::FileContext* ctx) {
  FileAst file;
  file.path = path_;
  if (ctx != nullptr) {
    for (antlr4::tree::ParseTree* child : ctx->children) {
      if (auto* roles = dynamic_cast<FlowParser::RolesDeclContext*>(child)) {
        file.order.emplace_back(FileAst::ItemKind::kRoles, file.roles.size());
        file.roles.push_back(BuildRolesDecl(roles));
      } else if (auto* workflow = dynamic_cast<FlowParser::WorkflowDeclContext*>(child)) {
        file.order.emplace_back(FileAst::ItemKind::kWorkflow, file.workflows.size());
        file.workflows.push_back(BuildWorkflowDecl(workflow));
      }
    }
  }
  file.trailing_comments = TakeRemainingComments();
  return file;
}

// exprOnly : expr EOF;
std::optional<Expr> Builder::BuildExprOnly(FlowParser::ExprOnlyContext* ctx) {
  if (ctx == nullptr || ctx->expr() == nullptr) return std::nullopt;
  return BuildExpr(ctx->expr());
}

// rolesDecl : ROLES LBRACE roleDecl* RBRACE;
RolesDecl Builder::BuildRolesDecl(FlowParser::RolesDeclContext* ctx) {
  RolesDecl roles;
  roles.comments = TakeComments(ctx->getStart());
  roles.span = SpanOf(ctx);
  for (auto* role : ctx->roleDecl()) roles.roles.push_back(BuildRoleDecl(role));
  roles.trailing_comments = TakeComments(ctx->RBRACE());
  return roles;
}

// roleDecl : name STRING?;
RoleDecl Builder::BuildRoleDecl(FlowParser::RoleDeclContext* ctx) {
  RoleDecl role;
  role.comments = TakeComments(ctx->getStart());
  role.name = BuildName(ctx->name());
  if (ctx->STRING() != nullptr) role.label = Unescape(ctx->STRING());
  return role;
}

// workflowDecl : WORKFLOW name STRING? LBRACE workflowItem* RBRACE;
WorkflowDecl Builder::BuildWorkflowDecl(FlowParser::WorkflowDeclContext* ctx) {
  WorkflowDecl workflow;
  workflow.comments = TakeComments(ctx->getStart());
  workflow.span = SpanOf(ctx);
  workflow.id = BuildName(ctx->name());
  if (ctx->STRING() != nullptr) workflow.label = Unescape(ctx->STRING());
  for (auto* item : ctx->workflowItem()) BuildWorkflowItem(item, &workflow);
  workflow.trailing_comments = TakeComments(ctx->RBRACE());
  return workflow;
}

// workflowItem : citesDecl | calendarDecl | dataBlock | stateDecl | transition;
void Builder::BuildWorkflowItem(FlowParser::WorkflowItemContext* ctx, WorkflowDecl* workflow) {
  if (ctx->citesDecl() != nullptr) {
    BuildCitesDecl(ctx->citesDecl(), workflow);
  } else if (ctx->calendarDecl() != nullptr) {
    BuildCalendarDecl(ctx->calendarDecl(), workflow);
  } else if (ctx->dataBlock() != nullptr) {
    BuildDataBlock(ctx->dataBlock(), workflow);
  } else if (ctx->stateDecl() != nullptr) {
    workflow->order.emplace_back(WorkflowDecl::ItemKind::kState, workflow->states.size());
    workflow->states.push_back(BuildStateDecl(ctx->stateDecl()));
  } else if (ctx->transition() != nullptr) {
    // A workflow-level `on` is how a case starts (MEASURES.md).
    workflow->order.emplace_back(WorkflowDecl::ItemKind::kStart,
                                 workflow->start_transitions.size());
    workflow->start_transitions.push_back(BuildTransition(ctx->transition()));
  }
}

// citesDecl : CITES STRING+;
// The order entry holds the index of this declaration's first cite, so a
// file with two `cites` lines prints back as two lines.
void Builder::BuildCitesDecl(FlowParser::CitesDeclContext* ctx, WorkflowDecl* workflow) {
  for (Comment& c : TakeComments(ctx->getStart())) {
    workflow->item_comments_cites.push_back(std::move(c));
  }
  workflow->order.emplace_back(WorkflowDecl::ItemKind::kCites, workflow->cites.size());
  for (auto* s : ctx->STRING()) workflow->cites.push_back(Unescape(s));
}

// calendarDecl : CALENDAR calendarName;
void Builder::BuildCalendarDecl(FlowParser::CalendarDeclContext* ctx, WorkflowDecl* workflow) {
  for (Comment& c : TakeComments(ctx->getStart())) {
    workflow->item_comments_calendar.push_back(std::move(c));
  }
  workflow->order.emplace_back(WorkflowDecl::ItemKind::kCalendar, 0);
  workflow->calendar = BuildCalendarName(ctx->calendarName());
}

// calendarName : name (MINUS name)*;
Name Builder::BuildCalendarName(FlowParser::CalendarNameContext* ctx) {
  Name name;
  name.span = SpanOf(ctx);
  if (ctx == nullptr) return name;
  for (size_t i = 0; i < ctx->name().size(); ++i) {
    if (i > 0) name.text += "-";
    name.text += SingleTokenText(ctx->name(i));
  }
  return name;
}

// dataBlock : DATA LBRACE fieldDecl* RBRACE;
// The order entry holds the index of the block's first field (several data
// blocks are merged into one field list).
void Builder::BuildDataBlock(FlowParser::DataBlockContext* ctx, WorkflowDecl* workflow) {
  for (Comment& c : TakeComments(ctx->getStart())) {
    workflow->item_comments_data.push_back(std::move(c));
  }
  workflow->order.emplace_back(WorkflowDecl::ItemKind::kData, workflow->fields.size());
  if (!workflow->has_data) workflow->data_span = SpanOf(ctx);
  workflow->has_data = true;
  for (auto* field : ctx->fieldDecl()) workflow->fields.push_back(BuildFieldDecl(field));
  for (Comment& c : TakeComments(ctx->RBRACE())) {
    workflow->data_trailing_comments.push_back(std::move(c));
  }
}

// fieldDecl : name typeRef STRING? fieldOption*;
FieldDecl Builder::BuildFieldDecl(FlowParser::FieldDeclContext* ctx) {
  FieldDecl field;
  field.comments = TakeComments(ctx->getStart());
  field.span = SpanOf(ctx);
  field.name = BuildName(ctx->name());
  if (ctx->typeRef() != nullptr) field.type = BuildTypeRef(ctx->typeRef());
  if (ctx->STRING() != nullptr) field.label = Unescape(ctx->STRING());
  for (auto* option : ctx->fieldOption()) BuildFieldOption(option, &field);
  return field;
}

// fieldOption : REQUIRED      # requiredOption
//             | DEFAULT expr  # defaultOption
void Builder::BuildFieldOption(FlowParser::FieldOptionContext* ctx, FieldDecl* field) {
  if (dynamic_cast<FlowParser::RequiredOptionContext*>(ctx) != nullptr) {
    field->required = true;
  } else if (auto* d = dynamic_cast<FlowParser::DefaultOptionContext*>(ctx)) {
    if (d->expr() != nullptr) field->default_value = BuildExpr(d->expr());
  }
}

// typeRef : LIST OF typeRef                                  # listType
//         | ENUM LPAREN enumValue (COMMA enumValue)* RPAREN  # enumType
//         | PARTY LPAREN name RPAREN                         # partyType
//         | name                                             # simpleType
TypeRef Builder::BuildTypeRef(FlowParser::TypeRefContext* ctx) {
  TypeRef type;
  type.span = SpanOf(ctx);
  if (auto* list = dynamic_cast<FlowParser::ListTypeContext*>(ctx)) {
    type.kind = TypeKind::kList;
    if (list->typeRef() != nullptr) type.element.push_back(BuildTypeRef(list->typeRef()));
  } else if (auto* e = dynamic_cast<FlowParser::EnumTypeContext*>(ctx)) {
    type.kind = TypeKind::kEnum;
    for (auto* value : e->enumValue()) BuildEnumValue(value, &type);
  } else if (auto* party = dynamic_cast<FlowParser::PartyTypeContext*>(ctx)) {
    type.kind = TypeKind::kParty;
    type.party_role = BuildName(party->name());
  } else if (auto* simple = dynamic_cast<FlowParser::SimpleTypeContext*>(ctx)) {
    std::string name = SingleTokenText(simple->name());
    if (name == "text") type.kind = TypeKind::kText;
    else if (name == "number") type.kind = TypeKind::kNumber;
    else if (name == "bool") type.kind = TypeKind::kBool;
    else if (name == "date") type.kind = TypeKind::kDate;
    else if (name == "datetime") type.kind = TypeKind::kDateTime;
    else if (name == "duration") type.kind = TypeKind::kDuration;
    else if (name == "document") type.kind = TypeKind::kDocument;
    else type.unknown_name = name;  // check/types.cc reports it, with a suggestion.
  }
  return type;
}

// enumValue : name | STRING | NUMBER;
void Builder::BuildEnumValue(FlowParser::EnumValueContext* ctx, TypeRef* type) {
  Name value;
  value.span = SpanOf(ctx);
  bool quoted = false;
  if (ctx->STRING() != nullptr) {
    value.text = Unescape(ctx->STRING());
    quoted = true;
  } else {
    value.text = SingleTokenText(ctx->name() != nullptr ? static_cast<antlr4::ParserRuleContext*>(ctx->name()) : ctx);
  }
  type->enum_values.push_back(std::move(value));
  type->enum_quoted.push_back(quoted);
}

// stateDecl : stateModifier* STATE name STRING? stateBody?;
StateDecl Builder::BuildStateDecl(FlowParser::StateDeclContext* ctx) {
  StateDecl state;
  state.comments = TakeComments(ctx->getStart());
  state.span = SpanOf(ctx);
  for (auto* modifier : ctx->stateModifier()) BuildStateModifier(modifier, &state);
  state.name = BuildName(ctx->name());
  if (ctx->STRING() != nullptr) state.label = Unescape(ctx->STRING());
  if (ctx->stateBody() != nullptr) BuildStateBody(ctx->stateBody(), &state);
  return state;
}

// stateModifier : INITIAL | FINAL | PARALLEL | CHOICE;
void Builder::BuildStateModifier(FlowParser::StateModifierContext* ctx, StateDecl* state) {
  if (ctx->INITIAL() != nullptr) state->initial = true;
  if (ctx->FINAL() != nullptr) state->final_state = true;
  if (ctx->PARALLEL() != nullptr) state->parallel = true;
  if (ctx->CHOICE() != nullptr) state->choice = true;
}

// stateBody : LBRACE stateItem* RBRACE;
void Builder::BuildStateBody(FlowParser::StateBodyContext* ctx, StateDecl* state) {
  state->has_body = true;
  for (auto* item : ctx->stateItem()) BuildStateItem(item, state);
  state->trailing_comments = TakeComments(ctx->RBRACE());
}

// stateItem : entryBlock | exitBlock | transition | alwaysTransition
//           | timer | choiceBranch | stateDecl;
void Builder::BuildStateItem(FlowParser::StateItemContext* ctx, StateDecl* state) {
  using Kind = StateDecl::ItemKind;
  if (ctx->entryBlock() != nullptr) {
    state->order.emplace_back(Kind::kEntry, state->entry.size());
    state->entry.push_back(BuildEntryBlock(ctx->entryBlock()));
  } else if (ctx->exitBlock() != nullptr) {
    state->order.emplace_back(Kind::kExit, state->exit.size());
    state->exit.push_back(BuildExitBlock(ctx->exitBlock()));
  } else if (ctx->transition() != nullptr) {
    state->order.emplace_back(Kind::kTransition, state->transitions.size());
    state->transitions.push_back(BuildTransition(ctx->transition()));
  } else if (ctx->alwaysTransition() != nullptr) {
    state->order.emplace_back(Kind::kTransition, state->transitions.size());
    state->transitions.push_back(BuildAlwaysTransition(ctx->alwaysTransition()));
  } else if (ctx->choiceBranch() != nullptr) {
    state->order.emplace_back(Kind::kTransition, state->transitions.size());
    state->transitions.push_back(BuildChoiceBranch(ctx->choiceBranch()));
  } else if (ctx->timer() != nullptr) {
    state->order.emplace_back(Kind::kTimer, state->timers.size());
    state->timers.push_back(BuildTimer(ctx->timer()));
  } else if (ctx->stateDecl() != nullptr) {
    state->order.emplace_back(Kind::kChild, state->children.size());
    state->children.push_back(BuildStateDecl(ctx->stateDecl()));
  }
}

// entryBlock : ENTRY actionBlock;
DoClause Builder::BuildEntryBlock(FlowParser::EntryBlockContext* ctx) {
  DoClause block;
  block.comments = TakeComments(ctx->getStart());
  block.braced = true;
  if (ctx->actionBlock() != nullptr) block.actions = BuildActionBlock(ctx->actionBlock());
  return block;
}

// exitBlock : EXIT actionBlock;
DoClause Builder::BuildExitBlock(FlowParser::ExitBlockContext* ctx) {
  DoClause block;
  block.comments = TakeComments(ctx->getStart());
  block.braced = true;
  if (ctx->actionBlock() != nullptr) block.actions = BuildActionBlock(ctx->actionBlock());
  return block;
}

// transition : ON eventName (BY name (COMMA name)*)? (IF expr)?
//              (REQUIRE name (COMMA name)*)? (ARROW name)? doClause?;
TransitionDecl Builder::BuildTransition(FlowParser::TransitionContext* ctx) {
  TransitionDecl t;
  t.comments = TakeComments(ctx->getStart());
  t.kind = TransitionKind::kOn;
  t.span = SpanOf(ctx);
  t.event = BuildEventName(ctx->eventName());
  // The three name lists differ only by the keyword before them.
  NameSlot slot = NameSlot::kNone;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
      switch (terminal->getSymbol()->getType()) {
        case FlowLexer::BY: slot = NameSlot::kRoles; break;
        case FlowLexer::REQUIRE: slot = NameSlot::kRequired; break;
        case FlowLexer::ARROW: slot = NameSlot::kTarget; break;
        case FlowLexer::IF: slot = NameSlot::kNone; break;
        default: break;
      }
    } else if (auto* name = dynamic_cast<FlowParser::NameContext*>(child)) {
      if (slot == NameSlot::kRoles) t.roles.push_back(BuildName(name));
      if (slot == NameSlot::kRequired) t.required.push_back(BuildName(name));
      if (slot == NameSlot::kTarget) t.target = BuildName(name);
    } else if (auto* guard = dynamic_cast<FlowParser::ExprContext*>(child)) {
      t.guard = BuildExpr(guard);
    } else if (auto* clause = dynamic_cast<FlowParser::DoClauseContext*>(child)) {
      t.actions = BuildDoClause(clause);
    }
  }
  return t;
}

// alwaysTransition : ALWAYS (IF expr)? ARROW name doClause?;
TransitionDecl Builder::BuildAlwaysTransition(FlowParser::AlwaysTransitionContext* ctx) {
  TransitionDecl t;
  t.comments = TakeComments(ctx->getStart());
  t.kind = TransitionKind::kAlways;
  t.span = SpanOf(ctx);
  if (ctx->expr() != nullptr) t.guard = BuildExpr(ctx->expr());
  if (ctx->name() != nullptr) t.target = BuildName(ctx->name());
  if (ctx->doClause() != nullptr) t.actions = BuildDoClause(ctx->doClause());
  return t;
}

// choiceBranch : IF expr ARROW name doClause?   # ifBranch
//              | ELSE ARROW name doClause?      # elseBranch
TransitionDecl Builder::BuildChoiceBranch(FlowParser::ChoiceBranchContext* ctx) {
  TransitionDecl t;
  t.comments = TakeComments(ctx->getStart());
  t.span = SpanOf(ctx);
  if (auto* branch = dynamic_cast<FlowParser::IfBranchContext*>(ctx)) {
    t.kind = TransitionKind::kIf;
    if (branch->expr() != nullptr) t.guard = BuildExpr(branch->expr());
    if (branch->name() != nullptr) t.target = BuildName(branch->name());
    if (branch->doClause() != nullptr) t.actions = BuildDoClause(branch->doClause());
  } else if (auto* other = dynamic_cast<FlowParser::ElseBranchContext*>(ctx)) {
    t.kind = TransitionKind::kElse;
    if (other->name() != nullptr) t.target = BuildName(other->name());
    if (other->doClause() != nullptr) t.actions = BuildDoClause(other->doClause());
  }
  return t;
}

// eventName : name (DOT name)*;
Name Builder::BuildEventName(FlowParser::EventNameContext* ctx) {
  Name name;
  name.span = SpanOf(ctx);
  if (ctx == nullptr) return name;
  for (size_t i = 0; i < ctx->name().size(); ++i) {
    if (i > 0) name.text += ".";
    name.text += SingleTokenText(ctx->name(i));
  }
  return name;
}

// timer : AFTER duration (ARROW name)? doClause?                      # afterTimer
//       | AT expr (ARROW name)? doClause?                             # atTimer
//       | EVERY period (UNTIL expr)? (ARROW name)? doClause?          # everyTimer
TimerDecl Builder::BuildTimer(FlowParser::TimerContext* ctx) {
  TimerDecl timer;
  timer.comments = TakeComments(ctx->getStart());
  timer.span = SpanOf(ctx);
  FlowParser::NameContext* target = nullptr;
  FlowParser::DoClauseContext* clause = nullptr;
  if (auto* after = dynamic_cast<FlowParser::AfterTimerContext*>(ctx)) {
    timer.kind = TimerKind::kAfter;
    if (after->duration() != nullptr) timer.duration = BuildDuration(after->duration());
    target = after->name();
    clause = after->doClause();
  } else if (auto* at = dynamic_cast<FlowParser::AtTimerContext*>(ctx)) {
    timer.kind = TimerKind::kAt;
    if (at->expr() != nullptr) timer.at = BuildExpr(at->expr());
    target = at->name();
    clause = at->doClause();
  } else if (auto* every = dynamic_cast<FlowParser::EveryTimerContext*>(ctx)) {
    timer.kind = TimerKind::kEvery;
    if (every->period() != nullptr) timer.duration = BuildPeriod(every->period(), &timer.bare_period);
    if (every->expr() != nullptr) timer.until = BuildExpr(every->expr());
    target = every->name();
    clause = every->doClause();
  }
  if (target != nullptr) timer.target = BuildName(target);
  if (clause != nullptr) timer.actions = BuildDoClause(clause);
  return timer;
}

// doClause : DO (actionBlock | action);
DoClause Builder::BuildDoClause(FlowParser::DoClauseContext* ctx) {
  DoClause clause;
  if (ctx->actionBlock() != nullptr) {
    clause.braced = true;
    clause.actions = BuildActionBlock(ctx->actionBlock());
  } else if (ctx->action() != nullptr) {
    clause.actions.push_back(BuildAction(ctx->action()));
  }
  return clause;
}

// actionBlock : LBRACE (action SEMI*)* RBRACE;
// Comments before the closing brace stay unattached here and go to the next
// declaration (a DoClause has no trailing comments).
std::vector<Action> Builder::BuildActionBlock(FlowParser::ActionBlockContext* ctx) {
  std::vector<Action> actions;
  for (auto* action : ctx->action()) actions.push_back(BuildAction(action));
  return actions;
}

// action : SET name ASSIGN expr                                    # setAction
//        | NOTIFY name STRING                                      # notifyAction
//        | CALL name DOT name LPAREN (expr (COMMA expr)*)? RPAREN
//          (ON REPLY ARROW eventName)? (ON FAILURE ARROW eventName)?  # callAction
//        | START name (WITH objectLit)?                            # startAction
//        | RECORD STRING                                           # recordAction
//        | EMIT eventName                                          # emitAction
//        | SEND eventName TO name MATCHING name (WITH objectLit)?  # sendAction
Action Builder::BuildAction(FlowParser::ActionContext* ctx) {
  Action action;
  action.comments = TakeComments(ctx->getStart());
  action.span = SpanOf(ctx);
  if (auto* set = dynamic_cast<FlowParser::SetActionContext*>(ctx)) {
    action.kind = ActionKind::kSet;
    action.target = BuildName(set->name());
    if (set->expr() != nullptr) action.value = BuildExpr(set->expr());
  } else if (auto* notify = dynamic_cast<FlowParser::NotifyActionContext*>(ctx)) {
    action.kind = ActionKind::kNotify;
    action.target = BuildName(notify->name());
    action.text = Unescape(notify->STRING());
  } else if (auto* call = dynamic_cast<FlowParser::CallActionContext*>(ctx)) {
    action.kind = ActionKind::kCall;
    if (call->name().size() > 0) action.target = BuildName(call->name(0));
    if (call->name().size() > 1) action.operation = BuildName(call->name(1));
    for (auto* arg : call->expr()) action.arguments.push_back(BuildExpr(arg));
    // Which event name follows REPLY and which FAILURE: walk the children.
    int last_keyword = 0;
    for (antlr4::tree::ParseTree* child : call->children) {
      if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
        size_t type = terminal->getSymbol()->getType();
        if (type == FlowLexer::REPLY || type == FlowLexer::FAILURE) {
          last_keyword = static_cast<int>(type);
        }
      } else if (auto* event = dynamic_cast<FlowParser::EventNameContext*>(child)) {
        if (last_keyword == FlowLexer::REPLY) action.reply_event = BuildEventName(event);
        if (last_keyword == FlowLexer::FAILURE) action.failure_event = BuildEventName(event);
      }
    }
  } else if (auto* start = dynamic_cast<FlowParser::StartActionContext*>(ctx)) {
    action.kind = ActionKind::kStart;
    action.target = BuildName(start->name());
    if (start->WITH() != nullptr) {
      action.has_with = true;
      if (start->objectLit() != nullptr) action.with = BuildObjectLit(start->objectLit());
    }
  } else if (auto* record = dynamic_cast<FlowParser::RecordActionContext*>(ctx)) {
    action.kind = ActionKind::kRecord;
    action.text = Unescape(record->STRING());
  } else if (auto* emit = dynamic_cast<FlowParser::EmitActionContext*>(ctx)) {
    action.kind = ActionKind::kEmit;
    action.target = BuildEventName(emit->eventName());
  } else if (auto* send = dynamic_cast<FlowParser::SendActionContext*>(ctx)) {
    action.kind = ActionKind::kSend;
    action.target = BuildEventName(send->eventName());
    if (send->name().size() > 0) action.to_workflow = BuildName(send->name(0));
    if (send->name().size() > 1) action.matching = BuildName(send->name(1));
    if (send->WITH() != nullptr) {
      action.has_with = true;
      if (send->objectLit() != nullptr) action.with = BuildObjectLit(send->objectLit());
    }
  }
  return action;
}

// objectLit : LBRACE (objectEntry (COMMA objectEntry)* COMMA?)? RBRACE;
std::vector<ObjectEntry> Builder::BuildObjectLit(FlowParser::ObjectLitContext* ctx) {
  std::vector<ObjectEntry> entries;
  for (auto* entry : ctx->objectEntry()) entries.push_back(BuildObjectEntry(entry));
  return entries;
}

// objectEntry : name COLON expr;
ObjectEntry Builder::BuildObjectEntry(FlowParser::ObjectEntryContext* ctx) {
  ObjectEntry entry;
  entry.key = BuildName(ctx->name());
  if (ctx->expr() != nullptr) {
    entry.value = BuildExpr(ctx->expr());
  } else {
    entry.value.span = SpanOf(ctx);
  }
  return entry;
}

// period : duration | durationUnit;
// A bare unit (`every week`) is one of that unit.
calendar::Duration Builder::BuildPeriod(FlowParser::PeriodContext* ctx, bool* bare) {
  if (ctx->duration() != nullptr) return BuildDuration(ctx->duration());
  calendar::Duration duration;
  if (ctx->durationUnit() != nullptr) {
    duration = BuildDurationUnit(ctx->durationUnit());
    *bare = true;
  }
  duration.amount = 1;
  return duration;
}

// duration : NUMBER durationUnit | HALF DAY;
calendar::Duration Builder::BuildDuration(FlowParser::DurationContext* ctx) {
  calendar::Duration duration;
  if (ctx->HALF() != nullptr) {
    duration.amount = 1;
    duration.unit = calendar::DurationUnit::kHalfDays;
    return duration;
  }
  if (ctx->durationUnit() != nullptr) duration = BuildDurationUnit(ctx->durationUnit());
  if (ctx->NUMBER() != nullptr) {
    std::string text = ctx->NUMBER()->getText();
    if (text.find('.') != std::string::npos) {
      Error(SpanOf(ctx->NUMBER()), "a duration needs a whole number, not '" + text +
                                       "' (write 'half day' or use a smaller unit)");
    } else if (text.size() > 9) {
      Error(SpanOf(ctx->NUMBER()), "duration '" + text + "' is too long");
    } else {
      duration.amount = std::strtoll(text.c_str(), nullptr, 10);
    }
  }
  return duration;
}

// durationUnit : MINUTE | HOUR | DAY | NATURAL DAY | WORKING DAY
//              | WEEK | MONTH | QUARTER | YEAR;
calendar::Duration Builder::BuildDurationUnit(FlowParser::DurationUnitContext* ctx) {
  using calendar::DurationUnit;
  calendar::Duration duration;
  duration.amount = 1;
  if (ctx->MINUTE() != nullptr) duration.unit = DurationUnit::kMinutes;
  else if (ctx->HOUR() != nullptr) duration.unit = DurationUnit::kHours;
  else if (ctx->WORKING() != nullptr) duration.unit = DurationUnit::kWorkingDays;
  else if (ctx->NATURAL() != nullptr) {
    duration.unit = DurationUnit::kDays;
    duration.natural = true;
  } else if (ctx->DAY() != nullptr) duration.unit = DurationUnit::kDays;
  else if (ctx->WEEK() != nullptr) duration.unit = DurationUnit::kWeeks;
  else if (ctx->MONTH() != nullptr) duration.unit = DurationUnit::kMonths;
  else if (ctx->QUARTER() != nullptr) duration.unit = DurationUnit::kQuarters;
  else if (ctx->YEAR() != nullptr) duration.unit = DurationUnit::kYears;
  return duration;
}

Expr MakeBinary(std::string op, Expr left, Expr right, SourceSpan span) {
  Expr e;
  e.kind = ExprKind::kBinary;
  e.op = std::move(op);
  e.span = std::move(span);
  e.children.push_back(std::move(left));
  e.children.push_back(std::move(right));
  return e;
}

// expr : LPAREN expr RPAREN                             # parenExpr
//      | MINUS expr                                     # negExpr
//      | expr op=(STAR | SLASH) expr                    # mulExpr
//      | expr op=(PLUS | MINUS) expr                    # addExpr
//      | expr NOT? IN listLit                           # inExpr
//      | expr op=(EQEQ | NEQ | LT | LE | GT | GE) expr  # compareExpr
//      | NOT expr                                       # notExpr
//      | expr AND expr                                  # andExpr
//      | expr OR expr                                   # orExpr
//      | duration                                       # durationExpr
//      | NUMBER                                         # numberExpr
//      | STRING                                         # stringExpr
//      | (TRUE | FALSE)                                 # boolExpr
//      | NOW                                            # nowExpr
//      | name LPAREN (expr (COMMA expr)*)? RPAREN       # callExpr
//      | listLit                                        # listExpr
//      | name (DOT name)*                               # refExpr
Expr Builder::BuildExpr(FlowParser::ExprContext* ctx) {
  Expr e;
  e.span = SpanOf(ctx);
  if (ctx == nullptr) return e;
  // Operands missing after error recovery become empty number nodes.
  auto operand = [this](FlowParser::ExprContext* child) {
    return child != nullptr ? BuildExpr(child) : Expr{};
  };
  if (auto* paren = dynamic_cast<FlowParser::ParenExprContext*>(ctx)) {
    e = operand(paren->expr());
    e.parenthesized = true;
  } else if (auto* neg = dynamic_cast<FlowParser::NegExprContext*>(ctx)) {
    e.kind = ExprKind::kUnary;
    e.op = "-";
    e.children.push_back(operand(neg->expr()));
  } else if (auto* negation = dynamic_cast<FlowParser::NotExprContext*>(ctx)) {
    e.kind = ExprKind::kUnary;
    e.op = "not";
    e.children.push_back(operand(negation->expr()));
  } else if (auto* mul = dynamic_cast<FlowParser::MulExprContext*>(ctx)) {
    e = MakeBinary(mul->op != nullptr ? mul->op->getText() : "*", operand(mul->expr(0)),
                   operand(mul->expr(1)), e.span);
  } else if (auto* add = dynamic_cast<FlowParser::AddExprContext*>(ctx)) {
    e = MakeBinary(add->op != nullptr ? add->op->getText() : "+", operand(add->expr(0)),
                   operand(add->expr(1)), e.span);
  } else if (auto* compare = dynamic_cast<FlowParser::CompareExprContext*>(ctx)) {
    e = MakeBinary(compare->op != nullptr ? compare->op->getText() : "==",
                   operand(compare->expr(0)), operand(compare->expr(1)), e.span);
  } else if (auto* both = dynamic_cast<FlowParser::AndExprContext*>(ctx)) {
    e = MakeBinary("and", operand(both->expr(0)), operand(both->expr(1)), e.span);
  } else if (auto* either = dynamic_cast<FlowParser::OrExprContext*>(ctx)) {
    e = MakeBinary("or", operand(either->expr(0)), operand(either->expr(1)), e.span);
  } else if (auto* in = dynamic_cast<FlowParser::InExprContext*>(ctx)) {
    e.kind = ExprKind::kIn;
    e.op = in->NOT() != nullptr ? "not in" : "in";
    e.children.push_back(operand(in->expr()));
    if (in->listLit() != nullptr) {
      e.children.push_back(BuildListLit(in->listLit()));
    } else {
      Expr empty;
      empty.kind = ExprKind::kList;
      e.children.push_back(std::move(empty));
    }
  } else if (auto* duration = dynamic_cast<FlowParser::DurationExprContext*>(ctx)) {
    e.kind = ExprKind::kDuration;
    if (duration->duration() != nullptr) e.duration = BuildDuration(duration->duration());
  } else if (auto* number = dynamic_cast<FlowParser::NumberExprContext*>(ctx)) {
    e.kind = ExprKind::kNumber;
    e.number_text = number->getText();
    e.number = std::strtod(e.number_text.c_str(), nullptr);
  } else if (auto* string = dynamic_cast<FlowParser::StringExprContext*>(ctx)) {
    e.kind = ExprKind::kString;
    e.text = Unescape(string->STRING());
  } else if (auto* boolean = dynamic_cast<FlowParser::BoolExprContext*>(ctx)) {
    e.kind = ExprKind::kBool;
    e.boolean = boolean->TRUE() != nullptr;
  } else if (dynamic_cast<FlowParser::NowExprContext*>(ctx) != nullptr) {
    e.kind = ExprKind::kNow;
  } else if (auto* call = dynamic_cast<FlowParser::CallExprContext*>(ctx)) {
    e.kind = ExprKind::kCall;
    e.text = SingleTokenText(call->name());
    for (auto* arg : call->expr()) e.children.push_back(BuildExpr(arg));
  } else if (auto* list = dynamic_cast<FlowParser::ListExprContext*>(ctx)) {
    e = list->listLit() != nullptr ? BuildListLit(list->listLit()) : Expr{};
    e.kind = ExprKind::kList;
  } else if (auto* ref = dynamic_cast<FlowParser::RefExprContext*>(ctx)) {
    e.kind = ExprKind::kRef;
    for (auto* name : ref->name()) e.path.push_back(SingleTokenText(name));
  }
  return e;
}

// listLit : LBRACK (expr (COMMA expr)*)? RBRACK;
Expr Builder::BuildListLit(FlowParser::ListLitContext* ctx) {
  Expr e;
  e.kind = ExprKind::kList;
  e.span = SpanOf(ctx);
  for (auto* item : ctx->expr()) e.children.push_back(BuildExpr(item));
  return e;
}

}  // namespace

FileAst BuildFileAst(antlr4::tree::ParseTree* tree, antlr4::BufferedTokenStream* tokens,
                     const std::string& path, Diagnostics* diagnostics) {
  Builder builder(tokens, path, diagnostics);
  return builder.BuildFile(dynamic_cast<FlowParser::FileContext*>(tree));
}

std::optional<Expr> BuildExprAst(antlr4::tree::ParseTree* tree,
                                 antlr4::BufferedTokenStream* tokens,
                                 const std::string& path, Diagnostics* diagnostics) {
  Builder builder(tokens, path, diagnostics);
  return builder.BuildExprOnly(dynamic_cast<FlowParser::ExprOnlyContext*>(tree));
}

}  // namespace zgtflow::dsl
