// ⑤ The PostgreSQL schema, migration by migration (raw SQL strings, so the
// binary carries its schema and needs no files at run time).
#include "engine/store/postgres/migrations.h"

#include <pqxx/pqxx>

namespace zgtflow::store::postgres {
namespace {

// Key of the advisory lock serializing schema changes ("zgtflow" in ASCII):
// any node that opens the store takes it before reading schema_migrations.
constexpr long long kMigrationLockKey = 0x7a677466'6c6f77LL;

// Ids and names are COLLATE "C" so that ORDER BY id is byte order, as in the
// memory and SQLite backends, whatever locale the database was created with.
//
// Citus: every table but `definitions` is keyed by case_id (its primary key
// starts with it), so all of them can be distributed by case_id and a step's
// transaction stays on one shard:
//   SELECT create_distributed_table('cases', 'id');
//   SELECT create_distributed_table('history', 'case_id', colocate_with => 'cases');
//   (likewise timers and outbox); SELECT create_reference_table('definitions');
const char kV1Schema[] = R"sql(
CREATE TABLE definitions (
  workflow        TEXT COLLATE "C" NOT NULL,
  version         TEXT COLLATE "C" NOT NULL,
  source          TEXT NOT NULL,
  source_path     TEXT NOT NULL,
  deployed_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (workflow, version)
);

CREATE TABLE cases (
  id              TEXT COLLATE "C" NOT NULL,
  workflow        TEXT COLLATE "C" NOT NULL,
  version         TEXT COLLATE "C" NOT NULL,
  status          TEXT NOT NULL,            -- 'running' | 'completed'
  state           TEXT NOT NULL,            -- JSON array of active state names
  snapshot        TEXT NOT NULL,
  data            TEXT NOT NULL,
  parties         TEXT NOT NULL,
  parent_id       TEXT COLLATE "C" NOT NULL DEFAULT '',
  revision        BIGINT NOT NULL,
  created_at_ms   BIGINT NOT NULL,
  updated_at_ms   BIGINT NOT NULL,
  next_due_ms     BIGINT,
  PRIMARY KEY (id)
);
CREATE INDEX cases_updated ON cases (updated_at_ms DESC, id);
CREATE INDEX cases_workflow ON cases (workflow);
CREATE INDEX cases_parent ON cases (parent_id, created_at_ms, id) WHERE parent_id <> '';
CREATE INDEX cases_next_due ON cases (next_due_ms) WHERE next_due_ms IS NOT NULL;

-- Append only: the store never updates or deletes a history row.
CREATE TABLE history (
  case_id         TEXT COLLATE "C" NOT NULL,
  seq             BIGINT NOT NULL,
  input           TEXT NOT NULL,
  actor           TEXT NOT NULL,
  effects         TEXT NOT NULL,
  at_ms           BIGINT NOT NULL,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
);

CREATE TABLE timers (
  case_id           TEXT COLLATE "C" NOT NULL,
  timer_id          BIGINT NOT NULL,        -- uint32 in records.h
  due_at_ms         BIGINT NOT NULL,
  state             TEXT NOT NULL,
  claimed_by        TEXT NOT NULL DEFAULT '',
  claimed_until_ms  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, timer_id)
);
CREATE INDEX timers_due ON timers (due_at_ms, case_id, timer_id);

-- The primary key starts with case_id (distribution column); MarkDelivered
-- and MarkFailed find a row by id alone through outbox_id.
CREATE TABLE outbox (
  id                  BIGSERIAL NOT NULL,
  case_id             TEXT COLLATE "C" NOT NULL,
  adapter             TEXT NOT NULL,
  payload             TEXT NOT NULL,
  idempotency_key     TEXT NOT NULL,
  attempts            INT NOT NULL DEFAULT 0,
  next_attempt_at_ms  BIGINT NOT NULL,
  status              TEXT NOT NULL,        -- 'pending' | 'delivered' | 'dead'
  last_error          TEXT NOT NULL DEFAULT '',
  claimed_by          TEXT NOT NULL DEFAULT '',
  claimed_until_ms    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, id)
);
CREATE INDEX outbox_id ON outbox (id);
CREATE INDEX outbox_pending ON outbox (next_attempt_at_ms, id) WHERE status = 'pending';
)sql";

// Migration 2 (issue 6): who may use the web server (web/auth/auth.h).
// Not keyed by case id: reference tables under Citus.
const char kV2Principals[] = R"sql(
CREATE TABLE principals (
  id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('token', 'user')),
  name            TEXT NOT NULL,
  role            TEXT NOT NULL,
  party           TEXT NOT NULL,
  secret_hash     TEXT NOT NULL,
  created_at_ms   BIGINT NOT NULL
);

CREATE TABLE sessions (
  id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  principal_id    TEXT NOT NULL,
  csrf_token      TEXT NOT NULL,
  created_at_ms   BIGINT NOT NULL,
  expires_at_ms   BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at_ms);
)sql";

// Migration 3 (issue 5): the hash of each case's newest history entry on its
// row, so a step needs no read of the history; filled for existing cases.
const char kV3CaseLastHash[] = R"sql(
ALTER TABLE cases ADD COLUMN last_hash TEXT NOT NULL DEFAULT '';
UPDATE cases SET last_hash = COALESCE(
  (SELECT h.hash FROM history h WHERE h.case_id = cases.id ORDER BY h.seq DESC LIMIT 1), '');
)sql";

// Migration 6 (issue 5): each attempt to deliver an outbox row to a channel,
// shown with the case's history. Append only; keyed by case_id (Citus:
// distributed by case_id, colocated with cases).
const char kV6DeliveryAttempts[] = R"sql(
CREATE TABLE delivery_attempts (
  id              BIGSERIAL NOT NULL,
  case_id         TEXT COLLATE "C" NOT NULL,
  outbox_id       BIGINT NOT NULL,
  attempt         INT NOT NULL,
  channel         TEXT NOT NULL,
  outcome         TEXT NOT NULL,            -- 'delivered' | 'retry' | 'dead'
  error           TEXT NOT NULL,
  at_ms           BIGINT NOT NULL,
  PRIMARY KEY (case_id, id)
);
)sql";

// Migration 5 (issue 5): pending follow-up inputs of committed steps
// (records.h FollowUpRow). Keyed by the asking case's id for Citus; the key
// alone is unique too, as the receiving step deletes by key.
const char kV5FollowUps[] = R"sql(
CREATE TABLE follow_ups (
  case_id           TEXT COLLATE "C" NOT NULL,
  key               TEXT COLLATE "C" NOT NULL,
  kind              TEXT NOT NULL,          -- 'start_child' | 'submit'
  target            TEXT COLLATE "C" NOT NULL,
  workflow          TEXT NOT NULL,
  input             TEXT NOT NULL,
  created_at_ms     BIGINT NOT NULL,
  claimed_by        TEXT NOT NULL DEFAULT '',
  claimed_until_ms  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, key)
);
CREATE UNIQUE INDEX follow_ups_key ON follow_ups (key);
CREATE INDEX follow_ups_creation ON follow_ups (created_at_ms, key);
)sql";

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "initial schema: definitions, cases, history, timers, outbox", kV1Schema},
      {2, "principals and sessions (web logins)", kV2Principals},
      {3, "cases.last_hash: the newest history entry's hash", kV3CaseLastHash},
      {5, "follow_ups: follow-up inputs of committed steps", kV5FollowUps},
      {6, "delivery_attempts: each outbox delivery attempt", kV6DeliveryAttempts},
  };
  return kMigrations;
}

void ApplyMigrations(pqxx::connection_base& connection) {
  pqxx::work txn(connection, "zgtflow_migrations");
  // Held until commit or rollback: a second node blocks here, then finds every
  // migration recorded and applies none.
  txn.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
  txn.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INT PRIMARY KEY,"
      " name TEXT NOT NULL,"
      " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  int applied = txn.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0].as<int>();
  for (const Migration& migration : Migrations()) {
    if (migration.version <= applied) continue;
    txn.exec(migration.sql);
    txn.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    migration.version, std::string(migration.name));
  }
  txn.commit();
}

}  // namespace zgtflow::store::postgres
