// `zgtflow diff OLD NEW`: two .flow files compared (golden output), exit 0
// for the same behaviour, 1 for differences, 2 for errors; with --db, stored
// versions by WORKFLOW@VERSION and the running cases in states NEW lacks.
#include <catch2/catch.hpp>

#include <string>

#include "tests/cli/run_binary.h"
#include "tests/cli/serve_process.h"

namespace zgtflow::testing {
namespace {

std::string Golden(const std::string& name) {
  return ReadText(std::string(ZGT_SOURCE_DIR) + "/tests/cli/golden/" + name);
}

// FOLDER/old/{roles,rectification}.flow (a fixed copy of the rectification,
// so the golden versions stay put) and FOLDER/new/ (changed: verifying renamed
// reviewing, a required field, a reminder, a longer default limit).
void WriteVersions(const std::string& folder) {
  CopyWorkflows(folder + "/old", {"roles"});
  CopyWorkflows(folder + "/new", {"roles"});
  const std::string original = Golden("diff/rectification.flow");
  WriteText(folder + "/old/rectification.flow", original);
  std::string text = original;
  for (size_t at = text.find("verifying"); at != std::string::npos; at = text.find("verifying")) {
    text.replace(at, 9, "reviewing");
  }
  REQUIRE(ReplaceOnce(text, "    findings           text      \"问题描述\"\n",
                      "    findings           text      \"问题描述\"\n"
                      "    reviewer           text      \"复核人\"  required\n"));
  REQUIRE(ReplaceOnce(text, "    on accept by management_unit -> closed",
                      "    after 10 working days do notify management_unit \"请尽快验收：{subject}\"\n"
                      "    on accept by management_unit -> closed"));
  REQUIRE(ReplaceOnce(text, "limit              duration  \"整改期限\"      default 2 months",
                      "limit              duration  \"整改期限\"      default 3 months"));
  WriteText(folder + "/new/rectification.flow", text);
}

TEST_CASE("diff of two files prints each change and exits 1", "[cli]") {
  TempDir dir;
  WriteVersions(dir.path());
  Run run = RunZgtflow({"diff", "old/rectification.flow", "new/rectification.flow"}, dir.path());
  INFO(run.err);
  CHECK(run.status == 1);
  CHECK(run.out == Golden("diff_rectification.stdout"));
}

TEST_CASE("diff of the same behaviour exits 0, even when comments differ", "[cli]") {
  TempDir dir;
  WriteVersions(dir.path());
  Run same = RunZgtflow({"diff", "old/rectification.flow", "old/rectification.flow"}, dir.path());
  CHECK(same.status == 0);
  CHECK(Contains(same.out, "same version"));

  std::string text = ReadText(dir.File("old/rectification.flow"));
  REQUIRE(ReplaceOnce(text, "calendar cn-mainland", "calendar cn-mainland  # a comment"));
  WriteText(dir.File("new/rectification.flow"), text);
  Run comments = RunZgtflow({"diff", "old/rectification.flow", "new/rectification.flow"}, dir.path());
  CHECK(comments.status == 0);
  CHECK(Contains(comments.out, "no difference in behaviour"));
}

TEST_CASE("diff exits 2 for a missing file, a file with errors or a version without --db",
          "[cli]") {
  TempDir dir;
  WriteVersions(dir.path());
  CHECK(RunZgtflow({"diff", "old/rectification.flow", "new/none.flow"}, dir.path()).status == 2);
  std::string text = ReadText(dir.File("new/rectification.flow"));
  REQUIRE(ReplaceOnce(text, "-> closed", "-> closd"));
  WriteText(dir.File("new/rectification.flow"), text);
  Run broken = RunZgtflow({"diff", "old/rectification.flow", "new/rectification.flow"}, dir.path());
  CHECK(broken.status == 2);
  CHECK(Contains(broken.err, "new/rectification.flow:"));
  Run no_db = RunZgtflow({"diff", "rectification@1234", "new/rectification.flow"}, dir.path());
  CHECK(no_db.status == 2);
  CHECK(Contains(no_db.err, "needs --db"));
}

}  // namespace
}  // namespace zgtflow::testing
