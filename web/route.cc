// ⑧ Route (see route.h).
#include "web/route.h"

namespace zgtflow::web {

void RouteList::Add(std::string method, std::string path) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_.emplace_back(std::move(method), std::move(path));
}

std::vector<std::pair<std::string, std::string>> RouteList::All() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return routes_;
}

std::string PathPattern(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '{') {
      size_t end = path.find('}', i);
      if (end != std::string::npos) {
        out += "([^/]+)";
        i = end;
        continue;
      }
    }
    if (std::string(".^$|()[]*+?\\").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

void Route(httplib::Server& http, RouteList* routes, const std::string& method,
           const std::string& path, httplib::Server::Handler handler) {
  std::string pattern = PathPattern(path);
  if (method == "GET") {
    http.Get(pattern, std::move(handler));
  } else if (method == "POST") {
    http.Post(pattern, std::move(handler));
  } else if (method == "PUT") {
    http.Put(pattern, std::move(handler));
  } else if (method == "DELETE") {
    http.Delete(pattern, std::move(handler));
  } else {
    return;
  }
  if (routes != nullptr) routes->Add(method, path);
}

}  // namespace zgtflow::web
