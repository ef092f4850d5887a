// ⑧ The case page (see case_page.h).
#include "web/pages/case_page.h"

#include <nlohmann/json.hpp>

#include "dsl/graph/to_dot.h"
#include "engine/calendar/duration.h"
#include "web/auth/http_auth.h"
#include "web/pages/html.h"
#include "web/pages/time_left.h"

namespace zgtflow::web::pages {
namespace {

using nlohmann::json;

std::string JsonText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// A field value for display: tagged encodings of engine/runtime/json_codec
// shown as their text.
std::string ValueText(const json& value) {
  if (value.is_object() && value.size() == 1) {
    auto it = value.begin();
    if (it.key() == "$datetime" || it.key() == "$date" || it.key() == "$duration" ||
        it.key() == "$number") {
      return JsonText(*it);
    }
    if (it.key() == "$document" && it->is_object()) {
      return "📄 " + JsonText(it->value("name", json("")));
    }
  }
  return JsonText(value);
}

std::string TimerRule(const model::Workflow& workflow, const model::TimerDef& timer) {
  switch (timer.kind) {
    case model::TimerKind::kAfter:
      return "after " + calendar::FormatDuration(timer.duration);
    case model::TimerKind::kAt:
      return "at " + (timer.has_at ? graph::ExprToText(workflow, timer.at) : std::string());
    case model::TimerKind::kEvery:
      return "every " + calendar::FormatDuration(timer.duration) +
             (timer.has_until ? " until " + graph::ExprToText(workflow, timer.until) : "");
  }
  return "";
}

std::string ActorText(const model::Workflow& workflow, const json& input) {
  std::string role = input.value("actor_role", "");
  std::string party = input.value("actor_party", "");
  if (role.empty()) return "系统";
  std::string out = RoleLabel(&workflow, role);
  if (!party.empty()) out += " · " + party;
  return out;
}

void RenderDeadlines(const CasePageData& d, std::string& out) {
  const model::Workflow& w = *d.workflow;
  out += "<section class=\"card\" id=\"deadlines\"><h2>期限</h2>";
  if (d.state.timers.empty()) {
    out += "<p class=\"muted\">当前没有待到期的期限。</p></section>";
    return;
  }
  out += "<table><thead><tr><th>所在状态</th><th>规则</th><th>到期时间</th><th>剩余</th><th>到期后</th>"
         "</tr></thead><tbody>";
  for (const core::PendingTimer& timer : d.state.timers) {
    if (timer.state >= w.states.size() || timer.timer >= w.states[timer.state].timers.size()) continue;
    const model::StateDef& state = w.states[timer.state];
    const model::TimerDef& def = state.timers[timer.timer];
    TimeLeft left = ComputeTimeLeft(d.now, timer.due, TimerInWorkingDays(def, d.state.data),
                                    d.calendar);
    const char* cls = left.overdue ? "overdue" : left.due_soon ? "due-soon" : "";
    out += "<tr class=\"deadline\"><td>" + Escape(state.label.empty() ? state.name : state.label) +
           "</td><td><code>" + Escape(TimerRule(w, def)) + "</code></td><td>" +
           Escape(FormatShanghai(timer.due)) + "</td><td class=\"time-left " + cls +
           "\" data-working-days=\"" + (left.in_working_days ? "true" : "false") + "\">" +
           Escape(left.text) + "</td><td>";
    if (def.target >= 0 && def.target < static_cast<int>(w.states.size())) {
      out += "进入「" + Escape(StateLabel(&w, w.states[def.target].name)) + "」";
    } else {
      out += "提醒（状态不变）";
    }
    out += "</td></tr>";
  }
  out += "</tbody></table></section>";
}

void RenderActions(const CasePageData& d, std::string& out) {
  const model::Workflow& w = *d.workflow;
  out += "<section class=\"card actions\" id=\"actions\"><h2>可办理的操作</h2>";
  if (d.allowed.empty()) {
    out += "<p class=\"muted\">您的角色当前没有可办理的操作。</p></section>";
    return;
  }
  for (const auth::AllowedEvent& event : d.allowed) {
    out += "<form method=\"post\" action=\"/cases/" + Escape(UrlEncode(d.row.id)) +
           "/events\" data-event=\"" + Escape(event.event) + "\">"
           "<input type=\"hidden\" name=\"" + std::string(auth::kCsrfField) + "\" value=\"" +
           Escape(d.viewer.csrf_token) + "\">"
           "<input type=\"hidden\" name=\"event\" value=\"" + Escape(event.event) + "\">"
           "<input type=\"hidden\" name=\"expected_revision\" value=\"" +
           std::to_string(d.row.revision) + "\">";
    for (const std::string& field : event.required_fields) {
      int index = w.FindField(field);
      std::string label = index >= 0 && !w.fields[index].label.empty() ? w.fields[index].label : field;
      out += "<label>" + Escape(label) + "（必填）<input name=\"data." + Escape(field) +
             "\" required></label>";
    }
    out += "<button type=\"submit\">" + Escape(event.event) + "</button>";
    if (!event.target.empty()) {
      out += " <span class=\"muted\">→ " +
             Escape(event.target_label.empty() ? event.target : event.target_label) + "</span>";
    }
    if (event.guarded) out += " <span class=\"muted\">（有条件，可能被拒绝）</span>";
    out += "</form>";
  }
  out += "</section>";
}

void RenderData(const CasePageData& d, std::string& out) {
  const model::Workflow& w = *d.workflow;
  json data = json::parse(d.row.data, nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) data = json::object();
  out += "<section class=\"card\" id=\"data\"><h2>数据与文件</h2><dl class=\"data\">";
  for (const model::FieldDef& field : w.fields) {
    out += "<dt>" + Escape(field.label.empty() ? field.name : field.label) +
           " <span class=\"muted\">" + Escape(field.name) + "</span></dt><dd>";
    auto it = data.find(field.name);
    if (it == data.end() || it->is_null()) {
      out += "<span class=\"muted\">—</span>";
    } else {
      out += Escape(ValueText(*it));
      if (it->is_object() && it->contains("$document")) {
        const json& doc = (*it)["$document"];
        if (doc.is_object() && doc.contains("sha256")) {
          out += " <span class=\"muted\">SHA-256 " + Escape(JsonText(doc["sha256"])) + "</span>";
        }
      }
    }
    out += "</dd>";
  }
  out += "</dl></section>";
}

void RenderParties(const CasePageData& d, std::string& out) {
  out += "<section class=\"card\" id=\"parties\"><h2>相关方</h2>";
  auto parties = PartiesOf(d.row.parties);
  if (parties.empty()) {
    out += "<p class=\"muted\">未登记相关方。</p>";
  } else {
    out += "<dl class=\"data\">";
    for (const auto& [role, names] : parties) {
      out += "<dt>" + Escape(RoleLabel(d.workflow.get(), role)) + "</dt><dd>";
      for (size_t i = 0; i < names.size(); ++i) out += (i ? "、" : "") + Escape(names[i]);
      out += "</dd>";
    }
    out += "</dl>";
  }
  out += "</section>";
}

std::string CaseLink(const WorkflowIndex& workflows, const store::CaseRow& row) {
  auto it = workflows.find(row.workflow);
  const model::Workflow* w = it == workflows.end() ? nullptr : it->second.get();
  return "<a href=\"/cases/" + Escape(UrlEncode(row.id)) + "\">" + Escape(row.id) + "</a> " +
         Escape(WorkflowLabel(workflows, row.workflow)) + " " + ActiveStatesHtml(w, row.state);
}

void RenderRelated(const CasePageData& d, std::string& out) {
  if (d.row.parent_id.empty() && d.children.empty()) return;
  out += "<section class=\"card\" id=\"related\"><h2>关联案件</h2><ul>";
  if (d.parent) {
    out += "<li>上级案件：" + CaseLink(d.workflows, *d.parent) + "</li>";
  } else if (!d.row.parent_id.empty()) {
    out += "<li>上级案件：" + Escape(d.row.parent_id) + " <span class=\"muted\">（无权查看）</span></li>";
  }
  for (const store::CaseRow& child : d.children) {
    out += "<li>下级案件：" + CaseLink(d.workflows, child) + "</li>";
  }
  out += "</ul></section>";
}

void RenderAttempts(const CasePageData& d, std::string& out) {
  if (d.attempts.empty()) return;
  out += "<h2>投递记录</h2><table id=\"attempts\"><thead><tr><th>时间</th><th>#</th><th>第几次</th>"
         "<th>通道</th><th>结果</th><th>错误</th></tr></thead><tbody>";
  for (const store::DeliveryAttemptRow& a : d.attempts) {
    std::string outcome = a.outcome == "delivered" ? "已送达"
                          : a.outcome == "retry"   ? "失败，稍后重试"
                          : a.outcome == "dead"    ? "失败，已停止重试"
                                                   : a.outcome;
    out += "<tr><td>" + Escape(FormatShanghai(calendar::Instant{a.at_ms})) + "</td><td>" +
           std::to_string(a.outbox_id) + "</td><td>" + std::to_string(a.attempt) + "</td><td>" +
           Escape(a.channel) + "</td><td>" + Escape(outcome) + "</td><td>" + Escape(a.error) +
           "</td></tr>";
  }
  out += "</tbody></table>";
}

void RenderOutbox(const CasePageData& d, std::string& out) {
  if (d.outbox.empty() && d.attempts.empty()) return;
  out += "<section class=\"card\" id=\"deliveries\"><h2>通知与外部调用</h2><table><thead><tr>"
         "<th>#</th><th>通道</th><th>内容</th><th>状态</th><th>尝试次数</th><th>最近错误</th>"
         "</tr></thead><tbody>";
  for (const store::OutboxRow& row : d.outbox) {
    json payload = json::parse(row.payload, nullptr, /*allow_exceptions=*/false);
    std::string what;
    if (payload.is_object()) {
      if (payload.contains("text")) {
        what = RoleLabel(d.workflow.get(), payload.value("role", "")) + "：" +
               JsonText(payload["text"]);
      } else if (payload.contains("operation")) {
        what = JsonText(payload["operation"]);
      }
    }
    const char* status = row.status == store::OutboxStatus::kDelivered ? "已送达"
                         : row.status == store::OutboxStatus::kDead  ? "失败（已停止重试）"
                                                                     : "待发送";
    out += "<tr><td>" + std::to_string(row.id) + "</td><td>" + Escape(row.adapter) + "</td><td>" +
           Escape(what) + "</td><td>" + status + "</td><td>" + std::to_string(row.attempts) +
           "</td><td>" + Escape(row.last_error) + "</td></tr>";
  }
  out += "</tbody></table>";
  RenderAttempts(d, out);
  out += "</section>";
}

}  // namespace

std::string RenderTimelineEntry(const model::Workflow& w, const store::HistoryRow& entry) {
  std::string out = "<li class=\"entry\" data-seq=\"" + std::to_string(entry.seq) + "\">";
  out += "<span class=\"when\">" + Escape(FormatShanghai(calendar::Instant{entry.at_ms})) +
         "</span> ";
  json input = json::parse(entry.input, nullptr, /*allow_exceptions=*/false);
  if (!input.is_object()) input = json::object();
  std::string kind = input.value("kind", "");
  std::string event = input.value("event", "");
  if (kind == "start") {
    out += "<strong>发起案件</strong>" + (event.empty() ? "" : " <code>" + Escape(event) + "</code>");
  } else if (kind == "event") {
    out += "<strong>办理</strong> <code>" + Escape(event) + "</code>";
  } else if (kind == "timer-fired") {
    out += "<strong>期限到期</strong>";
  } else if (kind == "adapter-reply") {
    out += "<strong>外部系统答复</strong>";
  } else if (kind == "adapter-failed") {
    out += "<strong>外部调用失败</strong>";
  } else if (kind == "child-done") {
    out += "<strong>下级案件完成</strong> " + Escape(input.value("child_id", ""));
  } else if (kind == "migrate") {
    // core/migration.h: payload {from, to, map}, the versions' content hashes.
    json payload = input.value("payload", json::object());
    auto version = [&](const char* key) {
      const json value = payload.is_object() ? payload.value(key, json()) : json();
      return value.is_string() ? value.get<std::string>().substr(0, 12) : std::string("?");
    };
    out += "<strong>迁移到新版本</strong> <code>" + Escape(version("from")) + "</code> → <code>" +
           Escape(version("to")) + "</code>";
  } else {
    out += "<strong>" + Escape(kind) + "</strong>";
  }
  out += " · " + Escape(ActorText(w, input));
  json effects = json::parse(entry.effects, nullptr, /*allow_exceptions=*/false);
  std::string items;
  if (effects.is_array()) {
    for (const json& effect : effects) {
      if (!effect.is_object()) continue;
      std::string k = effect.value("kind", "");
      if (k == "enter-state") {
        items += "<li>进入「" + Escape(StateLabel(&w, effect.value("state", ""))) + "」</li>";
      } else if (k == "record") {
        items += "<li>记录：" + Escape(effect.value("text", "")) + "</li>";
      } else if (k == "notify") {
        items += "<li>通知" + Escape(RoleLabel(&w, effect.value("role", ""))) + "：" +
                 Escape(effect.value("text", "")) + "</li>";
      } else if (k == "completed") {
        items += "<li>案件办结</li>";
      } else if (k == "start-child") {
        items += "<li>发起下级案件 " + Escape(effect.value("workflow", "")) + "</li>";
      } else if (k == "call-adapter") {
        items += "<li>调用 " + Escape(effect.value("adapter", "")) + "." +
                 Escape(effect.value("operation", "")) + "</li>";
      }
    }
  }
  if (!items.empty()) out += "<ul>" + items + "</ul>";
  out += "</li>";
  return out;
}

std::string RenderCasePage(const CasePageData& d) {
  const model::Workflow& w = *d.workflow;
  std::string out;
  out.reserve(16384 + d.diagram_svg.size());
  if (!d.error.empty()) out += "<div class=\"banner error\" role=\"alert\">" + Escape(d.error) + "</div>";
  if (!d.notice.empty()) out += "<div class=\"banner notice\">" + Escape(d.notice) + "</div>";
  out += "<h1>" + Escape(w.label.empty() ? w.id : w.label) + " <span class=\"muted\">" +
         Escape(d.row.id) + "</span></h1>";
  out += "<section class=\"card\" id=\"summary\"><dl class=\"data\"><dt>当前状态</dt><dd id=\"current-state\">" +
         ActiveStatesHtml(&w, d.row.state) + "</dd><dt>案件状态</dt><dd>" +
         (d.row.status == store::CaseStatus::kCompleted ? "已办结" : "办理中") +
         "</dd><dt>流程</dt><dd><a href=\"/workflows/" + Escape(UrlEncode(w.id)) + "?version=" +
         Escape(w.VersionHex()) + "\">" + Escape(w.id) + "</a> <span class=\"muted\">版本 " +
         Escape(w.VersionHex()) + "</span></dd><dt>修订号</dt><dd id=\"revision\">" +
         std::to_string(d.row.revision) + "</dd><dt>创建时间</dt><dd>" +
         Escape(FormatShanghai(calendar::Instant{d.row.created_at_ms})) + "</dd><dt>最近更新</dt><dd>" +
         Escape(FormatShanghai(calendar::Instant{d.row.updated_at_ms})) + "</dd></dl></section>";
  out += "<section class=\"card diagram\" id=\"diagram\"><h2>流程图</h2>";
  out += d.diagram_svg.empty() ? "<p class=\"muted\">流程图暂不可用。</p>" : d.diagram_svg;
  out += "</section>";
  RenderDeadlines(d, out);
  RenderActions(d, out);
  RenderData(d, out);
  RenderParties(d, out);
  RenderRelated(d, out);
  out += "<section class=\"card\" id=\"timeline\"><h2>办理记录</h2><ol class=\"timeline\">";
  for (const store::HistoryRow& entry : d.history) out += RenderTimelineEntry(w, entry);
  out += "</ol></section>";
  RenderOutbox(d, out);
  return Layout((w.label.empty() ? w.id : w.label) + " " + d.row.id, &d.viewer, Nav::kCases, out);
}

}  // namespace zgtflow::web::pages
