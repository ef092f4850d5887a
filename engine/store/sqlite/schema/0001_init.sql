-- SQLite schema, migration 1: the five tables of engine/store/records.h.
-- Applied by SqliteStore at open, inside one transaction, and recorded in
-- schema_migrations. Never edit a released migration: add 0002_….sql.
-- Every table but definitions is keyed by case id (records.h).

CREATE TABLE definitions (
  workflow        TEXT NOT NULL,
  version         TEXT NOT NULL,
  source          TEXT NOT NULL,
  source_path     TEXT NOT NULL,
  deployed_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (workflow, version)
);

CREATE TABLE cases (
  id              TEXT NOT NULL PRIMARY KEY,
  workflow        TEXT NOT NULL,
  version         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('running', 'completed')),
  state           TEXT NOT NULL,            -- JSON array of active state names
  snapshot        TEXT NOT NULL,
  data            TEXT NOT NULL,
  parties         TEXT NOT NULL,            -- JSON object role -> [party]
  parent_id       TEXT NOT NULL,            -- '' for none
  revision        INTEGER NOT NULL,
  created_at_ms   INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL,
  next_due_ms     INTEGER                   -- NULL: no pending timer
);
CREATE INDEX cases_by_update ON cases (updated_at_ms DESC, id);
CREATE INDEX cases_by_workflow ON cases (workflow, updated_at_ms DESC, id);
CREATE INDEX cases_by_parent ON cases (parent_id, created_at_ms, id) WHERE parent_id <> '';
CREATE INDEX cases_by_next_due ON cases (next_due_ms) WHERE next_due_ms IS NOT NULL;

-- Append only: the store never updates or deletes a history row.
CREATE TABLE history (
  case_id         TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  input           TEXT NOT NULL,
  actor           TEXT NOT NULL,
  effects         TEXT NOT NULL,
  at_ms           INTEGER NOT NULL,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;

CREATE TABLE timers (
  case_id           TEXT NOT NULL,
  timer_id          INTEGER NOT NULL,
  due_at_ms         INTEGER NOT NULL,
  state             TEXT NOT NULL,
  claimed_by        TEXT NOT NULL DEFAULT '',
  claimed_until_ms  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, timer_id)
) WITHOUT ROWID;
CREATE INDEX timers_by_due ON timers (due_at_ms, case_id, timer_id);

-- AUTOINCREMENT: ids are never reused, even after the newest row is gone.
CREATE TABLE outbox (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id             TEXT NOT NULL,
  adapter             TEXT NOT NULL,
  payload             TEXT NOT NULL,
  idempotency_key     TEXT NOT NULL,
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms  INTEGER NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  last_error          TEXT NOT NULL DEFAULT '',
  claimed_by          TEXT NOT NULL DEFAULT '',
  claimed_until_ms    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_by_case ON outbox (case_id, id);
CREATE INDEX outbox_pending_by_attempt ON outbox (next_attempt_at_ms, id) WHERE status = 'pending';
