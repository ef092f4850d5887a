// Test support: compiles .flow text (with the example roles) into workflows,
// and reads project files, for core tests written against the DSL. Header-only.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsl/compile.h"
#include "engine/calendar/calendar_json.h"
#include "engine/model/workflow.h"

namespace zgtflow::testing {

// The text of `relative` under the project root ("" when it cannot be read).
inline std::string ReadProjectFile(const std::string& relative) {
  std::ifstream in(std::string(ZGT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every workflow compiled from `files` (paths under the project root, with
// examples/roles.flow added). Throws std::runtime_error with the diagnostics
// on a compile error, which fails the calling test with the message.
inline std::vector<std::shared_ptr<const model::Workflow>> CompileProjectFiles(
    std::vector<std::string> files) {
  files.push_back("examples/roles.flow");
  std::vector<dsl::SourceFile> sources;
  for (const std::string& f : files) sources.push_back(dsl::SourceFile{f, ReadProjectFile(f)});
  dsl::CompileResult result = dsl::Compile(sources);
  if (!result.ok()) {
    std::string message;
    for (const auto& d : result.diagnostics) message += d.message + "\n";
    throw std::runtime_error("compile failed:\n" + message);
  }
  return result.workflows;
}

// The one workflow of `flow_text` (compiled with examples/roles.flow).
inline std::shared_ptr<const model::Workflow> CompileOne(const std::string& flow_text) {
  std::vector<dsl::SourceFile> sources{dsl::SourceFile{"test.flow", flow_text},
                                       dsl::SourceFile{"examples/roles.flow",
                                                       ReadProjectFile("examples/roles.flow")}};
  dsl::CompileResult result = dsl::Compile(sources);
  if (!result.ok() || result.workflows.empty()) {
    std::string message;
    for (const auto& d : result.diagnostics) message += d.message + "\n";
    throw std::runtime_error("compile failed:\n" + message);
  }
  return result.workflows.front();
}

// calendars/cn-mainland.json, parsed.
inline calendar::Calendar ProjectCalendar() {
  auto parsed = calendar::ParseCalendarJson(ReadProjectFile("calendars/cn-mainland.json"));
  if (!parsed.ok()) throw std::runtime_error("calendar: " + parsed.status().message());
  return parsed.value();
}

}  // namespace zgtflow::testing
