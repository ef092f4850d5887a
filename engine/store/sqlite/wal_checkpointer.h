// ⑤ WalCheckpointer: copies the SQLite store's WAL back into the database
// file on a thread and connection of its own, instead of inside the commit
// that crossed SQLite's autocheckpoint mark.
//
// Why: by default the writer that commits the 1,000th WAL frame checkpoints
// there and then, under the store's write lock: it writes every page changed
// since the last checkpoint into the database file and syncs the WAL and the
// file, while every other commit waits. With 64 inputs in flight that was a
// checkpoint every ~400 commits; most of the pages it writes (the tails of
// the indexes, the newest case rows) are written again by the next one.
// Checkpointing every `frames` frames (10,000 by default, a 40 MB WAL) writes
// each hot page once per 10,000 frames, and doing it here keeps its writes
// and syncs out of the commits' way (docs/performance.md, sessions 6 and 7:
// until session 7 this thread's connection had never read the file, so its
// checkpoints did nothing and the writer's fallback below did them all).
//
// Each round copies the WAL in two passes: most of it while commits go on,
// then what was committed meanwhile with the store's writer paused (its
// mutex held), so the copy is complete and the next commit starts the WAL
// over from its beginning instead of appending to it. The WAL stays near
// `frames` frames, and its file keeps its size (overwriting is cheaper to
// sync than growing).
//
// Safety is SQLite's own: a PASSIVE checkpoint copies only committed frames,
// syncs the WAL before it overwrites the file, and never blocks the writer.
// Should the WAL reach 4 × `frames` anyway (this thread starved), the writer
// checkpoints itself, as SQLite would.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace zgtflow::store::sqlite {

class WalCheckpointer {
 public:
  // Installs itself as `writer`'s WAL hook (replacing SQLite's
  // autocheckpoint) and opens its own connection to `path` on first use.
  // `writer_mutex` is held by every write on `writer`, for its whole
  // transaction. Both must outlive this object; destroy this before closing
  // the writer.
  WalCheckpointer(sqlite3* writer, std::mutex* writer_mutex, std::string path, int frames,
                  int busy_timeout_ms);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Rounds of this thread that copied frames into the database file (tests,
  // the benchmark). The writer's own checkpoints are not counted.
  int64_t checkpoints() const;

 private:
  // SQLite's WAL hook: called by the writer after each commit, with the
  // number of frames now in the WAL.
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_frames);
  void Run();
  // A PASSIVE checkpoint on `db`: the frames in the WAL that the database
  // file now holds, or -1 when SQLite refused.
  static int Checkpoint(sqlite3* db);
  // This thread's connection, or null when it cannot be opened.
  sqlite3* OpenConnection() const;

  sqlite3* const writer_;
  std::mutex* const writer_mutex_;
  const std::string path_;
  const int frames_;
  const int busy_timeout_ms_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;  // Guarded by mutex_.
  bool stopping_ = false;   // Guarded by mutex_.
  int64_t checkpoints_ = 0;  // Guarded by mutex_.
  // Frames copied by this thread's last round (guarded by mutex_): a WAL
  // that could not start over is checkpointed again only once it has grown
  // by half a mark since, not after every commit.
  int copied_ = 0;
  std::thread thread_;
};

}  // namespace zgtflow::store::sqlite
