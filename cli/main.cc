// Entry point only: argv → one subcommand (cli/commands.h) → exit status.
// Exit status: 0 success, 1 failure reported by the command, 2 bad usage,
// 3 an unexpected internal error (reported, never a crash).
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "engine/base/malloc_tuning.h"

namespace {

constexpr int kUsageError = 2;
constexpr int kInternalError = 3;

int Main(int argc, char** argv) {
  using namespace zgtflow::cli;
  CLI::App app{"zgtflow: workflows of the measures, as code", "zgtflow"};
  app.require_subcommand(1);
  app.fallthrough(false);

  CheckOptions check;
  FmtOptions fmt;
  GraphOptions graph;
  EvalOptions eval;
  TestOptions test;
  AuditOptions audit;
  ServeOptions serve;
  DeployOptions deploy;
  DiffOptions diff;
  MigrateOptions migrate;
  CLI::App* check_cmd = AddCheck(app, check);
  CLI::App* fmt_cmd = AddFmt(app, fmt);
  CLI::App* graph_cmd = AddGraph(app, graph);
  CLI::App* eval_cmd = AddEval(app, eval);
  CLI::App* test_cmd = AddTest(app, test);
  CLI::App* audit_cmd = AddAudit(app, audit);
  CLI::App* serve_cmd = AddServe(app, serve);
  CLI::App* deploy_cmd = AddDeploy(app, deploy);
  CLI::App* diff_cmd = AddDiff(app, diff);
  CLI::App* migrate_cmd = AddMigrate(app, migrate);
  TokenOptions token;
  UserOptions user;
  CLI::App* token_cmd = AddToken(app, token);
  CLI::App* user_cmd = AddUser(app, user);

  // CLI11 reports a mistyped subcommand as a missing one; name it instead.
  bool known = false;
  for (const CLI::App* command : {check_cmd, fmt_cmd, graph_cmd, eval_cmd, test_cmd, audit_cmd,
                                 serve_cmd, deploy_cmd, diff_cmd, migrate_cmd}) {
    if (argc > 1 && command->check_name(argv[1])) known = true;
  }
  for (const CLI::App* command : {token_cmd, user_cmd}) {
    if (argc > 1 && command->check_name(argv[1])) known = true;
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    std::cerr << "zgtflow: unknown subcommand '" << argv[1] << "'\n" << app.help();
    return kUsageError;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    // Usage errors: the message, then the usage of the subcommand at fault
    // (or of the whole program), and status 2 as POSIX utilities use.
    std::cerr << "zgtflow: " << e.what() << "\n";
    const CLI::App* at_fault = &app;
    for (const CLI::App* sub : app.get_subcommands()) at_fault = sub;
    std::cerr << at_fault->help();
    return kUsageError;
  }

  if (check_cmd->parsed()) return RunCheck(check);
  if (fmt_cmd->parsed()) return RunFmt(fmt);
  if (graph_cmd->parsed()) return RunGraph(graph);
  if (eval_cmd->parsed()) return RunEval(eval);
  if (test_cmd->parsed()) return RunTest(test);
  if (audit_cmd->parsed()) return RunAudit(audit);
  if (serve_cmd->parsed()) {
    zgtflow::RestartWithMallocTuning(argv);  // Before any thread starts (malloc_tuning.h).
    return RunServe(serve);
  }
  if (deploy_cmd->parsed()) return RunDeploy(deploy);
  if (diff_cmd->parsed()) return RunDiff(diff);
  if (migrate_cmd->parsed()) return RunMigrate(migrate);
  if (token_cmd->parsed()) return RunToken(token);
  if (user_cmd->parsed()) return RunUser(user);
  std::cerr << app.help();
  return kUsageError;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "zgtflow: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "zgtflow: internal error\n";
  }
  return kInternalError;
}
