-- A published item's pending revision: an edited copy going through
-- draft → review while the item keeps serving its published version.
-- At most one per item; publishing it replaces kb_items.data in the same
-- transaction that deletes it. base_version is the published version the
-- revision was made from (a revision of an older version is refused).
CREATE TABLE kb_item_revisions (
    item_id      TEXT PRIMARY KEY,
    data         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft',
    base_version INTEGER NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    submitted_by TEXT NOT NULL DEFAULT '',
    submitted_at TEXT
);

-- History rows about a pending revision name what happened to it
-- (saved, submitted, returned, published, discarded); '' is the item's
-- own state change.
ALTER TABLE kb_item_history ADD COLUMN revision TEXT NOT NULL DEFAULT '';
