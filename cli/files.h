// The CLI's file access: read and write whole files, and expand folders given
// on the command line into the .flow / .scenario files they hold. The only
// file I/O of the front end lives here (dsl/ reads nothing itself).
#pragma once

#include <string>
#include <vector>

#include "dsl/source.h"
#include "engine/base/status.h"

namespace zgtflow::cli {

// The whole file as bytes. NotFound when it does not exist, Unavailable when
// it cannot be read (a folder, no permission).
Result<std::string> ReadFile(const std::string& path);

// The file read into a SourceFile whose path is `path` as given.
Result<dsl::SourceFile> ReadSource(const std::string& path);

// Replaces the file's content with `text` (written to a temporary file next
// to it, then renamed, so a failed write leaves the old file intact).
Status WriteFile(const std::string& path, const std::string& text);

// Every path as given when it names a file (whatever its extension); for a
// folder, the files directly inside it whose names end in `extension`
// (".flow"), hidden files skipped. The result is sorted by path and free of
// duplicates. NotFound for a path that does not exist.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths,
                                             const std::string& extension);

// "FOLDER/roles.flow" when the folder holding `path` has one, else "".
// Roles are declared once per folder (examples/roles.flow), so a workflow
// file compiled on its own needs its folder's roles file with it.
std::string RolesFileNextTo(const std::string& path);

// The folder holding `path` ("." for a bare file name).
std::string ParentFolder(const std::string& path);

// Joins a folder and a file name with one '/'.
std::string JoinPath(const std::string& folder, const std::string& name);

}  // namespace zgtflow::cli
