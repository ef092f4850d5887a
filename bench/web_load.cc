// zgt_web_load: fills a store with N rectification cases for the web
// benchmark (bench/web_bench.sh). Cases go through runtime::CaseRunner (the
// one write path, so rows, history, timers and the audit chain are what
// `zgtflow serve` would have written), from several threads at once, with
// creation times spread over the last 40 days so deadlines vary (none falls
// due during the benchmark). Ids are "<prefix><6 digits>"; one case in ten is
// also submitted (two history entries, another state).
// Usage: zgt_web_load --db URL --cases N [--workflows DIR] [--calendars DIR]
//                     [--threads T] [--prefix bench-]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dsl/compile.h"
#include "engine/calendar/calendar_json.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/open/open_store.h"

namespace {

using namespace zgtflow;

thread_local int64_t tl_offset_ms = 0;

// The wall clock shifted by a per-thread offset, so each case is created at
// its own instant in the past.
class ShiftedClock final : public runtime::Clock {
 public:
  int64_t NowMs() const override { return wall_.NowMs() - tl_offset_ms; }

 private:
  runtime::SystemClock wall_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, workflows = "workflows", calendars = "calendars", prefix = "bench-";
  long cases = 0;
  int threads = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--db") db = value;
    else if (flag == "--cases") cases = std::atol(value.c_str());
    else if (flag == "--workflows") workflows = value;
    else if (flag == "--calendars") calendars = value;
    else if (flag == "--threads") threads = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--prefix") prefix = value;
    else { std::cerr << "zgt_web_load: unknown flag " << flag << "\n"; return 2; }
  }
  if (db.empty() || cases <= 0) {
    std::cerr << "usage: zgt_web_load --db URL --cases N [--workflows DIR] [--threads T]\n";
    return 2;
  }
  std::vector<dsl::SourceFile> sources;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(workflows, ec)) {
    if (entry.path().extension() == ".flow") {
      sources.push_back({entry.path().string(), Read(entry.path().string())});
    }
  }
  // The same order as `zgtflow serve` reads them does not matter: versions
  // are content hashes of each workflow's own text.
  dsl::CompileResult compiled = dsl::Compile(sources);
  if (!compiled.ok()) {
    std::cerr << "zgt_web_load: the workflows of " << workflows << " do not compile\n";
    return 1;
  }
  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(db);
  if (!opened.ok()) {
    std::cerr << "zgt_web_load: " << opened.status().message() << "\n";
    return 1;
  }
  store::Store& store = **opened;
  Result<calendar::Calendar> cal = calendar::ParseCalendarJson(Read(calendars + "/cn-mainland.json"));
  runtime::DefinitionRegistry registry(&store);
  ShiftedClock clock;
  Status deployed = registry.Deploy(compiled, clock.NowMs());
  if (!deployed.ok()) {
    std::cerr << "zgt_web_load: deploy: " << deployed.message() << "\n";
    return 1;
  }
  runtime::CaseRunner runner(&store, &registry, &clock, cal.ok() ? &*cal : nullptr);

  auto start = std::chrono::steady_clock::now();
  std::atomic<long> next{0}, failures{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (long i = next++; i < cases; i = next++) {
        char id[64];
        std::snprintf(id, sizeof id, "%s%06ld", prefix.c_str(), i);
        // Spread over 40 days (deterministic per case).
        tl_offset_ms = (i * 7919) % (40LL * 24 * 3600 * 1000);
        runtime::Parties parties = {{"project_company", {"项目公司"}},
                                    {"ecosystem_unit", {"合作公司" + std::to_string(i % 100)}}};
        std::string data = "{\"subject\":\"整改事项 " + std::to_string(i) +
                           "\",\"findings\":\"基准测试数据\"}";
        Result<runtime::CaseView> view =
            runner.Create("rectification", "management_unit", "管理单位", data, parties, "", id);
        if (!view.ok() || !view->accepted()) {
          if (failures++ < 5) {
            std::cerr << "zgt_web_load: " << id << ": "
                      << (view.ok() ? view->rejection->message : view.status().message()) << "\n";
          }
          continue;
        }
        if (i % 10 == 0) {
          tl_offset_ms -= 3600 * 1000;
          core::Input submit = core::Input::Event("submit", "project_company");
          submit.actor_party = "项目公司";
          Result<runtime::CaseView> moved = runner.Submit(id, submit);
          if (!moved.ok() || !moved->accepted()) ++failures;
        }
        long done = i + 1;
        if (done % 10000 == 0) std::cerr << "zgt_web_load: " << done << " cases\n";
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("loaded %ld cases in %.1f s (%.0f cases/s), %ld failures\n", cases, seconds,
              cases / seconds, failures.load());
  return failures.load() == 0 ? 0 : 1;
}
