// Tests for dsl::Parse and dsl::ParseExpression: every construct of
// FlowParser.g4 reaches the AST, and every syntax error becomes a diagnostic
// with its exact place, whatever the input.
#include "dsl/parse.h"

#include <random>
#include <string>

#include <catch2/catch.hpp>

namespace zgtflow::dsl {
namespace {

using calendar::DurationUnit;

std::string Describe(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

// Parses text that must be free of errors.
FileAst ParseOk(const std::string& text) {
  ParseResult result = Parse(SourceFile{"t.flow", text});
  INFO(Describe(result.diagnostics));
  REQUIRE(result.diagnostics.empty());
  return result.ast;
}

// The diagnostics of a text, printed.
std::vector<std::string> Errors(const std::string& text, const std::string& path = "bad.flow") {
  ParseResult result = Parse(SourceFile{path, text});
  std::vector<std::string> out;
  for (const Diagnostic& d : result.diagnostics) {
    CHECK(d.severity == Severity::kError);
    out.push_back(d.ToString());
  }
  return out;
}

Expr ExprOk(const std::string& text) {
  ExprParseResult result = ParseExpression(SourceFile{"expr", text});
  INFO(Describe(result.diagnostics));
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.expr.has_value());
  return *result.expr;
}

// A state body wrapped in a workflow, parsed; returns the state.
StateDecl StateOk(const std::string& body) {
  FileAst ast = ParseOk("workflow w {\n  state s {\n" + body + "\n  }\n}\n");
  REQUIRE(ast.workflows.size() == 1);
  REQUIRE(ast.workflows[0].states.size() == 1);
  return ast.workflows[0].states[0];
}

TEST_CASE("a roles block keeps each role's name, label and position", "[dsl]") {
  FileAst ast = ParseOk("roles {\n  management_unit \"管理单位\"\n  police\n}\n");
  REQUIRE(ast.roles.size() == 1);
  REQUIRE(ast.order.size() == 1);
  CHECK(ast.order[0].first == FileAst::ItemKind::kRoles);
  const RolesDecl& roles = ast.roles[0];
  REQUIRE(roles.roles.size() == 2);
  CHECK(roles.roles[0].name.text == "management_unit");
  CHECK(roles.roles[0].label == std::optional<std::string>("管理单位"));
  CHECK(roles.roles[0].name.span.ToString() == "t.flow:2:3");
  CHECK(roles.roles[1].name.text == "police");
  CHECK_FALSE(roles.roles[1].label.has_value());
  CHECK(roles.span.ToString() == "t.flow:1:1");
}

TEST_CASE("a workflow header keeps its label, cites and calendar in written order", "[dsl]") {
  FileAst ast = ParseOk(
      "workflow rectification \"限期整改\" {\n"
      "  cites \"【管理单位建设责任】\" \"第1条\"\n"
      "  calendar cn-mainland\n"
      "  cites \"第7条\"\n"
      "}\n");
  REQUIRE(ast.workflows.size() == 1);
  const WorkflowDecl& w = ast.workflows[0];
  CHECK(w.id.text == "rectification");
  CHECK(w.label == std::optional<std::string>("限期整改"));
  CHECK(w.cites == std::vector<std::string>{"【管理单位建设责任】", "第1条", "第7条"});
  REQUIRE(w.calendar.has_value());
  CHECK(w.calendar->text == "cn-mainland");
  CHECK(w.calendar->span.ToString() == "t.flow:3:12");
  REQUIRE(w.order.size() == 3);
  CHECK(w.order[0] == std::make_pair(WorkflowDecl::ItemKind::kCites, size_t{0}));
  CHECK(w.order[1] == std::make_pair(WorkflowDecl::ItemKind::kCalendar, size_t{0}));
  CHECK(w.order[2] == std::make_pair(WorkflowDecl::ItemKind::kCites, size_t{2}));
  CHECK_FALSE(w.has_data);
}

TEST_CASE("data fields parse every type with label, required and default", "[dsl]") {
  FileAst ast = ParseOk(
      "workflow w {\n"
      "  data {\n"
      "    a text \"文本\" required\n"
      "    b number\n"
      "    c bool\n"
      "    d date\n"
      "    e datetime\n"
      "    f duration \"期限\" default 2 months\n"
      "    g document\n"
      "    h enum(app, wechat, \"5g_message\", 12)\n"
      "    i party(project_company)\n"
      "    j list of enum(app, \"5g_message\")\n"
      "    k list of list of text\n"
      "    l colour\n"
      "    m number default 3.50 required\n"
      "  }\n"
      "}\n");
  const WorkflowDecl& w = ast.workflows[0];
  CHECK(w.has_data);
  CHECK(w.data_span.ToString() == "t.flow:2:3");
  REQUIRE(w.fields.size() == 13);
  CHECK(w.fields[0].name.text == "a");
  CHECK(w.fields[0].type.kind == TypeKind::kText);
  CHECK(w.fields[0].label == std::optional<std::string>("文本"));
  CHECK(w.fields[0].required);
  CHECK(w.fields[1].type.kind == TypeKind::kNumber);
  CHECK_FALSE(w.fields[1].required);
  CHECK(w.fields[2].type.kind == TypeKind::kBool);
  CHECK(w.fields[3].type.kind == TypeKind::kDate);
  CHECK(w.fields[4].type.kind == TypeKind::kDateTime);
  CHECK(w.fields[5].type.kind == TypeKind::kDuration);
  REQUIRE(w.fields[5].default_value.has_value());
  CHECK(w.fields[5].default_value->kind == ExprKind::kDuration);
  CHECK(w.fields[5].default_value->duration == calendar::Duration{2, DurationUnit::kMonths});
  CHECK(w.fields[6].type.kind == TypeKind::kDocument);

  const TypeRef& e = w.fields[7].type;
  CHECK(e.kind == TypeKind::kEnum);
  REQUIRE(e.enum_values.size() == 4);
  CHECK(e.enum_values[0].text == "app");
  CHECK(e.enum_values[2].text == "5g_message");
  CHECK(e.enum_values[3].text == "12");
  CHECK(e.enum_quoted == std::vector<bool>{false, false, true, false});

  CHECK(w.fields[8].type.kind == TypeKind::kParty);
  CHECK(w.fields[8].type.party_role.text == "project_company");

  const TypeRef& list = w.fields[9].type;
  CHECK(list.kind == TypeKind::kList);
  REQUIRE(list.element.size() == 1);
  CHECK(list.element[0].kind == TypeKind::kEnum);
  CHECK(list.element[0].enum_quoted == std::vector<bool>{false, true});

  const TypeRef& nested = w.fields[10].type;
  REQUIRE(nested.element.size() == 1);
  REQUIRE(nested.element[0].element.size() == 1);
  CHECK(nested.element[0].element[0].kind == TypeKind::kText);

  CHECK(w.fields[11].type.unknown_name == "colour");
  CHECK(w.fields[12].required);
  REQUIRE(w.fields[12].default_value.has_value());
  CHECK(w.fields[12].default_value->number_text == "3.50");
  CHECK(w.fields[12].default_value->number == 3.5);
}

TEST_CASE("state modifiers, labels, bodies and nesting reach the AST", "[dsl]") {
  FileAst ast = ParseOk(
      "workflow w {\n"
      "  initial state a \"开始\" {\n"
      "    initial state a1\n"
      "    final state a2 \"完\"\n"
      "  }\n"
      "  parallel state p {\n"
      "    state r1 { initial state x {} final state y }\n"
      "    state r2\n"
      "  }\n"
      "  choice state c { if true -> a else -> done }\n"
      "  final state done\n"
      "}\n");
  const WorkflowDecl& w = ast.workflows[0];
  REQUIRE(w.states.size() == 4);
  const StateDecl& a = w.states[0];
  CHECK(a.initial);
  CHECK_FALSE(a.final_state);
  CHECK(a.has_body);
  CHECK(a.label == std::optional<std::string>("开始"));
  REQUIRE(a.children.size() == 2);
  CHECK(a.children[0].initial);
  CHECK_FALSE(a.children[0].has_body);
  CHECK(a.children[1].final_state);
  CHECK(a.children[1].label == std::optional<std::string>("完"));
  CHECK(a.order.size() == 2);
  CHECK(a.order[1] == std::make_pair(StateDecl::ItemKind::kChild, size_t{1}));

  const StateDecl& p = w.states[1];
  CHECK(p.parallel);
  REQUIRE(p.children.size() == 2);
  REQUIRE(p.children[0].children.size() == 2);
  CHECK(p.children[0].children[0].has_body);
  CHECK(p.children[0].children[0].order.empty());
  CHECK(p.children[0].children[1].final_state);

  const StateDecl& c = w.states[2];
  CHECK(c.choice);
  REQUIRE(c.transitions.size() == 2);
  CHECK(c.transitions[0].kind == TransitionKind::kIf);
  CHECK(c.transitions[0].guard->kind == ExprKind::kBool);
  CHECK(c.transitions[0].target->text == "a");
  CHECK(c.transitions[1].kind == TransitionKind::kElse);
  CHECK(c.transitions[1].target->text == "done");

  CHECK(w.states[3].final_state);
  CHECK_FALSE(w.states[3].has_body);
  CHECK(w.states[3].span.ToString() == "t.flow:11:3");
}

TEST_CASE("entry and exit blocks keep their actions and written order", "[dsl]") {
  StateDecl s = StateOk(
      "    exit { record \"离开\" }\n"
      "    entry { set due = now + limit; notify project_company \"请于 {due} 前\"; }\n"
      "    entry {}\n");
  REQUIRE(s.entry.size() == 2);
  REQUIRE(s.exit.size() == 1);
  CHECK(s.entry[0].braced);
  REQUIRE(s.entry[0].actions.size() == 2);
  CHECK(s.entry[0].actions[0].kind == ActionKind::kSet);
  CHECK(s.entry[0].actions[1].kind == ActionKind::kNotify);
  CHECK(s.entry[1].actions.empty());
  CHECK(s.exit[0].actions[0].kind == ActionKind::kRecord);
  REQUIRE(s.order.size() == 3);
  CHECK(s.order[0] == std::make_pair(StateDecl::ItemKind::kExit, size_t{0}));
  CHECK(s.order[1] == std::make_pair(StateDecl::ItemKind::kEntry, size_t{0}));
  CHECK(s.order[2] == std::make_pair(StateDecl::ItemKind::kEntry, size_t{1}));
}

TEST_CASE("an on transition keeps event, roles, guard, required fields, target and actions",
          "[dsl]") {
  StateDecl s = StateOk(
      "    on submit by project_company, management_unit if count(files) > 0 "
      "require report, files -> verifying do { record \"已提交\" }\n"
      "    on remind do notify project_company \"请尽快\"\n"
      "    on evaluating.done -> passed\n"
      "    on note\n");
  REQUIRE(s.transitions.size() == 4);
  const TransitionDecl& t = s.transitions[0];
  CHECK(t.kind == TransitionKind::kOn);
  CHECK(t.event.text == "submit");
  REQUIRE(t.roles.size() == 2);
  CHECK(t.roles[0].text == "project_company");
  CHECK(t.roles[1].text == "management_unit");
  REQUIRE(t.guard.has_value());
  CHECK(t.guard->kind == ExprKind::kBinary);
  CHECK(t.guard->op == ">");
  REQUIRE(t.required.size() == 2);
  CHECK(t.required[1].text == "files");
  CHECK(t.target->text == "verifying");
  REQUIRE(t.actions.has_value());
  CHECK(t.actions->braced);
  CHECK(t.actions->actions[0].text == "已提交");

  const TransitionDecl& internal = s.transitions[1];
  CHECK_FALSE(internal.target.has_value());
  REQUIRE(internal.actions.has_value());
  CHECK_FALSE(internal.actions->braced);
  CHECK(internal.actions->actions.size() == 1);

  CHECK(s.transitions[2].event.text == "evaluating.done");
  CHECK(s.transitions[3].event.text == "note");
  CHECK_FALSE(s.transitions[3].actions.has_value());
}

TEST_CASE("workflow-level on transitions are start transitions", "[dsl]") {
  FileAst ast = ParseOk(
      "workflow w {\n"
      "  on issue by management_unit require subject -> issued\n"
      "  initial state issued\n"
      "}\n");
  const WorkflowDecl& w = ast.workflows[0];
  REQUIRE(w.start_transitions.size() == 1);
  CHECK(w.start_transitions[0].event.text == "issue");
  CHECK(w.start_transitions[0].roles[0].text == "management_unit");
  CHECK(w.start_transitions[0].target->text == "issued");
  CHECK(w.order[0] == std::make_pair(WorkflowDecl::ItemKind::kStart, size_t{0}));
  CHECK(w.order[1] == std::make_pair(WorkflowDecl::ItemKind::kState, size_t{0}));
}

TEST_CASE("always transitions take an optional guard and actions", "[dsl]") {
  StateDecl s = StateOk("    always -> next\n    always if x > 1 -> other do emit went\n");
  REQUIRE(s.transitions.size() == 2);
  CHECK(s.transitions[0].kind == TransitionKind::kAlways);
  CHECK_FALSE(s.transitions[0].guard.has_value());
  CHECK(s.transitions[0].target->text == "next");
  CHECK(s.transitions[1].guard.has_value());
  CHECK(s.transitions[1].actions->actions[0].kind == ActionKind::kEmit);
}

TEST_CASE("timers: after, at and every with until, bare periods and actions", "[dsl]") {
  StateDecl s = StateOk(
      "    after 5 working days -> escalated\n"
      "    at due - 14 days do notify project_company \"还有14天\"\n"
      "    at due -> penalty\n"
      "    every 30 minutes until level > 1 do notify management_unit \"请报送\"\n"
      "    every week do emit weekly\n"
      "    every quarter -> review\n"
      "    after half day\n");
  REQUIRE(s.timers.size() == 7);
  CHECK(s.timers[0].kind == TimerKind::kAfter);
  CHECK(s.timers[0].duration == calendar::Duration{5, DurationUnit::kWorkingDays});
  CHECK(s.timers[0].target->text == "escalated");
  CHECK(s.timers[1].kind == TimerKind::kAt);
  CHECK(s.timers[1].at->op == "-");
  CHECK_FALSE(s.timers[1].target.has_value());
  CHECK(s.timers[1].actions->actions[0].kind == ActionKind::kNotify);
  CHECK(s.timers[2].at->kind == ExprKind::kRef);
  CHECK(s.timers[3].kind == TimerKind::kEvery);
  CHECK(s.timers[3].duration == calendar::Duration{30, DurationUnit::kMinutes});
  CHECK_FALSE(s.timers[3].bare_period);
  REQUIRE(s.timers[3].until.has_value());
  CHECK(s.timers[3].until->op == ">");
  CHECK(s.timers[4].bare_period);
  CHECK(s.timers[4].duration == calendar::Duration{1, DurationUnit::kWeeks});
  CHECK(s.timers[5].bare_period);
  CHECK(s.timers[5].duration == calendar::Duration{1, DurationUnit::kQuarters});
  CHECK(s.timers[5].target->text == "review");
  CHECK(s.timers[6].duration == calendar::Duration{1, DurationUnit::kHalfDays});
  CHECK_FALSE(s.timers[6].actions.has_value());
}

TEST_CASE("actions: set, notify, call with reply and failure, start with, record, emit",
          "[dsl]") {
  StateDecl s = StateOk(
      "    entry {\n"
      "      set due = now + 2 months\n"
      "      notify project_company \"请于 {due} 前完成\"\n"
      "      call hotline_12345.create_ticket(subject, 3) on reply -> ticket.created "
      "on failure -> ticket_failed\n"
      "      call sms.send() on failure -> sms_failed\n"
      "      start rectification with { subject: system_name, limit: 1 month, }\n"
      "      start review with {}\n"
      "      start audit\n"
      "      record \"证据 \\\"A\\\"\\n\\t\\\\\"\n"
      "      emit child.done\n"
      "    }\n");
  REQUIRE(s.entry.size() == 1);
  const std::vector<Action>& a = s.entry[0].actions;
  REQUIRE(a.size() == 9);
  CHECK(a[0].kind == ActionKind::kSet);
  CHECK(a[0].target.text == "due");
  CHECK(a[0].value->op == "+");
  CHECK(a[1].kind == ActionKind::kNotify);
  CHECK(a[1].target.text == "project_company");
  CHECK(a[1].text == "请于 {due} 前完成");
  CHECK(a[2].kind == ActionKind::kCall);
  CHECK(a[2].target.text == "hotline_12345");
  CHECK(a[2].operation.text == "create_ticket");
  CHECK(a[2].arguments.size() == 2);
  CHECK(a[2].reply_event->text == "ticket.created");
  CHECK(a[2].failure_event->text == "ticket_failed");
  CHECK(a[3].arguments.empty());
  CHECK_FALSE(a[3].reply_event.has_value());
  CHECK(a[3].failure_event->text == "sms_failed");
  CHECK(a[4].kind == ActionKind::kStart);
  CHECK(a[4].has_with);
  REQUIRE(a[4].with.size() == 2);
  CHECK(a[4].with[0].key.text == "subject");
  CHECK(a[4].with[1].value.kind == ExprKind::kDuration);
  CHECK(a[5].has_with);
  CHECK(a[5].with.empty());
  CHECK_FALSE(a[6].has_with);
  CHECK(a[7].kind == ActionKind::kRecord);
  CHECK(a[7].text == "证据 \"A\"\n\t\\");
  CHECK(a[8].kind == ActionKind::kEmit);
  CHECK(a[8].target.text == "child.done");
}

TEST_CASE("expressions follow the grammar's precedence", "[dsl]") {
  // a or (b and (not (c == (d + (e * f)))))
  Expr e = ExprOk("a or b and not c == d + e * f");
  CHECK(e.op == "or");
  const Expr& right = e.children[1];
  CHECK(right.op == "and");
  const Expr& negation = right.children[1];
  CHECK(negation.kind == ExprKind::kUnary);
  CHECK(negation.op == "not");
  const Expr& compare = negation.children[0];
  CHECK(compare.op == "==");
  CHECK(compare.children[1].op == "+");
  CHECK(compare.children[1].children[1].op == "*");

  Expr left_assoc = ExprOk("10 - 3 - 2");
  CHECK(left_assoc.children[0].op == "-");
  CHECK(left_assoc.children[1].number == 2);

  Expr paren = ExprOk("(a + b) * c");
  CHECK(paren.op == "*");
  CHECK(paren.children[0].parenthesized);
  CHECK_FALSE(paren.parenthesized);

  Expr negative = ExprOk("-x * 2");
  CHECK(negative.op == "*");
  CHECK(negative.children[0].kind == ExprKind::kUnary);
  CHECK(negative.children[0].op == "-");
}

TEST_CASE("in, not in, lists, calls, refs, literals and now", "[dsl]") {
  Expr in = ExprOk("level in [1, 2]");
  CHECK(in.kind == ExprKind::kIn);
  CHECK(in.op == "in");
  CHECK(in.children[1].kind == ExprKind::kList);
  CHECK(in.children[1].children.size() == 2);

  Expr not_in = ExprOk("terminal not in [\"app\", \"5g_message\"] and exists(report)");
  CHECK(not_in.op == "and");
  CHECK(not_in.children[0].op == "not in");
  CHECK(not_in.children[1].kind == ExprKind::kCall);
  CHECK(not_in.children[1].text == "exists");
  CHECK(not_in.children[1].children[0].path == std::vector<std::string>{"report"});

  Expr count = ExprOk("count(files) >= 2");
  CHECK(count.children[0].text == "count");

  Expr ref = ExprOk("report.name");
  CHECK(ref.kind == ExprKind::kRef);
  CHECK(ref.path == std::vector<std::string>{"report", "name"});

  CHECK(ExprOk("true").boolean);
  CHECK_FALSE(ExprOk("false").boolean);
  CHECK(ExprOk("now").kind == ExprKind::kNow);
  CHECK(ExprOk("\"整改\"").text == "整改");
  CHECK(ExprOk("[]").children.empty());
}

TEST_CASE("durations of every unit, singular and plural", "[dsl]") {
  struct Case {
    const char* text;
    calendar::Duration expected;
    bool natural;
  };
  const Case cases[] = {
      {"30 minutes", {30, DurationUnit::kMinutes}, false},
      {"1 minute", {1, DurationUnit::kMinutes}, false},
      {"1 hour", {1, DurationUnit::kHours}, false},
      {"12 hours", {12, DurationUnit::kHours}, false},
      {"half day", {1, DurationUnit::kHalfDays}, false},
      {"3 days", {3, DurationUnit::kDays}, false},
      {"1 day", {1, DurationUnit::kDays}, false},
      {"3 natural days", {3, DurationUnit::kDays}, true},
      {"5 working days", {5, DurationUnit::kWorkingDays}, false},
      {"1 working day", {1, DurationUnit::kWorkingDays}, false},
      {"2 weeks", {2, DurationUnit::kWeeks}, false},
      {"2 months", {2, DurationUnit::kMonths}, false},
      {"1 month", {1, DurationUnit::kMonths}, false},
      {"1 quarter", {1, DurationUnit::kQuarters}, false},
      {"1 year", {1, DurationUnit::kYears}, false},
      {"2 years", {2, DurationUnit::kYears}, false},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    Expr e = ExprOk(c.text);
    CHECK(e.kind == ExprKind::kDuration);
    CHECK(e.duration == c.expected);
    CHECK(e.duration.natural == c.natural);
  }
}

TEST_CASE("Unicode identifiers and Chinese strings work, columns count code points", "[dsl]") {
  FileAst ast = ParseOk(
      "workflow 整改 \"限期整改\" {\n"
      "  data { 金额 number \"金额（元）\" }\n"
      "  initial state 审核中 \"审核\" { on 通过 by 管理单位 -> 完成 }\n"
      "  final state 完成\n"
      "}\n");
  const WorkflowDecl& w = ast.workflows[0];
  CHECK(w.id.text == "整改");
  CHECK(w.fields[0].name.text == "金额");
  CHECK(w.states[0].name.text == "审核中");
  const TransitionDecl& t = w.states[0].transitions[0];
  CHECK(t.event.text == "通过");
  CHECK(t.roles[0].text == "管理单位");
  // "  initial state 审核中 \"审核\" { on " is 30 code points before 通过.
  CHECK(t.event.span.ToString() == "t.flow:3:31");
  CHECK(t.target->span.column == 45);

  std::vector<std::string> errors = Errors("workflow 整改 \"标签\" { 状态 }\n");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("bad.flow:1:20: error: unexpected '状态'", 0) == 0);
}

TEST_CASE("keywords double as names where the measures need them", "[dsl]") {
  FileAst ast = ParseOk(
      "workflow w {\n"
      "  data { year number  record text  start datetime }\n"
      "  state data { on record by start -> state }\n"
      "  state state\n"
      "}\n");
  const WorkflowDecl& w = ast.workflows[0];
  CHECK(w.fields[0].name.text == "year");
  CHECK(w.fields[1].name.text == "record");
  CHECK(w.states[0].name.text == "data");
  CHECK(w.states[0].transitions[0].event.text == "record");
  CHECK(w.states[0].transitions[0].roles[0].text == "start");
  CHECK(w.states[0].transitions[0].target->text == "state");
}

TEST_CASE("comments attach to the declaration after them or to the block's end", "[dsl]") {
  FileAst ast = ParseOk(
      "# about the roles\n"
      "roles {\n"
      "  # the unit\n"
      "  a \"A\"\n"
      "  # end of roles\n"
      "}\n"
      "# about w\n"
      "workflow w {\n"
      "  # cites\n"
      "  cites \"c\"\n"
      "  # calendar\n"
      "  calendar cn-mainland\n"
      "  # data\n"
      "  data {\n"
      "    # field\n"
      "    x text\n"
      "    # end of data\n"
      "  }\n"
      "  # start\n"
      "  on go -> s\n"
      "  # state\n"
      "  state s {\n"
      "    # entry\n"
      "    entry {\n"
      "      # action\n"
      "      set x = \"1\"\n"
      "    }\n"
      "    # timer\n"
      "    after 1 day -> s\n"
      "    # end of s\n"
      "  }\n"
      "  # end of w\n"
      "}\n"
      "# end of file\n");
  REQUIRE(ast.roles.size() == 1);
  CHECK(ast.roles[0].comments[0].text == "# about the roles");
  CHECK(ast.roles[0].roles[0].comments[0].text == "# the unit");
  CHECK(ast.roles[0].trailing_comments[0].text == "# end of roles");
  const WorkflowDecl& w = ast.workflows[0];
  CHECK(w.comments[0].text == "# about w");
  CHECK(w.comments[0].span.ToString() == "t.flow:7:1");
  CHECK(w.item_comments_cites[0].text == "# cites");
  CHECK(w.item_comments_calendar[0].text == "# calendar");
  CHECK(w.item_comments_data[0].text == "# data");
  CHECK(w.fields[0].comments[0].text == "# field");
  CHECK(w.data_trailing_comments[0].text == "# end of data");
  CHECK(w.start_transitions[0].comments[0].text == "# start");
  const StateDecl& s = w.states[0];
  CHECK(s.comments[0].text == "# state");
  CHECK(s.entry[0].comments[0].text == "# entry");
  CHECK(s.entry[0].actions[0].comments[0].text == "# action");
  CHECK(s.timers[0].comments[0].text == "# timer");
  CHECK(s.trailing_comments[0].text == "# end of s");
  CHECK(w.trailing_comments[0].text == "# end of w");
  CHECK(ast.trailing_comments[0].text == "# end of file");
}

TEST_CASE("an empty file and a file of comments parse to an empty AST", "[dsl]") {
  FileAst empty = ParseOk("");
  CHECK(empty.order.empty());
  FileAst comments = ParseOk("# only\n# comments\n");
  CHECK(comments.order.empty());
  CHECK(comments.trailing_comments.size() == 2);
}

TEST_CASE("a syntax error names the token found and what was expected, at path:line:col",
          "[dsl]") {
  CHECK(Errors("workflow w {\n  state a {\n    on go ->\n  }\n}\n") ==
        std::vector<std::string>{"bad.flow:4:3: error: missing a name before '}'"});
  CHECK(Errors("workflow w {\n  state a { foo }\n}\n") ==
        std::vector<std::string>{
            "bad.flow:2:13: error: unexpected 'foo', expected a state, transition, timer, "
            "'entry', 'exit' or '}'"});
  CHECK(Errors("workflow w {\n  data { x }\n}\n") ==
        std::vector<std::string>{
            "bad.flow:2:12: error: unexpected '}', expected a type (text, number, bool, date, "
            "datetime, duration, document, enum(…), party(…), list of …)"});
  CHECK(Errors("workflow w {\n  state a { after soon -> b }\n}\n") ==
        std::vector<std::string>{
            "bad.flow:2:19: error: unexpected 'soon', expected a duration such as '2 months' "
            "or '5 working days'"});
  CHECK(Errors("workflow w {\n  state a { entry { shout } }\n}\n") ==
        std::vector<std::string>{
            "bad.flow:2:21: error: unexpected 'shout', expected an action (set, notify, call, "
            "start, record or emit)"});
  CHECK(Errors("workflow w {\n  state a {\n") ==
        std::vector<std::string>{
            "bad.flow:3:1: error: unexpected end of file, expected a state, transition, timer, "
            "'entry', 'exit' or '}'"});
  CHECK(Errors("state a\n") ==
        std::vector<std::string>{
            "bad.flow:1:1: error: unexpected 'state', expected end of file, 'workflow' or "
            "'roles'"});
}

TEST_CASE("a bad character, an unterminated string and a bad escape are reported", "[dsl]") {
  CHECK(Errors("workflow w { state a { $ } }\n") ==
        std::vector<std::string>{"bad.flow:1:24: error: unexpected character '$', expected a "
                                 "state, transition, timer, 'entry', 'exit' or '}'"});
  std::vector<std::string> unterminated = Errors("roles { a \"x }\n");
  REQUIRE_FALSE(unterminated.empty());
  CHECK(unterminated[0].rfind("bad.flow:1:11: error: unexpected unterminated string", 0) == 0);
  CHECK(Errors("roles { a \"x\\qy\" }\n") ==
        std::vector<std::string>{
            "bad.flow:1:11: error: unknown escape '\\q' in string (write \\\" \\\\ \\n or \\t)"});
  CHECK(Errors("workflow w { state a { after 1.5 days -> a } }\n") ==
        std::vector<std::string>{"bad.flow:1:30: error: a duration needs a whole number, not "
                                 "'1.5' (write 'half day' or use a smaller unit)"});
}

TEST_CASE("all syntax errors of a file are reported, in file order", "[dsl]") {
  std::vector<std::string> errors = Errors(
      "workflow w {\n"
      "  data { x }\n"
      "  state a {\n"
      "    on go -> \n"
      "  }\n"
      "  state b { foo }\n"
      "  state c { after -> a }\n"
      "}\n");
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].rfind("bad.flow:2:12: ", 0) == 0);
  CHECK(errors[1] == "bad.flow:5:3: error: missing a name before '}'");
  CHECK(errors[2].rfind("bad.flow:6:13: error: unexpected 'foo'", 0) == 0);
  CHECK(errors[3].rfind("bad.flow:7:19: error: unexpected '->'", 0) == 0);
}

TEST_CASE("invalid UTF-8 is one diagnostic at the first bad byte", "[dsl]") {
  CHECK(Errors("roles {\n  a \"x\xff\"\n}\n") ==
        std::vector<std::string>{
            "bad.flow:2:7: error: the file is not valid UTF-8 text (save it as UTF-8)"});
}

TEST_CASE("garbage input never crashes the parser", "[dsl]") {
  std::mt19937 random(20260131);  // Fixed seed: the same bytes every run.
  for (int round = 0; round < 200; ++round) {
    std::string text;
    size_t length = random() % 300;
    for (size_t i = 0; i < length; ++i) text += static_cast<char>(random() % 256);
    ParseResult result = Parse(SourceFile{"junk.flow", text});
    CHECK(result.ast.path == "junk.flow");
  }
  // Random tokens of the language are the more searching input.
  const char* pieces[] = {"workflow", "state", "{", "}", "(", ")", "on", "->", "x", "\"s\"",
                          "1", "days", "do", "set", "=", "+", "not", "in", "[", "]",
                          ",", "initial", "data", "text", "every", "until", "#c\n", "\n"};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    size_t length = random() % 60;
    for (size_t i = 0; i < length; ++i) {
      text += pieces[random() % (sizeof pieces / sizeof pieces[0])];
      text += ' ';
    }
    Parse(SourceFile{"junk.flow", text});
    ParseExpression(SourceFile{"junk", text});
  }
  std::vector<std::string> unbalanced = Errors("workflow w { state a { { { } } } } } }\n");
  CHECK_FALSE(unbalanced.empty());
  CHECK(Errors("}}}}{{{{").size() >= 1);
}

TEST_CASE("nesting too deep for the parser is refused with a clear diagnostic", "[dsl]") {
  std::string deep = std::string(10000, '(') + "1" + std::string(10000, ')');
  ExprParseResult result = ParseExpression(SourceFile{"deep", deep});
  CHECK_FALSE(result.expr.has_value());
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "nesting-too-deep");
  CHECK(result.diagnostics[0].ToString() ==
        "deep:1:201: error: nesting deeper than 200 levels (brackets, braces or prefix "
        "operators); simplify the text");

  std::string chain = "1";
  for (int i = 0; i < 10000; ++i) chain += " + 1";
  ExprParseResult long_chain = ParseExpression(SourceFile{"chain", chain});
  REQUIRE(long_chain.diagnostics.size() == 1);
  CHECK(long_chain.diagnostics[0].code == "nesting-too-deep");

  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  CHECK(ParseExpression(SourceFile{"nots", nots + "x"}).diagnostics.size() == 1);

  // Nesting just inside the limit parses.
  std::string ok = std::string(150, '(') + "1" + std::string(150, ')');
  CHECK(ExprOk(ok).parenthesized);
}

TEST_CASE("ParseExpression takes one expression and nothing more", "[dsl]") {
  CHECK(ExprOk("due - 14 days").op == "-");
  ExprParseResult trailing = ParseExpression(SourceFile{"expr", "1 + 2 )"});
  CHECK_FALSE(trailing.expr.has_value());
  REQUIRE(trailing.diagnostics.size() == 1);
  CHECK(trailing.diagnostics[0].ToString() ==
        "expr:1:7: error: unexpected ')', expected end of file");
  ExprParseResult empty = ParseExpression(SourceFile{"expr", ""});
  CHECK_FALSE(empty.expr.has_value());
  CHECK(empty.diagnostics.size() == 1);
}

}  // namespace
}  // namespace zgtflow::dsl
