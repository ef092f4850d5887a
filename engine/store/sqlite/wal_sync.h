// ⑤ WalSync: makes SQLite commits durable outside the writer's lock. The
// writer connection runs with synchronous=NORMAL (a COMMIT writes its WAL
// frames but does not wait for the disk); the committer takes a ticket under
// the writer's lock and, after releasing it, waits in SyncThrough until an
// fdatasync of the -wal file that began after its COMMIT has finished. So the
// next batch's statements run while this batch's frames reach the disk, and
// one sync covers every commit written before it began — what
// synchronous=FULL serializes behind the write lock, one sync per COMMIT.
// Syncs may overlap: a committer whose commit no running sync covers starts
// its own at once instead of queueing behind one that began before its
// COMMIT. On this machine an fdatasync takes about 1 ms, and waiting for the
// one in progress made each batch's sync about 1.5 ms (docs/performance.md).
// A commit is acknowledged only after its sync, as with FULL: a power cut
// loses no acknowledged commit. Consistency after a crash is SQLite's own
// (WAL frames carry checksums; NORMAL syncs the WAL before each checkpoint).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "engine/base/status.h"

namespace zgtflow::store::sqlite {

class WalSync {
 public:
  // `wal_path`: the database file's path + "-wal".
  explicit WalSync(std::string wal_path);
  // Tests: `sync_file` stands in for the fdatasync of the file.
  WalSync(std::string wal_path, std::function<Status()> sync_file);

  // Right after a successful COMMIT, under the writer's lock: its ticket.
  uint64_t Committed();
  // Returns once every commit up to `ticket` is on disk. A waiter whose
  // commit a finished sync covered returns at once; one that a running sync
  // covers waits for it; any other starts a sync of its own, beside those
  // running. kUnavailable when the file cannot be synced.
  Status SyncThrough(uint64_t ticket);

  // Syncs performed so far (tests: several commits share one).
  int64_t syncs() const;

 private:
  Status SyncFile();

  const std::string wal_path_;
  const std::function<Status()> sync_file_;  // Empty: SyncFile.
  mutable std::mutex mutex_;
  std::condition_variable synced_;
  uint64_t committed_ = 0;  // Tickets handed out.
  uint64_t durable_ = 0;    // Every ticket up to this one is on disk.
  // Of each sync running: the last ticket handed out when it began, which
  // it makes durable.
  std::multiset<uint64_t> running_;
  int64_t syncs_ = 0;
};

}  // namespace zgtflow::store::sqlite
