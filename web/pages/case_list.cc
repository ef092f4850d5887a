// ⑧ The case list and the dashboard (see case_list.h).
#include "web/pages/case_list.h"

#include <map>

#include "web/pages/html.h"
#include "web/pages/time_left.h"

namespace zgtflow::web::pages {
namespace {

const model::Workflow* Find(const WorkflowIndex& workflows, const std::string& id) {
  auto it = workflows.find(id);
  return it == workflows.end() ? nullptr : it->second.get();
}

std::string CaseTable(const std::vector<store::CaseRow>& rows, const WorkflowIndex& workflows,
                      calendar::Instant now, const char* id) {
  std::string out = "<table id=\"" + std::string(id) + "\"><thead><tr><th>案件</th><th>流程</th>"
                    "<th>当前状态</th><th>期限</th><th>最近更新</th></tr></thead><tbody>";
  for (const store::CaseRow& row : rows) {
    out += "<tr class=\"case-row\"><td><a href=\"/cases/" + Escape(UrlEncode(row.id)) + "\">" +
           Escape(row.id) + "</a></td><td>" + Escape(WorkflowLabel(workflows, row.workflow)) +
           "</td><td>" +
           (row.status == store::CaseStatus::kCompleted ? std::string("<span class=\"tag\">已办结</span> ")
                                                        : std::string()) +
           ActiveStatesHtml(Find(workflows, row.workflow), row.state) + "</td><td>" +
           DueCell(row, now) + "</td><td>" +
           Escape(FormatShanghai(calendar::Instant{row.updated_at_ms})) + "</td></tr>";
  }
  out += "</tbody></table>";
  return out;
}

}  // namespace

std::string DueCell(const store::CaseRow& row, calendar::Instant now) {
  if (!row.next_due_ms) return "<span class=\"muted\">—</span>";
  TimeLeft left = ComputeTimeLeft(now, calendar::Instant{*row.next_due_ms}, false, nullptr);
  const char* cls = left.overdue ? "overdue" : left.due_soon ? "due-soon" : "";
  return "<span class=\"" + std::string(cls) + "\" title=\"" +
         Escape(FormatShanghai(calendar::Instant{*row.next_due_ms})) + "\">" + Escape(left.text) +
         "</span>";
}

std::string RenderCaseList(const CaseListData& d) {
  const CaseListQuery& q = d.query;
  std::string out = "<h1>案件列表</h1><section class=\"card\"><form class=\"filters\" method=\"get\" "
                    "action=\"/cases\"><label>流程<select name=\"workflow\"><option value=\"\">全部</option>";
  for (const auto& [id, workflow] : d.workflows) {
    out += "<option value=\"" + Escape(id) + "\"" + (q.workflow == id ? " selected" : "") + ">" +
           Escape(workflow->label.empty() ? id : workflow->label) + "</option>";
  }
  out += "</select></label><label>状态<select name=\"state\"><option value=\"\">全部</option>";
  for (const auto& [id, workflow] : d.workflows) {
    if (!q.workflow.empty() && q.workflow != id) continue;
    for (size_t s = 1; s < workflow->states.size(); ++s) {
      const model::StateDef& state = workflow->states[s];
      out += "<option value=\"" + Escape(state.name) + "\"" + (q.state == state.name ? " selected" : "") +
             ">" + Escape(state.label.empty() ? state.name : state.label) +
             (q.workflow.empty() ? "（" + Escape(workflow->label.empty() ? id : workflow->label) + "）" : "") +
             "</option>";
    }
  }
  out += "</select></label><label>相关方<input name=\"party\" value=\"" + Escape(q.party) +
         "\"></label><label>搜索<input type=\"search\" name=\"q\" value=\"" + Escape(q.q) +
         "\" placeholder=\"案件编号或内容\"></label><label><span>仅逾期</span><input type=\"checkbox\" "
         "name=\"overdue\" value=\"1\"" + (q.overdue ? " checked" : "") +
         "></label><button type=\"submit\">筛选</button></form></section>";
  out += "<section class=\"card\">";
  if (d.rows.empty()) {
    out += "<p class=\"muted\" id=\"no-cases\">没有符合条件的案件。</p>";
  } else {
    out += CaseTable(d.rows, d.workflows, d.now, "cases");
  }
  if (d.search_truncated) {
    out += "<p class=\"muted\">搜索只查找了最近更新的部分案件，请增加筛选条件。</p>";
  }
  std::map<std::string, std::string> params = {{"workflow", q.workflow}, {"state", q.state},
                                               {"party", q.party}, {"q", q.q},
                                               {"overdue", q.overdue ? "1" : ""}};
  out += "<div class=\"pager\">";
  if (q.page > 1) {
    params["page"] = std::to_string(q.page - 1);
    out += "<a class=\"button\" rel=\"prev\" href=\"/cases" + Escape(QueryString(params)) + "\">上一页</a>";
  }
  out += "<span>第 " + std::to_string(q.page) + " 页</span>";
  if (d.has_next) {
    params["page"] = std::to_string(q.page + 1);
    out += "<a class=\"button\" rel=\"next\" href=\"/cases" + Escape(QueryString(params)) + "\">下一页</a>";
  }
  out += "</div></section>";
  return Layout("案件列表", &d.viewer, Nav::kCases, out);
}

std::string RenderDashboard(const DashboardData& d) {
  std::string out = "<h1>概览</h1>";
  out += "<section class=\"card\" id=\"overdue\"><h2>已逾期</h2>";
  out += d.overdue.empty() ? "<p class=\"muted\">没有逾期的案件。</p>"
                           : CaseTable(d.overdue, d.workflows, d.now, "overdue-cases");
  out += "</section><section class=\"card\" id=\"due-soon\"><h2>即将到期（3 天内）</h2>";
  out += d.due_soon.empty() ? "<p class=\"muted\">3 天内没有到期的期限。</p>"
                            : CaseTable(d.due_soon, d.workflows, d.now, "due-soon-cases");
  out += "</section><section class=\"card\" id=\"by-state\"><h2>按流程和状态</h2>";
  if (d.counts.empty()) {
    out += "<p class=\"muted\">暂无案件。</p>";
  } else {
    out += "<table><thead><tr><th>流程</th><th>状态</th><th>案件数</th><th>其中逾期</th></tr></thead><tbody>";
    for (const StateCount& count : d.counts) {
      std::map<std::string, std::string> params = {{"workflow", count.workflow}, {"state", count.state}};
      out += "<tr><td>" + Escape(WorkflowLabel(d.workflows, count.workflow)) + "</td><td>" +
             Escape(StateLabel(Find(d.workflows, count.workflow), count.state)) +
             "</td><td><a href=\"/cases" + Escape(QueryString(params)) + "\">" +
             std::to_string(count.cases) + "</a></td><td" +
             (count.overdue > 0 ? " class=\"overdue\"" : "") + ">" + std::to_string(count.overdue) +
             "</td></tr>";
    }
    out += "</tbody></table>";
  }
  if (d.truncated) {
    out += "<p class=\"muted\">统计基于最近更新的 " + std::to_string(d.scanned) + " 件案件。</p>";
  }
  out += "</section>";
  return Layout("概览", &d.viewer, Nav::kDashboard, out);
}

}  // namespace zgtflow::web::pages
