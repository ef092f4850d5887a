// ⑦ Server (see server.h): routes → CaseRunner calls → JSON answers.
#include "web/server.h"

#include <chrono>
#include <exception>
#include <set>
#include <thread>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "engine/runtime/json_codec.h"

namespace zgtflow::web {
namespace {

using nlohmann::json;

void Reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void ReplyError(httplib::Response& res, int status, const std::string& code,
                const std::string& message, const std::string& field = "") {
  Reply(res, status, json{{"error", {{"code", code}, {"message", message}, {"field", field}}}});
}

// A runtime Status → its HTTP error (CaseRunner's codes, case_runner.h).
void ReplyStatus(httplib::Response& res, const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return ReplyError(res, 400, "invalid-argument", status.message(), status.field());
    case StatusCode::kNotFound:
      return ReplyError(res, 404, "not-found", status.message(), status.field());
    case StatusCode::kConflict:
      return ReplyError(res, 409, "conflict", status.message(), status.field());
    case StatusCode::kUnavailable:
      return ReplyError(res, 503, "unavailable", status.message(), status.field());
    default:
      return ReplyError(res, 500, "internal", status.message(), status.field());
  }
}

// The body as a JSON object; false (and a 400 sent) otherwise. nlohmann
// throws on bad JSON; parse with allow_exceptions=false so nothing escapes.
bool ParseBody(const httplib::Request& req, httplib::Response& res, json* body) {
  *body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body->is_discarded() || !body->is_object()) {
    ReplyError(res, 400, "bad-json", "the request body must be a JSON object");
    return false;
  }
  return true;
}

// body[key] as a string: "" when absent; false (400 sent) when not a string.
bool StringField(const json& body, const char* key, bool required, httplib::Response& res,
                 std::string* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (!required) return true;
    ReplyError(res, 400, "missing-field", std::string("'") + key + "' is required", key);
    return false;
  }
  if (!it->is_string()) {
    ReplyError(res, 400, "bad-type", std::string("'") + key + "' must be a string", key);
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

// body["data"] as the runtime's JSON text ("" = {}); false (400) when not an object.
bool DataField(const json& body, httplib::Response& res, std::string* out) {
  auto it = body.find("data");
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_object()) {
    ReplyError(res, 400, "bad-type", "'data' must be a JSON object", "data");
    return false;
  }
  *out = it->dump();
  return true;
}

// The answer for an accepted step: id, revision and active states.
json CaseJson(const runtime::CaseView& view) {
  json state = json::parse(view.row.state, nullptr, /*allow_exceptions=*/false);
  if (state.is_discarded()) state = json::array();
  return json{{"id", view.row.id}, {"revision", view.row.revision}, {"state", state}};
}

void ReplyRejection(httplib::Response& res, const core::Rejection& rejection) {
  ReplyError(res, 422, rejection.code, rejection.message, rejection.field);
}

}  // namespace

Result<ServerOptions> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return Status::InvalidArgument("listen address '" + listen + "' is not HOST:PORT");
  }
  std::string port_text = listen.substr(colon + 1);
  if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("port '" + port_text + "' is not a number");
  }
  int port = std::stoi(port_text);  // At most 5 digits: cannot throw.
  if (port > 65535) return Status::InvalidArgument("port " + port_text + " is above 65535");
  ServerOptions options;
  options.host = listen.substr(0, colon);
  options.port = port;
  return options;
}

Server::Server(ServerOptions options, store::Store* store, runtime::DefinitionRegistry* registry,
               runtime::CaseRunner* runner)
    : options_(std::move(options)),
      store_(store),
      registry_(registry),
      runner_(runner),
      http_(std::make_unique<httplib::Server>()) {
  int threads = options_.threads > 0 ? options_.threads : 1;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // A kept-alive idle connection holds a worker; a short timeout bounds how
  // long a graceful shutdown waits for idle clients.
  http_->set_keep_alive_timeout(1);
  http_->set_payload_max_length(1 << 20);
  Mount();
}

Server::~Server() { Stop(); }

Status Server::Bind() {
  if (options_.port == 0) {
    int port = http_->bind_to_any_port(options_.host);
    if (port <= 0) return Status(StatusCode::kUnavailable, "cannot bind " + options_.host);
    port_ = port;
  } else {
    if (!http_->bind_to_port(options_.host, options_.port)) {
      return Status(StatusCode::kUnavailable,
                    "cannot bind " + options_.host + ":" + std::to_string(options_.port));
    }
    port_ = options_.port;
  }
  return Status::Ok();
}

Status Server::Run() {
  running_ = true;
  // Stop() before this point only set the flag (nothing to stop yet).
  if (stop_requested_) {
    running_ = false;
    return Status::Ok();
  }
  // listen_after_bind returns after the accept loop ended and its thread
  // pool finished the requests in flight.
  bool ok = http_->listen_after_bind();
  running_ = false;
  if (!ok && !stop_requested_) return Status(StatusCode::kUnavailable, "the listener failed");
  return Status::Ok();
}

void Server::Stop() {
  stop_requested_ = true;
  // httplib's stop() does nothing before its accept loop runs, so wait for
  // that (a Run that has not set running_ yet sees stop_requested_ instead).
  while (running_) {
    if (http_->is_running()) {
      http_->stop();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void Server::Mount() {
  // httplib catches handler exceptions as a bare 500; answer them as JSON.
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string message = "internal error";
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          message = e.what();
        } catch (...) {
        }
        ReplyError(res, 500, "internal", message);
      });

  http_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    std::set<std::string> ids;
    for (const auto& workflow : registry_->All()) ids.insert(workflow->id);
    int workflows = static_cast<int>(ids.size());
    Result<int64_t> timers = store_->CountTimers();  // A cheap read that reaches the database.
    if (!timers.ok()) {
      Reply(res, 503, json{{"status", "unavailable"},
                           {"store", timers.status().message()},
                           {"workflows", workflows}});
      return;
    }
    Reply(res, 200, json{{"status", "ok"}, {"store", "ok"}, {"workflows", workflows}});
  });

  http_->Post("/api/cases", [this](const httplib::Request& req, httplib::Response& res) {
    json body;
    if (!ParseBody(req, res, &body)) return;
    std::string workflow_id, role, party, event, id, data;
    if (!StringField(body, "workflow", true, res, &workflow_id) ||
        !StringField(body, "role", false, res, &role) ||
        !StringField(body, "party", false, res, &party) ||
        !StringField(body, "event", false, res, &event) ||
        !StringField(body, "id", false, res, &id) || !DataField(body, res, &data)) {
      return;
    }
    runtime::Parties parties;
    if (auto it = body.find("parties"); it != body.end() && !it->is_null()) {
      bool ok = it->is_object();
      for (auto p = it->begin(); ok && p != it->end(); ++p) {
        if (!p->is_array()) { ok = false; break; }
        for (const json& name : *p) {
          if (!name.is_string()) { ok = false; break; }
          parties[p.key()].push_back(name.get<std::string>());
        }
      }
      if (!ok) {
        return ReplyError(res, 400, "bad-type",
                          "'parties' must map each role to an array of names", "parties");
      }
    }
    if (role.empty()) {
      Result<std::shared_ptr<const model::Workflow>> workflow = registry_->Newest(workflow_id);
      if (!workflow.ok()) return ReplyStatus(res, workflow.status());
      for (const model::TransitionDef& start : (*workflow)->start_transitions) {
        if ((event.empty() || start.event == event) && !start.roles.empty()) {
          role = start.roles.front();
          break;
        }
      }
    }
    Result<runtime::CaseView> view =
        runner_->Create(workflow_id, role, party, data, parties, event, id);
    if (!view.ok()) return ReplyStatus(res, view.status());
    if (!view->accepted()) return ReplyRejection(res, *view->rejection);
    Reply(res, 201, CaseJson(*view));
  });

  http_->Post(R"(/api/cases/([^/]+)/events)",
              [this](const httplib::Request& req, httplib::Response& res) {
    json body;
    if (!ParseBody(req, res, &body)) return;
    std::string event, role, party, data;
    if (!StringField(body, "event", true, res, &event) ||
        !StringField(body, "role", false, res, &role) ||
        !StringField(body, "party", false, res, &party) || !DataField(body, res, &data)) {
      return;
    }
    std::optional<int64_t> expected_revision;
    if (auto it = body.find("expected_revision"); it != body.end() && !it->is_null()) {
      if (!it->is_number_integer()) {
        return ReplyError(res, 400, "bad-type", "'expected_revision' must be an integer",
                          "expected_revision");
      }
      expected_revision = it->get<int64_t>();
    }
    Result<model::Object> payload = runtime::ParseObject(data);
    if (!payload.ok()) return ReplyStatus(res, payload.status());
    core::Input input = core::Input::Event(event, role, std::move(payload).value());
    input.actor_party = party;
    Result<runtime::CaseView> view = runner_->Submit(req.matches[1], std::move(input),
                                                     expected_revision);
    if (!view.ok()) return ReplyStatus(res, view.status());
    if (!view->accepted()) return ReplyRejection(res, *view->rejection);
    Reply(res, 200, CaseJson(*view));
  });
}

}  // namespace zgtflow::web
