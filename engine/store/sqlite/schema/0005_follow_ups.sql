-- SQLite migration 5: follow_ups, the pending follow-up inputs of committed
-- steps (records.h FollowUpRow): written with the step, deleted by the step
-- that carries them out, claimed with a lease by the recovery pass.

CREATE TABLE follow_ups (
  key               TEXT NOT NULL PRIMARY KEY,
  case_id           TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('start_child', 'submit')),
  target            TEXT NOT NULL,
  workflow          TEXT NOT NULL,
  input             TEXT NOT NULL,
  created_at_ms     INTEGER NOT NULL,
  claimed_by        TEXT NOT NULL DEFAULT '',
  claimed_until_ms  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX follow_ups_by_case ON follow_ups (case_id, key);
CREATE INDEX follow_ups_by_creation ON follow_ups (created_at_ms, key);
