// Every input saved under tests/regress/inputs/TARGET/ (crashes the fuzzers
// found, and hand-made hostile inputs) replayed through the same function the
// fuzzer TARGET calls (fuzz/targets.h). A regression crashes or trips a
// sanitizer here (build-asan runs this too).
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "fuzz/targets.h"

namespace zgtflow {
namespace {

namespace fs = std::filesystem;

// Replays every file of inputs/`target`; returns how many it ran.
int ReplayAll(const std::string& target, void (*fuzz)(const uint8_t*, size_t)) {
  fs::path dir = fs::path(ZGT_SOURCE_DIR) / "tests/regress/inputs" / target;
  int count = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::string data = bytes.str();
    INFO("input " << entry.path().string());
    fuzz(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    ++count;
  }
  return count;
}

TEST_CASE("every saved .flow input compiles or is refused without crashing", "[regress]") {
  CHECK(ReplayAll("flow", fuzz::FuzzFlow) > 0);
}

TEST_CASE("every saved .scenario input parses or is refused without crashing", "[regress]") {
  CHECK(ReplayAll("scenario", fuzz::FuzzScenario) > 0);
}

TEST_CASE("every saved expression input evaluates or is refused without crashing", "[regress]") {
  CHECK(ReplayAll("expression", fuzz::FuzzExpression) > 0);
}

TEST_CASE("every saved API request body is parsed or refused without crashing", "[regress]") {
  CHECK(ReplayAll("api_request", fuzz::FuzzApiRequest) > 0);
}

}  // namespace
}  // namespace zgtflow
