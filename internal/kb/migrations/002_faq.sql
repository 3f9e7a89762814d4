CREATE TABLE kb_faq (
    id         AUTO_ID,
    item_id    TEXT NOT NULL DEFAULT '',
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'draft',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX kb_faq_item ON kb_faq (item_id);
