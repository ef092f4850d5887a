// ⑤ Opens the Store a URL names. Apart from store.h so that a backend links
// only the interface, and only this target links every backend.
#pragma once

#include <memory>
#include <string>

#include "engine/base/status.h"
#include "engine/store/store.h"

namespace zgtflow::store {

// "memory:", "sqlite:PATH" (the file and its folder are created),
// "postgresql://user@host:port/db". Creates the schema and applies pending
// migrations. kInvalidArgument for an unknown scheme, kUnavailable when the
// database cannot be reached.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace zgtflow::store
