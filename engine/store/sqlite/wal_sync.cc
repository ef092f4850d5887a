// ⑤ WalSync (see wal_sync.h).
#include "engine/store/sqlite/wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace zgtflow::store::sqlite {

WalSync::WalSync(std::string wal_path) : wal_path_(std::move(wal_path)) {}

WalSync::WalSync(std::string wal_path, std::function<Status()> sync_file)
    : wal_path_(std::move(wal_path)), sync_file_(std::move(sync_file)) {}

uint64_t WalSync::Committed() {
  std::lock_guard<std::mutex> lock(mutex_);
  return ++committed_;
}

Status WalSync::SyncThrough(uint64_t ticket) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (durable_ < ticket) {
    if (!running_.empty() && *running_.rbegin() >= ticket) {
      // A running sync began after this commit: it covers it.
      synced_.wait(lock);
      continue;
    }
    const uint64_t covers = committed_;  // Every commit so far has returned.
    const auto mine = running_.insert(covers);
    lock.unlock();
    Status status = sync_file_ ? sync_file_() : SyncFile();
    lock.lock();
    running_.erase(mine);
    ++syncs_;
    // Syncs may end out of order; each makes durable what it covers.
    if (status.ok()) durable_ = std::max(durable_, covers);
    synced_.notify_all();
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

int64_t WalSync::syncs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return syncs_;
}

Status WalSync::SyncFile() {
  // Opened per sync rather than kept: SQLite may remove and recreate the
  // -wal file, and an fd kept from before would sync the old one. On Linux
  // fdatasync flushes the file's data whichever descriptor wrote it.
  const int fd = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status(StatusCode::kUnavailable,
                  "opening " + wal_path_ + " to sync it: " + std::strerror(errno));
  }
  int rc;
  do {
    rc = ::fdatasync(fd);
  } while (rc != 0 && errno == EINTR);
  const int error = errno;
  ::close(fd);
  if (rc != 0) {
    return Status(StatusCode::kUnavailable,
                  "syncing " + wal_path_ + ": " + std::strerror(error));
  }
  return Status::Ok();
}

}  // namespace zgtflow::store::sqlite
