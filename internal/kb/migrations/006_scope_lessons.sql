CREATE TABLE kb_scope_lessons (
    id         AUTO_ID,
    kind       TEXT NOT NULL,
    phrase     TEXT NOT NULL,
    items      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'review',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
