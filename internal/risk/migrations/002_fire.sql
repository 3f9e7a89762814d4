-- Fire: indicator values per community (JSON by indicator key), open
-- alarms from smoke and hydrant-pressure sensors, and inspection tasks
-- tracked to closure.
CREATE TABLE risk_fire (
    community  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    street     TEXT NOT NULL DEFAULT '',
    vals       TEXT NOT NULL,
    synthetic  INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE risk_fire_alarms (
    id         AUTO_ID,
    community  TEXT NOT NULL,
    source     TEXT NOT NULL,
    raised_at  BIGINT NOT NULL,
    cleared_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX risk_fire_alarms_open ON risk_fire_alarms (cleared_at, community);

CREATE TABLE risk_fire_tasks (
    id         AUTO_ID,
    community  TEXT NOT NULL,
    text       TEXT NOT NULL,
    basis      TEXT NOT NULL DEFAULT '',
    day        TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_by  TEXT NOT NULL DEFAULT '',
    closed_at  TEXT NOT NULL DEFAULT '',
    UNIQUE (community, text, day)
);
