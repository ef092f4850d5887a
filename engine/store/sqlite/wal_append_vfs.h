// ⑤ The WAL-append VFS: the store's writer connection writes each commit's
// WAL frames to the -wal file in one write instead of two per page.
//
// Why: SQLite appends a frame as two writes, its 24-byte header and then its
// page. A batch of 22 steps changed about 72 pages, so its COMMIT made about
// 145 pwrite calls, and on this machine they were half of the time the store
// held its write lock (docs/performance.md). This VFS wraps the default one
// and, for WAL files only, gathers writes that continue one another in a
// buffer, writing it out as one:
//   - right after the page of a commit frame (a frame header whose "database
//     size after commit" field is non-zero; the WAL file format, sqlite.org/
//     fileformat2.html#walformat), so a COMMIT returns with its frames in the
//     file, before SQLite publishes them in the WAL index for readers;
//   - before any other operation on the file (read, sync, truncate, size,
//     file control) and before a write that does not continue the buffer,
//     so SQLite never sees the file without its own earlier writes;
//   - when the buffer holds 1 MB (a large transaction).
// What is still buffered when the connection releases the WAL write lock
// (seen on the database file, whose calls the VFS also passes through) or
// closes the file is dropped: pages a rolled-back transaction spilled, which
// another connection may overwrite with its own commit once the lock is free.
// Nothing else changes: no frame is published before it is in the file, and a
// process killed with frames still buffered loses only frames of a commit not
// yet done, which SQLite's recovery drops as it would a torn write.
#pragma once

#include <cstdint>

namespace zgtflow::store::sqlite {

// The VFS's name for sqlite3_open_v2, registered (not as the default) on the
// first call; thread-safe. Null when it could not be registered: then open
// with SQLite's default VFS.
const char* WalAppendVfsName();

// Totals over every file opened through the VFS in this process (tests and
// the benchmark compare them).
struct WalAppendCounts {
  int64_t writes = 0;   // Writes SQLite asked of WAL files.
  int64_t flushes = 0;  // Buffers the VFS wrote out instead (in writes of 64 KB at most).
};
WalAppendCounts WalAppendTotals();

}  // namespace zgtflow::store::sqlite
