// Test support for tests/cli: a running `zgtflow serve --listen 127.0.0.1:0`
// (the port read from its "serving … on http://HOST:PORT" line), killed with
// SIGKILL when the object goes away unless stopped before; and the helpers
// the version tests share (a copy of workflows/, an edited rectification).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/cli/run_binary.h"

extern char** environ;

namespace zgtflow::testing {

class ServeProcess {
 public:
  ServeProcess(const std::string& db_url, const std::string& out_path,
               const std::string& workflows = "workflows")
      : out_path_(out_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (out_path + ".err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, ZGT_SOURCE_DIR);
    std::vector<std::string> args = {ZGT_BINARY, "serve", "--db", db_url, "--workflows",
                                     workflows, "--listen", "127.0.0.1:0"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, ZGT_BINARY, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // The port once the server prints its URL; 0 when it exits or 20 s pass.
  int WaitForPort() {
    for (int i = 0; i < 2000 && pid_ > 0; ++i) {
      std::string out = ReadText(out_path_);
      size_t at = out.find("on http://127.0.0.1:");
      if (at != std::string::npos) {
        size_t start = at + std::string("on http://127.0.0.1:").size();
        size_t end = out.find(' ', start);
        if (end != std::string::npos) return std::stoi(out.substr(start, end - start));
      }
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  }

  // Sends a signal that does not stop the server (SIGHUP).
  void Notify(int signal) {
    if (pid_ > 0) kill(pid_, signal);
  }

  // Sends `signal` and returns the exit status (128 + signal when killed).
  int Signal(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  }

  std::string Output() const { return ReadText(out_path_) + ReadText(out_path_ + ".err"); }

 private:
  std::string out_path_;
  pid_t pid_ = -1;
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
