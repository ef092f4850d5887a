// WalSync: a commit returns only after a sync that began after it; one sync
// covers every commit before it; a WAL that cannot be synced is an error.
#include "engine/store/sqlite/wal_sync.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
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

// A stand-in sync that blocks until released, counting the syncs running.
class GatedSync {
 public:
  Status operator()() {
    std::unique_lock<std::mutex> lock(mutex_);
    ++running_;
    max_running_ = std::max(max_running_, running_);
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    --running_;
    return Status::Ok();
  }
  // Waits up to a second until `n` syncs run at once; false if they never do.
  bool WaitRunning(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(1), [&] { return running_ == n; });
  }
  int running() {
    std::lock_guard<std::mutex> lock(mutex_);
    return running_;
  }
  int max_running() {
    std::lock_guard<std::mutex> lock(mutex_);
    return max_running_;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int running_ = 0;
  int max_running_ = 0;
  bool open_ = false;
};

TEST_CASE("a commit made while a sync runs starts its own sync beside it", "[store]") {
  GatedSync gate;
  WalSync sync("unused-wal", [&] { return gate(); });
  // Catch2's checks run on this thread only: the others keep their statuses.
  Status a_status, b_status;
  const uint64_t first = sync.Committed();
  std::thread a([&] { a_status = sync.SyncThrough(first); });
  CHECK(gate.WaitRunning(1));  // Not REQUIRE: the threads must be joined.
  // Committed after that sync began: it cannot cover this one.
  const uint64_t second = sync.Committed();
  std::thread b([&] { b_status = sync.SyncThrough(second); });
  CHECK(gate.WaitRunning(2));
  gate.Open();
  a.join();
  b.join();
  CHECK(a_status.ok());
  CHECK(b_status.ok());
  CHECK(gate.max_running() == 2);
  CHECK(sync.syncs() == 2);
}

TEST_CASE("a commit that a running sync covers waits for it and starts none", "[store]") {
  GatedSync gate;
  WalSync sync("unused-wal", [&] { return gate(); });
  Status a_status, b_status;
  const uint64_t first = sync.Committed();
  const uint64_t second = sync.Committed();
  std::thread a([&] { a_status = sync.SyncThrough(second); });  // Covers both.
  CHECK(gate.WaitRunning(1));  // Not REQUIRE: the threads must be joined.
  std::atomic<bool> returned{false};
  std::thread b([&] {
    b_status = sync.SyncThrough(first);
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(gate.running() == 1);
  CHECK_FALSE(returned);  // Not durable until that sync ends.
  gate.Open();
  a.join();
  b.join();
  CHECK(returned);
  CHECK(a_status.ok());
  CHECK(b_status.ok());
  CHECK(gate.max_running() == 1);
  CHECK(sync.syncs() == 1);
}

TEST_CASE("a WAL file that cannot be opened fails the sync as unavailable", "[store]") {
  WalSync sync((fs::temp_directory_path() / "zgt-no-such-dir" / "db-wal").string());
  Status status = sync.SyncThrough(sync.Committed());
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message().find("db-wal") != std::string::npos);
}

}  // namespace
}  // namespace zgtflow::store::sqlite
