-- The waterlogging model's static picture: communities and grid cells
-- (kind), their ponding points, rain forecasts and checklist progress.
CREATE TABLE risk_areas (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    community      TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL,
    street         TEXT NOT NULL DEFAULT '',
    area_hm2       DOUBLE PRECISION NOT NULL,
    impervious     DOUBLE PRECISION NOT NULL,
    design_period  DOUBLE PRECISION NOT NULL,
    concentration  DOUBLE PRECISION NOT NULL DEFAULT 0,
    tide_influence DOUBLE PRECISION NOT NULL DEFAULT 0,
    garages        INTEGER NOT NULL DEFAULT 0,
    underpasses    INTEGER NOT NULL DEFAULT 0,
    pumps          INTEGER NOT NULL DEFAULT 0,
    elderly_alone  INTEGER NOT NULL DEFAULT 0,
    ground_floor   INTEGER NOT NULL DEFAULT 0,
    rain_gauges    TEXT NOT NULL DEFAULT '',
    level_gauges   TEXT NOT NULL DEFAULT '',
    river_gauge    TEXT NOT NULL DEFAULT '',
    workers        TEXT NOT NULL DEFAULT '',
    lon            DOUBLE PRECISION NOT NULL DEFAULT 0,
    lat            DOUBLE PRECISION NOT NULL DEFAULT 0,
    synthetic      INTEGER NOT NULL DEFAULT 0,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_areas_community ON risk_areas (community);

CREATE TABLE risk_ponding (
    id        TEXT PRIMARY KEY,
    area      TEXT NOT NULL,
    name      TEXT NOT NULL,
    gauge     TEXT NOT NULL DEFAULT '',
    max_depth DOUBLE PRECISION NOT NULL DEFAULT 0,
    day       TEXT NOT NULL DEFAULT '',
    cause     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_ponding_area ON risk_ponding (area);

-- Rain forecasts as a weather feed posts them; area '' is the district.
CREATE TABLE risk_forecasts (
    id        AUTO_ID,
    area      TEXT NOT NULL DEFAULT '',
    issued_at BIGINT NOT NULL,
    hours     INTEGER NOT NULL,
    rain_mm   DOUBLE PRECISION NOT NULL,
    source    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_forecasts_issued ON risk_forecasts (issued_at);

-- A ticked checklist item: per area, action and day (the checklist of a
-- storm starts afresh each day).
CREATE TABLE risk_checks (
    area    TEXT NOT NULL,
    action  TEXT NOT NULL,
    day     TEXT NOT NULL,
    done_by TEXT NOT NULL,
    done_at TEXT NOT NULL,
    PRIMARY KEY (area, action, day)
);
