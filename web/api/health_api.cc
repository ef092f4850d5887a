// ⑧ GET /healthz and GET /metrics (see api.h and metrics.h).
#include <set>

#include <httplib.h>

#include "web/api/api.h"
#include "web/api_error.h"
#include "web/metrics.h"
#include "web/route.h"

namespace zgtflow::web::api {

void RegisterHealth(httplib::Server& http, const WebContext& context) {
  Route(http, context.routes, "GET", "/healthz", [context](const httplib::Request&, httplib::Response& res) {
    std::set<std::string> ids;
    for (const auto& workflow : context.registry->All()) ids.insert(workflow->id);
    int workflows = static_cast<int>(ids.size());
    // A cheap read that reaches the database.
    Result<int64_t> timers = context.store->CountTimers();
    if (!timers.ok()) {
      ReplyJson(res, 503,
                nlohmann::json{{"status", "unavailable"},
                               {"store", timers.status().message()},
                               {"workflows", workflows}});
      return;
    }
    ReplyJson(res, 200,
              nlohmann::json{{"status", "ok"}, {"store", "ok"}, {"workflows", workflows}});
  });

  Route(http, context.routes, "GET", "/metrics", [context](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(context.metrics->Render(*context.store, context.clock->NowMs()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace zgtflow::web::api
