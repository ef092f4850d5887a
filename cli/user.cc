// `zgtflow user add --name NAME --role ROLE [--party P] [--db URL]`: stores a
// web user whose password is the first line of stdin, hashed with Argon2id.
// Exit 0 on success, 1 on failure (a taken name, a short password, …).
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "engine/runtime/clock.h"
#include "engine/store/open/open_store.h"
#include "web/auth/auth.h"

namespace zgtflow::cli {

CLI::App* AddUser(CLI::App& app, UserOptions& options) {
  CLI::App* command = app.add_subcommand("user", "Manage users of the web pages");
  command->require_subcommand(1);
  CLI::App* add = command->add_subcommand(
      "add", "Add a user; the password is read from the first line of stdin");
  add->add_option("--name", options.name, "User name (login)")->required();
  add->add_option("--role", options.role, "The role the user acts in")->required();
  add->add_option("--party", options.party, "The party (organisation) the user acts for");
  add->add_option("--db", options.db,
                  "Store URL: sqlite:FILE or postgresql://… (default sqlite:var/zgtflow.db)");
  return command;
}

int RunUser(const UserOptions& options) {
  std::string password;
  if (!std::getline(std::cin, password)) {
    std::cerr << "zgtflow user add: no password on stdin\n";
    return 1;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(options.db);
  if (!opened.ok()) {
    std::cerr << "zgtflow user add: " << opened.status().message() << "\n";
    return 1;
  }
  runtime::SystemClock clock;
  web::auth::Auth auth(opened.value().get(), &clock);
  Status added = auth.AddUser(options.name, options.role, options.party, password);
  if (!added.ok()) {
    std::cerr << "zgtflow user add: " << added.message() << "\n";
    return 1;
  }
  std::cout << "user " << options.name << " added (role " << options.role
            << (options.party.empty() ? "" : ", party " + options.party) << ")\n";
  return 0;
}

}  // namespace zgtflow::cli
