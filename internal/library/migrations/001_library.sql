-- The document library: collections, documents (one row per version of a
-- law) and their articles. Article text is stored as JSON paragraphs so
-- that 款 and 项 survive a round trip; the search index is rebuilt from
-- these rows at start.

CREATE TABLE library_collections (
    name        TEXT PRIMARY KEY,
    title       TEXT NOT NULL DEFAULT '',
    visibility  TEXT NOT NULL,             -- public / staff
    roles       TEXT NOT NULL DEFAULT '',  -- comma-separated, for staff collections
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE library_documents (
    id          AUTO_ID,
    collection  TEXT NOT NULL REFERENCES library_collections (name),
    work        TEXT NOT NULL,              -- the title without 《》: groups versions
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,              -- law / sections
    issuer      TEXT NOT NULL DEFAULT '',
    doc_number  TEXT NOT NULL DEFAULT '',
    promulgated TEXT NOT NULL DEFAULT '',
    effective   TEXT NOT NULL DEFAULT '',
    version     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '[]', -- JSON array
    source      TEXT NOT NULL,
    format      TEXT NOT NULL,
    needs_ocr   TEXT NOT NULL DEFAULT '[]', -- JSON array of page numbers
    sha256      TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL DEFAULT ''
);
-- One row per version of a work in a collection: importing it again
-- replaces it.
CREATE UNIQUE INDEX library_documents_version ON library_documents (collection, work, version);

CREATE TABLE library_articles (
    document_id BIGINT NOT NULL REFERENCES library_documents (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    label       TEXT NOT NULL,
    main_no     INTEGER NOT NULL DEFAULT 0,
    sub_no      INTEGER NOT NULL DEFAULT 0,
    path        TEXT NOT NULL DEFAULT '[]', -- JSON array of headings
    paragraphs  TEXT NOT NULL,              -- JSON array of {text, items}
    PRIMARY KEY (document_id, seq)
);
