// OpenStore: the URL's scheme picks the backend.
#include "engine/store/open/open_store.h"

#include "engine/store/memory/memory_store.h"

namespace zgtflow::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url == "memory:" || url == "memory") return std::unique_ptr<Store>(new MemoryStore());
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return Status(StatusCode::kUnavailable, "PostgreSQL support not built");
  }
  return Status::InvalidArgument("unknown store URL \"" + url +
                                 "\": use memory:, sqlite:PATH or postgresql://…", "db");
}

}  // namespace zgtflow::store
