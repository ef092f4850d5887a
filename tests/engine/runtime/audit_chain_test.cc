// The SM3 hash chain over a case's history detects every edited, deleted or
// reordered entry.
#include <catch2/catch.hpp>

#include <utility>

#include "engine/runtime/audit_chain.h"

namespace zgtflow::runtime {
namespace {

std::vector<store::HistoryRow> Chain(int n) {
  std::vector<store::HistoryRow> rows;
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    store::HistoryRow row;
    row.case_id = "rectification-1";
    row.seq = i;
    row.input = "{\"kind\":\"event\",\"event\":\"e" + std::to_string(i) + "\"}";
    row.actor = "management_unit";
    row.effects = "[]";
    row.at_ms = 1000 * i;
    REQUIRE(ChainHistoryRow(prev, &row).ok());
    prev = row.hash;
    rows.push_back(row);
  }
  return rows;
}

TEST_CASE("SM3 through OpenSSL gives the standard's test vector", "[runtime]") {
  auto hash = Sm3Hex("abc");
  REQUIRE(hash.ok());
  CHECK(*hash == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST_CASE("an intact chain verifies", "[runtime]") {
  auto rows = Chain(4);
  CHECK(rows[0].prev_hash.empty());
  CHECK(rows[1].prev_hash == rows[0].hash);
  CHECK(VerifyChain("rectification-1", rows, 4).ok());
  CHECK(VerifyChain("rectification-1", {}, 0).ok());
}

TEST_CASE("an edited field of any entry is detected at that entry", "[runtime]") {
  for (int field = 0; field < 4; ++field) {
    auto rows = Chain(4);
    switch (field) {
      case 0: rows[1].input = "{\"kind\":\"event\",\"event\":\"forged\"}"; break;
      case 1: rows[1].actor = "project_company"; break;
      case 2: rows[1].effects = "[{\"kind\":\"record\",\"text\":\"x\"}]"; break;
      case 3: rows[1].at_ms += 1; break;
    }
    Status status = VerifyChain("rectification-1", rows, 4);
    INFO(field);
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message().find("seq 2") != std::string::npos);
    CHECK(status.message().find("edited") != std::string::npos);
  }
}

TEST_CASE("a re-hashed edit still breaks the link to the next entry", "[runtime]") {
  auto rows = Chain(4);
  rows[1].input = "{\"kind\":\"event\",\"event\":\"forged\"}";
  REQUIRE(ChainHistoryRow(rows[0].hash, &rows[1]).ok());
  Status status = VerifyChain("rectification-1", rows, 4);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("seq 3") != std::string::npos);
  CHECK(status.message().find("prev_hash") != std::string::npos);
}

TEST_CASE("a deleted entry is detected, the last one too", "[runtime]") {
  auto rows = Chain(4);
  rows.erase(rows.begin() + 1);
  Status status = VerifyChain("rectification-1", rows, 4);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("seq 2") != std::string::npos);

  auto cut = Chain(4);
  cut.pop_back();
  CHECK(VerifyChain("rectification-1", cut).ok());  // The chain alone cannot tell.
  Status short_status = VerifyChain("rectification-1", cut, 4);
  REQUIRE_FALSE(short_status.ok());
  CHECK(short_status.message().find("deleted") != std::string::npos);
}

TEST_CASE("two swapped entries are detected", "[runtime]") {
  auto rows = Chain(4);
  std::swap(rows[1], rows[2]);
  Status status = VerifyChain("rectification-1", rows, 4);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("seq 2") != std::string::npos);

  // Swapped contents with renumbered seqs: the hashes no longer fit.
  auto renumbered = Chain(4);
  std::swap(renumbered[1], renumbered[2]);
  renumbered[1].seq = 2;
  renumbered[2].seq = 3;
  CHECK_FALSE(VerifyChain("rectification-1", renumbered, 4).ok());
}

TEST_CASE("an entry of another case is detected", "[runtime]") {
  auto rows = Chain(2);
  rows[1].case_id = "rectification-2";
  CHECK_FALSE(VerifyChain("rectification-1", rows, 2).ok());
}

}  // namespace
}  // namespace zgtflow::runtime
