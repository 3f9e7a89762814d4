-- City operations: sensor devices, their readings and aggregates, what
-- was quarantined, and the environment modules built on them. Instants
-- of readings are Unix seconds (BIGINT): compact, ordered, and what the
-- PostgreSQL partitions range over. Days are 'YYYY-MM-DD' in Beijing time.

-- A device is a monitoring point: an air station, a water section, a
-- site's dust monitor, an enterprise outlet, a rain or water-level gauge,
-- a weather mast. params is JSON: [{"param":"PM2.5","unit":"µg/m³"}, …].
CREATE TABLE citymon_devices (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    street       TEXT NOT NULL DEFAULT '',
    community    TEXT NOT NULL DEFAULT '',
    lon          DOUBLE PRECISION NOT NULL DEFAULT 0,
    lat          DOUBLE PRECISION NOT NULL DEFAULT 0,
    owner        TEXT NOT NULL DEFAULT '',
    params       TEXT NOT NULL DEFAULT '[]',
    interval_s   INTEGER NOT NULL DEFAULT 3600,
    target_class TEXT NOT NULL DEFAULT '',
    lake         INTEGER NOT NULL DEFAULT 0,
    token_hash   TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1,
    last_seen    BIGINT NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX citymon_devices_kind ON citymon_devices (kind);

-- A series is one parameter of one device; readings refer to it by number.
CREATE TABLE citymon_series (
    id     AUTO_ID,
    device TEXT NOT NULL,
    param  TEXT NOT NULL,
    UNIQUE (device, param)
);

-- Hourly aggregates of raw readings, kept after the raw data expires.
-- hour is the Unix second the hour starts; the mean is sum / n.
CREATE TABLE citymon_hourly (
    series BIGINT NOT NULL,
    hour   BIGINT NOT NULL,
    n      INTEGER NOT NULL,
    sum    DOUBLE PRECISION NOT NULL,
    vmin   DOUBLE PRECISION NOT NULL,
    vmax   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series, hour)
);

-- Daily aggregates of the hourly means (Beijing days): hours is the
-- number of hours with data; max8h the day's maximum 8-hour mean where
-- the parameter has one (O3), NULL when too few hours made it invalid.
-- Recomputed from the hours by Settle for the days marked dirty.
CREATE TABLE citymon_daily (
    series BIGINT NOT NULL,
    day    TEXT NOT NULL,
    hours  INTEGER NOT NULL,
    mean   DOUBLE PRECISION NOT NULL,
    vmin   DOUBLE PRECISION NOT NULL,
    vmax   DOUBLE PRECISION NOT NULL,
    max8h  DOUBLE PRECISION,
    PRIMARY KEY (series, day)
);

-- Days whose hours changed since their daily row was computed: written in
-- the transaction that changed the hours, so a crash cannot lose one.
CREATE TABLE citymon_dirty_days (
    series BIGINT NOT NULL,
    day    BIGINT NOT NULL,
    PRIMARY KEY (series, day)
);

-- Readings not stored, with the reason: never dropped silently.
CREATE TABLE citymon_quarantine (
    id       AUTO_ID,
    received BIGINT NOT NULL,
    source   TEXT NOT NULL,
    device   TEXT NOT NULL DEFAULT '',
    param    TEXT NOT NULL DEFAULT '',
    ts       BIGINT NOT NULL DEFAULT 0,
    value    DOUBLE PRECISION,
    unit     TEXT NOT NULL DEFAULT '',
    reason   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '',
    raw      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX citymon_quarantine_received ON citymon_quarantine (received);
