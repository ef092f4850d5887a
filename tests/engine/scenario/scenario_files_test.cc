// Runs every examples/*.scenario and workflows/*.scenario (found when the test
// runs) against the .flow files of the same folder, and requires all to pass.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "dsl/compile.h"
#include "engine/calendar/calendar_json.h"
#include "engine/scenario/scenario_runner.h"

namespace zgtflow::scenario {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<fs::path> FilesWithExtension(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ext) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Runs every scenario file of `folder` against all of that folder's .flow
// files compiled together; returns how many scenarios ran.
int RunFolder(const std::string& folder, const calendar::Calendar& calendar) {
  const fs::path dir = fs::path(ZGT_SOURCE_DIR) / folder;
  std::vector<dsl::SourceFile> flows;
  for (const auto& path : FilesWithExtension(dir, ".flow")) {
    flows.push_back(dsl::SourceFile{folder + "/" + path.filename().string(), ReadFile(path)});
  }
  int ran = 0;
  for (const auto& path : FilesWithExtension(dir, ".scenario")) {
    const std::string name = folder + "/" + path.filename().string();
    INFO(name);
    dsl::CompileResult compiled = dsl::Compile(flows);
    for (const auto& d : compiled.diagnostics) UNSCOPED_INFO(d.ToString());
    REQUIRE(compiled.ok());
    ScenarioFileResult result =
        RunScenarioFile(dsl::SourceFile{name, ReadFile(path)}, compiled.workflows, &calendar);
    for (const auto& d : result.diagnostics) UNSCOPED_INFO(d.ToString());
    CHECK(result.diagnostics.empty());
    CHECK_FALSE(result.outcomes.empty());
    for (const auto& outcome : result.outcomes) {
      INFO(outcome.span.ToString() + ": scenario \"" + outcome.title + "\"");
      CHECK(outcome.failure == "");
      CHECK(outcome.passed);
      ++ran;
    }
  }
  return ran;
}

TEST_CASE("every scenario in examples/ and workflows/ passes", "[scenario]") {
  auto calendar = calendar::ParseCalendarJson(
      ReadFile(fs::path(ZGT_SOURCE_DIR) / "calendars" / "cn-mainland.json"));
  REQUIRE(calendar.ok());
  int ran = RunFolder("examples", *calendar) + RunFolder("workflows", *calendar);
  CHECK(ran > 0);
}

TEST_CASE("every example workflow has a scenario file", "[scenario]") {
  const fs::path dir = fs::path(ZGT_SOURCE_DIR) / "examples";
  for (const auto& flow : FilesWithExtension(dir, ".flow")) {
    if (flow.stem() == "roles") continue;  // Declares roles, no workflow.
    fs::path scenario = flow;
    scenario.replace_extension(".scenario");
    INFO(flow.string());
    CHECK(fs::exists(scenario));
  }
}

}  // namespace
}  // namespace zgtflow::scenario
