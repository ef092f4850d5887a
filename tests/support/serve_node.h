// Test support for the delivery and fault tests: one `zgtflow serve` process
// with any arguments (stdout/stderr to files, started in the project root),
// its port read from the "serving … on http://127.0.0.1:PORT" line, killed
// with SIGKILL when the object goes away unless stopped before.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace zgtflow::testing {

class ServeNode {
 public:
  // Runs `zgtflow serve --listen 127.0.0.1:0 ARGS…`.
  ServeNode(const std::vector<std::string>& args, const std::string& out_path)
      : out_path_(out_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (out_path + ".err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, ZGT_SOURCE_DIR);
    std::vector<std::string> all = {ZGT_BINARY, "serve", "--listen", "127.0.0.1:0"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : all) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, ZGT_BINARY, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ServeNode() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ServeNode(const ServeNode&) = delete;
  ServeNode& operator=(const ServeNode&) = delete;

  // The port once the server prints its URL; 0 when it exits or `seconds` pass.
  int WaitForPort(int seconds = 30) {
    for (int i = 0; i < seconds * 100 && pid_ > 0; ++i) {
      std::string out = Read(out_path_);
      const std::string mark = "on http://127.0.0.1:";
      size_t at = out.find(mark);
      if (at != std::string::npos) {
        size_t end = out.find(' ', at + mark.size());
        if (end != std::string::npos) return std::stoi(out.substr(at + mark.size(), end - at - mark.size()));
      }
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  }

  // Sends a signal that does not stop the server (SIGHUP: reload).
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

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }  // -1 once stopped.
  std::string Stdout() const { return Read(out_path_); }
  std::string Output() const { return Read(out_path_) + Read(out_path_ + ".err"); }

 private:
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string out_path_;
  pid_t pid_ = -1;
};

}  // namespace zgtflow::testing
