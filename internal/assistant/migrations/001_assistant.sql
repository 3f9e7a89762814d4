-- Dialogue state between turns (current item, pending choices, booking
-- slots), so that any replica can continue any conversation.
CREATE TABLE assistant_state (
    conversation_id TEXT PRIMARY KEY,
    state           TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The governed sensitive-word lexicon staff edit. allow = 1 marks an
-- allow-list phrase (a legitimate phrase containing a listed word).
CREATE TABLE assistant_sensitive (
    word       TEXT PRIMARY KEY,
    category   TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL DEFAULT 'flag',
    allow      INTEGER NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
