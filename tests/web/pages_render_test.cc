// The HTML pages' renderers (web/pages/), pure: escaping of hostile data,
// the working-days countdown of deadlines, the highlighted active states of
// the diagram, the case list's filters and paging, and the versions' diff.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/calendar/calendar.h"
#include "engine/runtime/json_codec.h"
#include "tests/support/case_driver.h"
#include "tests/support/compile_one.h"
#include "web/pages/case_list.h"
#include "web/pages/case_page.h"
#include "web/pages/diagram_cache.h"
#include "web/pages/html.h"
#include "web/pages/time_left.h"
#include "web/pages/workflow_page.h"

namespace zgtflow::web::pages {
namespace {

constexpr const char* kHostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&";

// A small workflow with a working-days deadline and a natural one.
constexpr const char* kFlow = R"(
workflow review "审查" {
  cites "第3条"
  data {
    subject  text      "事项" required
    report   document  "报告"
  }
  on open by management_unit require subject -> checking do record "受理：{subject}"
  initial state checking "审查中" {
    on pass by management_unit -> done do record "通过：{subject}"
    on note by project_company do record "说明：{subject}"
    after 5 working days -> late
  }
  state late "已超期" {
    after 2 days -> done
  }
  final state done "已完成" {}
}
)";

calendar::Instant At(const std::string& text) {
  Result<calendar::Instant> instant = calendar::ParseInstant(text);
  REQUIRE(instant.ok());
  return *instant;
}

auth::Principal Viewer(const std::string& role, const std::string& party) {
  auth::Principal viewer;
  viewer.id = "user-test";
  viewer.name = "测试用户";
  viewer.role = role;
  viewer.party = party;
  viewer.sees_all = auth::RoleSeesAll(role);
  viewer.via = auth::Via::kSession;
  viewer.csrf_token = "csrf\"<token>";
  return viewer;
}

// The case page data of a `review` case opened with `subject` at `now`.
struct Fixture {
  std::shared_ptr<const model::Workflow> workflow = testing::CompileOne(kFlow);
  calendar::Calendar cal = testing::ProjectCalendar();
  CasePageData data;

  explicit Fixture(const std::string& subject, calendar::Instant now) {
    testing::CaseDriver driver(*workflow, now, &cal);
    model::Object payload;
    payload["subject"] = model::Value::Text(subject);
    core::Input start = core::Input::Start("management_unit", payload, "open");
    start.actor_party = subject;
    REQUIRE_FALSE(driver.Send(start).rejection);
    data.viewer = Viewer("management_unit", "");
    data.workflow = workflow;
    data.state = driver.state();
    data.now = now;
    data.calendar = &cal;
    data.row.id = "review-1";
    data.row.workflow = "review";
    data.row.revision = driver.state().revision;
    data.row.state = "[\"checking\"]";
    std::vector<std::string> names;
    for (const auto& field : workflow->fields) names.push_back(field.name);
    data.row.data = runtime::EncodeCaseData(names, driver.state().data);
    data.row.parties = nlohmann::json{{"project_company", {subject}}}.dump();
    for (const core::HistoryEntry& entry : driver.history()) {
      store::HistoryRow row;
      row.case_id = "review-1";
      row.seq = entry.seq;
      row.input = runtime::EncodeInput(entry.input);
      row.effects = runtime::EncodeEffects(entry.effects);
      row.at_ms = entry.at.epoch_ms;
      data.history.push_back(row);
    }
    auth::AllowedEvent pass;
    pass.event = "pass";
    pass.target = "done";
    pass.target_label = "已完成";
    data.allowed.push_back(pass);
  }
};

TEST_CASE("Escape replaces markup characters, control bytes and invalid UTF-8", "[web]") {
  CHECK(Escape("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(Escape("整改中") == "整改中");
  CHECK(Escape(std::string("a\0b", 3)) == "a\xEF\xBF\xBD" "b");
  CHECK(Escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // Overlong '/'.
  CHECK(Escape("\xE6\x95") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // Truncated sequence.
  CHECK(Escape("tab\tand\nnewline") == "tab\tand\nnewline");
  CHECK(UrlEncode("a b/整") == "a%20b%2F%E6%95%B4");
}

TEST_CASE("the case page escapes hostile case data, parties and history text", "[web]") {
  Fixture f(kHostile, At("2026-03-02T09:00:00+08:00"));
  std::string html = RenderCasePage(f.data);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("onerror=alert(1)>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  // The record of the history and the party name both went through Escape.
  CHECK(html.find("受理：&lt;script&gt;") != std::string::npos);
  // A delivery attempt's error text (from a partner system) is escaped too.
  store::DeliveryAttemptRow attempt;
  attempt.outbox_id = 1;
  attempt.attempt = 2;
  attempt.channel = "webhook";
  attempt.outcome = "retry";
  attempt.error = "HTTP 500 <b>down</b>";
  f.data.attempts.push_back(attempt);
  html = RenderCasePage(f.data);
  CHECK(html.find("HTTP 500 &lt;b&gt;down&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("失败，稍后重试") != std::string::npos);
  // The CSRF token is an attribute value: its quote cannot end the attribute.
  CHECK(html.find("value=\"csrf&quot;&lt;token&gt;\"") != std::string::npos);
}

TEST_CASE("a migration in the timeline reads as a move between two versions", "[web]") {
  Fixture f("迁移", At("2026-03-02T09:00:00+08:00"));
  store::HistoryRow entry;
  entry.seq = 7;
  entry.input = R"({"kind":"migrate","event":"review","actor_role":"",)"
                R"("payload":{"from":"0123456789abcdef","to":"<b>fedcba9876543210","map":{}}})";
  entry.effects = "[]";
  std::string html = RenderTimelineEntry(*f.workflow, entry);
  CHECK(html.find("迁移到新版本") != std::string::npos);
  CHECK(html.find("<code>0123456789ab</code> → <code>&lt;b&gt;fedcba987</code>") != std::string::npos);
  CHECK(html.find(">migrate<") == std::string::npos);
  // A payload without the versions still renders, with "?" in their place.
  entry.input = R"({"kind":"migrate","event":"review","payload":{"map":{}}})";
  CHECK(RenderTimelineEntry(*f.workflow, entry).find("<code>?</code> → <code>?</code>") !=
        std::string::npos);
}

TEST_CASE("a working-days deadline counts working days, skipping a holiday", "[web]") {
  calendar::Calendar cal = testing::ProjectCalendar();
  // Thursday 2026-04-30 09:00 + 5 working days: 5-1..5-5 is the Labour Day
  // holiday and 5-9 (Saturday) an adjusted working day.
  calendar::Instant now = At("2026-04-30T09:00:00+08:00");
  Result<calendar::Instant> due =
      cal.Add(now, calendar::Duration{5, calendar::DurationUnit::kWorkingDays});
  REQUIRE(due.ok());
  TimeLeft left = ComputeTimeLeft(now, *due, true, &cal);
  CHECK(left.in_working_days);
  CHECK(left.working_days == 5);
  CHECK(left.text == "剩余 5 个工作日");
  CHECK_FALSE(left.overdue);
  CHECK_FALSE(left.due_soon);
  // The same instants in natural time are more than 5 days apart.
  TimeLeft natural = ComputeTimeLeft(now, *due, false, &cal);
  CHECK_FALSE(natural.in_working_days);
  CHECK(natural.text.rfind("剩余 ", 0) == 0);
  CHECK(natural.text != left.text);
}

TEST_CASE("time left says due today, due soon and overdue", "[web]") {
  calendar::Calendar cal = testing::ProjectCalendar();
  calendar::Instant now = At("2026-03-02T09:00:00+08:00");  // Monday.
  TimeLeft today = ComputeTimeLeft(now, At("2026-03-02T17:30:00+08:00"), true, &cal);
  CHECK(today.text == "今日到期（剩余 8 小时 30 分钟）");
  CHECK(today.due_soon);
  TimeLeft soon = ComputeTimeLeft(now, At("2026-03-04T09:00:00+08:00"), true, &cal);
  CHECK(soon.text == "剩余 2 个工作日");
  CHECK(soon.due_soon);
  calendar::Instant monday = At("2026-03-09T09:00:00+08:00");
  TimeLeft late = ComputeTimeLeft(monday, At("2026-03-06T09:00:00+08:00"), false, &cal);
  CHECK(late.overdue);
  CHECK(late.text == "已逾期 3 天");
  TimeLeft late_working = ComputeTimeLeft(monday, At("2026-03-06T09:00:00+08:00"), true, &cal);
  CHECK(late_working.text == "已逾期 1 个工作日");  // Friday → Monday.
  TimeLeft hours = ComputeTimeLeft(now, At("2026-03-03T13:00:00+08:00"), false, nullptr);
  CHECK(hours.text == "剩余 1 天 4 小时");
}

TEST_CASE("the case page shows a working-days timer's time left in working days", "[web]") {
  Fixture f("平台稳定性", At("2026-03-02T09:00:00+08:00"));
  std::string html = RenderCasePage(f.data);
  CHECK(html.find("剩余 5 个工作日") != std::string::npos);
  CHECK(html.find("data-working-days=\"true\"") != std::string::npos);
  CHECK(html.find("after 5 working days") != std::string::npos);
  CHECK(html.find("进入「已超期」") != std::string::npos);
  const model::StateDef& late = f.workflow->states[f.workflow->FindState("late")];
  CHECK_FALSE(TimerInWorkingDays(late.timers[0], f.data.state.data));
  const model::StateDef& checking = f.workflow->states[f.workflow->FindState("checking")];
  CHECK(TimerInWorkingDays(checking.timers[0], f.data.state.data));
}

TEST_CASE("the diagram highlights exactly the active states", "[web]") {
  auto workflow = testing::CompileOne(kFlow);
  DiagramCache cache;
  int checking = workflow->FindState("checking");
  std::string svg = cache.Svg(*workflow, {checking});
  REQUIRE(svg.rfind("<svg", 0) == 0);
  size_t active = svg.find("class=\"node active\"");
  REQUIRE(active != std::string::npos);
  CHECK(svg.find("<title>s" + std::to_string(checking) + "</title>", active) ==
        svg.find("<title>", active));
  CHECK(svg.find("class=\"node active\"", active + 1) == std::string::npos);
  std::string none = cache.Svg(*workflow, {});
  CHECK(none.find("active") == std::string::npos);
  CHECK(cache.Svg(*workflow, {checking}) == svg);  // Cached.
}

TEST_CASE("the case page offers the allowed events as CSRF-carrying forms", "[web]") {
  Fixture f("平台稳定性", At("2026-03-02T09:00:00+08:00"));
  DiagramCache cache;
  f.data.diagram_svg = cache.Svg(*f.workflow, {f.workflow->FindState("checking")});
  std::string html = RenderCasePage(f.data);
  CHECK(html.find("action=\"/cases/review-1/events\" data-event=\"pass\"") != std::string::npos);
  CHECK(html.find("name=\"event\" value=\"pass\"") != std::string::npos);
  CHECK(html.find("name=\"expected_revision\" value=\"1\"") != std::string::npos);
  CHECK(html.find("data-event=\"note\"") == std::string::npos);  // Not allowed: not offered.
  CHECK(html.find("<span class=\"tag active-state\" data-state=\"checking\">审查中</span>") !=
        std::string::npos);
  CHECK(html.find("class=\"node active\"") != std::string::npos);
  CHECK(html.find("<li class=\"entry\" data-seq=\"1\">") != std::string::npos);
  f.data.allowed.clear();
  CHECK(RenderCasePage(f.data).find("您的角色当前没有可办理的操作") != std::string::npos);
}

TEST_CASE("the case list keeps its filters escaped in the form and the paging links", "[web]") {
  CaseListData data;
  data.viewer = Viewer("management_unit", "");
  data.workflows["review"] = testing::CompileOne(kFlow);
  data.query.q = kHostile;
  data.query.workflow = "review";
  data.query.page = 2;
  data.has_next = true;
  store::CaseRow row;
  row.id = "review-<b>1";
  row.workflow = "review";
  row.state = "[\"checking\"]";
  row.next_due_ms = At("2026-03-01T09:00:00+08:00").epoch_ms;
  data.rows.push_back(row);
  data.now = At("2026-03-02T09:00:00+08:00");
  std::string html = RenderCaseList(data);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("review-&lt;b&gt;1") != std::string::npos);
  CHECK(html.find("href=\"/cases/review-%3Cb%3E1\"") != std::string::npos);
  CHECK(html.find("rel=\"prev\" href=\"/cases?page=1&amp;q=%3Cscript%3E") != std::string::npos);
  CHECK(html.find("rel=\"next\"") != std::string::npos);
  CHECK(html.find("class=\"overdue\"") != std::string::npos);
  CHECK(html.find("已逾期 1 天") != std::string::npos);
}

TEST_CASE("the dashboard lists overdue cases before the counts by state", "[web]") {
  DashboardData data;
  data.viewer = Viewer("management_unit", "");
  data.workflows["review"] = testing::CompileOne(kFlow);
  data.counts.push_back({"review", "checking", 7, 2});
  store::CaseRow row;
  row.id = "review-9";
  row.workflow = "review";
  row.state = "[\"late\"]";
  row.next_due_ms = At("2026-03-01T09:00:00+08:00").epoch_ms;
  data.overdue.push_back(row);
  data.now = At("2026-03-02T09:00:00+08:00");
  std::string html = RenderDashboard(data);
  size_t overdue = html.find("id=\"overdue\"");
  size_t counts = html.find("id=\"by-state\"");
  REQUIRE(overdue != std::string::npos);
  REQUIRE(counts != std::string::npos);
  CHECK(overdue < counts);
  CHECK(html.find("审查中") != std::string::npos);
  CHECK(html.find("href=\"/cases?state=checking&amp;workflow=review\">7</a>") != std::string::npos);
}

TEST_CASE("the workflow page marks cited clauses and shows the diff from the previous version",
          "[web]") {
  WorkflowPageData data;
  data.viewer = Viewer("management_unit", "");
  data.workflow = testing::CompileOne(kFlow);
  data.previous_version = "0123456789abcdef";
  std::string before = data.workflow->source;
  size_t at = before.find("after 5 working days");
  REQUIRE(at != std::string::npos);
  data.previous_source = before.replace(at, 20, "after 3 working days");
  std::string html = RenderWorkflowPage(data);
  CHECK(html.find("<li>第3条</li>") != std::string::npos);
  CHECK(html.find("class=\"line cite\"") != std::string::npos);
  CHECK(html.find("<span class=\"del\">-     after 3 working days") != std::string::npos);
  CHECK(html.find("<span class=\"add\">+     after 5 working days") != std::string::npos);
  CHECK(html.find("id=\"changes\"") == std::string::npos);  // No model diff given.
  auto previous = testing::CompileOne(data.previous_source);
  data.changes = runtime::DiffVersions(*previous, *data.workflow);
  std::string with_changes = RenderWorkflowPage(data);
  CHECK(with_changes.find("<ul id=\"changes\">") != std::string::npos);
  CHECK(with_changes.find("5 working days") != std::string::npos);
  CHECK(LineDiff("a\nb\nc\n", "a\nb\nc\n").empty());
  CHECK(LineDiff("a\nb\n", "a\nc\n") == std::vector<std::string>{"  a", "- b", "+ c"});
}

}  // namespace
}  // namespace zgtflow::web::pages
