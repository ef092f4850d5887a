// `zgtflow migrate` (and `zgtflow diff --db`) on a SQLite file: cases made on
// version 1 (by a runtime in this process, on the same file a server would
// use), version 2 deployed with `zgtflow deploy` and a state renamed; without
// a map nothing moves, a dry run writes nothing, the mapped migration moves
// every case, `zgtflow audit verify` passes, and the moved cases go on under
// version 2.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "dsl/compile.h"
#include "engine/calendar/calendar_json.h"
#include "engine/runtime/case_runner.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/definition_registry.h"
#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/cli/serve_process.h"

namespace zgtflow::testing {
namespace {

struct Stored {
  std::string version;
  std::string state;
  int64_t revision = 0;
};

Stored Read(const std::string& db, const std::string& id) {
  auto opened = store::OpenStore(db);
  REQUIRE(opened.ok());
  auto row = opened.value()->GetCase(id);
  REQUIRE(row.ok());
  return Stored{row->version, row->state, row->revision};
}

// The runtime `zgtflow serve` runs, in this process, on the store `db` with
// the workflows of `flows` deployed.
class LocalRuntime {
 public:
  LocalRuntime(const std::string& db, const std::string& flows) {
    auto opened = store::OpenStore(db);
    REQUIRE(opened.ok());
    store_ = std::move(opened).value();
    auto parsed = calendar::ParseCalendarJson(
        ReadText(std::string(ZGT_SOURCE_DIR) + "/calendars/cn-mainland.json"));
    REQUIRE(parsed.ok());
    calendar_ = std::make_unique<calendar::Calendar>(*parsed);
    registry_ = std::make_unique<runtime::DefinitionRegistry>(store_.get());
    std::vector<dsl::SourceFile> files;
    for (const char* name : {"roles.flow", "rectification.flow"}) {
      files.push_back({flows + "/" + name, ReadText(flows + "/" + name)});
    }
    dsl::CompileResult compiled = dsl::Compile(files);
    REQUIRE(compiled.ok());
    REQUIRE(registry_->Deploy(compiled, clock_.NowMs()).ok());
    runner_ = std::make_unique<runtime::CaseRunner>(store_.get(), registry_.get(), &clock_,
                                                    calendar_.get());
  }

  std::string Create() {
    auto view = runner_->Create("rectification", "management_unit", "",
                                R"({"subject": "平台稳定性未达标"})");
    REQUIRE(view.ok());
    REQUIRE(view->accepted());
    return view->row.id;
  }

  std::string Send(const std::string& id, const std::string& event, const std::string& role) {
    auto view = runner_->Submit(id, core::Input::Event(event, role));
    INFO(view.status().message());
    REQUIRE(view.ok());
    INFO((view->rejection ? view->rejection->code + ": " + view->rejection->message : ""));
    REQUIRE(view->accepted());
    return view->row.state;
  }

 private:
  runtime::SystemClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<calendar::Calendar> calendar_;
  std::unique_ptr<runtime::DefinitionRegistry> registry_;
  std::unique_ptr<runtime::CaseRunner> runner_;
};

// A store on a temporary folder holding version 1 of the shipped
// rectification, with one case waiting in rectifying and one in verifying.
struct OnVersion1 {
  TempDir dir;
  std::string flows = dir.File("workflows");
  std::string db = "sqlite:" + dir.File("z.db");
  std::string waiting;
  std::string verifying;
  std::string v1;  // Their version.

  OnVersion1() {
    CopyWorkflows(flows, {"roles", "rectification"});
    LocalRuntime runtime(db, flows);
    waiting = runtime.Create();
    verifying = runtime.Create();
    CHECK(runtime.Send(verifying, "submit", "project_company") == "[\"verifying\"]");
    v1 = Read(db, waiting).version;
  }

  // Writes `text` as the rectification and deploys it with `zgtflow deploy`;
  // returns the new version.
  std::string DeployVersion(const std::string& text) const {
    WriteText(flows + "/rectification.flow", text);
    Run deploy = RunZgtflow({"deploy", "--db", db, "--workflows", flows});
    INFO(deploy.out << deploy.err);
    REQUIRE(deploy.status == 0);
    const size_t at = deploy.out.find("new        rectification@");
    REQUIRE(at != std::string::npos);
    return deploy.out.substr(at + 25, 16);
  }
};

TEST_CASE("migrate moves running cases with a checked state map, all or nothing", "[cli]") {
  const OnVersion1 c;
  const std::string &flows = c.flows, &db = c.db, &v1 = c.v1;
  const std::string &waiting = c.waiting, &verifying = c.verifying;

  // Version 2 renames verifying to reviewing.
  std::string text = ReadText(flows + "/rectification.flow");
  for (size_t at = text.find("verifying"); at != std::string::npos; at = text.find("verifying")) {
    text.replace(at, 9, "reviewing");
  }
  const std::string v2 = c.DeployVersion(text);
  REQUIRE(v2 != v1);

  Run diff = RunZgtflow({"diff", "rectification@" + v1, "rectification@" + v2.substr(0, 8),
                         "--db", db, "--workflows", flows});
  INFO(diff.out << diff.err);
  CHECK(diff.status == 1);
  CHECK(Contains(diff.out, "- state verifying"));
  CHECK(Contains(diff.out, "+ state reviewing"));
  CHECK(Contains(diff.out, "running cases on rectification@" + v1 + ": 2; 1 in states"));
  CHECK(Contains(diff.out, "  " + verifying + "  in verifying\n"));

  const std::vector<std::string> base = {"migrate", "--db", db, "--workflow", "rectification",
                                         "--from", v1, "--to", v2, "--workflows", flows};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return RunZgtflow(args);
  };

  Run unmapped = with({});
  INFO(unmapped.out << unmapped.err);
  CHECK(unmapped.status == 1);
  CHECK(Contains(unmapped.err, "case " + verifying + " (in verifying) cannot move: unmapped-state"));
  CHECK(Contains(unmapped.err, "1 of 2 cases cannot move; nothing was migrated"));
  CHECK(Read(db, waiting).version == v1);  // Not even the case that could move.
  CHECK(Read(db, waiting).revision == 1);

  Run bad_map = with({"--map", "verifying=nowhere"});
  CHECK(bad_map.status == 2);
  CHECK(Contains(bad_map.err, "has no state 'nowhere'"));

  Run dry = with({"--map", "verifying=reviewing", "--dry-run"});
  INFO(dry.out << dry.err);
  CHECK(dry.status == 0);
  CHECK(Contains(dry.out, "would move " + verifying + ": verifying -> reviewing"));
  CHECK(Contains(dry.out, "would move " + waiting +
                              ": rectifying -> rectifying (timers: 3 cancelled, 3 scheduled)"));
  CHECK(Contains(dry.out, "nothing was written"));
  CHECK(Read(db, verifying).version == v1);
  CHECK(Read(db, verifying).revision == 2);

  Run moved = with({"--map", "verifying=reviewing"});
  INFO(moved.out << moved.err);
  CHECK(moved.status == 0);
  CHECK(Contains(moved.out, "migrated 2 of 2 cases of rectification@" + v1));
  Stored after = Read(db, verifying);
  CHECK(after.version == v2);
  CHECK(after.state == "[\"reviewing\"]");
  CHECK(after.revision == 3);
  CHECK(Read(db, waiting).version == v2);

  Run audit = RunZgtflow({"audit", "verify", "--db", db});
  INFO(audit.out << audit.err);
  CHECK(audit.status == 0);
  Run again = with({"--map", "verifying=reviewing"});  // Nothing left on v1.
  CHECK(again.status == 0);
  CHECK(Contains(again.out, "migrated 0 of 0 cases"));

  // The moved cases go on under version 2.
  LocalRuntime on_v2(db, flows);
  CHECK(on_v2.Send(verifying, "accept", "management_unit") == "[\"closed\"]");
  CHECK(on_v2.Send(waiting, "submit", "project_company") == "[\"reviewing\"]");
  CHECK(RunZgtflow({"audit", "verify", "--db", db}).status == 0);
}

TEST_CASE("migrate --default gives a field the new version requires to the cases without one",
          "[cli]") {
  const OnVersion1 c;
  const std::string &flows = c.flows, &db = c.db, &v1 = c.v1;
  const std::string &waiting = c.waiting, &verifying = c.verifying;

  // Version 2: a revised measure names who is responsible, and when the
  // notice was received, for every rectification.
  std::string text = ReadText(flows + "/rectification.flow");
  const std::string subject_line = "subject            text      \"整改事项\"      required\n";
  const size_t at = text.find(subject_line);
  REQUIRE(at != std::string::npos);
  text.insert(at + subject_line.size(),
              "    responsible        text      \"整改责任人\"    required\n"
              "    received           date      \"收到通知日期\"  required\n");
  const std::string v2 = c.DeployVersion(text);

  auto migrate = [&](std::vector<std::string> more) {
    std::vector<std::string> args = {"migrate", "--db", db, "--workflow", "rectification",
                                     "--from", v1, "--to", v2, "--workflows", flows};
    args.insert(args.end(), more.begin(), more.end());
    return RunZgtflow(args);
  };

  // Without a value for the new required fields, no case moves.
  Run missing = migrate({"--default", "responsible=李工"});
  INFO(missing.out << missing.err);
  CHECK(missing.status == 1);
  CHECK(Contains(missing.err, "cannot move: missing-field: field 'received' is required"));
  CHECK(Read(db, waiting).version == v1);

  // Bad defaults are refused before any case is planned.
  Run unknown = migrate({"--default", "nobody=1"});
  CHECK(unknown.status == 2);
  CHECK(Contains(unknown.err,
                 "--default nobody=1: rectification@" + v2 + " has no field 'nobody'"));
  Run bad_date = migrate({"--default", "responsible=李工", "--default", "received=yesterday"});
  CHECK(bad_date.status == 2);
  CHECK(Contains(bad_date.err, "--default received=yesterday: field 'received':"));
  Run no_value = migrate({"--default", "received=null"});
  CHECK(no_value.status == 2);
  CHECK(Contains(no_value.err, "a default needs a value"));
  Run not_utf8 = migrate({"--default", "responsible=\xff\xfe"});
  CHECK(not_utf8.status == 2);
  CHECK(Contains(not_utf8.err, "not valid UTF-8"));
  Run twice = migrate({"--default", "responsible=a", "--default", "responsible=b"});
  CHECK(twice.status == 2);
  CHECK(Contains(twice.err, "'responsible' is given twice"));

  const std::vector<std::string> both = {"--default", "responsible=李工", "--default",
                                         "received=2026-12-01"};
  std::vector<std::string> dry_args = both;
  dry_args.push_back("--dry-run");
  Run dry = migrate(dry_args);
  INFO(dry.out << dry.err);
  CHECK(dry.status == 0);
  CHECK(Contains(dry.out, "would move " + verifying + ": verifying -> verifying (timers: 0 "
                          "cancelled, 0 scheduled; defaults: responsible,received)"));
  CHECK(Read(db, verifying).version == v1);

  Run moved = migrate(both);
  INFO(moved.out << moved.err);
  CHECK(moved.status == 0);
  CHECK(Contains(moved.out, "migrated 2 of 2 cases"));
  auto opened = store::OpenStore(db);
  REQUIRE(opened.ok());
  auto row = opened.value()->GetCase(verifying);
  REQUIRE(row.ok());
  CHECK(row->version == v2);
  CHECK(Contains(row->data, "\"responsible\":\"李工\""));
  CHECK(Contains(row->data, "\"received\":{\"$date\":\"2026-12-01\"}"));
  CHECK(Contains(row->data, "\"subject\":\"平台稳定性未达标\""));  // Kept as it was.
  auto history = opened.value()->GetHistory(verifying);
  REQUIRE(history.ok());
  CHECK(Contains(history->back().input, "\"defaults\""));
  CHECK(Contains(history->back().effects, "responsible = 李工"));
  opened.value().reset();

  // The hash chain holds, and the moved cases go on under version 2.
  Run audit = RunZgtflow({"audit", "verify", "--db", db});
  INFO(audit.out << audit.err);
  CHECK(audit.status == 0);
  LocalRuntime on_v2(db, flows);
  CHECK(on_v2.Send(verifying, "accept", "management_unit") == "[\"closed\"]");
}

}  // namespace
}  // namespace zgtflow::testing
