-- Door-to-door service (上门办 / 福上门).

-- The catalogue: knowledge-base items marked doorstep, plus items staff add.
CREATE TABLE doorstep_items (
    item_id    TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    theme      TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL,             -- kb / staff
    active     INTEGER NOT NULL DEFAULT 1,
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX doorstep_items_theme ON doorstep_items (theme);
