-- SQLite schema, migration 6 (issue 5): each attempt to deliver an outbox row
-- to a channel, shown with the case's history. Append only.

CREATE TABLE delivery_attempts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id         TEXT NOT NULL,
  outbox_id       INTEGER NOT NULL,
  attempt         INTEGER NOT NULL,
  channel         TEXT NOT NULL,
  outcome         TEXT NOT NULL,          -- 'delivered' | 'retry' | 'dead'
  error           TEXT NOT NULL,
  at_ms           INTEGER NOT NULL
);
CREATE INDEX delivery_attempts_case ON delivery_attempts (case_id, id);
