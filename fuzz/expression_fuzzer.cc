// libFuzzer entry point for fuzz::FuzzExpression (fuzz/targets.h); corpus in fuzz/corpus/expression/.
#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zgtflow::fuzz::FuzzExpression(data, size);
  return 0;
}
