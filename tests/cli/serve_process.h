// Test support for tests/cli: `zgtflow serve` on a store and a workflows
// folder (a ServeNode), and the helpers the version tests share (a copy of
// workflows/, an edited rectification, a bearer token).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/cli/run_binary.h"
#include "tests/support/serve_node.h"

namespace zgtflow::testing {

// `zgtflow serve --db DB_URL --workflows WORKFLOWS` (tests/support/serve_node.h).
class ServeProcess : public ServeNode {
 public:
  ServeProcess(const std::string& db_url, const std::string& out_path,
               const std::string& workflows = "workflows")
      : ServeNode({"--db", db_url, "--workflows", workflows}, out_path) {}
};

// Copies workflows/roles.flow and workflows/NAME.flow into FOLDER (created).
inline void CopyWorkflows(const std::string& folder, const std::vector<std::string>& names) {
  std::filesystem::create_directories(folder);
  for (const std::string& name : names) {
    std::filesystem::copy_file(std::string(ZGT_SOURCE_DIR) + "/workflows/" + name + ".flow",
                               folder + "/" + name + ".flow",
                               std::filesystem::copy_options::overwrite_existing);
  }
}

// Replaces the first `from` in `text` by `to`; false when `from` is absent.
inline bool ReplaceOnce(std::string& text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at == std::string::npos) return false;
  text.replace(at, from.size(), to);
  return true;
}

// rectification.flow with accept and reject swapped: accept ends in penalty.
inline std::string SwappedRectification(std::string text) {
  const std::string accept = "on accept by management_unit -> ";
  const std::string reject = "on reject by management_unit -> ";
  ReplaceOnce(text, accept + "closed", accept + "@");
  ReplaceOnce(text, reject + "penalty", reject + "closed");
  ReplaceOnce(text, accept + "@", accept + "penalty");
  return text;
}

// A bearer token for `role` on the store `db` (`zgtflow token issue`), or ""
// when this build has no such command (an API without authentication).
inline std::string IssueToken(const std::string& db, const std::string& role) {
  Run run = RunZgtflow({"token", "issue", "--role", role, "--db", db});
  if (run.status != 0) return "";
  std::string token = run.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

}  // namespace zgtflow::testing
