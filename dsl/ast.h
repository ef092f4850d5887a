// ② The abstract syntax tree of .flow files: plain structs, no ANTLR types.
// Built by ast_builder.cc, read by check/, lower.cc and format.cc. Every node
// keeps the SourceSpan of its first token.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/source.h"
#include "engine/calendar/duration.h"

namespace zgtflow::dsl {

// A `# comment` line, attached to the declaration that follows it (or to the
// end of its block), so `zgtflow fmt` can put it back.
struct Comment {
  std::string text;  // Including the leading '#'.
  SourceSpan span;
};

// A name as written, with where it was written.
struct Name {
  std::string text;
  SourceSpan span;
};

// ---- Expressions ----

enum class ExprKind {
  kNumber,    // number: 14, 2.5
  kString,    // string: "…" (unescaped in `text`)
  kBool,      // boolean: true / false
  kDuration,  // duration literal: 2 months, half day
  kNow,       // now: the instant of the step
  kRef,       // field reference, possibly dotted: due, report.name
  kCall,      // function call: exists(field), count(list)
  kList,      // list literal: [a, b]
  kUnary,     // op is "-" or "not"
  kBinary,    // op is + - * / == != < <= > >= and or
  kIn,        // children[0] in children[1] (a kList); op "not in" when negated
};

struct Expr {
  ExprKind kind = ExprKind::kNumber;
  SourceSpan span;
  std::string op;                 // kUnary, kBinary, kIn ("in" / "not in").
  double number = 0;              // kNumber.
  std::string number_text;        // kNumber as written, for fmt.
  std::string text;               // kString value, kCall function name.
  bool boolean = false;           // kBool.
  calendar::Duration duration;    // kDuration.
  std::vector<std::string> path;  // kRef: ["due"], ["report", "name"].
  std::vector<Expr> children;     // Operands, call arguments, list items.
  bool parenthesized = false;     // Written in parentheses (kept by fmt).
};

// ---- Data ----

enum class TypeKind {
  kText, kNumber, kBool, kDate, kDateTime, kDuration, kDocument,
  kEnum,   // enum(a, b, …): `enum_values`
  kParty,  // party(role): `party_role`
  kList,   // list of T: `element`
};

struct TypeRef {
  TypeKind kind = TypeKind::kText;
  SourceSpan span;
  std::vector<Name> enum_values;  // kEnum; a quoted value keeps its text.
  std::vector<bool> enum_quoted;  // kEnum: value i was written as a string.
  Name party_role;                // kParty.
  std::vector<TypeRef> element;   // kList: exactly one.
  std::string unknown_name;       // Set when a simple type name is not a type.
};

struct FieldDecl {
  std::vector<Comment> comments;
  Name name;
  TypeRef type;
  std::optional<std::string> label;
  bool required = false;
  std::optional<Expr> default_value;
  SourceSpan span;
};

// ---- Actions ----

enum class ActionKind {
  kSet,     // set FIELD = EXPR
  kNotify,  // notify ROLE "template {field}"
  kCall,    // call ADAPTER.OPERATION(args) [on reply -> EVENT] [on failure -> EVENT]
  kStart,   // start WORKFLOW [with {field: expr, …}]
  kRecord,  // record "evidence …"
  kEmit,    // emit EVENT
  kSend,    // send EVENT to WORKFLOW matching FIELD [with {field: expr, …}]
};

struct ObjectEntry {
  Name key;
  Expr value;
};

struct Action {
  ActionKind kind = ActionKind::kSet;
  SourceSpan span;
  Name target;                     // kSet field, kNotify role, kStart workflow, kCall adapter, kEmit/kSend event.
  Name operation;                  // kCall.
  std::string text;                // kNotify template, kRecord text (unescaped).
  std::optional<Expr> value;       // kSet.
  std::vector<Expr> arguments;     // kCall.
  std::optional<Name> reply_event;    // kCall.
  std::optional<Name> failure_event;  // kCall.
  std::vector<ObjectEntry> with;   // kStart, kSend.
  bool has_with = false;           // kStart, kSend written with `with {…}` (even empty).
  Name to_workflow;                // kSend: the workflow whose cases receive the event.
  Name matching;                   // kSend: the field whose value both cases share.
  std::vector<Comment> comments;   // Comments before the action (in a braced block).
};

// `do ACTION` or `do { ACTIONS }`.
struct DoClause {
  bool braced = false;
  std::vector<Action> actions;
  std::vector<Comment> comments;   // Entry/exit blocks: comments before `entry`/`exit`.
};

// ---- Transitions and timers ----

enum class TransitionKind {
  kOn,      // on EVENT [by …] [if …] [require …] [-> TARGET] [do …]
  kAlways,  // always [if …] -> TARGET [do …]
  kIf,      // choice branch: if EXPR -> TARGET [do …]
  kElse,    // choice branch: else -> TARGET [do …]
};

struct TransitionDecl {
  std::vector<Comment> comments;
  TransitionKind kind = TransitionKind::kOn;
  SourceSpan span;
  Name event;                      // kOn; dotted events joined: "child.done".
  std::vector<Name> roles;         // by …
  std::optional<Expr> guard;       // if …
  std::vector<Name> required;      // require …
  std::optional<Name> target;      // Absent: an internal transition (actions only).
  std::optional<DoClause> actions;
};

enum class TimerKind {
  kAfter,  // after DURATION: from the state's entry
  kAt,     // at EXPR: an absolute deadline
  kEvery,  // every PERIOD [until EXPR]: recurring while the state is active
};

struct TimerDecl {
  std::vector<Comment> comments;
  TimerKind kind = TimerKind::kAfter;
  SourceSpan span;
  calendar::Duration duration;     // kAfter, kEvery.
  bool bare_period = false;        // kEvery written without a number: `every week`.
  std::optional<Expr> at;          // kAt.
  std::optional<Expr> until;       // kEvery.
  std::optional<Name> target;
  std::optional<DoClause> actions;
};

// ---- States ----

enum class StateKind {
  kAtomic,    // No children.
  kCompound,  // Children, one active at a time (set by the builder when it has children).
  kParallel,  // `parallel`: every child region active at once.
  kChoice,    // `choice`: ordered if/else branches, left at once.
  kFinal,     // `final`: the case (or region) is done.
};

struct StateDecl {
  std::vector<Comment> comments;
  SourceSpan span;
  Name name;
  std::optional<std::string> label;
  bool initial = false;
  bool final_state = false;
  bool parallel = false;
  bool choice = false;
  bool has_body = false;           // Written with braces (fmt keeps `{}`).
  std::vector<DoClause> entry;     // entry { … } blocks, in order.
  std::vector<DoClause> exit;      // exit { … } blocks, in order.
  std::vector<TransitionDecl> transitions;  // on / always / if / else, in order.
  std::vector<TimerDecl> timers;
  std::vector<StateDecl> children;
  // Items in written order, for fmt: (kind, index into its vector).
  enum class ItemKind { kEntry, kExit, kTransition, kTimer, kChild };
  std::vector<std::pair<ItemKind, size_t>> order;
  std::vector<Comment> trailing_comments;  // Comments before the closing brace.
};

// ---- Top level ----

struct RoleDecl {
  std::vector<Comment> comments;
  Name name;
  std::optional<std::string> label;
};

struct RolesDecl {
  std::vector<Comment> comments;
  SourceSpan span;
  std::vector<RoleDecl> roles;
  std::vector<Comment> trailing_comments;
};

struct WorkflowDecl {
  std::vector<Comment> comments;
  SourceSpan span;
  Name id;
  std::optional<std::string> label;
  std::vector<std::string> cites;        // cites "…" "…"
  std::optional<Name> calendar;          // calendar cn-mainland
  bool has_data = false;
  SourceSpan data_span;
  std::vector<FieldDecl> fields;
  std::vector<Comment> data_trailing_comments;
  std::vector<StateDecl> states;         // Top-level states.
  // Workflow-level `on EVENT by ROLE … -> STATE`: the ways a case starts.
  // None: a case starts by entering the initial state, by anyone.
  std::vector<TransitionDecl> start_transitions;
  // Items in written order, for fmt.
  enum class ItemKind { kCites, kCalendar, kData, kState, kStart };
  std::vector<std::pair<ItemKind, size_t>> order;
  std::vector<Comment> item_comments_cites;     // Comments before `cites`.
  std::vector<Comment> item_comments_calendar;  // Comments before `calendar`.
  std::vector<Comment> item_comments_data;      // Comments before `data`.
  std::vector<Comment> trailing_comments;
};

// One parsed .flow file.
struct FileAst {
  std::string path;
  std::vector<RolesDecl> roles;
  std::vector<WorkflowDecl> workflows;
  // Top-level items in written order, for fmt.
  enum class ItemKind { kRoles, kWorkflow };
  std::vector<std::pair<ItemKind, size_t>> order;
  std::vector<Comment> trailing_comments;  // After the last declaration.
};

}  // namespace zgtflow::dsl
