// ⑤ PostgreSQL backend of Store: several nodes share one database. Claims use
// SELECT … FOR UPDATE SKIP LOCKED with leases; every table is keyed by case id
// so the schema can be distributed by case id on Citus.
#pragma once

#include <memory>
#include <string>

#include "engine/base/status.h"
#include "engine/store/store.h"

namespace zgtflow::store {

// Connects to `url` (a libpq connection URI, "postgresql://user@host:port/db",
// or a key=value conninfo string), then applies pending schema migrations in
// one transaction under a PostgreSQL advisory lock, so nodes starting together
// do not race. kUnavailable when the server cannot be reached, kInternal when
// a migration fails.
//
// Connections: a small pool guarded by a mutex; each call borrows one
// connection for its whole transaction, so the store is safe to call from
// several threads. A broken connection is dropped and re-opened on the next
// call: the failing call returns kUnavailable, later calls work again once the
// server is back (no process restart needed). At most ZGT_PG_CONNECTIONS calls
// (environment; default twice the cores, at least 4) run on the server at
// once; a value that is not a number from 1 to 1000 is kInvalidArgument.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url);

}  // namespace zgtflow::store
