// File reading, atomic rewriting and folder expansion for the CLI, with
// std::filesystem errors turned into Status (nothing throws out of here).
#include "cli/files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace zgtflow::cli {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return Status::NotFound(path + ": no such file");
  if (fs::is_directory(path, error)) {
    return Status(StatusCode::kUnavailable, path + ": is a folder, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kUnavailable, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(StatusCode::kUnavailable, path + ": read error");
  return text.str();
}

Result<dsl::SourceFile> ReadSource(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return dsl::SourceFile{path, std::move(text).value()};
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::string temporary = path + ".zgtflow-tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return Status(StatusCode::kUnavailable, path + ": cannot be written");
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return Status(StatusCode::kUnavailable, path + ": write error");
    }
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return Status(StatusCode::kUnavailable, path + ": " + error.message());
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths,
                                             const std::string& extension) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) return Status::NotFound(path + ": no such file or folder");
    if (!fs::is_directory(status)) {
      files.push_back(path);
      continue;
    }
    fs::directory_iterator it(path, error);
    if (error) return Status(StatusCode::kUnavailable, path + ": " + error.message());
    for (const fs::directory_entry& entry : it) {
      std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (name.size() <= extension.size() ||
          name.compare(name.size() - extension.size(), extension.size(), extension) != 0) {
        continue;
      }
      std::error_code ignored;
      if (!entry.is_regular_file(ignored)) continue;
      files.push_back(JoinPath(path, name));
    }
  }
  std::sort(files.begin(), files.end());
  // One file named twice ("examples/roles.flow", "./examples/roles.flow")
  // is kept once, under the first of its names.
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& file : files) {
    std::error_code error;
    fs::path canonical = fs::weakly_canonical(file, error);
    if (seen.insert(error ? file : canonical.string()).second) unique.push_back(file);
  }
  return unique;
}

std::string RolesFileNextTo(const std::string& path) {
  std::string roles = JoinPath(ParentFolder(path), "roles.flow");
  std::error_code error;
  return fs::is_regular_file(roles, error) ? roles : "";
}

std::string ParentFolder(const std::string& path) {
  std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

std::string JoinPath(const std::string& folder, const std::string& name) {
  if (folder.empty()) return name;
  if (folder.back() == '/') return folder + name;
  return folder + "/" + name;
}

}  // namespace zgtflow::cli
