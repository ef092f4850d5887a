// `zgtflow migrate --db URL --workflow ID --from VERSION --to VERSION
// [--map OLD=NEW …] [--default FIELD=VALUE …] [--case ID …] [--dry-run]`:
// moves the running cases of one version to another with an explicit state
// map, giving fields a case has no value for (a new required field) the
// defaults named (engine/core/migration.h says what is checked). Every case
// is planned first; when any cannot move, nothing is written. Then each case
// is one revision-checked transaction with a hash-chained history entry
// recording the migration. Exit 0 done (or a dry run that could be done),
// 1 refused, 2 bad arguments or store.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/calendar_loader.h"
#include "cli/commands.h"
#include "cli/versions.h"
#include "engine/core/payload.h"
#include "engine/runtime/case_migration.h"
#include "engine/runtime/json_codec.h"
#include "engine/store/open/open_store.h"

namespace zgtflow::cli {

namespace {

constexpr int kDone = 0;
constexpr int kRefused = 1;
constexpr int kError = 2;
constexpr int kAttempts = 5;  // Plans of one case when steps keep changing it.

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// `--default FIELD=VALUE` as a field name and an untyped value: VALUE as
// JSON when it is JSON (3, true, "3", {"name": …}), else as text (2026-05-02,
// 张三), so a user seldom needs JSON quotes. Checked against `to`'s field.
Status ParseDefault(const std::string& pair, const model::Workflow& to, model::Object* defaults) {
  const size_t eq = pair.find('=');
  const std::string name = eq == std::string::npos ? "" : pair.substr(0, eq);
  if (name.empty()) return Status::InvalidArgument("expected FIELD=VALUE");
  const std::string text = pair.substr(eq + 1);
  const int field = to.FindField(name);
  if (field < 0) {
    return Status::InvalidArgument(to.id + "@" + to.VersionHex() + " has no field '" + name + "'");
  }
  if (defaults->count(name)) return Status::InvalidArgument("'" + name + "' is given twice");
  try {
    (void)nlohmann::json(text).dump();  // Throws on bytes that are not UTF-8.
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument("the value is not valid UTF-8");
  }
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  model::Value value = model::Value::Text(text);
  if (!parsed.is_discarded()) {
    Result<model::Value> decoded = runtime::ValueFromJson(parsed);
    if (!decoded.ok()) return decoded.status();
    value = std::move(decoded).value();
  }
  if (value.is_null()) return Status::InvalidArgument("a default needs a value, not null");
  Result<model::Value> typed = core::TypePayloadValue(to.fields[field].type, value);
  if (!typed.ok()) {
    return Status::InvalidArgument("field '" + name + "': " + typed.status().message());
  }
  (*defaults)[name] = std::move(value);
  return Status::Ok();
}

}  // namespace

CLI::App* AddMigrate(CLI::App& app, MigrateOptions& options) {
  CLI::App* command = app.add_subcommand(
      "migrate", "Move running cases to another version of their workflow with a checked state map");
  command->add_option("--db", options.db,
                      "Store URL: sqlite:FILE or postgresql://… (default sqlite:var/zgtflow.db)");
  command->add_option("--workflow", options.workflow, "Workflow id")->required();
  command->add_option("--from", options.from, "Version the cases are on (4+ hex digits)")->required();
  command->add_option("--to", options.to, "Version to move them to (4+ hex digits)")->required();
  command->add_option("--map", options.maps,
                      "OLD=NEW: cases in state OLD go to state NEW (repeatable; states not "
                      "named keep their name)");
  command->add_option("--default", options.defaults,
                      "FIELD=VALUE: the value of FIELD in every moved case that has none, such "
                      "as a field the new version requires (repeatable)");
  command->add_option("--case", options.cases, "Only these cases (repeatable; default all running)");
  command->add_flag("--dry-run", options.dry_run, "Show what would happen; write nothing");
  command->add_option("--actor", options.actor,
                      "Who migrates, recorded in the history (default management_unit)");
  command->add_option("--workflows", options.workflows_dir,
                      "Folder giving roles and started workflows (default workflows/)");
  command->add_option("--calendars", options.calendars_dir,
                      "Folder of calendar files (default: ./calendars, then the source tree's)");
  return command;
}

int RunMigrate(const MigrateOptions& options) {
  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(options.db);
  if (!opened.ok()) {
    std::cerr << "zgtflow migrate: " << opened.status().message() << "\n";
    return kError;
  }
  store::Store& db = *opened.value();
  runtime::DefinitionRegistry versions(nullptr);
  std::vector<std::string> warnings;
  Status loaded = LoadStoredVersions(db, ReadContext(options.workflows_dir), &versions, &warnings);
  for (const std::string& warning : warnings) std::cerr << "zgtflow migrate: warning: " << warning << "\n";
  if (!loaded.ok()) {
    std::cerr << "zgtflow migrate: " << loaded.message() << "\n";
    return kError;
  }
  Result<std::shared_ptr<const model::Workflow>> from = FindVersion(versions, options.workflow, options.from);
  Result<std::shared_ptr<const model::Workflow>> to = FindVersion(versions, options.workflow, options.to);
  for (const auto* found : {&from, &to}) {
    if (!found->ok()) {
      std::cerr << "zgtflow migrate: " << found->status().message() << "\n";
      return kError;
    }
  }
  const model::Workflow& a = **from;
  const model::Workflow& b = **to;
  if (a.version == b.version) {
    std::cerr << "zgtflow migrate: --from and --to are the same version\n";
    return kError;
  }

  // The map itself: every OLD a state of FROM, every NEW a state of TO.
  core::StateMap map;
  for (const std::string& pair : options.maps) {
    const size_t eq = pair.find('=');
    const std::string old_name = eq == std::string::npos ? "" : pair.substr(0, eq);
    const std::string new_name = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (old_name.empty() || new_name.empty()) {
      std::cerr << "zgtflow migrate: --map " << pair << ": expected OLD=NEW\n";
      return kError;
    }
    if (a.FindState(old_name) <= 0) {
      std::cerr << "zgtflow migrate: --map " << pair << ": " << a.id << "@" << a.VersionHex()
                << " has no state '" << old_name << "'\n";
      return kError;
    }
    if (b.FindState(new_name) <= 0) {
      std::cerr << "zgtflow migrate: --map " << pair << ": " << b.id << "@" << b.VersionHex()
                << " has no state '" << new_name << "'\n";
      return kError;
    }
    if (map.count(old_name) && map[old_name] != new_name) {
      std::cerr << "zgtflow migrate: --map maps '" << old_name << "' twice\n";
      return kError;
    }
    map[old_name] = new_name;
  }

  model::Object defaults;
  for (const std::string& pair : options.defaults) {
    if (Status parsed = ParseDefault(pair, b, &defaults); !parsed.ok()) {
      std::cerr << "zgtflow migrate: --default " << pair << ": " << parsed.message() << "\n";
      return kError;
    }
  }

  Result<calendar::Calendar> calendar = LoadCalendar(a.calendar, options.calendars_dir);
  if (!calendar.ok()) {
    std::cerr << "zgtflow migrate: warning: " << calendar.status().message()
              << " (timers in working days will fail)\n";
  }
  const calendar::Calendar* cal = calendar.ok() ? &calendar.value() : nullptr;

  // The cases: running ones on FROM (or the named ones, which must be).
  std::vector<std::string> ids;
  if (options.cases.empty()) {
    store::CaseFilter filter;
    filter.workflow = a.id;
    filter.limit = 0;
    Result<std::vector<store::CaseRow>> rows = db.ListCases(filter);
    if (!rows.ok()) {
      std::cerr << "zgtflow migrate: " << rows.status().message() << "\n";
      return kError;
    }
    for (const store::CaseRow& row : *rows) {
      if (row.version == a.VersionHex() && row.status == store::CaseStatus::kRunning) {
        ids.push_back(row.id);
      }
    }
    std::sort(ids.begin(), ids.end());
  } else {
    ids = options.cases;
  }

  // Plan every case; write nothing unless all can move.
  const int64_t now_ms = NowMs();
  std::vector<runtime::CaseMigration> plans;
  int refused = 0;
  for (const std::string& id : ids) {
    Result<runtime::CaseMigration> plan =
        runtime::PlanCaseMigration(db, a, b, id, map, options.actor, now_ms, cal, defaults);
    for (int attempt = 1; !plan.ok() && plan.status().code() == StatusCode::kConflict &&
                          attempt < kAttempts;
         ++attempt) {
      plan = runtime::PlanCaseMigration(db, a, b, id, map, options.actor, now_ms, cal, defaults);
    }
    if (!plan.ok()) {
      std::cerr << "zgtflow migrate: case " << id << ": " << plan.status().message() << "\n";
      ++refused;
      continue;
    }
    if (plan->refusal) {
      std::cerr << "zgtflow migrate: case " << id << " (in " << Join(plan->from_states)
                << ") cannot move: " << plan->refusal->code << ": " << plan->refusal->message
                << "\n";
      ++refused;
      continue;
    }
    plans.push_back(std::move(plan).value());
  }
  if (refused > 0) {
    std::cerr << "zgtflow migrate: " << refused << " of " << ids.size()
              << " cases cannot move; nothing was migrated\n";
    return kRefused;
  }

  const std::string target = b.id + "@" + b.VersionHex();
  int moved = 0;
  for (runtime::CaseMigration& plan : plans) {
    int cancelled = 0, scheduled = 0;
    for (const core::Effect& effect : plan.effects) {
      cancelled += effect.kind == core::EffectKind::kCancelTimer;
      scheduled += effect.kind == core::EffectKind::kScheduleTimer;
    }
    const std::string line = plan.case_id + ": " + Join(plan.from_states) + " -> " +
                             Join(plan.to_states) + " (timers: " + std::to_string(cancelled) +
                             " cancelled, " + std::to_string(scheduled) + " scheduled" +
                             (plan.defaulted.empty() ? "" : "; defaults: " + Join(plan.defaulted)) +
                             ")";
    if (options.dry_run) {
      std::cout << "would move " << line << "\n";
      continue;
    }
    Status status = runtime::CommitCaseMigration(db, plan);
    // A step committed since the plan: plan that case again on its new revision.
    for (int attempt = 1; status.code() == StatusCode::kConflict && attempt < kAttempts; ++attempt) {
      Result<runtime::CaseMigration> again =
          runtime::PlanCaseMigration(db, a, b, plan.case_id, map, options.actor, NowMs(), cal,
                                     defaults);
      if (!again.ok()) {
        status = again.status();
        break;
      }
      if (again->refusal) {
        status = Status(StatusCode::kFailedPrecondition,
                        "it moved on and now cannot move: " + again->refusal->message);
        break;
      }
      plan = std::move(again).value();
      status = runtime::CommitCaseMigration(db, plan);
    }
    if (!status.ok()) {
      std::cerr << "zgtflow migrate: case " << plan.case_id << " was not migrated: "
                << status.message() << "\n";
      continue;
    }
    ++moved;
    std::cout << "moved " << line << "\n";
  }
  if (options.dry_run) {
    std::cout << "dry run: " << plans.size() << " cases of " << a.id << "@" << a.VersionHex()
              << " would move to " << target << "; nothing was written\n";
    return kDone;
  }
  std::cout << "migrated " << moved << " of " << plans.size() << " cases of " << a.id << "@"
            << a.VersionHex() << " to " << target << "\n";
  return moved == static_cast<int>(plans.size()) ? kDone : kRefused;
}

}  // namespace zgtflow::cli
