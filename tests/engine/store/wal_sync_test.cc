// WalSync: a commit returns only after a sync that began after it; one sync
// covers every commit before it; a WAL that cannot be synced is an error.
#include "engine/store/sqlite/wal_sync.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

namespace zgtflow::store::sqlite {
namespace {

namespace fs = std::filesystem;

// A file standing in for a database's -wal file, removed afterwards.
struct WalFile {
  WalFile() {
    std::random_device random;
    path = (fs::temp_directory_path() / ("zgt-wal-sync-" + std::to_string(random()) + "-wal"))
               .string();
    std::ofstream(path) << "frames";
  }
  ~WalFile() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
  std::string path;
};

TEST_CASE("a commit made after a sync gets a sync of its own", "[store]") {
  WalFile wal;
  WalSync sync(wal.path);
  const uint64_t first = sync.Committed();
  REQUIRE(sync.SyncThrough(first).ok());
  CHECK(sync.syncs() == 1);
  const uint64_t second = sync.Committed();
  REQUIRE(sync.SyncThrough(second).ok());
  CHECK(sync.syncs() == 2);
}

TEST_CASE("one sync covers every commit made before it began", "[store]") {
  WalFile wal;
  WalSync sync(wal.path);
  const uint64_t a = sync.Committed();
  const uint64_t b = sync.Committed();
  const uint64_t c = sync.Committed();
  REQUIRE(sync.SyncThrough(c).ok());
  CHECK(sync.syncs() == 1);
  // a and b were written before that sync began: already on disk.
  CHECK(sync.SyncThrough(a).ok());
  CHECK(sync.SyncThrough(b).ok());
  CHECK(sync.syncs() == 1);
}

TEST_CASE("committers on many threads all return synced, sharing syncs", "[store]") {
  WalFile wal;
  WalSync sync(wal.path);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (sync.SyncThrough(sync.Committed()).ok()) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 16 * 50);
  CHECK(sync.syncs() >= 1);
  CHECK(sync.syncs() <= 16 * 50);
}

TEST_CASE("a WAL file that cannot be opened fails the sync as unavailable", "[store]") {
  WalSync sync((fs::temp_directory_path() / "zgt-no-such-dir" / "db-wal").string());
  Status status = sync.SyncThrough(sync.Committed());
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message().find("db-wal") != std::string::npos);
}

}  // namespace
}  // namespace zgtflow::store::sqlite
