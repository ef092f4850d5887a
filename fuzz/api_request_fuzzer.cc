// libFuzzer entry point for fuzz::FuzzApiRequest (fuzz/targets.h); corpus in fuzz/corpus/api_request/.
#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zgtflow::fuzz::FuzzApiRequest(data, size);
  return 0;
}
