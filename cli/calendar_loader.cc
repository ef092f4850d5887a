// Calendar lookup: an explicit folder, the working directory, then the source
// tree next to the binary, so `zgtflow eval` works from anywhere in a checkout.
#include "cli/calendar_loader.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "cli/files.h"
#include "engine/calendar/calendar_json.h"

namespace zgtflow::cli {

namespace fs = std::filesystem;

namespace {

// calendars/ folders above the running binary (build-x/cli/zgtflow lives two
// levels below the project root).
std::vector<std::string> FoldersNearBinary() {
  std::vector<std::string> folders;
  std::error_code error;
  fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (error) return folders;
  for (fs::path p = binary.parent_path(); !p.empty(); p = p.parent_path()) {
    fs::path candidate = p / "calendars";
    if (fs::is_directory(candidate, error)) folders.push_back(candidate.string());
    if (p == p.root_path()) break;
  }
  return folders;
}

}  // namespace

Result<calendar::Calendar> LoadCalendar(const std::string& name, const std::string& dir) {
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') {
    return Status::InvalidArgument("bad calendar name '" + name + "'");
  }
  std::vector<std::string> folders;
  if (!dir.empty()) {
    folders.push_back(dir);
  } else {
    folders.push_back("calendars");
    for (const std::string& folder : FoldersNearBinary()) folders.push_back(folder);
  }
  std::string looked;
  for (const std::string& folder : folders) {
    std::string path = JoinPath(folder, name + ".json");
    Result<std::string> text = ReadFile(path);
    if (!text.ok()) {
      looked += (looked.empty() ? "" : ", ") + path;
      continue;
    }
    Result<calendar::Calendar> parsed = calendar::ParseCalendarJson(text.value());
    if (!parsed.ok()) {
      return Status::InvalidArgument(path + ": " + parsed.status().message());
    }
    return parsed;
  }
  return Status::NotFound("calendar '" + name + "' not found (looked for " + looked + ")");
}

}  // namespace zgtflow::cli
