// ⑤ WalCheckpointer (see wal_checkpointer.h).
#include "engine/store/sqlite/wal_checkpointer.h"

#include <sqlite3.h>

#include <utility>

namespace zgtflow::store::sqlite {
namespace {

// WAL frames past which the writer stops waiting for this thread.
constexpr int kWriterTakesOverFactor = 4;

}  // namespace

WalCheckpointer::WalCheckpointer(sqlite3* writer, std::mutex* writer_mutex, std::string path,
                                 int frames, int busy_timeout_ms)
    : writer_(writer),
      writer_mutex_(writer_mutex),
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
    Checkpoint(db);
    return SQLITE_OK;
  }
  if (wal_frames < checkpointer->frames_) return SQLITE_OK;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(checkpointer->mutex_);
    // Fewer frames than last copied: the WAL has started over since.
    if (wal_frames < checkpointer->copied_) checkpointer->copied_ = 0;
    wake = !checkpointer->requested_ &&
           wal_frames - checkpointer->copied_ >= checkpointer->frames_ / 2;
    if (wake) checkpointer->requested_ = true;
  }
  if (wake) checkpointer->wake_.notify_one();
  return SQLITE_OK;  // The commit itself is done whatever happens here.
}

int WalCheckpointer::Checkpoint(sqlite3* db) {
  int frames = -1;
  int copied = -1;
  if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) !=
      SQLITE_OK) {
    return -1;
  }
  return copied;
}

sqlite3* WalCheckpointer::OpenConnection() const {
  sqlite3* db = nullptr;
  // Read-write, and left at synchronous=FULL: the checkpoint syncs the WAL
  // before it overwrites the file, and the file after.
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return nullptr;  // The writer takes over once the WAL reaches its mark.
  }
  sqlite3_busy_timeout(db, busy_timeout_ms_);
  // A connection learns that the file is in WAL mode from its first read;
  // until then sqlite3_wal_checkpoint_v2 returns SQLITE_OK having done
  // nothing.
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    return nullptr;
  }
  return db;
}

void WalCheckpointer::Run() {
  sqlite3* db = nullptr;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return requested_ || stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (db == nullptr) db = OpenConnection();
    int copied = -1;
    if (db != nullptr) {
      // Most of the WAL, while commits go on...
      copied = Checkpoint(db);
      // ...and what they added meanwhile, with the writer paused: short,
      // and it leaves nothing uncopied, so the next commit starts the WAL
      // over (unless a reader still uses it).
      std::lock_guard<std::mutex> paused(*writer_mutex_);
      if (copied >= 0) copied = Checkpoint(db);
    }
    lock.lock();
    requested_ = false;  // Commits made meanwhile are copied, or will be.
    if (copied > 0) {
      copied_ = copied;
      ++checkpoints_;
    }
  }
  lock.unlock();
  sqlite3_close(db);  // A no-op on null.
}

}  // namespace zgtflow::store::sqlite
