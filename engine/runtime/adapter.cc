// ⑦ AdapterRegistry and the notify routing file (see adapter.h).
#include "engine/runtime/adapter.h"

#include <nlohmann/json.hpp>

namespace zgtflow::runtime {

using nlohmann::json;

Result<NotifyRouting> ParseNotifyRouting(const std::string& json_text) {
  // Parsed without exceptions: a broken routing file is a Status, not a crash.
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("notify routing: not valid JSON");
  if (!doc.is_object()) {
    return Status::InvalidArgument("notify routing: expected an object role → [adapter names]");
  }
  NotifyRouting routing;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!it.value().is_array()) {
      return Status::InvalidArgument("notify routing: '" + it.key() + "' must list adapter names",
                                     it.key());
    }
    std::vector<std::string>& names = routing.routes[it.key()];
    for (const json& name : it.value()) {
      if (!name.is_string() || name.get<std::string>().empty()) {
        return Status::InvalidArgument(
            "notify routing: '" + it.key() + "' lists something that is not an adapter name",
            it.key());
      }
      names.push_back(name.get<std::string>());
    }
  }
  return routing;
}

bool AdapterRegistry::Register(const std::string& name, Adapter* adapter) {
  if (name == kNotify || name.empty() || adapter == nullptr) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  adapters_[name] = adapter;
  return true;
}

Adapter* AdapterRegistry::Find(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = adapters_.find(name);
  return found == adapters_.end() ? nullptr : found->second;
}

void AdapterRegistry::SetNotifyRouting(NotifyRouting routing) {
  std::lock_guard<std::mutex> lock(mutex_);
  routing_ = std::move(routing);
}

Result<std::vector<Adapter*>> AdapterRegistry::Route(const store::OutboxRow& row) const {
  Result<std::vector<Channel>> channels = RouteChannels(row);
  if (!channels.ok()) return channels.status();
  std::vector<Adapter*> adapters;
  for (const Channel& channel : *channels) adapters.push_back(channel.adapter);
  return adapters;
}

Result<std::vector<AdapterRegistry::Channel>> AdapterRegistry::RouteChannels(
    const store::OutboxRow& row) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto find = [this](const std::string& name) -> Adapter* {
    auto found = adapters_.find(name);
    return found == adapters_.end() ? nullptr : found->second;
  };
  if (row.adapter != kNotify) {
    Adapter* adapter = find(row.adapter);
    if (adapter == nullptr) {
      return Status::NotFound("no adapter named '" + row.adapter + "' is registered");
    }
    return std::vector<Channel>{{row.adapter, adapter}};
  }
  json payload = json::parse(row.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object() || !payload.contains("role") ||
      !payload["role"].is_string()) {
    return Status::InvalidArgument("notify row without a role in its payload");
  }
  const std::string role = payload["role"].get<std::string>();
  auto route = routing_.routes.find(role);
  if (route == routing_.routes.end()) route = routing_.routes.find("*");
  if (route == routing_.routes.end()) {
    return Status::NotFound("no notify route for role '" + role + "' and no \"*\" route");
  }
  std::vector<Channel> channels;
  for (const std::string& name : route->second) {
    Adapter* adapter = find(name);
    if (adapter == nullptr) {
      return Status::NotFound("notify route for role '" + role + "' names adapter '" + name +
                              "', which is not registered");
    }
    channels.push_back({name, adapter});
  }
  return channels;
}

}  // namespace zgtflow::runtime
