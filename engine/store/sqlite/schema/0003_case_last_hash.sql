-- SQLite migration 3: cases.last_hash, the hash of the case's newest history
-- entry (records.h CaseRow::last_hash), so a step finds its chain link on the
-- case row instead of reading the whole history. Filled for existing cases.

ALTER TABLE cases ADD COLUMN last_hash TEXT NOT NULL DEFAULT '';

UPDATE cases SET last_hash = COALESCE(
  (SELECT h.hash FROM history AS h WHERE h.case_id = cases.id ORDER BY h.seq DESC LIMIT 1), '');
