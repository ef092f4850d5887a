// Test support for tests/cli: runs the real zgtflow binary (ZGT_BINARY) in a
// given folder, capturing stdout, stderr and the exit status, and small file
// helpers for temporary folders and golden files.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

extern char** environ;

namespace zgtflow::testing {

struct Run {
  int status = -1;  // Exit status; 128 + signal when killed by one; -1 when not started.
  std::string out;
  std::string err;
};

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// A fresh folder under /tmp, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/zgtflow-cli-XXXXXX";
    char* made = mkdtemp(name);
    path_ = made != nullptr ? made : "/tmp";
  }
  ~TempDir() {
    std::error_code ignored;
    if (path_ != "/tmp") std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs `zgtflow ARGS…` with `cwd` as working directory (default: the project
// root, so paths like "examples/" are the ones a user types).
inline Run RunZgtflow(const std::vector<std::string>& args, const std::string& cwd = ZGT_SOURCE_DIR) {
  Run run;
  TempDir capture;
  std::string out_path = capture.File("stdout");
  std::string err_path = capture.File("stderr");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  std::vector<std::string> argv_strings = {ZGT_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  int spawned = posix_spawn(&pid, ZGT_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return run;
  int wait_status = 0;
  if (waitpid(pid, &wait_status, 0) < 0) return run;
  if (WIFEXITED(wait_status)) {
    run.status = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    run.status = 128 + WTERMSIG(wait_status);
  }
  run.out = ReadText(out_path);
  run.err = ReadText(err_path);
  return run;
}

// The golden file tests/cli/golden/NAME; with ZGT_UPDATE_GOLDEN=1 in the
// environment it is first rewritten with `actual` (then review the diff).
inline std::string Golden(const std::string& name, const std::string& actual) {
  std::string path = std::string(ZGT_SOURCE_DIR) + "/tests/cli/golden/" + name;
  const char* update = std::getenv("ZGT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") WriteText(path, actual);
  return ReadText(path);
}

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The last non-empty line of `text`.
inline std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  size_t newline = trimmed.rfind('\n');
  return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

}  // namespace zgtflow::testing
