-- Assessment results as `fuwu serve` stores them every cycle: the cycles
-- run, the latest assessment of every community and grid cell (one row
-- each, replaced every cycle; the JSON is risk.Assessment), and the
-- waterlogging incidents — a community's spell at yellow or above, from
-- the cycle it rose to the cycle it fell back.
CREATE TABLE risk_cycles (
    id          AUTO_ID,
    at          BIGINT NOT NULL,
    formula     TEXT NOT NULL,
    official    INTEGER NOT NULL DEFAULT 0,
    communities INTEGER NOT NULL,
    grids       INTEGER NOT NULL,
    took_ms     BIGINT NOT NULL DEFAULT 0,
    trigger_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_cycles_at ON risk_cycles (at);

CREATE TABLE risk_latest (
    area  TEXT PRIMARY KEY,
    kind  TEXT NOT NULL,
    at    BIGINT NOT NULL,
    level INTEGER NOT NULL,
    data  TEXT NOT NULL
);

CREATE TABLE risk_incidents (
    id         AUTO_ID,
    area       TEXT NOT NULL,
    name       TEXT NOT NULL,
    level      INTEGER NOT NULL,
    peak_level INTEGER NOT NULL,
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    ended_at   BIGINT NOT NULL DEFAULT 0,
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_incidents_open ON risk_incidents (ended_at, area);
