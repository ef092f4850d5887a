-- SQLite migration 7: history entries are stored in the order they are
-- committed (a rowid table), found by case through a unique index.
--
-- Why: as a WITHOUT ROWID table keyed by (case_id, seq), each new entry went
-- into the middle of the tree beside its case's older ones, about seven
-- entries to a page, so a batch of 22 steps of 22 cases rewrote about 40
-- history pages (B-tree splits included): 40 of the 53 WAL pages of a
-- sampled batch. Appended in commit order the entries share the last pages,
-- and the index's small entries (80 to a page) split rarely: 51 WAL pages a
-- batch instead of 72 over a whole run, and the durable benchmark about
-- 12 % faster (docs/performance.md).
-- The chain, its order by seq and the uniqueness of (case_id, seq) are as
-- before.

CREATE TABLE history_by_commit (
  case_id         TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  input           TEXT NOT NULL,
  actor           TEXT NOT NULL,
  effects         TEXT NOT NULL,
  at_ms           INTEGER NOT NULL,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL
);
-- Existing entries case by case, so reading one case's old history stays
-- a read of a few neighbouring pages.
INSERT INTO history_by_commit (case_id, seq, input, actor, effects, at_ms, prev_hash, hash)
  SELECT case_id, seq, input, actor, effects, at_ms, prev_hash, hash FROM history
  ORDER BY case_id, seq;
DROP TABLE history;
ALTER TABLE history_by_commit RENAME TO history;
CREATE UNIQUE INDEX history_by_case ON history (case_id, seq);
