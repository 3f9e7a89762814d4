-- A live hall's pending change: an edited copy of its details waiting for
-- a reviewer, while residents and the assistant keep getting the live
-- ones. At most one per hall; publishing it replaces kb_halls.data in the
-- same transaction that deletes it.
CREATE TABLE kb_hall_changes (
    hall_id      TEXT PRIMARY KEY,
    data         TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
