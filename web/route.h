// ⑧ Route: mounts a handler under its documented path ("/api/cases/{id}") and
// records (method, path) in the server's RouteList, so tests can check that
// docs/openapi.json lists exactly the routes the server serves. "{name}"
// segments match one path segment ([^/]+) and arrive as req.matches[1…].
#pragma once

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>

namespace zgtflow::web {

// (method, documented path) of every route mounted through Route. Thread-safe.
class RouteList {
 public:
  void Add(std::string method, std::string path);
  std::vector<std::pair<std::string, std::string>> All() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> routes_;
};

// The regular expression httplib matches for `path` ("{x}" → "([^/]+)",
// regex metacharacters of the literal parts escaped).
std::string PathPattern(const std::string& path);

// Mounts `handler` for `method` ("GET", "POST") at `path`, recording it in
// `routes` (may be null).
void Route(httplib::Server& http, RouteList* routes, const std::string& method,
           const std::string& path, httplib::Server::Handler handler);

}  // namespace zgtflow::web
