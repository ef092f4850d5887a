// Test support for tests/engine/runtime: the shipped workflows compiled, the
// cn-mainland calendar, and a runtime (registry, CaseRunner, TimerWorker) over
// a MemoryStore on a VirtualClock. Header-only.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsl/compile.h"
#include "engine/calendar/calendar_json.h"
#include "engine/calendar/instant.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/definition_registry.h"
#include "engine/runtime/timer_worker.h"
#include "engine/store/memory/memory_store.h"

namespace zgtflow::testing {

inline std::string ReadRuntimeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// workflows/*.flow, with `replace` standing in for the file of that name when given.
inline std::vector<dsl::SourceFile> ShippedSources(const std::string& replace_name = "",
                                                   const std::string& replace_text = "") {
  std::vector<std::string> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(ZGT_SOURCE_DIR) + "/workflows")) {
    if (entry.path().extension() == ".flow") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<dsl::SourceFile> sources;
  for (const std::string& path : paths) {
    std::string name = std::filesystem::path(path).filename().string();
    std::string text = name == replace_name ? replace_text : ReadRuntimeFile(path);
    sources.push_back(dsl::SourceFile{"workflows/" + name, text});
  }
  return sources;
}

inline dsl::CompileResult CompileShipped(const std::string& replace_name = "",
                                         const std::string& replace_text = "") {
  dsl::CompileResult result = dsl::Compile(ShippedSources(replace_name, replace_text));
  if (!result.ok()) {
    std::string message;
    for (const auto& d : result.diagnostics) message += d.message + "\n";
    throw std::runtime_error("workflows/ did not compile:\n" + message);
  }
  return result;
}

inline calendar::Calendar LoadCnCalendar() {
  auto parsed = calendar::ParseCalendarJson(
      ReadRuntimeFile(std::string(ZGT_SOURCE_DIR) + "/calendars/cn-mainland.json"));
  if (!parsed.ok()) throw std::runtime_error("calendar: " + parsed.status().message());
  return *parsed;
}

inline int64_t At(const std::string& iso) {
  auto instant = calendar::ParseInstant(iso);
  if (!instant.ok()) throw std::runtime_error("bad instant " + iso);
  return instant->epoch_ms;
}

// A whole runtime in memory; `store` may be replaced by a wrapper before use.
struct Runtime {
  explicit Runtime(store::Store* use_store = nullptr)
      : store(use_store != nullptr ? use_store : &memory),
        clock(At("2026-03-02T09:00:00+08:00")),
        calendar(LoadCnCalendar()),
        registry(store),
        runner(store, &registry, &clock, &calendar),
        timers(store, &runner, &clock, "node-a", 60000) {
    Status deployed = registry.Deploy(CompileShipped(), clock.NowMs());
    if (!deployed.ok()) throw std::runtime_error("deploy: " + deployed.message());
  }

  store::MemoryStore memory;
  store::Store* store;
  runtime::VirtualClock clock;
  calendar::Calendar calendar;
  runtime::DefinitionRegistry registry;
  runtime::CaseRunner runner;
  runtime::TimerWorker timers;
};

// The active state names of a view, as the case row lists them.
inline std::string StateOf(const runtime::CaseView& view) { return view.row.state; }

}  // namespace zgtflow::testing
