// The subcommands of the `zgtflow` binary. Each cli/<name>.cc registers its
// options on the CLI11 app (Add…) and runs the command once parsed (Run…),
// returning the process exit status: 0 success, 1 failure (diagnostics,
// failed scenarios, files to reformat), 2 bad usage (handled in main.cc).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace zgtflow::cli {

// `zgtflow check PATH…`
struct CheckOptions {
  std::vector<std::string> paths;  // Files and folders (folders → their *.flow).
};
CLI::App* AddCheck(CLI::App& app, CheckOptions& options);
int RunCheck(const CheckOptions& options);

// `zgtflow fmt [--check] PATH…`
struct FmtOptions {
  std::vector<std::string> paths;
  bool check = false;  // List the files that would change instead of rewriting them.
};
CLI::App* AddFmt(CLI::App& app, FmtOptions& options);
int RunFmt(const FmtOptions& options);

// `zgtflow graph FILE [--workflow ID] [--format dot|svg]`
struct GraphOptions {
  std::string file;
  std::string workflow;        // "" = the file's first workflow.
  std::string format = "dot";  // "dot" or "svg".
};
CLI::App* AddGraph(CLI::App& app, GraphOptions& options);
int RunGraph(const GraphOptions& options);

// `zgtflow eval [--calendar NAME] [--calendars DIR] [--at TIMESTAMP] EXPR`
struct EvalOptions {
  std::string expression;
  std::string calendar = "cn-mainland";
  std::string calendars_dir;  // "" = look for calendars/ (see calendar_loader.h).
  std::string at;             // "" = the current time.
};
CLI::App* AddEval(CLI::App& app, EvalOptions& options);
int RunEval(const EvalOptions& options);

// `zgtflow test [--workflows DIR] [--calendar NAME] [--calendars DIR] PATH…`
struct TestOptions {
  std::vector<std::string> paths;  // Files and folders (folders → their *.scenario).
  std::string workflows_dir = "workflows";
  bool workflows_dir_given = false;
  std::string calendar = "cn-mainland";
  std::string calendars_dir;
};
CLI::App* AddTest(CLI::App& app, TestOptions& options);
int RunTest(const TestOptions& options);

// `zgtflow audit verify [--db URL]`
struct AuditOptions {
  std::string db = "sqlite:var/zgtflow.db";
};
CLI::App* AddAudit(CLI::App& app, AuditOptions& options);
int RunAudit(const AuditOptions& options);

// `zgtflow serve [--db URL] [--workflows DIR] [--listen HOST:PORT] [--calendars DIR]`
// Runs until SIGINT/SIGTERM, then shuts down gracefully (exit 0).
struct ServeOptions {
  std::string db = "sqlite:var/zgtflow.db";
  std::string workflows_dir = "workflows";
  std::string listen = "127.0.0.1:8080";
  std::string calendars_dir;
  // Delivery (cli/serve_outbox.h, docs/operations.md).
  std::string node;             // Name in timer/outbox claims; "" = "<hostname>-<pid>".
  int64_t timer_lease_ms = 30000;  // How long a timer claim keeps other nodes off it.
  std::string routes;           // Notify routes JSON; "" = config/notify_routes.json.
  std::string webhook_url;      // "" = no webhook channel.
  std::string webhook_secret;   // "" = $ZGTFLOW_WEBHOOK_SECRET.
  int64_t webhook_timeout_ms = 5000;
  int outbox_attempts = 8;      // Dead letter after this many failed attempts.
  int64_t outbox_backoff_ms = 1000;  // Wait after the first failure (doubles, with jitter).
};
CLI::App* AddServe(CLI::App& app, ServeOptions& options);
int RunServe(const ServeOptions& options);

// `zgtflow token issue --role ROLE [--party NAME] [--name LABEL] [--db URL]`
struct TokenOptions {
  std::string role;
  std::string party;
  std::string name;
  std::string db = "sqlite:var/zgtflow.db";
};
CLI::App* AddToken(CLI::App& app, TokenOptions& options);
int RunToken(const TokenOptions& options);

// `zgtflow user add --name NAME --role ROLE [--party P] [--db URL]` (password on stdin)
struct UserOptions {
  std::string name;
  std::string role;
  std::string party;
  std::string db = "sqlite:var/zgtflow.db";
};
CLI::App* AddUser(CLI::App& app, UserOptions& options);
int RunUser(const UserOptions& options);

// `zgtflow deploy [--db URL] [--workflows DIR]`: stores DIR's new versions.
struct DeployOptions {
  std::string db = "sqlite:var/zgtflow.db";
  std::string workflows_dir = "workflows";
};
CLI::App* AddDeploy(CLI::App& app, DeployOptions& options);
int RunDeploy(const DeployOptions& options);

// `zgtflow diff OLD NEW [--db URL] [--workflow ID] [--workflows DIR]`:
// OLD/NEW are .flow files or WORKFLOW@VERSION (stored, with --db). Exit 0
// same, 1 differences, 2 error.
struct DiffOptions {
  std::string old_ref;
  std::string new_ref;
  std::string db;                    // "" = no store (files only, no running cases).
  std::string workflow;              // "" = the file's first workflow.
  std::string workflows_dir = "workflows";
};
CLI::App* AddDiff(CLI::App& app, DiffOptions& options);
int RunDiff(const DiffOptions& options);

// `zgtflow migrate --db URL --workflow ID --from V --to V [--map OLD=NEW …]
// [--default FIELD=VALUE …] [--case ID …] [--dry-run]`: moves running cases
// to another version.
struct MigrateOptions {
  std::string db = "sqlite:var/zgtflow.db";
  std::string workflow;
  std::string from;
  std::string to;
  std::vector<std::string> maps;     // "OLD=NEW".
  std::vector<std::string> defaults;  // "FIELD=VALUE": for cases without a value.
  std::vector<std::string> cases;    // Empty = every running case on `from`.
  bool dry_run = false;
  std::string actor = "management_unit";
  std::string workflows_dir = "workflows";
  std::string calendars_dir;
};
CLI::App* AddMigrate(CLI::App& app, MigrateOptions& options);
int RunMigrate(const MigrateOptions& options);

}  // namespace zgtflow::cli
