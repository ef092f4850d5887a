// ⑧ The workflow pages (see workflow_page.h).
#include "web/pages/workflow_page.h"

#include <algorithm>

#include "web/pages/html.h"
#include "web/pages/time_left.h"

namespace zgtflow::web::pages {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Whether a source line cites one of `cites` (or is the `cites` line).
bool CitesClause(const std::string& line, const std::vector<std::string>& cites) {
  if (line.find("cites ") != std::string::npos) return true;
  for (const std::string& cite : cites) {
    if (!cite.empty() && line.find(cite) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> LineDiff(const std::string& before, const std::string& after,
                                  int context) {
  std::vector<std::string> a = Lines(before), b = Lines(after);
  std::vector<std::string> all;  // Every line, prefixed.
  size_t n = a.size(), m = b.size();
  if (n > 4000 || m > 4000) {
    for (size_t i = 0; i < std::max(n, m); ++i) {
      if (i < n && i < m && a[i] == b[i]) { all.push_back("  " + a[i]); continue; }
      if (i < n) all.push_back("- " + a[i]);
      if (i < m) all.push_back("+ " + b[i]);
    }
  } else {
    // Longest common subsequence table, then walk it.
    std::vector<std::vector<uint16_t>> lcs(n + 1, std::vector<uint16_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] == b[j]) {
        all.push_back("  " + a[i]); ++i; ++j;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        all.push_back("- " + a[i]); ++i;  // Deletions before additions, as diff -u.
      } else {
        all.push_back("+ " + b[j]); ++j;
      }
    }
  }
  std::vector<bool> keep(all.size(), false);
  bool changed = false;
  for (size_t k = 0; k < all.size(); ++k) {
    if (all[k][0] == ' ') continue;
    changed = true;
    size_t from = k >= static_cast<size_t>(context) ? k - context : 0;
    size_t to = std::min(all.size(), k + context + 1);
    for (size_t x = from; x < to; ++x) keep[x] = true;
  }
  std::vector<std::string> out;
  if (!changed) return out;
  bool gap = false;
  for (size_t k = 0; k < all.size(); ++k) {
    if (!keep[k]) { gap = true; continue; }
    if (gap && !out.empty()) out.push_back("…");
    gap = false;
    out.push_back(all[k]);
  }
  return out;
}

std::string RenderWorkflowPage(const WorkflowPageData& d) {
  const model::Workflow& w = *d.workflow;
  std::string out = "<h1>" + Escape(w.label.empty() ? w.id : w.label) + " <span class=\"muted\">" +
                    Escape(w.id) + " · 版本 " + Escape(w.VersionHex()) + "</span></h1>";
  out += "<section class=\"card diagram\" id=\"diagram\"><h2>流程图</h2>";
  out += d.diagram_svg.empty() ? "<p class=\"muted\">流程图暂不可用。</p>" : d.diagram_svg;
  out += "</section><section class=\"card\" id=\"cites\"><h2>依据条款</h2>";
  if (w.cites.empty()) {
    out += "<p class=\"muted\">未注明依据条款。</p>";
  } else {
    out += "<ul>";
    for (const std::string& cite : w.cites) out += "<li>" + Escape(cite) + "</li>";
    out += "</ul>";
  }
  out += "</section><section class=\"card\" id=\"versions\"><h2>版本</h2><table><thead><tr><th>版本</th>"
         "<th>部署时间</th><th>文件</th></tr></thead><tbody>";
  for (auto it = d.versions.rbegin(); it != d.versions.rend(); ++it) {
    bool current = it->version == w.VersionHex();
    out += "<tr" + std::string(current ? " class=\"current\"" : "") + "><td><a href=\"/workflows/" +
           Escape(UrlEncode(w.id)) + "?version=" + Escape(UrlEncode(it->version)) + "\">" +
           Escape(it->version) + "</a>" + (current ? " <span class=\"tag\">当前查看</span>" : "") +
           "</td><td>" + Escape(FormatShanghai(calendar::Instant{it->deployed_at_ms})) + "</td><td>" +
           Escape(it->source_path) + "</td></tr>";
  }
  out += "</tbody></table>";
  if (!d.previous_version.empty()) {
    std::vector<std::string> diff = LineDiff(d.previous_source, w.source);
    out += "<h2>与上一版本 " + Escape(d.previous_version) + " 的差异</h2>";
    if (d.changes) {
      if (d.changes->same()) {
        out += "<p class=\"muted\">流程模型没有变化（仅格式或注释不同）。</p>";
      } else {
        out += "<ul id=\"changes\">";
        for (const runtime::VersionChange& change : d.changes->changes) {
          const char* cls = change.sign == '+' ? "add" : change.sign == '-' ? "del" : "";
          out += "<li class=\"" + std::string(cls) + "\"><code>" + Escape(change.Line()) + "</code>" +
                 (change.affects_cases ? " <span class=\"tag overdue\">影响在办案件</span>" : "") +
                 "</li>";
        }
        out += "</ul>";
      }
      out += "<p class=\"muted\">文本差异：</p>";
    }
    if (diff.empty()) {
      out += "<p class=\"muted\">文本相同。</p>";
    } else {
      out += "<pre class=\"source diff\" id=\"diff\">";
      for (const std::string& line : diff) {
        const char* cls = line.rfind("+ ", 0) == 0 ? "add" : line.rfind("- ", 0) == 0 ? "del" : "";
        out += "<span class=\"" + std::string(cls) + "\">" + Escape(line) + "</span>\n";
      }
      out += "</pre>";
    }
  }
  out += "</section><section class=\"card\" id=\"source\"><h2>流程定义源文件 <span class=\"muted\">" +
         Escape(w.source_path) + "</span></h2><pre class=\"source\">";
  std::vector<std::string> lines = Lines(w.source);
  for (size_t i = 0; i < lines.size(); ++i) {
    bool cite = CitesClause(lines[i], w.cites);
    out += "<span class=\"" + std::string(cite ? "line cite" : "line") + "\"><span class=\"ln\">" +
           std::to_string(i + 1) + "</span>" + Escape(lines[i]) + "</span>\n";
  }
  out += "</pre></section>";
  return Layout(w.label.empty() ? w.id : w.label, &d.viewer, Nav::kWorkflows, out);
}

std::string RenderWorkflowList(const WorkflowListData& d) {
  std::string out = "<h1>流程</h1><section class=\"card\"><table id=\"workflows\"><thead><tr><th>流程</th>"
                    "<th>编号</th><th>状态数</th><th>依据条款</th><th>最新版本</th></tr></thead><tbody>";
  for (const auto& [id, w] : d.workflows) {
    std::string cites;
    for (const std::string& cite : w->cites) cites += (cites.empty() ? "" : " ") + cite;
    out += "<tr><td><a href=\"/workflows/" + Escape(UrlEncode(id)) + "\">" +
           Escape(w->label.empty() ? id : w->label) + "</a></td><td>" + Escape(id) + "</td><td>" +
           std::to_string(w->states.empty() ? 0 : w->states.size() - 1) + "</td><td>" +
           Escape(cites) + "</td><td>" + Escape(w->VersionHex()) + "</td></tr>";
  }
  out += "</tbody></table></section>";
  return Layout("流程", &d.viewer, Nav::kWorkflows, out);
}

}  // namespace zgtflow::web::pages
