// ⑧ The shared page frame and label helpers (see layout.h).
#include "web/pages/layout.h"

#include <nlohmann/json.hpp>

#include "web/auth/http_auth.h"
#include "web/pages/html.h"

namespace zgtflow::web::pages {
namespace {

// Plain CSS, no framework: a single column on phones, wider tables on
// desktops; the active state colour matches the diagram's (#ffe08a).
constexpr const char* kCss = R"CSS(
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
 color:#1d232b;background:#f5f6f8;line-height:1.5}
header.top{background:#1f3a5f;color:#fff;display:flex;flex-wrap:wrap;align-items:center;
 gap:.5rem 1.5rem;padding:.6rem 1rem}
header.top a{color:#fff;text-decoration:none}
header.top .brand{font-weight:700;font-size:1.1rem}
header.top nav a{margin-right:1rem;opacity:.85}
header.top nav a.current{opacity:1;border-bottom:2px solid #ffe08a}
header.top .who{margin-left:auto;font-size:.9rem;display:flex;gap:.6rem;align-items:center}
header.top .who button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;
 padding:.1rem .6rem;cursor:pointer}
main{max-width:1200px;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.4rem 0 1rem}
h2{font-size:1.1rem;margin:1.4rem 0 .6rem;border-left:4px solid #1f3a5f;padding-left:.5rem}
section.card{background:#fff;border-radius:6px;padding:.8rem 1rem;margin-bottom:1rem;
 box-shadow:0 1px 2px rgba(0,0,0,.08);overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{background:#eef1f5;font-weight:600;white-space:nowrap}
.muted{color:#6b7480;font-size:.85rem}
.tag{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.8rem;background:#e6ebf2}
.tag.active-state{background:#ffe08a}
.overdue{color:#b00020;font-weight:600}
.due-soon{color:#9a5b00;font-weight:600}
.banner{padding:.6rem 1rem;border-radius:4px;margin-bottom:1rem}
.banner.error{background:#fde7ea;color:#8a0015}
.banner.notice{background:#e6f4ea;color:#135c2a}
form.inline{display:inline}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
form.filters label{display:flex;flex-direction:column;font-size:.85rem}
input,select,textarea{font:inherit;padding:.3rem .4rem;border:1px solid #b8c0cc;border-radius:4px}
button,.button{font:inherit;background:#1f3a5f;color:#fff;border:0;border-radius:4px;
 padding:.35rem .9rem;cursor:pointer;text-decoration:none;display:inline-block}
.actions form{border:1px solid #e3e6ea;border-radius:6px;padding:.6rem;margin:.4rem 0}
.actions label{display:block;font-size:.85rem;margin:.3rem 0}
.diagram{overflow-x:auto}
.diagram svg{display:block;margin:0 auto}
.diagram svg{max-width:100%;height:auto}
.diagram g.node.active path,.diagram g.node.active polygon,.diagram g.node.active ellipse{stroke:#b36b00}
ol.timeline{list-style:none;margin:0;padding:0}
ol.timeline>li{border-left:3px solid #1f3a5f;padding:.2rem 0 .6rem .8rem}
ol.timeline .when{color:#6b7480;font-size:.85rem}
ol.timeline ul{margin:.2rem 0 0;padding-left:1.1rem;font-size:.9rem}
pre.source{background:#0f1720;color:#e6edf3;padding:.8rem;border-radius:6px;overflow-x:auto;
 font-size:.85rem;line-height:1.45}
pre.source .ln{color:#6b7480;user-select:none;display:inline-block;width:3.2em}
pre.source .cite{background:#3d3414}
pre.diff .add{color:#7ee787}
pre.diff .del{color:#ff7b72}
.pager{display:flex;gap:1rem;margin-top:.6rem}
dl.data{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.data dt{color:#4a5563}
dl.data dd{margin:0;word-break:break-word}
@media (max-width:640px){
 main{padding:.5rem}
 th,td{padding:.3rem}
 dl.data{grid-template-columns:1fr}
 header.top .who{margin-left:0}
}
)CSS";

}  // namespace

const std::string& StyleSheet() {
  static const std::string css = kCss;
  return css;
}

std::string Layout(const std::string& title, const auth::Principal* viewer, Nav nav,
                   const std::string& body) {
  std::string out;
  out.reserve(body.size() + 2048);
  out += "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>";
  out += Escape(title);
  out += " · zgtflow</title><link rel=\"stylesheet\" href=\"/static/zgtflow.css\"></head><body>"
         "<header class=\"top\"><a class=\"brand\" href=\"/\">zgtflow 流程管理</a>";
  if (viewer != nullptr) {
    auto link = [&](const char* href, const char* text, Nav which) {
      out += "<a href=\"";
      out += href;
      out += nav == which ? "\" class=\"current\">" : "\">";
      out += text;
      out += "</a>";
    };
    out += "<nav>";
    link("/", "概览", Nav::kDashboard);
    link("/cases", "案件", Nav::kCases);
    link("/workflows", "流程", Nav::kWorkflows);
    out += "</nav><div class=\"who\"><span class=\"viewer\">";
    out += Escape(viewer->name.empty() ? viewer->id : viewer->name);
    out += "（";
    out += Escape(viewer->role);
    if (!viewer->party.empty()) out += " · " + Escape(viewer->party);
    out += "）</span>";
    if (viewer->via == auth::Via::kSession) {
      out += "<form class=\"inline\" method=\"post\" action=\"/logout\">"
             "<input type=\"hidden\" name=\"";
      out += auth::kCsrfField;
      out += "\" value=\"" + Escape(viewer->csrf_token) + "\"><button type=\"submit\">退出登录</button></form>";
    }
    out += "</div>";
  }
  out += "</header><main>";
  out += body;
  out += "</main></body></html>\n";
  return out;
}

std::string WorkflowLabel(const WorkflowIndex& workflows, const std::string& id) {
  auto it = workflows.find(id);
  if (it == workflows.end() || it->second->label.empty()) return id;
  return it->second->label;
}

std::string StateLabel(const model::Workflow* workflow, const std::string& name) {
  if (workflow == nullptr) return name;
  int index = workflow->FindState(name);
  if (index < 0 || workflow->states[index].label.empty()) return name;
  return workflow->states[index].label;
}

std::string RoleLabel(const model::Workflow* workflow, const std::string& role) {
  if (workflow == nullptr) return role;
  const model::RoleDef* def = workflow->FindRole(role);
  if (def == nullptr || def->label.empty()) return role;
  return def->label;
}

std::vector<std::string> StateNames(const std::string& state_json) {
  std::vector<std::string> names;
  nlohmann::json parsed = nlohmann::json::parse(state_json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return names;
  for (const auto& item : parsed) {
    if (item.is_string()) names.push_back(item.get<std::string>());
  }
  return names;
}

std::string ActiveStatesHtml(const model::Workflow* workflow, const std::string& state_json) {
  std::vector<std::string> names = StateNames(state_json);
  std::string out;
  for (const std::string& name : names) {
    // Leave out ancestors of another active state: "整改中", not "进行中、整改中".
    bool ancestor = false;
    if (workflow != nullptr) {
      int s = workflow->FindState(name);
      for (const std::string& other : names) {
        int o = workflow->FindState(other);
        if (s >= 0 && o >= 0 && o != s && workflow->IsAncestorOrSelf(s, o)) ancestor = true;
      }
    }
    if (ancestor) continue;
    if (!out.empty()) out += "、";
    out += "<span class=\"tag active-state\" data-state=\"" + Escape(name) + "\">" +
           Escape(StateLabel(workflow, name)) + "</span>";
  }
  return out;
}

std::map<std::string, std::vector<std::string>> PartiesOf(const std::string& parties_json) {
  std::map<std::string, std::vector<std::string>> parties;
  nlohmann::json parsed = nlohmann::json::parse(parties_json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return parties;
  for (auto it = parsed.begin(); it != parsed.end(); ++it) {
    if (!it->is_array()) continue;
    for (const auto& name : *it) {
      if (name.is_string()) parties[it.key()].push_back(name.get<std::string>());
    }
  }
  return parties;
}

}  // namespace zgtflow::web::pages
