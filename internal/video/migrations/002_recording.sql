-- Recording, off unless fuwu serve --video-record-days is set: the
-- resident's separate consent to be recorded, and the recordings, sealed
-- chunk by chunk under the deployment's keyring (internal/privacy), each
-- with the instant it must be deleted by.
ALTER TABLE video_sessions ADD COLUMN record_consent_at TEXT;
CREATE TABLE video_recordings (
    id          AUTO_ID,
    session_id  TEXT NOT NULL,     -- video_sessions.public_id
    part        INTEGER NOT NULL,  -- one recorder's run (a resumed call starts a new part)
    seq         INTEGER NOT NULL,  -- chunk within the part, from 0
    mime        TEXT NOT NULL DEFAULT '',
    size        INTEGER NOT NULL,  -- bytes before sealing
    data_sealed TEXT NOT NULL,     -- the chunk, sealed
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,     -- created_at + the retention configured when it was recorded
    UNIQUE (session_id, part, seq)
);
CREATE INDEX video_recordings_expires ON video_recordings (expires_at);
