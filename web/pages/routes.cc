// ⑧ The HTML pages' routes (web/pages_hook.h): authenticate the request
// (web/auth), read through the store, registry and runner, keep to the cases
// the viewer may see (a case they may not see is a 404, like one that does
// not exist), and hand the data to the pure renderers of this folder.
// Sending an event from a form goes through CaseRunner::Submit as the API
// does, after the CSRF check, and answers 303 back to the case page.
#include <httplib.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/runtime/json_codec.h"
#include "web/auth/http_auth.h"
#include "web/pages/case_list.h"
#include "web/pages/case_page.h"
#include "web/pages/diagram_cache.h"
#include "web/pages/html.h"
#include "web/pages/layout.h"
#include "web/pages/workflow_page.h"
#include "web/pages_hook.h"

namespace zgtflow::web::pages {
namespace {

constexpr int64_t kDueSoonMs = 3LL * 24 * 3600 * 1000;
constexpr int kDashboardScan = 5000;   // Cases the dashboard counts (most recently updated).
constexpr int kSearchScan = 20000;     // Cases a search looks through at most.
constexpr int kScanChunk = 500;
constexpr size_t kMaxFieldBytes = 64 * 1024;

void SendHtml(httplib::Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                 "form-action 'self'; frame-ancestors 'none'");
  res.set_content(html, "text/html; charset=utf-8");
}

void SendMessage(httplib::Response& res, int status, const auth::Principal* viewer,
                 const std::string& title, const std::string& message) {
  SendHtml(res, status,
           Layout(title, viewer, Nav::kNone,
                  "<h1>" + Escape(title) + "</h1><section class=\"card\"><p>" + Escape(message) +
                      "</p><p><a href=\"/\">返回概览</a></p></section>"));
}

void SendNotFound(httplib::Response& res, const auth::Principal* viewer) {
  SendMessage(res, 404, viewer, "未找到", "没有这个页面，或您无权查看。");
}

// A Status from the runtime or store, as a page.
void SendStatus(httplib::Response& res, const auth::Principal* viewer, const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound: return SendNotFound(res, viewer);
    case StatusCode::kInvalidArgument:
      return SendMessage(res, 400, viewer, "请求有误", status.message());
    case StatusCode::kConflict:
      return SendMessage(res, 409, viewer, "案件已更新",
                         "案件已被他人更新，请返回案件页面刷新后重试。");
    case StatusCode::kUnavailable:
      return SendMessage(res, 503, viewer, "暂时不可用", "数据库暂时不可用，请稍后重试。");
    default: return SendMessage(res, 500, viewer, "内部错误", status.message());
  }
}

// The viewer, or false with the answer sent: a browser without a session is
// sent to the login form (and back here after it), other denials shown.
bool Viewer(const WebContext& ctx, const httplib::Request& req, httplib::Response& res,
            auth::Principal* viewer) {
  auth::Authentication authn = auth::Authenticate(ctx, req);
  if (authn.ok()) {
    *viewer = *authn.principal;
    return true;
  }
  if (authn.denial.http_status == 401 && req.method == "GET") {
    std::string next = req.path;
    if (!req.params.empty()) {
      std::map<std::string, std::string> params;
      for (const auto& [key, value] : req.params) params[key] = value;
      next += QueryString(params);
    }
    res.status = 303;
    res.set_header("Location", "/login?next=" + UrlEncode(next));
    return false;
  }
  SendMessage(res, authn.denial.http_status, nullptr,
              authn.denial.http_status == 401 ? "请先登录" : "暂时不可用", authn.denial.message);
  return false;
}

std::string Param(const httplib::Request& req, const char* key) {
  return req.has_param(key) ? req.get_param_value(key) : std::string();
}

struct Pages {
  const WebContext& ctx;
  DiagramCache diagrams;

  explicit Pages(const WebContext& context) : ctx(context) {}

  calendar::Instant Now() const { return calendar::Instant{ctx.clock->NowMs()}; }

  WorkflowIndex Workflows() const {
    WorkflowIndex index;
    for (const auto& workflow : ctx.registry->All()) {
      Result<std::shared_ptr<const model::Workflow>> newest = ctx.registry->Newest(workflow->id);
      if (newest.ok()) index[workflow->id] = *newest;
    }
    return index;
  }

  // The store filter every listing of `viewer` starts from: a viewer who
  // does not see every case lists only the cases naming their party.
  store::CaseFilter BaseFilter(const auth::Principal& viewer) const {
    store::CaseFilter filter;
    filter.now_ms = Now().epoch_ms;
    if (!viewer.sees_all) filter.party = viewer.party.empty() ? std::string("\x01") : viewer.party;
    return filter;
  }

  void CaseList(const httplib::Request& req, httplib::Response& res) {
    auth::Principal viewer;
    if (!Viewer(ctx, req, res, &viewer)) return;
    CaseListData data;
    data.viewer = viewer;
    data.now = Now();
    data.workflows = Workflows();
    CaseListQuery& q = data.query;
    q.workflow = Param(req, "workflow");
    q.state = Param(req, "state");
    q.party = Param(req, "party");
    q.overdue = !Param(req, "overdue").empty();
    q.q = Param(req, "q");
    std::string page = Param(req, "page");
    if (!page.empty() && page.size() < 7 && page.find_first_not_of("0123456789") == std::string::npos) {
      q.page = std::max(1, std::stoi(page));
    }
    store::CaseFilter filter = BaseFilter(viewer);
    filter.workflow = q.workflow;
    filter.state = q.state;
    if (q.overdue) filter.overdue = true;
    // A party filter the store can apply; otherwise (a viewer restricted to
    // their own party asking for another) it is checked row by row.
    std::string extra_party;
    if (!q.party.empty()) {
      if (viewer.sees_all) filter.party = q.party;
      else if (q.party != viewer.party) extra_party = q.party;
    }
    auto matches = [&](const store::CaseRow& row) {
      if (!auth::MaySee(viewer, row)) return false;
      if (!extra_party.empty()) {
        bool named = false;
        for (const auto& [role, names] : PartiesOf(row.parties)) {
          if (std::find(names.begin(), names.end(), extra_party) != names.end()) named = true;
        }
        if (!named) return false;
      }
      if (!q.q.empty() && row.id.find(q.q) == std::string::npos &&
          row.data.find(q.q) == std::string::npos && row.parties.find(q.q) == std::string::npos) {
        // Case data is JSON: a search for non-ASCII text matches its UTF-8 as is.
        return false;
      }
      return true;
    };
    const int page_size = CaseListQuery::kPageSize;
    if (q.q.empty() && extra_party.empty()) {
      filter.limit = page_size + 1;
      filter.offset = (q.page - 1) * page_size;
      Result<std::vector<store::CaseRow>> rows = ctx.store->ListCases(filter);
      if (!rows.ok()) return SendStatus(res, &viewer, rows.status());
      for (store::CaseRow& row : rows.value()) {
        if (static_cast<int>(data.rows.size()) == page_size) {
          data.has_next = true;
          break;
        }
        if (auth::MaySee(viewer, row)) data.rows.push_back(std::move(row));
      }
    } else {
      int skip = (q.page - 1) * page_size;
      int scanned = 0;
      filter.limit = kScanChunk;
      for (filter.offset = 0;; filter.offset += kScanChunk) {
        if (scanned >= kSearchScan) {
          data.search_truncated = true;
          break;
        }
        Result<std::vector<store::CaseRow>> rows = ctx.store->ListCases(filter);
        if (!rows.ok()) return SendStatus(res, &viewer, rows.status());
        scanned += static_cast<int>(rows->size());
        for (store::CaseRow& row : rows.value()) {
          if (!matches(row)) continue;
          if (skip > 0) { --skip; continue; }
          if (static_cast<int>(data.rows.size()) == page_size) {
            data.has_next = true;
            break;
          }
          data.rows.push_back(std::move(row));
        }
        if (data.has_next || static_cast<int>(rows->size()) < kScanChunk) break;
      }
    }
    SendHtml(res, 200, RenderCaseList(data));
  }

  void Dashboard(const httplib::Request& req, httplib::Response& res) {
    auth::Principal viewer;
    if (!Viewer(ctx, req, res, &viewer)) return;
    DashboardData data;
    data.viewer = viewer;
    data.now = Now();
    data.workflows = Workflows();
    store::CaseFilter filter = BaseFilter(viewer);
    filter.limit = kDashboardScan + 1;
    Result<std::vector<store::CaseRow>> rows = ctx.store->ListCases(filter);
    if (!rows.ok()) return SendStatus(res, &viewer, rows.status());
    if (static_cast<int>(rows->size()) > kDashboardScan) {
      data.truncated = true;
      rows.value().pop_back();
    }
    std::map<std::pair<std::string, std::string>, StateCount> counts;
    for (const store::CaseRow& row : *rows) {
      if (!auth::MaySee(viewer, row)) continue;
      ++data.scanned;
      auto it = data.workflows.find(row.workflow);
      const model::Workflow* w = it == data.workflows.end() ? nullptr : it->second.get();
      std::vector<std::string> names = StateNames(row.state);
      bool overdue = row.next_due_ms && *row.next_due_ms < data.now.epoch_ms;
      for (const std::string& name : names) {
        bool ancestor = false;  // Count the innermost states only.
        if (w != nullptr) {
          int s = w->FindState(name);
          for (const std::string& other : names) {
            int o = w->FindState(other);
            if (s >= 0 && o >= 0 && o != s && w->IsAncestorOrSelf(s, o)) ancestor = true;
          }
        }
        if (ancestor) continue;
        StateCount& count = counts[{row.workflow, name}];
        count.workflow = row.workflow;
        count.state = name;
        ++count.cases;
        if (overdue) ++count.overdue;
      }
      if (row.next_due_ms && !overdue && *row.next_due_ms - data.now.epoch_ms <= kDueSoonMs) {
        data.due_soon.push_back(row);
      }
    }
    for (auto& [key, count] : counts) data.counts.push_back(count);
    // Overdue cases from the store (every one, not only the scanned ones).
    store::CaseFilter overdue = BaseFilter(viewer);
    overdue.overdue = true;
    overdue.limit = 200;
    Result<std::vector<store::CaseRow>> late = ctx.store->ListCases(overdue);
    if (!late.ok()) return SendStatus(res, &viewer, late.status());
    for (store::CaseRow& row : late.value()) {
      if (auth::MaySee(viewer, row) && row.next_due_ms) data.overdue.push_back(std::move(row));
    }
    auto by_due = [](const store::CaseRow& a, const store::CaseRow& b) {
      return *a.next_due_ms < *b.next_due_ms;
    };
    std::sort(data.overdue.begin(), data.overdue.end(), by_due);
    std::sort(data.due_soon.begin(), data.due_soon.end(), by_due);
    if (data.overdue.size() > 20) data.overdue.resize(20);
    if (data.due_soon.size() > 20) data.due_soon.resize(20);
    SendHtml(res, 200, RenderDashboard(data));
  }

  // The case's workflow version and decoded state, as CaseRunner::Load gives
  // them, from a row already read.
  Result<runtime::CaseView> ViewOf(const store::CaseRow& row) const {
    runtime::CaseView view;
    view.row = row;
    Result<std::shared_ptr<const model::Workflow>> workflow =
        ctx.registry->Get(row.workflow, row.version);
    if (!workflow.ok()) return workflow.status();
    view.workflow = *workflow;
    Result<core::CaseState> state = runtime::DecodeCaseState(row.snapshot);
    if (!state.ok()) {
      return Status::Internal("case " + row.id + ": stored snapshot: " + state.status().message());
    }
    view.state = std::move(state).value();
    return view;
  }

  // Fills `data` for case `id` as `viewer` sees it; false with the answer sent.
  bool LoadCase(const std::string& id, const auth::Principal& viewer, httplib::Response& res,
                CasePageData* data) {
    // The case with its history, outbox and delivery attempts in one store
    // call (one read transaction on SQLite, one round trip on PostgreSQL).
    Result<store::CaseDetail> detail = ctx.store->GetCaseDetail(id);
    if (!detail.ok()) {
      SendStatus(res, &viewer, detail.status());
      return false;
    }
    Result<runtime::CaseView> view = ViewOf(detail->row);
    if (!view.ok()) {
      SendStatus(res, &viewer, view.status());
      return false;
    }
    if (!auth::MaySee(viewer, view->row)) {
      SendNotFound(res, &viewer);
      return false;
    }
    data->viewer = viewer;
    data->row = view->row;
    data->state = view->state;
    data->workflow = view->workflow;
    data->now = Now();
    data->calendar = ctx.calendar;
    data->workflows = Workflows();
    data->history = std::move(detail->history);
    data->outbox = std::move(detail->outbox);
    data->attempts = std::move(detail->attempts);
    // A case that started no child has none: skip the query (on SQLite a
    // parent_id lookup is not served by the partial index and scans).
    Result<std::vector<store::CaseRow>> children =
        view->state.children_started == 0 ? Result<std::vector<store::CaseRow>>(
                                                 std::vector<store::CaseRow>{})
                                           : ctx.store->ListChildren(id);
    if (children.ok()) {
      for (store::CaseRow& child : children.value()) {
        if (auth::MaySee(viewer, child)) data->children.push_back(std::move(child));
      }
    }
    if (!view->row.parent_id.empty()) {
      Result<store::CaseRow> parent = ctx.store->GetCase(view->row.parent_id);
      if (parent.ok() && auth::MaySee(viewer, *parent)) data->parent = std::move(parent).value();
    }
    data->allowed = auth::AllowedEvents(*view->workflow, view->state, viewer.role);
    std::set<int> active(view->state.active.begin(), view->state.active.end());
    data->diagram_svg = diagrams.Svg(*view->workflow, active);
    return true;
  }

  void CasePage(const httplib::Request& req, httplib::Response& res) {
    auth::Principal viewer;
    if (!Viewer(ctx, req, res, &viewer)) return;
    CasePageData data;
    if (!LoadCase(req.matches[1], viewer, res, &data)) return;
    std::string done = Param(req, "done");
    if (!done.empty()) data.notice = "已办理：" + done;
    SendHtml(res, 200, RenderCasePage(data));
  }

  void SendEvent(const httplib::Request& req, httplib::Response& res) {
    auth::Principal viewer;
    if (!Viewer(ctx, req, res, &viewer)) return;
    std::string id = req.matches[1];
    // Visibility first: a case the viewer may not see is a 404 even for a
    // well-formed, CSRF-checked post.
    Result<store::CaseRow> row = ctx.store->GetCase(id);
    if (!row.ok()) return SendStatus(res, &viewer, row.status());
    if (!auth::MaySee(viewer, *row)) return SendNotFound(res, &viewer);
    if (!auth::CheckCsrf(viewer, req)) {
      return SendMessage(res, 403, &viewer, "请求已失效",
                         "表单校验失败（CSRF），请返回案件页面刷新后重试。");
    }
    std::string event = Param(req, "event");
    if (event.empty()) return SendMessage(res, 400, &viewer, "请求有误", "缺少要办理的事件。");
    model::Object payload;
    for (const auto& [key, value] : req.params) {
      if (key.rfind("data.", 0) != 0 || value.empty()) continue;
      if (value.size() > kMaxFieldBytes) {
        return SendMessage(res, 413, &viewer, "内容过长", "字段 " + key.substr(5) + " 过长。");
      }
      payload[key.substr(5)] = model::Value::Text(value);
    }
    std::optional<int64_t> expected;
    std::string revision = Param(req, "expected_revision");
    if (!revision.empty() && revision.size() < 18 &&
        revision.find_first_not_of("0123456789") == std::string::npos) {
      expected = std::stoll(revision);
    }
    core::Input input = core::Input::Event(event, viewer.role, std::move(payload));
    input.actor_party = viewer.party;
    Result<runtime::CaseView> view = ctx.runner->Submit(id, std::move(input), expected);
    if (!view.ok()) return SendStatus(res, &viewer, view.status());
    if (!view->accepted()) {
      CasePageData data;
      if (!LoadCase(id, viewer, res, &data)) return;
      data.error = "未能办理「" + event + "」：" + view->rejection->message;
      return SendHtml(res, 422, RenderCasePage(data));
    }
    res.status = 303;
    res.set_header("Location", "/cases/" + UrlEncode(id) + "?done=" + UrlEncode(event));
  }

  void WorkflowList(const httplib::Request& req, httplib::Response& res) {
    auth::Principal viewer;
    if (!Viewer(ctx, req, res, &viewer)) return;
    WorkflowListData data;
    data.viewer = viewer;
    data.workflows = Workflows();
    SendHtml(res, 200, RenderWorkflowList(data));
  }

  void WorkflowPage(const httplib::Request& req, httplib::Response& res) {
    auth::Principal viewer;
    if (!Viewer(ctx, req, res, &viewer)) return;
    std::string id = req.matches[1];
    std::string version = Param(req, "version");
    Result<std::shared_ptr<const model::Workflow>> workflow =
        version.empty() ? ctx.registry->Newest(id) : ctx.registry->Get(id, version);
    if (!workflow.ok()) return SendStatus(res, &viewer, workflow.status());
    WorkflowPageData data;
    data.viewer = viewer;
    data.workflow = *workflow;
    Result<std::vector<store::DefinitionRow>> rows = ctx.store->ListDefinitions();
    if (rows.ok()) {
      for (store::DefinitionRow& row : rows.value()) {
        if (row.workflow == id) data.versions.push_back(std::move(row));
      }
    }
    for (size_t i = 1; i < data.versions.size(); ++i) {
      if (data.versions[i].version == (*workflow)->VersionHex()) {
        data.previous_version = data.versions[i - 1].version;
        data.previous_source = data.versions[i - 1].source;
        Result<std::shared_ptr<const model::Workflow>> previous =
            ctx.registry->Get(id, data.previous_version);
        if (previous.ok()) data.changes = runtime::DiffVersions(**previous, **workflow);
      }
    }
    data.diagram_svg = diagrams.Svg(**workflow, {});
    SendHtml(res, 200, RenderWorkflowPage(data));
  }
};

}  // namespace

void Register(httplib::Server& http, const WebContext& context) {
  // Lives as long as the server's handlers (the process, in practice).
  auto pages = std::make_shared<Pages>(context);
  http.Get("/static/zgtflow.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "public, max-age=3600");
    res.set_content(StyleSheet(), "text/css; charset=utf-8");
  });
  http.Get("/", [pages](const httplib::Request& req, httplib::Response& res) {
    pages->Dashboard(req, res);
  });
  http.Get("/cases", [pages](const httplib::Request& req, httplib::Response& res) {
    pages->CaseList(req, res);
  });
  http.Get(R"(/cases/([^/]+))", [pages](const httplib::Request& req, httplib::Response& res) {
    pages->CasePage(req, res);
  });
  http.Post(R"(/cases/([^/]+)/events)", [pages](const httplib::Request& req, httplib::Response& res) {
    pages->SendEvent(req, res);
  });
  http.Get("/workflows", [pages](const httplib::Request& req, httplib::Response& res) {
    pages->WorkflowList(req, res);
  });
  http.Get(R"(/workflows/([^/]+))", [pages](const httplib::Request& req, httplib::Response& res) {
    pages->WorkflowPage(req, res);
  });
}

}  // namespace zgtflow::web::pages
