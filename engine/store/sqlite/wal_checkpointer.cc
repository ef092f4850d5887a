// ⑤ WalCheckpointer (see wal_checkpointer.h).
#include "engine/store/sqlite/wal_checkpointer.h"

#include <sqlite3.h>

#include <utility>

namespace zgtflow::store::sqlite {
namespace {

// WAL frames past which the writer stops waiting for this thread.
constexpr int kWriterTakesOverFactor = 4;

}  // namespace

WalCheckpointer::WalCheckpointer(sqlite3* writer, std::string path, int frames,
                                 int busy_timeout_ms)
    : writer_(writer),
      path_(std::move(path)),
      frames_(frames < 1 ? 1 : frames),
      busy_timeout_ms_(busy_timeout_ms) {
  thread_ = std::thread([this] { Run(); });
  sqlite3_wal_hook(writer_, &WalCheckpointer::OnCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

int64_t WalCheckpointer::checkpoints() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return checkpoints_;
}

int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* /*schema*/, int wal_frames) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (wal_frames >= kWriterTakesOverFactor * checkpointer->frames_) {
    // This thread has not kept up: the writer checkpoints inline, as
    // SQLite's own autocheckpoint would, so the WAL cannot grow unbounded.
    if (checkpointer->Checkpoint(db)) {
      std::lock_guard<std::mutex> lock(checkpointer->mutex_);
      ++checkpointer->checkpoints_;
    }
  } else if (wal_frames >= checkpointer->frames_) {
    {
      std::lock_guard<std::mutex> lock(checkpointer->mutex_);
      checkpointer->requested_ = true;
    }
    checkpointer->wake_.notify_one();
  }
  return SQLITE_OK;  // The commit itself is done whatever happens here.
}

bool WalCheckpointer::Checkpoint(sqlite3* db) {
  return sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
         SQLITE_OK;
}

void WalCheckpointer::Run() {
  sqlite3* db = nullptr;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return requested_ || stopping_; });
    if (stopping_) break;
    requested_ = false;
    lock.unlock();
    if (db == nullptr) {
      // Read-write, and left at synchronous=FULL: the checkpoint syncs the
      // WAL before it overwrites the file, and the file after.
      if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                          nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, busy_timeout_ms_);
      } else {
        // The writer takes over once the WAL reaches its mark.
        sqlite3_close(db);
        db = nullptr;
      }
    }
    const bool done = db != nullptr && Checkpoint(db);
    lock.lock();
    if (done) ++checkpoints_;
  }
  lock.unlock();
  sqlite3_close(db);  // A no-op on null.
}

}  // namespace zgtflow::store::sqlite
