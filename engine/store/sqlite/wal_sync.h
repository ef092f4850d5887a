// ⑤ WalSync: makes SQLite commits durable outside the writer's lock. The
// writer connection runs with synchronous=NORMAL (a COMMIT writes its WAL
// frames but does not wait for the disk); the committer takes a ticket under
// the writer's lock and, after releasing it, waits in SyncThrough until an
// fdatasync of the -wal file that began after its COMMIT has finished. So the
// next batch's statements run while this batch's frames reach the disk, and
// one sync covers every commit written before it began — what
// synchronous=FULL serializes behind the write lock, one sync per COMMIT.
// A commit is acknowledged only after its sync, as with FULL: a power cut
// loses no acknowledged commit. Consistency after a crash is SQLite's own
// (WAL frames carry checksums; NORMAL syncs the WAL before each checkpoint).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "engine/base/status.h"

namespace zgtflow::store::sqlite {

class WalSync {
 public:
  // `wal_path`: the database file's path + "-wal".
  explicit WalSync(std::string wal_path);

  // Right after a successful COMMIT, under the writer's lock: its ticket.
  uint64_t Committed();
  // Returns once every commit up to `ticket` is on disk: at most one sync
  // runs at a time, and a waiter whose commit an earlier sync already
  // covered returns without one. kUnavailable when the file cannot be synced.
  Status SyncThrough(uint64_t ticket);

  // Syncs performed so far (tests: several commits share one).
  int64_t syncs() const;

 private:
  Status SyncFile();

  const std::string wal_path_;
  mutable std::mutex mutex_;
  std::condition_variable synced_;
  uint64_t committed_ = 0;  // Tickets handed out.
  uint64_t durable_ = 0;    // Every ticket up to this one is on disk.
  bool syncing_ = false;
  int64_t syncs_ = 0;
};

}  // namespace zgtflow::store::sqlite
