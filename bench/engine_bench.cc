// zgt_engine_bench: the standard 'app listing' workload (shared/bench/WORKLOAD.md)
// run in memory through core::Step, cases held by id as a runtime holds them.
// bench/run_engine_bench.sh runs it beside the XState peer; docs/performance.md.

#include <malloc.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/compile.h"
#include "engine/calendar/calendar.h"
#include "engine/calendar/calendar_json.h"
#include "engine/calendar/instant.h"
#include "engine/core/case_state.h"
#include "engine/core/input.h"
#include "engine/core/step.h"
#include "engine/model/value.h"
#include "engine/model/workflow.h"

namespace zgtflow::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string flow_path = std::string(ZGT_SOURCE_DIR) + "/bench/workflows/app_listing.flow";
  std::string calendar_path = std::string(ZGT_SOURCE_DIR) + "/calendars/cn-mainland.json";
  uint64_t n = 1000000;  // Workload A: whole cases, one after another.
  uint64_t m = 100000;   // Workload B: cases alive together.
  std::string mode = "all";
  bool json = false;
};

void Usage() {
  std::fprintf(stderr,
               "usage: zgt_engine_bench [--mode all|A|B] [--n N] [--m M] [--flow PATH]\n"
               "                        [--calendar PATH] [--json]\n");
}

bool ParseCount(const char* text, uint64_t* out) {
  char* end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || text[0] == '-') return false;
  *out = v;
  return true;
}

bool ParseOptions(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](const char** v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    const char* v = nullptr;
    if (a == "--json") {
      o->json = true;
    } else if (a == "--n" && next(&v)) {
      if (!ParseCount(v, &o->n)) return false;
    } else if (a == "--m" && next(&v)) {
      if (!ParseCount(v, &o->m)) return false;
    } else if (a == "--mode" && next(&v)) {
      o->mode = v;
      if (o->mode != "all" && o->mode != "A" && o->mode != "B") return false;
    } else if (a == "--flow" && next(&v)) {
      o->flow_path = v;
    } else if (a == "--calendar" && next(&v)) {
      o->calendar_path = v;
    } else {
      return false;
    }
  }
  return true;
}

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *text = s.str();
  return true;
}

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "zgt_engine_bench: %s\n", message.c_str());
  std::exit(1);
}

// "7,000,000".
std::string Grouped(uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// CPU time of this process: on a machine shared with compilers the wall
// time of the loop includes time the process was not running at all.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

int64_t ResidentBytes() {
  // /proc/self/statm: size resident shared text lib data dt, in pages.
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return -1;
  return resident * sysconf(_SC_PAGESIZE);
}

int64_t PeakResidentBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB.
}

// Bytes handed out by malloc and not yet freed: the heap the cases hold,
// without the page-granular noise of RSS.
int64_t HeapInUseBytes() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
#else
  return -1;
#endif
}

// The compiled workflow and everything a runtime would intern once: the
// inputs of the workload, the indices it verifies, the clock.
struct Bench {
  std::shared_ptr<const model::Workflow> workflow;
  calendar::Calendar calendar;
  core::StepClock clock;
  core::Input start_passed;  // tests_passed = true.
  core::Input start_failed;  // tests_passed = false (self-check).
  core::Input submit, review, reject, approve, list;
  int listed = -1, under_review = -1, approved = -1, draft = -1;
  int reviews = -1;
};

std::shared_ptr<const model::Workflow> CompileFlow(const std::string& path) {
  dsl::SourceFile file;
  file.path = path;
  if (!ReadFile(path, &file.text)) Fail("cannot read " + path);
  dsl::CompileResult compiled = dsl::Compile({file});
  for (const dsl::Diagnostic& d : compiled.diagnostics) std::fprintf(stderr, "%s\n", d.ToString().c_str());
  if (dsl::HasErrors(compiled.diagnostics)) Fail("the workflow does not compile");
  for (const auto& w : compiled.workflows) {
    if (w->id == "app_listing") return w;
  }
  Fail(path + " has no workflow app_listing");
}

void Setup(const Options& options, Bench* b) {
  b->workflow = CompileFlow(options.flow_path);
  std::string calendar_text;
  if (!ReadFile(options.calendar_path, &calendar_text)) Fail("cannot read " + options.calendar_path);
  Result<calendar::Calendar> cal = calendar::ParseCalendarJson(calendar_text);
  if (!cal.ok()) Fail("calendar: " + cal.status().message());
  b->calendar = std::move(cal).value();
  Result<calendar::Instant> now = calendar::ParseInstant("2026-11-27T09:00:00+08:00");
  if (!now.ok()) Fail("clock: " + now.status().message());
  b->clock.now = now.value();  // Fixed: the workflow has no timers.
  b->clock.calendar = &b->calendar;

  b->start_passed = core::Input::Start("applicant", {{"tests_passed", model::Value::Bool(true)}});
  b->start_failed = core::Input::Start("applicant", {{"tests_passed", model::Value::Bool(false)}});
  b->submit = core::Input::Event("submit", "applicant");
  b->review = core::Input::Event("review", "applicant");
  b->reject = core::Input::Event("reject", "applicant");
  b->approve = core::Input::Event("approve", "applicant");
  b->list = core::Input::Event("list", "applicant");

  const model::Workflow& w = *b->workflow;
  b->listed = w.FindState("listed");
  b->under_review = w.FindState("under_review");
  b->approved = w.FindState("approved");
  b->draft = w.FindState("draft");
  b->reviews = w.FindField("reviews");
  if (b->listed < 0 || b->under_review < 0 || b->approved < 0 || b->draft < 0 || b->reviews < 0) {
    Fail("the workflow lacks a state or field of the workload");
  }
}

bool InState(const core::CaseState& s, int state) {
  return std::find(s.active.begin(), s.active.end(), static_cast<uint16_t>(state)) != s.active.end();
}

double Reviews(const Bench& b, const core::CaseState& s) {
  const model::Value& v = s.data[static_cast<size_t>(b.reviews)];
  return v.kind() == model::Value::Kind::kNumber ? v.AsNumber() : -1;
}

core::CaseState NewCase(const Bench& b) {
  return core::NewCaseState(b.workflow->version, b.workflow->fields.size());
}

// Applies one input that must fire; exits with the rejection otherwise.
void MustStep(const Bench& b, core::CaseState& state, const core::Input& input) {
  core::StepResult r = core::Step(*b.workflow, state, input, b.clock);
  if (r.rejection) {
    Fail("'" + input.event + "' was refused: " + r.rejection->code + ": " + r.rejection->message);
  }
  state = std::move(r.next);
}

// WORKLOAD.md's self-check, before anything is timed. An event the workflow
// does not take in the current state is a Rejection with no change: that is
// what "ignored" means for zgtflow.
void SelfCheck(const Bench& b) {
  core::CaseState s = NewCase(b);
  MustStep(b, s, b.start_failed);
  MustStep(b, s, b.submit);
  MustStep(b, s, b.review);
  core::StepResult refused = core::Step(*b.workflow, s, b.approve, b.clock);
  if (!refused.rejection || refused.next != s) Fail("self-check: approve with tests_passed=false was not ignored");
  core::CaseState in_place = s;
  std::vector<core::Effect> effects;
  if (!core::StepInPlace(*b.workflow, in_place, b.approve, b.clock, effects) || in_place != s ||
      !effects.empty()) {
    Fail("self-check: a refused StepInPlace changed the case");
  }
  if (!InState(s, b.under_review) || Reviews(b, s) != 1) {
    Fail("self-check: tests_passed=false did not stay in under_review with reviews == 1");
  }

  core::CaseState n = NewCase(b);
  MustStep(b, n, b.start_passed);
  if (!InState(n, b.draft) || Reviews(b, n) != 0) Fail("self-check: a new case is not in draft with reviews == 0");
  core::StepResult ignored = core::Step(*b.workflow, n, b.list, b.clock);
  if (!ignored.rejection || ignored.next != n) Fail("self-check: 'list' in draft was not ignored");
  for (const core::Input* in : {&b.submit, &b.review, &b.reject, &b.submit, &b.review, &b.approve, &b.list}) {
    MustStep(b, n, *in);
  }
  if (!InState(n, b.listed) || n.status != core::CaseStatus::kCompleted || Reviews(b, n) != 2) {
    Fail("self-check: a normal case did not end in listed with reviews == 2");
  }
}

struct ResultA {
  uint64_t n = 0;
  double seconds = 0;      // Wall (steady_clock).
  double per_second = 0;
  double cpu_seconds = 0;  // CPU time of the process over the same loop.
  double per_cpu_second = 0;
};

// Workload A: create → 7 events, each routed by id → verify → erase.
ResultA RunA(const Bench& b, uint64_t n) {
  const core::Input* events[7] = {&b.submit, &b.review, &b.reject, &b.submit,
                                  &b.review, &b.approve, &b.list};
  std::unordered_map<uint64_t, core::CaseState> cases;
  const model::Workflow& w = *b.workflow;
  // One effects buffer for the whole run, as a runtime that applies a step's
  // effects and then takes the next input reuses it (core::StepInPlace).
  std::vector<core::Effect> effects;
  const double cpu0 = CpuSeconds();
  Clock::time_point t0 = Clock::now();
  for (uint64_t id = 1; id <= n; ++id) {
    auto created = cases.emplace(id, NewCase(b));
    std::optional<core::Rejection> refused =
        core::StepInPlace(w, created.first->second, b.start_passed, b.clock, effects);
    if (refused) Fail("A: start refused: " + refused->code);
    for (const core::Input* input : events) {
      auto it = cases.find(id);
      refused = core::StepInPlace(w, it->second, *input, b.clock, effects);
      if (refused) Fail("A: case " + std::to_string(id) + ": '" + input->event + "' refused: " + refused->code);
    }
    auto it = cases.find(id);
    if (it->second.status != core::CaseStatus::kCompleted || !InState(it->second, b.listed) ||
        Reviews(b, it->second) != 2) {
      Fail("A: case " + std::to_string(id) + " did not end in listed with reviews == 2");
    }
    cases.erase(it);
  }
  ResultA out;
  out.n = n;
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  out.cpu_seconds = CpuSeconds() - cpu0;
  out.per_second = out.seconds > 0 ? 7.0 * static_cast<double>(n) / out.seconds : 0;
  out.per_cpu_second = out.cpu_seconds > 0 ? 7.0 * static_cast<double>(n) / out.cpu_seconds : 0;
  return out;
}

struct ResultB {
  uint64_t m = 0;
  double seconds = 0;
  double cases_per_second = 0;
  double rss_per_case = 0;
  double heap_per_case = 0;
  int64_t rss_delta = 0;
};

// Workload B: M cases alive together, each moved submit, review, approve.
ResultB RunB(const Bench& b, uint64_t m) {
  const core::Input* events[3] = {&b.submit, &b.review, &b.approve};
  const model::Workflow& w = *b.workflow;
  ResultB out;
  out.m = m;
  const int64_t rss_before = ResidentBytes();
  const int64_t heap_before = HeapInUseBytes();
  // Not reserved: a runtime does not know how many cases will come, and the
  // buckets it grows are part of what each live case costs.
  auto* cases = new std::unordered_map<uint64_t, core::CaseState>();
  std::vector<core::Effect> effects;  // Reused, as in RunA.
  Clock::time_point t0 = Clock::now();
  for (uint64_t id = 1; id <= m; ++id) {
    auto created = cases->emplace(id, NewCase(b));
    std::optional<core::Rejection> refused =
        core::StepInPlace(w, created.first->second, b.start_passed, b.clock, effects);
    if (refused) Fail("B: start refused: " + refused->code);
    for (const core::Input* input : events) {
      auto it = cases->find(id);
      refused = core::StepInPlace(w, it->second, *input, b.clock, effects);
      if (refused) Fail("B: case " + std::to_string(id) + ": '" + input->event + "' refused: " + refused->code);
    }
  }
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (const auto& [id, s] : *cases) {
    if (!InState(s, b.approved) || Reviews(b, s) != 1) Fail("B: case " + std::to_string(id) + " is not in approved");
  }
  if (cases->size() != m) Fail("B: cases lost");
  const int64_t rss_after = ResidentBytes();
  const int64_t heap_after = HeapInUseBytes();
  out.rss_delta = rss_after - rss_before;
  if (m > 0) {
    out.cases_per_second = out.seconds > 0 ? static_cast<double>(m) / out.seconds : 0;
    out.rss_per_case = static_cast<double>(out.rss_delta) / static_cast<double>(m);
    out.heap_per_case = heap_before >= 0 ? static_cast<double>(heap_after - heap_before) / static_cast<double>(m) : -1;
  }
  delete cases;
  return out;
}

int Main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    Usage();
    return 2;
  }
  Bench b;
  Setup(options, &b);
  SelfCheck(b);
  std::printf("zgtflow self-check: ok (tests_passed=false stays in under_review with reviews 1; "
              "a normal case ends in listed with reviews 2)\n");

  std::string json = "{\"engine\":\"zgtflow\",\"self_check\":\"ok\",\"sizeof_case_state\":" +
                     std::to_string(sizeof(core::CaseState));
  char buf[512];
  if (options.mode != "B") {
    ResultA a = RunA(b, options.n);
    std::printf("zgtflow A: %s transitions in %.2f s = %.2f M transitions/s (CPU %.2f s = %.2f M/s), "
                "peak RSS %.0f MB\n",
                Grouped(7 * a.n).c_str(), a.seconds, a.per_second / 1e6, a.cpu_seconds, a.per_cpu_second / 1e6,
                static_cast<double>(PeakResidentBytes()) / (1024.0 * 1024.0));
    std::snprintf(buf, sizeof buf,
                  ",\"A\":{\"n\":%llu,\"transitions\":%llu,\"seconds\":%.6f,\"transitions_per_s\":%.1f,"
                  "\"cpu_seconds\":%.6f,\"transitions_per_cpu_s\":%.1f}",
                  static_cast<unsigned long long>(a.n), static_cast<unsigned long long>(7 * a.n), a.seconds,
                  a.per_second, a.cpu_seconds, a.per_cpu_second);
    json += buf;
  }
  if (options.mode != "A") {
    ResultB r = RunB(b, options.m);
    std::printf("zgtflow B: %s live cases in approved, %.0f B per case (RSS delta %.1f MB; malloc'd %.0f B per case), "
                "sizeof(CaseState) %zu B; create + 3 transitions: %.2f M cases/s\n",
                Grouped(r.m).c_str(), r.rss_per_case, static_cast<double>(r.rss_delta) / (1024.0 * 1024.0),
                r.heap_per_case, sizeof(core::CaseState), r.cases_per_second / 1e6);
    std::snprintf(buf, sizeof buf,
                  ",\"B\":{\"m\":%llu,\"seconds\":%.6f,\"cases_per_s\":%.1f,\"rss_bytes_per_case\":%.1f,"
                  "\"heap_bytes_per_case\":%.1f,\"rss_delta_bytes\":%lld}",
                  static_cast<unsigned long long>(r.m), r.seconds, r.cases_per_second, r.rss_per_case,
                  r.heap_per_case, static_cast<long long>(r.rss_delta));
    json += buf;
  }
  json += ",\"peak_rss_bytes\":" + std::to_string(PeakResidentBytes()) + "}";
  if (options.json) std::printf("%s\n", json.c_str());
  return 0;
}

}  // namespace
}  // namespace zgtflow::bench

int main(int argc, char** argv) { return zgtflow::bench::Main(argc, argv); }
