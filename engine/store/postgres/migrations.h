// ⑤ The PostgreSQL schema as numbered migrations, and ApplyMigrations, which
// brings a database up to the latest one at open.
#pragma once

#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace zgtflow::store::postgres {

struct Migration {
  int version;        // 1, 2, …: applied in order, each once.
  const char* name;   // Recorded in schema_migrations.
  const char* sql;    // One or more statements.
};

// Every migration in version order. Append only: a released migration is never
// edited, a change to the schema is a new one.
const std::vector<Migration>& Migrations();

// Applies every migration newer than what schema_migrations records, in one
// transaction holding a transaction-level advisory lock, so nodes that open
// the same database at once apply each migration exactly once. Throws pqxx
// exceptions; the caller (postgres_store.cc) turns them into Status.
void ApplyMigrations(pqxx::connection_base& connection);

}  // namespace zgtflow::store::postgres
