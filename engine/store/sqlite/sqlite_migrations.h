// ⑤ The SQLite schema as numbered migrations: engine/store/sqlite/schema/
// NNNN_name.sql, compiled into the binary by cmake/EmbedSql.cmake.
#pragma once

#include <vector>

namespace zgtflow::store::sqlite {

struct Migration {
  int version;       // The file's number: 1, 2, …; applied in order, each once.
  const char* name;  // The file's name without ".sql"; recorded in schema_migrations.
  const char* sql;   // The file's statements.
};

// Every migration in version order. Append only: a released migration is
// never edited; a change to the schema is a new file.
const std::vector<Migration>& Migrations();

}  // namespace zgtflow::store::sqlite
