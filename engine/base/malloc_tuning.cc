// Malloc tuning (see malloc_tuning.h).
#include "engine/base/malloc_tuning.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace zgtflow {
namespace {

constexpr char kVariable[] = "GLIBC_TUNABLES";
constexpr char kName[] = "glibc.malloc.tcache_count";
constexpr char kTuning[] = "glibc.malloc.tcache_count=64";

}  // namespace

void RestartWithMallocTuning(char** argv) {
  const char* set = std::getenv(kVariable);
  std::string tunables = set != nullptr ? set : "";
  if (tunables.find(kName) != std::string::npos) return;
  tunables = tunables.empty() ? std::string(kTuning) : tunables + ":" + kTuning;
  if (setenv(kVariable, tunables.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
}

}  // namespace zgtflow
