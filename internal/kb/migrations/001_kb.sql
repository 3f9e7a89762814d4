-- Items keep their whole record as JSON (the fixture format) next to the
-- columns that are filtered on; the record is the source of truth.
CREATE TABLE kb_items (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    theme        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'draft',
    data         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT '',
    submitted_by TEXT NOT NULL DEFAULT '',
    submitted_at TEXT,
    published_by TEXT NOT NULL DEFAULT '',
    published_at TEXT
);
CREATE INDEX kb_items_status ON kb_items (status);
CREATE INDEX kb_items_theme ON kb_items (theme);

CREATE TABLE kb_halls (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE kb_policies (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every state change of an item, with who and when.
CREATE TABLE kb_item_history (
    item_id    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    status     TEXT NOT NULL,
    actor      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX kb_item_history_item ON kb_item_history (item_id, at);
