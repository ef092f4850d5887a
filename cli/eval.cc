// `zgtflow eval [--calendar NAME] [--at TIMESTAMP] EXPR`: compile one
// expression and evaluate it at `--at` (default: now, the only place the CLI
// reads the clock) against a working-day calendar. Prints the value.
#include <chrono>
#include <iostream>
#include <string>

#include "cli/calendar_loader.h"
#include "cli/commands.h"
#include "cli/report.h"
#include "dsl/compile.h"
#include "engine/calendar/instant.h"
#include "engine/core/eval.h"

namespace zgtflow::cli {

CLI::App* AddEval(CLI::App& app, EvalOptions& options) {
  CLI::App* command = app.add_subcommand(
      "eval", "Evaluate an expression, e.g. 'now + 5 working days'");
  command->add_option("expression", options.expression, "The expression")->required();
  command->add_option("--at", options.at,
                      "The value of `now`, e.g. 2025-09-26T10:00:00+08:00 (default: the current time)");
  command->add_option("--calendar", options.calendar, "Working-day calendar (default cn-mainland)");
  command->add_option("--calendars", options.calendars_dir,
                      "Folder of calendar files (default: ./calendars, then the source tree's)");
  return command;
}

int RunEval(const EvalOptions& options) {
  calendar::Instant now;
  if (options.at.empty()) {
    now.epoch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  } else {
    Result<calendar::Instant> at = calendar::ParseInstant(options.at);
    if (!at.ok()) {
      std::cerr << "zgtflow eval: bad --at '" << options.at << "': " << at.status().message()
                << "\n";
      return 1;
    }
    now = at.value();
  }

  Result<calendar::Calendar> calendar = LoadCalendar(options.calendar, options.calendars_dir);
  if (!calendar.ok()) {
    std::cerr << "zgtflow eval: " << calendar.status().message() << "\n";
    return 1;
  }

  dsl::Diagnostics diagnostics;
  Result<model::Expr> compiled =
      dsl::CompileExpression(dsl::SourceFile{"<expression>", options.expression}, &diagnostics);
  DiagnosticCounts counts = PrintDiagnostics(diagnostics, std::cerr);
  if (!compiled.ok()) {
    if (counts.errors == 0) std::cerr << compiled.status().message() << "\n";
    return 1;
  }

  core::EvalContext context;
  context.now = now;
  context.calendar = &calendar.value();
  Result<model::Value> value = core::Eval(compiled.value(), context);
  if (!value.ok()) {
    std::cerr << "<expression>: error: " << value.status().message() << "\n";
    return 1;
  }
  std::cout << value.value().ToDisplayString() << "\n";
  return 0;
}

}  // namespace zgtflow::cli
