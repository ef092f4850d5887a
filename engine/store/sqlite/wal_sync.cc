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

uint64_t WalSync::Committed() {
  std::lock_guard<std::mutex> lock(mutex_);
  return ++committed_;
}

Status WalSync::SyncThrough(uint64_t ticket) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (durable_ < ticket) {
    if (syncing_) {
      // The running sync may have begun before this commit: wait for it,
      // then look again.
      synced_.wait(lock);
      continue;
    }
    syncing_ = true;
    const uint64_t covers = committed_;  // Every commit so far has returned.
    lock.unlock();
    Status status = SyncFile();
    lock.lock();
    syncing_ = false;
    ++syncs_;
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
