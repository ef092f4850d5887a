// `zgtflow token issue --role ROLE [--party NAME] [--name LABEL] [--db URL]`:
// stores a new bearer token principal (only its SHA-256 is kept) and prints
// the token once on stdout. Exit 0 on success, 1 on failure.
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "engine/runtime/clock.h"
#include "engine/store/open/open_store.h"
#include "web/auth/auth.h"

namespace zgtflow::cli {

CLI::App* AddToken(CLI::App& app, TokenOptions& options) {
  CLI::App* command = app.add_subcommand("token", "Manage bearer tokens of the web API");
  command->require_subcommand(1);
  CLI::App* issue = command->add_subcommand(
      "issue", "Print a new bearer token for ROLE (and PARTY); only its hash is stored");
  issue->add_option("--role", options.role, "The role it acts in, e.g. management_unit")
      ->required();
  issue->add_option("--party", options.party, "The party (organisation) it acts for");
  issue->add_option("--name", options.name, "A label for the token (shown as the actor's name)");
  issue->add_option("--db", options.db,
                    "Store URL: sqlite:FILE or postgresql://… (default sqlite:var/zgtflow.db)");
  return command;
}

int RunToken(const TokenOptions& options) {
  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(options.db);
  if (!opened.ok()) {
    std::cerr << "zgtflow token issue: " << opened.status().message() << "\n";
    return 1;
  }
  runtime::SystemClock clock;
  web::auth::Auth auth(opened.value().get(), &clock);
  Result<std::string> token = auth.IssueToken(options.role, options.party, options.name);
  if (!token.ok()) {
    std::cerr << "zgtflow token issue: " << token.status().message() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace zgtflow::cli
