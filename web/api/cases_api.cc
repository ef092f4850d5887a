// ⑧ /api/cases: create, list, get, send an event, history. The actor's role
// and party are the principal's (a body naming another is 403); a case the
// principal may not see answers 404, as an unknown one does.
#include <algorithm>
#include <chrono>
#include <functional>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "engine/runtime/delivery_log.h"
#include "engine/runtime/json_codec.h"
#include "web/api/api.h"
#include "web/api/case_json.h"
#include "web/api_error.h"
#include "web/metrics.h"
#include "web/request.h"
#include "web/route.h"

namespace zgtflow::web::api {
namespace {

using nlohmann::json;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 500;

void ReplyApiError(httplib::Response& res, const ApiError& error) {
  ReplyError(res, error.status, error.code, error.message, error.field);
}

// A body's "role"/"party" may only repeat the principal's.
bool SameActor(const auth::Principal& principal, const std::string& role,
               const std::string& party, httplib::Response& res) {
  if (!role.empty() && role != principal.role) {
    ReplyError(res, 403, "forbidden-role",
               "the role comes from your credentials ('" + principal.role + "')", "role");
    return false;
  }
  if (!party.empty() && party != principal.party) {
    ReplyError(res, 403, "forbidden-party",
               "the party comes from your credentials ('" + principal.party + "')", "party");
    return false;
  }
  return true;
}

// The case `id` if the principal may see it; false after answering (404 for
// an unknown or hidden case, the store's error otherwise).
bool LoadVisible(const WebContext& context, const auth::Principal& principal,
                 const std::string& id, httplib::Response& res, runtime::CaseView* out) {
  Result<runtime::CaseView> view = context.runner->Load(id);
  if (!view.ok()) {
    if (view.status().code() == StatusCode::kNotFound) {
      ReplyError(res, 404, "not-found", "no case '" + id + "'");
    } else {
      ReplyStatus(res, view.status());
    }
    return false;
  }
  if (!auth::MaySee(principal, view->row)) {
    ReplyError(res, 404, "not-found", "no case '" + id + "'");
    return false;
  }
  *out = std::move(view).value();
  return true;
}

// A non-negative integer query parameter; false after a 400.
bool IntParam(const httplib::Request& req, const char* name, int fallback, int max,
              httplib::Response& res, int* out) {
  *out = fallback;
  if (!req.has_param(name)) return true;
  std::string text = req.get_param_value(name);
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
    ReplyError(res, 400, "bad-parameter", std::string("'") + name + "' must be a whole number",
               name);
    return false;
  }
  int value = std::stoi(text);  // At most 9 digits: cannot throw.
  if (value > max) {
    ReplyError(res, 400, "bad-parameter",
               std::string("'") + name + "' is at most " + std::to_string(max), name);
    return false;
  }
  *out = value;
  return true;
}

// Runs one step through the runner, timing it for /metrics, and answers it.
void AnswerStep(const WebContext& context, const auth::Principal& principal, int success_status,
                const std::function<Result<runtime::CaseView>()>& step, httplib::Response& res) {
  auto started = std::chrono::steady_clock::now();
  Result<runtime::CaseView> view = step();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!view.ok()) {
    context.metrics->ObserveStep(seconds, Metrics::StepResult::kError);
    return ReplyStatus(res, view.status());
  }
  if (!view->accepted()) {
    context.metrics->ObserveStep(seconds, Metrics::StepResult::kRefused);
    return ReplyRejection(res, *view->rejection);
  }
  context.metrics->ObserveStep(seconds, Metrics::StepResult::kAccepted);
  ReplyJson(res, success_status, CaseDetailJson(*view, principal, context.clock->NowMs()));
}

}  // namespace

void RegisterCases(httplib::Server& http, const WebContext& context) {
  Route(http, context.routes, "POST", "/api/cases", [context](const httplib::Request& req, httplib::Response& res) {
    std::optional<auth::Principal> principal =
        RequirePrincipal(context, req, res, /*state_changing=*/true);
    if (!principal) return;
    CreateCaseRequest request;
    if (auto error = ParseCreateCaseRequest(req.body, &request)) return ReplyApiError(res, *error);
    if (!SameActor(*principal, request.role, request.party, res)) return;
    if (!request.id.empty() && !principal->sees_all) {
      // Choosing ids would let a party probe for others' cases (409 vs 201).
      return ReplyError(res, 403, "forbidden", "only staff roles may choose a case id", "id");
    }
    // The creating party becomes a party of the case, so it can see it.
    if (!principal->party.empty()) {
      std::vector<std::string>& names = request.parties[principal->role];
      if (std::find(names.begin(), names.end(), principal->party) == names.end()) {
        names.push_back(principal->party);
      }
    }
    AnswerStep(context, *principal, 201, [&] {
      return context.runner->Create(request.workflow, principal->role, principal->party,
                                    request.data_json, request.parties, request.event,
                                    request.id);
    }, res);
  });

  Route(http, context.routes, "GET", "/api/cases", [context](const httplib::Request& req, httplib::Response& res) {
    std::optional<auth::Principal> principal = RequirePrincipal(context, req, res);
    if (!principal) return;
    store::CaseFilter filter;
    filter.workflow = req.get_param_value("workflow");
    filter.state = req.get_param_value("state");
    filter.party = req.get_param_value("party");
    filter.now_ms = context.clock->NowMs();
    if (req.has_param("overdue")) {
      std::string overdue = req.get_param_value("overdue");
      if (overdue != "true" && overdue != "false") {
        return ReplyError(res, 400, "bad-parameter", "'overdue' must be true or false",
                          "overdue");
      }
      filter.overdue = overdue == "true";
    }
    int limit = 0, offset = 0;
    if (!IntParam(req, "limit", kDefaultLimit, kMaxLimit, res, &limit) ||
        !IntParam(req, "offset", 0, 1000000000, res, &offset)) {
      return;
    }
    if (limit == 0) limit = kDefaultLimit;
    json page{{"cases", json::array()}, {"total", 0}, {"limit", limit}, {"offset", offset},
              {"next", nullptr}};
    if (!principal->sees_all) {
      // Other parties list only their own cases.
      if (principal->party.empty() || (!filter.party.empty() && filter.party != principal->party)) {
        return ReplyJson(res, 200, page);
      }
      filter.party = principal->party;
    }
    Result<int64_t> total = context.store->CountCases(filter);
    if (!total.ok()) return ReplyStatus(res, total.status());
    filter.limit = limit;
    filter.offset = offset;
    Result<std::vector<store::CaseRow>> rows = context.store->ListCases(filter);
    if (!rows.ok()) return ReplyStatus(res, rows.status());
    for (const store::CaseRow& row : *rows) {
      page["cases"].push_back(CaseSummaryJson(row, filter.now_ms));
    }
    page["total"] = *total;
    if (offset + static_cast<int64_t>(rows->size()) < *total) {
      page["next"] = offset + static_cast<int64_t>(rows->size());
    }
    ReplyJson(res, 200, page);
  });

  Route(http, context.routes, "GET", "/api/cases/{id}", [context](const httplib::Request& req,
                                               httplib::Response& res) {
    std::optional<auth::Principal> principal = RequirePrincipal(context, req, res);
    if (!principal) return;
    runtime::CaseView view;
    if (!LoadVisible(context, *principal, req.matches[1], res, &view)) return;
    json body = CaseDetailJson(view, *principal, context.clock->NowMs());
    Result<std::vector<store::CaseRow>> children = context.store->ListChildren(view.row.id);
    json ids = json::array();
    if (children.ok()) {
      for (const store::CaseRow& child : *children) ids.push_back(child.id);
    }
    body["children"] = ids;
    ReplyJson(res, 200, body);
  });

  Route(http, context.routes, "POST", "/api/cases/{id}/events", [context](const httplib::Request& req,
                                                       httplib::Response& res) {
    std::optional<auth::Principal> principal =
        RequirePrincipal(context, req, res, /*state_changing=*/true);
    if (!principal) return;
    runtime::CaseView view;
    if (!LoadVisible(context, *principal, req.matches[1], res, &view)) return;
    SubmitEventRequest request;
    if (auto error = ParseSubmitEventRequest(req.body, &request)) return ReplyApiError(res, *error);
    if (!SameActor(*principal, request.role, request.party, res)) return;
    core::Input input =
        core::Input::Event(request.event, principal->role, std::move(request.payload));
    input.actor_party = principal->party;
    AnswerStep(context, *principal, 200, [&] {
      return context.runner->Submit(view.row.id, std::move(input), request.expected_revision);
    }, res);
  });

  Route(http, context.routes, "GET", "/api/cases/{id}/history", [context](const httplib::Request& req,
                                                       httplib::Response& res) {
    std::optional<auth::Principal> principal = RequirePrincipal(context, req, res);
    if (!principal) return;
    runtime::CaseView view;
    if (!LoadVisible(context, *principal, req.matches[1], res, &view)) return;
    Result<std::vector<store::HistoryRow>> rows = context.store->GetHistory(view.row.id);
    if (!rows.ok()) return ReplyStatus(res, rows.status());
    json entries = json::array();
    for (const store::HistoryRow& row : *rows) entries.push_back(HistoryEntryJson(row));
    // Each delivery attempt of the case's outbox rows (runtime/delivery_log).
    Result<json> deliveries = runtime::DeliveryAttemptsJson(*context.store, view.row.id);
    if (!deliveries.ok()) return ReplyStatus(res, deliveries.status());
    ReplyJson(res, 200, json{{"case_id", view.row.id},
                             {"entries", entries},
                             {"deliveries", *deliveries}});
  });
}

}  // namespace zgtflow::web::api
