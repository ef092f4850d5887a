// ⑧ /api/workflows: the deployed workflows, one in detail, and its diagram
// as SVG (dsl/graph), with a case's active states highlighted on request.
#include <map>
#include <set>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "dsl/graph/render_svg.h"
#include "dsl/graph/to_dot.h"
#include "engine/runtime/json_codec.h"
#include "web/api/api.h"
#include "web/api/case_json.h"
#include "web/api_error.h"
#include "web/route.h"

namespace zgtflow::web::api {
namespace {

using nlohmann::json;

const char* KindText(model::StateKind kind) {
  switch (kind) {
    case model::StateKind::kAtomic: return "atomic";
    case model::StateKind::kCompound: return "compound";
    case model::StateKind::kParallel: return "parallel";
    case model::StateKind::kChoice: return "choice";
    case model::StateKind::kFinal: return "final";
  }
  return "atomic";
}

// Versions of `id` held by the registry, in deployment order.
std::vector<std::string> Versions(const WebContext& context, const std::string& id) {
  std::vector<std::string> out;
  for (const auto& workflow : context.registry->All()) {
    if (workflow->id == id) out.push_back(workflow->VersionHex());
  }
  return out;
}

json Summary(const WebContext& context, const model::Workflow& workflow,
             const auth::Principal& principal) {
  json start = json::array();
  for (const auth::AllowedEvent& event : auth::StartEvents(workflow, principal.role)) {
    start.push_back(AllowedEventJson(event));
  }
  return json{{"id", workflow.id},
              {"label", workflow.label},
              {"version", workflow.VersionHex()},
              {"versions", Versions(context, workflow.id)},
              {"cites", workflow.cites},
              {"start_events", start}};
}

// The requested version (?version=) or the newest; false after a 404.
bool FindWorkflow(const WebContext& context, const httplib::Request& req, httplib::Response& res,
                  std::shared_ptr<const model::Workflow>* out) {
  const std::string id = req.matches[1];
  Result<std::shared_ptr<const model::Workflow>> workflow =
      req.has_param("version") ? context.registry->Get(id, req.get_param_value("version"))
                               : context.registry->Newest(id);
  if (!workflow.ok()) {
    ReplyError(res, 404, "not-found", "no workflow '" + id + "'" +
                                          (req.has_param("version") ? " of that version" : ""));
    return false;
  }
  *out = std::move(workflow).value();
  return true;
}

}  // namespace

void RegisterWorkflows(httplib::Server& http, const WebContext& context) {
  Route(http, context.routes, "GET", "/api/workflows", [context](const httplib::Request& req, httplib::Response& res) {
    std::optional<auth::Principal> principal = RequirePrincipal(context, req, res);
    if (!principal) return;
    std::map<std::string, std::shared_ptr<const model::Workflow>> newest;
    for (const auto& workflow : context.registry->All()) newest[workflow->id] = workflow;
    json list = json::array();
    for (const auto& [id, workflow] : newest) {
      Result<std::shared_ptr<const model::Workflow>> current = context.registry->Newest(id);
      list.push_back(Summary(context, current.ok() ? **current : *workflow, *principal));
    }
    ReplyJson(res, 200, json{{"workflows", list}});
  });

  Route(http, context.routes, "GET", "/api/workflows/{id}", [context](const httplib::Request& req,
                                                   httplib::Response& res) {
    std::optional<auth::Principal> principal = RequirePrincipal(context, req, res);
    if (!principal) return;
    std::shared_ptr<const model::Workflow> workflow;
    if (!FindWorkflow(context, req, res, &workflow)) return;
    json body = Summary(context, *workflow, *principal);
    json fields = json::array();
    for (const model::FieldDef& field : workflow->fields) {
      fields.push_back(json{{"name", field.name},
                            {"label", field.label},
                            {"type", field.type.ToString()},
                            {"required", field.required}});
    }
    json states = json::array();
    for (size_t i = 1; i < workflow->states.size(); ++i) {  // [0] is the synthetic root.
      const model::StateDef& state = workflow->states[i];
      states.push_back(json{{"name", state.name},
                            {"label", state.label},
                            {"kind", KindText(state.kind)},
                            {"parent", state.parent > 0 ? workflow->states[state.parent].name
                                                        : std::string()}});
    }
    json roles = json::array();
    for (const model::RoleDef& role : workflow->roles) {
      roles.push_back(json{{"name", role.name}, {"label", role.label}});
    }
    body["fields"] = fields;
    body["states"] = states;
    body["roles"] = roles;
    body["events"] = workflow->events;
    body["source_path"] = workflow->source_path;
    body["source"] = workflow->source;
    ReplyJson(res, 200, body);
  });

  Route(http, context.routes, "GET", "/api/workflows/{id}/diagram.svg", [context](const httplib::Request& req,
                                                                httplib::Response& res) {
    std::optional<auth::Principal> principal = RequirePrincipal(context, req, res);
    if (!principal) return;
    std::shared_ptr<const model::Workflow> workflow;
    std::set<int> active;
    if (req.has_param("case")) {
      // The case's own version, its active states highlighted.
      Result<runtime::CaseView> view = context.runner->Load(req.get_param_value("case"));
      if (!view.ok() || !auth::MaySee(*principal, view->row) ||
          view->row.workflow != std::string(req.matches[1])) {
        if (!view.ok() && view.status().code() != StatusCode::kNotFound) {
          return ReplyStatus(res, view.status());
        }
        return ReplyError(res, 404, "not-found", "no such case of this workflow", "case");
      }
      workflow = view->workflow;
      active.insert(view->state.active.begin(), view->state.active.end());
    } else if (!FindWorkflow(context, req, res, &workflow)) {
      return;
    }
    Result<std::string> svg = graph::RenderSvg(graph::ToDot(*workflow, active));
    if (!svg.ok()) return ReplyStatus(res, svg.status());
    res.status = 200;
    res.set_content(*svg, "image/svg+xml");
  });
}

}  // namespace zgtflow::web::api
