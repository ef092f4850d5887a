// SqliteStore's read connections (see sqlite_store.h): a pool of read-only
// connections to the same file, so reads run beside each other and beside the
// writer instead of queueing on the writer's mutex.
#include <sqlite3.h>

#include "engine/store/sqlite/sqlite_statement.h"
#include "engine/store/sqlite/sqlite_store.h"

namespace zgtflow::store {
namespace {

// Idle readers kept; more may be open at once (one per concurrent read), the
// extra ones are closed when returned. 64: the web server's worker threads.
constexpr size_t kMaxIdleReaders = 64;
// Address space each reader may map (SQLite caps it at its own maximum).
constexpr sqlite3_int64 kReaderMmapBytes = sqlite3_int64{1} << 30;

}  // namespace

struct SqliteStore::Reader {
  sqlite3* db = nullptr;
  std::unique_ptr<sqlite::StatementCache> cache = std::make_unique<sqlite::StatementCache>();
  ~Reader() {
    cache.reset();  // Its statements are finalized before the connection closes.
    sqlite3_close_v2(db);
  }
};

void SqliteStore::ReaderDeleter::operator()(Reader* reader) const { delete reader; }

SqliteStore::ReaderPtr SqliteStore::TakeReader() {
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      ReaderPtr reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  ReaderPtr reader(new Reader());
  // READONLY: a reader can never take the write lock; NOMUTEX: one thread
  // uses it at a time (the lease). Outside any explicit transaction each
  // statement reads the newest commit (WAL), and holds no snapshot after it.
  int rc = sqlite3_open_v2(path_.c_str(), &reader->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) return nullptr;  // The lease falls back to the writer's connection.
  sqlite3_busy_timeout(reader->db, busy_timeout_ms_);
  sqlite3_extended_result_codes(reader->db, 1);
  // Pages of the file read through a memory map: no read() call and copy
  // per page missing from this connection's small cache (a tenth of a case
  // page's CPU time with 100,000 cases). Pages newer in the WAL are still
  // read from there. A build without mmap ignores this.
  sqlite3_int64 mmap_bytes = kReaderMmapBytes;
  sqlite3_file_control(reader->db, "main", SQLITE_FCNTL_MMAP_SIZE, &mmap_bytes);
  return reader;
}

void SqliteStore::ReturnReader(ReaderPtr reader) {
  // A statement left mid-transaction would pin an old snapshot: never keep
  // such a connection (SqliteStatement resets its statement when it ends).
  if (!sqlite3_get_autocommit(reader->db)) return;
  std::lock_guard<std::mutex> lock(readers_mutex_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

SqliteStore::ReadLease::ReadLease(SqliteStore* store) : store_(store), reader_(store->TakeReader()) {
  if (reader_ == nullptr) writer_lock_ = std::unique_lock<std::mutex>(store_->mutex_);
}

SqliteStore::ReadLease::~ReadLease() {
  if (reader_ != nullptr) store_->ReturnReader(std::move(reader_));
}

sqlite3* SqliteStore::ReadLease::db() const {
  return reader_ != nullptr ? reader_->db : store_->db_;
}

sqlite::StatementCache* SqliteStore::ReadLease::cache() const {
  return reader_ != nullptr ? reader_->cache.get() : store_->cache_.get();
}

}  // namespace zgtflow::store
