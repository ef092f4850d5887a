// MemoryStore against the Store conformance suite.
#include "engine/store/memory/memory_store.h"

#include "tests/engine/store/store_conformance.h"

namespace {

std::unique_ptr<zgtflow::store::Store> MakeMemoryStore() {
  return std::make_unique<zgtflow::store::MemoryStore>();
}

}  // namespace

ZGT_STORE_CONFORMANCE("memory", MakeMemoryStore)
