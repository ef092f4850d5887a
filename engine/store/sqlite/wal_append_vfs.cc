// ⑤ The WAL-append VFS (see wal_append_vfs.h).
#include "engine/store/sqlite/wal_append_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>

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

// What every file opened through the VFS begins with. SQLite allocates
// szOsFile bytes for a file: the wrapper first, the default VFS's file after
// it. Calls the wrapper does not change go straight to `real` (Pass*).
struct WrappedFile {
  sqlite3_file base;            // First: SQLite sees the wrapper as its sqlite3_file.
  sqlite3_io_methods methods;   // The wrapper's table, at the wrapped file's iVersion.
  sqlite3_file* real;           // The default VFS's file, after the wrapper.
};

sqlite3_file* Real(sqlite3_file* file) { return reinterpret_cast<WrappedFile*>(file)->real; }

// A WAL file opened through the VFS (kWalMethods).
struct WalFile : WrappedFile {
  std::string buffer;           // Writes not yet made, continuing each other...
  sqlite3_int64 buffer_at = 0;  // ...from this offset.
  // Where the page of the last frame header written goes, when that header
  // ends a commit; -1 otherwise.
  sqlite3_int64 commit_page_at = -1;
  const char* database = nullptr;  // Its key in Registry(), or null.
};

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

// The WAL files open through the VFS, by their database's name as SQLite
// passes it to both opens (one pointer per connection: sqlite3_filename_
// database of the WAL's name is the database's own), so that the database
// file's lock calls reach its connection's WAL buffer.
std::mutex registry_mutex;
std::unordered_map<const char*, WalFile*>& Registry() {
  static auto* registry = new std::unordered_map<const char*, WalFile*>();  // Never freed.
  return *registry;
}

// A database file opened through the VFS (kDbMethods): every call passed
// on, but for DbShmLock's look at the write lock.
struct DbFile : WrappedFile {
  const char* name;  // As SQLite passed it to xOpen: the registry's key.
};

DbFile* Db(sqlite3_file* file) { return reinterpret_cast<DbFile*>(file); }

// Where the default VFS's file begins, after a WalFile or a DbFile.
constexpr size_t RealOffset() {
  return (std::max(sizeof(WalFile), sizeof(DbFile)) + 15) & ~size_t{15};
}

// ---- calls passed to the default VFS's file unchanged ----

int PassRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  return Real(file)->pMethods->xRead(Real(file), out, amount, offset);
}
int PassWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  return Real(file)->pMethods->xWrite(Real(file), data, amount, offset);
}
int PassTruncate(sqlite3_file* file, sqlite3_int64 size) {
  return Real(file)->pMethods->xTruncate(Real(file), size);
}
int PassSync(sqlite3_file* file, int flags) {
  return Real(file)->pMethods->xSync(Real(file), flags);
}
int PassFileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Real(file)->pMethods->xFileSize(Real(file), size);
}
int PassLock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xLock(Real(file), level);
}
int PassUnlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int PassCheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int PassFileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int PassSectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }
int PassDeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int PassShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), region, size, extend, out);
}
int PassShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void PassShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }
int PassShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}
int PassFetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return Real(file)->pMethods->xFetch(Real(file), offset, amount, out);
}
int PassUnfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return Real(file)->pMethods->xUnfetch(Real(file), offset, page);
}

// ---- the WAL file's methods: the buffer flushed before any other use ----

int WalClose(sqlite3_file* file) {
  WalFile* f = Wal(file);
  if (f->database != nullptr) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    auto found = Registry().find(f->database);
    if (found != Registry().end() && found->second == f) Registry().erase(found);
  }
  // Anything still buffered belongs to a transaction that did not commit
  // (as at the write lock's release, DbShmLock): dropped.
  const int rc = f->real->pMethods->xClose(f->real);
  f->~WalFile();
  return rc;
}

int WalRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return PassRead(file, out, amount, offset);
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
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return PassTruncate(file, size);
}

int WalSyncFile(sqlite3_file* file, int flags) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return PassSync(file, flags);
}

int WalFileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return PassFileSize(file, size);
}

int WalFileControl(sqlite3_file* file, int op, void* arg) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return PassFileControl(file, op, arg);
}

int WalFetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return PassFetch(file, offset, amount, out);
}

const sqlite3_io_methods kWalMethods = {
    3,           WalClose,        WalRead,        WalWrite,  WalTruncate,
    WalSyncFile, WalFileSize,     PassLock,       PassUnlock, PassCheckReservedLock,
    WalFileControl, PassSectorSize, PassDeviceCharacteristics, PassShmMap, PassShmLock,
    PassShmBarrier, PassShmUnmap,   WalFetch,       PassUnfetch,
};

// ---- the database file's methods: its own, but for the write lock ----

// When the connection releases the WAL write lock, its transaction is over.
// A commit's frames were written out when its commit frame arrived, so what
// the buffer still holds belongs to a transaction that rolled back (pages it
// spilled into the WAL). Dropped, never written: once the lock is released
// another connection may write its own frames at those offsets, and writing
// these later would overwrite its commit.
int DbShmLock(sqlite3_file* file, int offset, int n, int flags) {
  DbFile* f = Db(file);
  constexpr int kWriteLock = 0;  // WAL_WRITE_LOCK, the first lock of the WAL index.
  if ((flags & SQLITE_SHM_UNLOCK) != 0 && offset <= kWriteLock && kWriteLock < offset + n) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    auto found = Registry().find(f->name);
    if (found != Registry().end()) {
      found->second->buffer.clear();
      found->second->commit_page_at = -1;
    }
  }
  return PassShmLock(file, offset, n, flags);
}

int DbClose(sqlite3_file* file) {
  DbFile* f = Db(file);
  const int rc = f->real->pMethods->xClose(f->real);
  f->~DbFile();
  return rc;
}

const sqlite3_io_methods kDbMethods = {
    3,        DbClose,        PassRead,       PassWrite,  PassTruncate,
    PassSync, PassFileSize,   PassLock,       PassUnlock, PassCheckReservedLock,
    PassFileControl, PassSectorSize, PassDeviceCharacteristics, PassShmMap, DbShmLock,
    PassShmBarrier,  PassShmUnmap,   PassFetch,      PassUnfetch,
};

// Opens `name` with the default VFS into the memory after `wrapper`, or
// returns its error with `wrapper` not set up (pMethods null).
int OpenReal(sqlite3_vfs* base, const char* name, sqlite3_file* file, sqlite3_file** real,
             int flags, int* out_flags) {
  *real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + RealOffset());
  (*real)->pMethods = nullptr;
  const int rc = base->xOpen(base, name, *real, flags, out_flags);
  if (rc == SQLITE_OK && (*real)->pMethods != nullptr) return SQLITE_OK;
  if ((*real)->pMethods != nullptr) (*real)->pMethods->xClose(*real);
  return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
}

// ---- the VFS: WAL and database files wrapped, the rest the default VFS's own ----

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = Base(vfs);
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr) {
    DbFile* f = new (file) DbFile();
    const int rc = OpenReal(base, name, file, &f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
      f->~DbFile();
      file->pMethods = nullptr;  // SQLite closes nothing.
      return rc;
    }
    f->name = name;
    f->methods = kDbMethods;
    f->methods.iVersion = std::min(kDbMethods.iVersion, f->real->pMethods->iVersion);
    f->base.pMethods = &f->methods;
    return SQLITE_OK;
  }
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // Journals and temporary files: the default VFS's file in place.
    return base->xOpen(base, name, file, flags, out_flags);
  }
  WalFile* f = new (file) WalFile();
  const int rc = OpenReal(base, name, file, &f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    f->~WalFile();
    file->pMethods = nullptr;
    return rc;
  }
  f->methods = kWalMethods;
  f->methods.iVersion = std::min(kWalMethods.iVersion, f->real->pMethods->iVersion);
  f->base.pMethods = &f->methods;
  f->database = sqlite3_filename_database(name);
  if (f->database != nullptr) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    Registry()[f->database] = f;
  }
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
