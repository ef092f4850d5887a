// `zgtflow deploy` and the reload of a running `zgtflow serve` (issue 5,
// versions): new versions go to the store, a running server follows them (a
// poll, SIGHUP, POST /api/admin/reload); new cases start on the newest
// version, running cases stay on theirs. Real processes on SQLite files.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "engine/store/open/open_store.h"
#include "tests/cli/run_binary.h"
#include "tests/cli/serve_process.h"

namespace zgtflow::testing {
namespace {

using nlohmann::json;

constexpr const char* kCreate =
    R"({"workflow":"rectification","data":{"subject":"平台稳定性未达标"}})";

// The stored version of case `id`.
std::string VersionOf(const std::string& db, const std::string& id) {
  auto opened = store::OpenStore(db);
  REQUIRE(opened.ok());
  auto row = opened.value()->GetCase(id);
  REQUIRE(row.ok());
  return row->version;
}

// Requests as the management unit: with its bearer token when the API has
// authentication (IssueToken), without otherwise.
httplib::Headers ManagementUnit(const std::string& db) {
  std::string token = IssueToken(db, "management_unit");
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}

std::string CreateCase(httplib::Client& client, const httplib::Headers& headers) {
  auto created = client.Post("/api/cases", headers, kCreate, "application/json");
  REQUIRE(created);
  INFO(created->body);
  REQUIRE(created->status == 201);
  return json::parse(created->body)["id"].get<std::string>();
}

TEST_CASE("deploy stores new versions once and lists the unchanged ones", "[cli]") {
  TempDir dir;
  std::string flows = dir.File("workflows");
  CopyWorkflows(flows, {"roles", "rectification", "incident"});
  std::string db = "sqlite:" + dir.File("z.db");

  Run first = RunZgtflow({"deploy", "--db", db, "--workflows", flows});
  INFO(first.out << first.err);
  CHECK(first.status == 0);
  CHECK(Contains(first.out, "new        rectification@"));
  CHECK(Contains(first.out, "new        incident@"));
  CHECK(Contains(first.out, "deployed 2 new versions, 0 unchanged"));

  WriteText(flows + "/rectification.flow",
            SwappedRectification(ReadText(flows + "/rectification.flow")));
  Run second = RunZgtflow({"deploy", "--db", db, "--workflows", flows});
  INFO(second.out << second.err);
  CHECK(second.status == 0);
  CHECK(Contains(second.out, "new        rectification@"));
  CHECK(Contains(second.out, "unchanged  incident@"));
  CHECK(Contains(second.out, "deployed 1 new version, 1 unchanged"));

  auto opened = store::OpenStore(db);
  REQUIRE(opened.ok());
  auto rows = opened.value()->ListDefinitions();
  REQUIRE(rows.ok());
  CHECK(rows->size() == 3);
}

TEST_CASE("deploy refuses a folder with an error and stores nothing", "[cli]") {
  TempDir dir;
  std::string flows = dir.File("workflows");
  CopyWorkflows(flows, {"roles", "rectification"});
  std::string text = ReadText(flows + "/rectification.flow");
  REQUIRE(ReplaceOnce(text, "-> verifying", "-> verifyng"));
  WriteText(flows + "/rectification.flow", text);
  std::string db = "sqlite:" + dir.File("z.db");

  Run run = RunZgtflow({"deploy", "--db", db, "--workflows", flows});
  CHECK(run.status == 1);
  CHECK(Contains(run.err, flows + "/rectification.flow:"));
  CHECK(Contains(run.err, ": error: "));
  CHECK(Contains(run.err, "nothing was deployed"));
  auto opened = store::OpenStore(db);
  REQUIRE(opened.ok());
  auto rows = opened.value()->ListDefinitions();
  REQUIRE(rows.ok());
  CHECK(rows->empty());
}

TEST_CASE("deploy of an earlier text warns that the later version stays newest", "[cli]") {
  TempDir dir;
  std::string flows = dir.File("workflows");
  CopyWorkflows(flows, {"roles", "rectification"});
  std::string original = ReadText(flows + "/rectification.flow");
  std::string db = "sqlite:" + dir.File("z.db");
  REQUIRE(RunZgtflow({"deploy", "--db", db, "--workflows", flows}).status == 0);
  WriteText(flows + "/rectification.flow", SwappedRectification(original));
  REQUIRE(RunZgtflow({"deploy", "--db", db, "--workflows", flows}).status == 0);
  WriteText(flows + "/rectification.flow", original);
  Run back = RunZgtflow({"deploy", "--db", db, "--workflows", flows});
  CHECK(back.status == 1);
  CHECK(Contains(back.out, "unchanged  rectification@"));
  CHECK(Contains(back.err, "was deployed before"));
  CHECK(Contains(back.err, "new cases keep starting on"));
}

TEST_CASE("a running serve follows a deploy: new cases on the new version, old cases stay",
          "[cli]") {
  TempDir dir;
  std::string flows = dir.File("workflows");
  CopyWorkflows(flows, {"roles", "rectification"});
  std::string db = "sqlite:" + dir.File("z.db");
  httplib::Headers as_unit = ManagementUnit(db);
  ServeProcess serve(db, dir.File("out"), flows);
  int port = serve.WaitForPort();
  REQUIRE(port > 0);
  httplib::Client client("127.0.0.1", port);
  std::string old_id = CreateCase(client, as_unit);
  std::string old_version = VersionOf(db, old_id);

  WriteText(flows + "/rectification.flow",
            SwappedRectification(ReadText(flows + "/rectification.flow")));
  Run deploy = RunZgtflow({"deploy", "--db", db, "--workflows", flows});
  INFO(deploy.out << deploy.err);
  REQUIRE(deploy.status == 0);

  // The server polls the definitions every 2 s.
  std::string new_id, new_version = old_version;
  for (int i = 0; i < 100 && new_version == old_version; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    new_id = CreateCase(client, as_unit);
    new_version = VersionOf(db, new_id);
  }
  INFO(serve.Output());
  REQUIRE(new_version != old_version);
  CHECK(Contains(serve.Output(), "new cases start on rectification@" + new_version));
  CHECK(VersionOf(db, old_id) == old_version);  // Running cases stay on theirs.
  CHECK(serve.Signal(SIGTERM) == 0);
}

TEST_CASE("POST /api/admin/reload and SIGHUP deploy the changed folder at once", "[cli]") {
  TempDir dir;
  std::string flows = dir.File("workflows");
  CopyWorkflows(flows, {"roles", "rectification"});
  std::string original = ReadText(flows + "/rectification.flow");
  std::string db = "sqlite:" + dir.File("z.db");
  httplib::Headers as_unit = ManagementUnit(db);
  ServeProcess serve(db, dir.File("out"), flows);
  int port = serve.WaitForPort();
  REQUIRE(port > 0);
  httplib::Client client("127.0.0.1", port);
  std::string first = VersionOf(db, CreateCase(client, as_unit));

  // A folder with an error is refused; the server keeps its versions.
  std::string broken = original;
  REQUIRE(ReplaceOnce(broken, "-> verifying", "-> verifyng"));
  WriteText(flows + "/rectification.flow", broken);
  auto refused = client.Post("/api/admin/reload", as_unit, "{}", "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(Contains(refused->body, "nothing was reloaded"));
  CHECK(VersionOf(db, CreateCase(client, as_unit)) == first);

  WriteText(flows + "/rectification.flow", SwappedRectification(original));
  auto reloaded = client.Post("/api/admin/reload", as_unit, "{}", "application/json");
  REQUIRE(reloaded);
  INFO(reloaded->body);
  REQUIRE(reloaded->status == 200);
  json body = json::parse(reloaded->body);
  REQUIRE(body["deployed"].size() == 1);
  CHECK(body["deployed"][0]["workflow"] == "rectification");
  CHECK(body["deployed"][0]["new"] == true);
  std::string second = body["deployed"][0]["version"];
  CHECK(second != first);
  std::string id = CreateCase(client, as_unit);  // At once: no poll needed.
  CHECK(VersionOf(db, id) == second);

  // SIGHUP: a third text (a comment inside the workflow makes a new version).
  std::string third_text = SwappedRectification(original);
  REQUIRE(ReplaceOnce(third_text, "calendar cn-mainland", "calendar cn-mainland  # third"));
  WriteText(flows + "/rectification.flow", third_text);
  serve.Notify(SIGHUP);
  std::string third = second;
  for (int i = 0; i < 100 && third == second; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    third = VersionOf(db, CreateCase(client, as_unit));
  }
  INFO(serve.Output());
  CHECK(third != second);
  CHECK(Contains(serve.Output(), "zgtflow serve: reloaded "));
  CHECK(serve.Signal(SIGTERM) == 0);
}

}  // namespace
}  // namespace zgtflow::testing
