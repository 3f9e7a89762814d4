CREATE TABLE kb_synonyms (
    id         AUTO_ID,
    phrase     TEXT NOT NULL,
    terms      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'review',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
