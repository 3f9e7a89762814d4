-- The environment modules' own records.

-- Alert rules: a parameter beyond a threshold for a duration, on the
-- devices of a kind or one device. source says where the threshold comes
-- from; unverified marks one the standards note could not confirm.
CREATE TABLE citymon_rules (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT '',
    device      TEXT NOT NULL DEFAULT '',
    param       TEXT NOT NULL,
    op          TEXT NOT NULL,
    threshold   DOUBLE PRECISION NOT NULL,
    duration_s  INTEGER NOT NULL,
    level       INTEGER NOT NULL,
    escalate_s  INTEGER NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    unverified  INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT ''
);

-- Alerts. One alert is open per (rule, device, parameter) at a time
-- (dedup): a condition that persists updates it instead of raising more.
CREATE TABLE citymon_alerts (
    id         AUTO_ID,
    rule       TEXT NOT NULL,
    device     TEXT NOT NULL,
    param      TEXT NOT NULL DEFAULT '',
    dedup      TEXT NOT NULL,
    level      INTEGER NOT NULL,
    status     TEXT NOT NULL,
    message    TEXT NOT NULL,
    value      DOUBLE PRECISION,
    first_at   BIGINT NOT NULL,
    last_at    BIGINT NOT NULL,
    count      INTEGER NOT NULL DEFAULT 1,
    escalated  INTEGER NOT NULL DEFAULT 0,
    acked_by   TEXT NOT NULL DEFAULT '',
    acked_at   BIGINT NOT NULL DEFAULT 0,
    ack_note   TEXT NOT NULL DEFAULT '',
    closed_by  TEXT NOT NULL DEFAULT '',
    closed_at  BIGINT NOT NULL DEFAULT 0,
    close_note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX citymon_alerts_live ON citymon_alerts (dedup) WHERE status <> 'closed';
CREATE INDEX citymon_alerts_status ON citymon_alerts (status, first_at);

-- Key polluters: permit limits per outlet and parameter (an outlet is a
-- device of kind outlet; its owner is the enterprise).
CREATE TABLE citymon_limits (
    device     TEXT NOT NULL,
    param      TEXT NOT NULL,
    limit_val  DOUBLE PRECISION NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    permit     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (device, param)
);

-- Exceedance events: consecutive hours whose mean is above the limit.
CREATE TABLE citymon_exceedances (
    id          AUTO_ID,
    enterprise  TEXT NOT NULL,
    device      TEXT NOT NULL,
    param       TEXT NOT NULL,
    limit_val   DOUBLE PRECISION NOT NULL,
    start_hour  BIGINT NOT NULL,
    end_hour    BIGINT NOT NULL,
    hours       INTEGER NOT NULL,
    peak        DOUBLE PRECISION NOT NULL,
    status      TEXT NOT NULL,
    acked_by    TEXT NOT NULL DEFAULT '',
    acked_at    BIGINT NOT NULL DEFAULT 0,
    closed_by   TEXT NOT NULL DEFAULT '',
    closed_at   BIGINT NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX citymon_exceedances_start ON citymon_exceedances (device, param, start_hour);

-- Enforcement tasks, one per exceedance event unless staff add more.
CREATE TABLE citymon_tasks (
    id          AUTO_ID,
    event_id    BIGINT NOT NULL DEFAULT 0,
    enterprise  TEXT NOT NULL,
    title       TEXT NOT NULL,
    assignee    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    due         TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
);

-- Waste-treatment facilities: an inlet and an outlet monitoring point and
-- the design removal efficiency per parameter (JSON {"COD":0.9}).
CREATE TABLE citymon_facilities (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    enterprise  TEXT NOT NULL DEFAULT '',
    medium      TEXT NOT NULL,
    inlet       TEXT NOT NULL,
    outlet      TEXT NOT NULL,
    design      TEXT NOT NULL,
    capacity    DOUBLE PRECISION NOT NULL DEFAULT 0
);

-- Sensitive points near construction sites: schools, hospitals, homes.
CREATE TABLE citymon_sensitive (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    street  TEXT NOT NULL DEFAULT '',
    lon     DOUBLE PRECISION NOT NULL,
    lat     DOUBLE PRECISION NOT NULL
);

-- A site's dust-control measures, acknowledged day by day by its officer.
CREATE TABLE citymon_measures (
    site     TEXT NOT NULL,
    day      TEXT NOT NULL,
    measure  TEXT NOT NULL,
    done     INTEGER NOT NULL,
    officer  TEXT NOT NULL,
    at       BIGINT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (site, day, measure)
);
