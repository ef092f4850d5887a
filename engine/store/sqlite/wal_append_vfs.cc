// ⑤ The WAL-append VFS (see wal_append_vfs.h).
#include "engine/store/sqlite/wal_append_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <string>

namespace zgtflow::store::sqlite {
namespace {

constexpr int64_t kWalHeaderBytes = 32;    // The file's header, before frame 1.
constexpr int kFrameHeaderBytes = 24;      // Each frame's header, before its page.
constexpr size_t kFlushBytes = 1 << 20;    // Written out this full (a big transaction).
// The most the default VFS writes in one call: its unixWrite masks a length
// to 17 bits (os_unix.c, seekAndWriteFd), so a longer write would fail.
constexpr size_t kWriteBytes = 64 * 1024;

std::atomic<int64_t> total_writes{0};
std::atomic<int64_t> total_flushes{0};

sqlite3_vfs* Base(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

// A WAL file opened through the VFS. SQLite allocates szOsFile bytes for it:
// this object first, the default VFS's file after it.
struct WalFile {
  sqlite3_file base;            // First: SQLite sees a WalFile as its sqlite3_file.
  sqlite3_io_methods methods;   // kWalMethods, at the wrapped file's iVersion.
  sqlite3_file* real;           // The default VFS's file, after this object.
  std::string buffer;           // Writes not yet made, continuing each other...
  sqlite3_int64 buffer_at = 0;  // ...from this offset.
  // Where the page of the last frame header written goes, when that header
  // ends a commit; -1 otherwise.
  sqlite3_int64 commit_page_at = -1;
};

constexpr size_t RealOffset() { return (sizeof(WalFile) + 15) & ~size_t{15}; }

WalFile* Wal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }

uint32_t ReadBigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

int Flush(WalFile* f) {
  if (f->buffer.empty()) return SQLITE_OK;
  int rc = SQLITE_OK;
  for (size_t done = 0; done < f->buffer.size() && rc == SQLITE_OK; done += kWriteBytes) {
    const size_t length = std::min(kWriteBytes, f->buffer.size() - done);
    rc = f->real->pMethods->xWrite(f->real, f->buffer.data() + done, static_cast<int>(length),
                                   f->buffer_at + static_cast<sqlite3_int64>(done));
  }
  // Dropped even on failure: SQLite rolls the transaction back and writes
  // its frames again from the start.
  f->buffer.clear();
  total_flushes.fetch_add(1, std::memory_order_relaxed);
  return rc;
}

// ---- the WAL file's methods ----

int WalClose(sqlite3_file* file) {
  WalFile* f = Wal(file);
  const int flushed = Flush(f);
  const int rc = f->real->pMethods->xClose(f->real);
  f->~WalFile();
  return rc != SQLITE_OK ? rc : flushed;
}

int WalRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile* f = Wal(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int WalWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* f = Wal(file);
  total_writes.fetch_add(1, std::memory_order_relaxed);
  if (!f->buffer.empty() &&
      offset != f->buffer_at + static_cast<sqlite3_int64>(f->buffer.size())) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  if (f->buffer.empty()) f->buffer_at = offset;
  f->buffer.append(static_cast<const char*>(data), static_cast<size_t>(amount));
  const bool ends_commit = offset == f->commit_page_at;
  f->commit_page_at = -1;
  if (amount == kFrameHeaderBytes && offset >= kWalHeaderBytes &&
      ReadBigEndian32(static_cast<const unsigned char*>(data) + 4) != 0) {
    f->commit_page_at = offset + amount;
  }
  if (ends_commit || f->buffer.size() >= kFlushBytes) return Flush(f);
  return SQLITE_OK;
}

int WalTruncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile* f = Wal(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}

int WalSyncFile(sqlite3_file* file, int flags) {
  WalFile* f = Wal(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}

int WalFileSize(sqlite3_file* file, sqlite3_int64* size) {
  WalFile* f = Wal(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}

int WalLock(sqlite3_file* file, int level) {
  return Wal(file)->real->pMethods->xLock(Wal(file)->real, level);
}

int WalUnlock(sqlite3_file* file, int level) {
  return Wal(file)->real->pMethods->xUnlock(Wal(file)->real, level);
}

int WalCheckReservedLock(sqlite3_file* file, int* out) {
  return Wal(file)->real->pMethods->xCheckReservedLock(Wal(file)->real, out);
}

int WalFileControl(sqlite3_file* file, int op, void* arg) {
  WalFile* f = Wal(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int WalSectorSize(sqlite3_file* file) {
  return Wal(file)->real->pMethods->xSectorSize(Wal(file)->real);
}

int WalDeviceCharacteristics(sqlite3_file* file) {
  return Wal(file)->real->pMethods->xDeviceCharacteristics(Wal(file)->real);
}

int WalShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return Wal(file)->real->pMethods->xShmMap(Wal(file)->real, region, size, extend, out);
}

int WalShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Wal(file)->real->pMethods->xShmLock(Wal(file)->real, offset, n, flags);
}

void WalShmBarrier(sqlite3_file* file) { Wal(file)->real->pMethods->xShmBarrier(Wal(file)->real); }

int WalShmUnmap(sqlite3_file* file, int delete_flag) {
  return Wal(file)->real->pMethods->xShmUnmap(Wal(file)->real, delete_flag);
}

int WalFetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  WalFile* f = Wal(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFetch(f->real, offset, amount, out);
}

int WalUnfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return Wal(file)->real->pMethods->xUnfetch(Wal(file)->real, offset, page);
}

const sqlite3_io_methods kWalMethods = {
    3,           WalClose,      WalRead,          WalWrite,          WalTruncate,
    WalSyncFile, WalFileSize,   WalLock,          WalUnlock,         WalCheckReservedLock,
    WalFileControl, WalSectorSize, WalDeviceCharacteristics, WalShmMap, WalShmLock,
    WalShmBarrier,  WalShmUnmap,   WalFetch,         WalUnfetch,
};

// ---- the VFS: WAL files wrapped, everything else the default VFS's own ----

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = Base(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // The default VFS's file in place: no indirection for the database.
    return base->xOpen(base, name, file, flags, out_flags);
  }
  WalFile* f = new (file) WalFile();
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + RealOffset());
  f->real->pMethods = nullptr;
  const int rc = base->xOpen(base, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || f->real->pMethods == nullptr) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~WalFile();
    file->pMethods = nullptr;  // SQLite closes nothing.
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  f->methods = kWalMethods;
  f->methods.iVersion = std::min(kWalMethods.iVersion, f->real->pMethods->iVersion);
  f->base.pMethods = &f->methods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Base(vfs)->xDelete(Base(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Base(vfs)->xAccess(Base(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return Base(vfs)->xFullPathname(Base(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Base(vfs)->xDlOpen(Base(vfs), name); }
void DlError(sqlite3_vfs* vfs, int size, char* out) { Base(vfs)->xDlError(Base(vfs), size, out); }
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Base(vfs)->xDlSym(Base(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { Base(vfs)->xDlClose(Base(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return Base(vfs)->xRandomness(Base(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int microseconds) { return Base(vfs)->xSleep(Base(vfs), microseconds); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Base(vfs)->xCurrentTime(Base(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return Base(vfs)->xGetLastError(Base(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Base(vfs)->xCurrentTimeInt64(Base(vfs), out);
}
int SetSystemCall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return Base(vfs)->xSetSystemCall(Base(vfs), name, call);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Base(vfs)->xGetSystemCall(Base(vfs), name);
}
const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Base(vfs)->xNextSystemCall(Base(vfs), name);
}

sqlite3_vfs* Register() {
  static sqlite3_vfs vfs;
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  // Version 3's system-call hooks are forwarded too; an older default VFS
  // (none on Linux) is left alone.
  if (base == nullptr || base->iVersion < 3) return nullptr;
  vfs.iVersion = 3;
  vfs.szOsFile = static_cast<int>(RealOffset()) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = "zgtflow-wal-append";
  vfs.pAppData = base;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  vfs.xSetSystemCall = SetSystemCall;
  vfs.xGetSystemCall = GetSystemCall;
  vfs.xNextSystemCall = NextSystemCall;
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) return nullptr;
  return &vfs;
}

}  // namespace

const char* WalAppendVfsName() {
  static sqlite3_vfs* const vfs = Register();  // Once, thread-safe.
  return vfs != nullptr ? vfs->zName : nullptr;
}

WalAppendCounts WalAppendTotals() {
  return {total_writes.load(std::memory_order_relaxed),
          total_flushes.load(std::memory_order_relaxed)};
}

}  // namespace zgtflow::store::sqlite
