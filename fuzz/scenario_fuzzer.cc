// libFuzzer entry point for fuzz::FuzzScenario (fuzz/targets.h); corpus in fuzz/corpus/scenario/.
#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zgtflow::fuzz::FuzzScenario(data, size);
  return 0;
}
