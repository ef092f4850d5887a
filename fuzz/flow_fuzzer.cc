// libFuzzer entry point for fuzz::FuzzFlow (fuzz/targets.h); corpus in fuzz/corpus/flow/.
#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zgtflow::fuzz::FuzzFlow(data, size);
  return 0;
}
