// OpenStore: the URL's scheme picks the backend. The only file that knows
// every backend, so a program links the databases it can open through here.
#include "engine/store/open/open_store.h"

#include <filesystem>
#include <system_error>

#include "engine/store/memory/memory_store.h"
#include "engine/store/postgres/postgres_store.h"
#include "engine/store/sqlite/sqlite_store.h"

namespace zgtflow::store {
namespace {

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("sqlite: needs a file path, e.g. sqlite:var/zgtflow.db", "db");
  // std::filesystem reports through error_code here, never by throwing.
  std::error_code error;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) {
    return Status(StatusCode::kUnavailable,
                  "creating folder " + parent.string() + ": " + error.message());
  }
  auto store = SqliteStore::Open(path);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url == "memory:") return std::unique_ptr<Store>(new MemoryStore());
  if (StartsWith(url, "sqlite:")) return OpenSqlite(url.substr(std::string("sqlite:").size()));
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    return OpenPostgresStore(url);
  }
  return Status::InvalidArgument(
      "unknown store URL \"" + url + "\": use memory:, sqlite:PATH or postgresql://…", "db");
}

}  // namespace zgtflow::store
