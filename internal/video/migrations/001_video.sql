-- Video-guided service (视频导办): the queue and the sessions' metadata.
-- Nothing of the call itself (media, chat, captions) is stored.
CREATE TABLE video_sessions (
    id              AUTO_ID,
    public_id       TEXT NOT NULL UNIQUE,       -- random; the resident's capability is its HMAC
    item_id         TEXT NOT NULL DEFAULT '',
    item_name       TEXT NOT NULL DEFAULT '',
    conversation_id TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL DEFAULT '',   -- chat / item / request
    status          TEXT NOT NULL,              -- waiting / active / ended / abandoned
    clerk           TEXT NOT NULL DEFAULT '',   -- staff user name
    clerk_name      TEXT NOT NULL DEFAULT '',
    clerk_number    TEXT NOT NULL DEFAULT '',   -- 工号
    hall            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    accepted_at     TEXT,
    consent_at      TEXT,
    ended_at        TEXT,
    ended_by        TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL DEFAULT '',
    rating          INTEGER NOT NULL DEFAULT 0, -- 1..5, 0 not rated
    comment         TEXT NOT NULL DEFAULT '',   -- masked
    resumes         INTEGER NOT NULL DEFAULT 0  -- reconnections after a drop
);
CREATE INDEX video_sessions_status ON video_sessions (status, created_at);
CREATE INDEX video_sessions_created ON video_sessions (created_at);
