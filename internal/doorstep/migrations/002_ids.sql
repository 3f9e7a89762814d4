CREATE TABLE doorstep_specialists (
    id           AUTO_ID,
    name         TEXT NOT NULL,
    org          TEXT NOT NULL DEFAULT '',
    phone_masked TEXT NOT NULL DEFAULT '',
    phone_sealed TEXT NOT NULL DEFAULT '',
    streets      TEXT NOT NULL DEFAULT '[]', -- JSON array
    themes       TEXT NOT NULL DEFAULT '[]', -- JSON array
    max_load     INTEGER NOT NULL DEFAULT 0, -- 0: no limit
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE doorstep_requests (
    id              AUTO_ID,
    number          TEXT UNIQUE,               -- SM-YYYYMMDD-NNNN, set right after insert
    kind            TEXT NOT NULL,             -- resident / enterprise
    applicant       TEXT NOT NULL,             -- a person's or an enterprise's name
    contact         TEXT NOT NULL DEFAULT '',  -- contact person, when an enterprise
    phone_masked    TEXT NOT NULL,
    phone_sealed    TEXT NOT NULL,
    phone_fp        TEXT NOT NULL,
    street          TEXT NOT NULL DEFAULT '',
    address_masked  TEXT NOT NULL DEFAULT '',
    address_sealed  TEXT NOT NULL DEFAULT '',
    item_id         TEXT NOT NULL,
    item_name       TEXT NOT NULL,
    theme           TEXT NOT NULL DEFAULT '',
    preferred       TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',  -- masked
    status          TEXT NOT NULL,
    specialist_id   BIGINT,
    reason          TEXT NOT NULL DEFAULT '',
    amount_fen      BIGINT NOT NULL DEFAULT 0,
    outcome         TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL DEFAULT '',
    conversation_id TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,             -- last transition
    due_at          TEXT,                      -- next step due by; NULL when closed
    flagged_at      TEXT,                      -- when the overdue sweep flagged it
    completed_at    TEXT
);
CREATE INDEX doorstep_requests_status ON doorstep_requests (status, due_at);
CREATE INDEX doorstep_requests_specialist ON doorstep_requests (specialist_id, status);
CREATE INDEX doorstep_requests_created ON doorstep_requests (created_at);

CREATE TABLE doorstep_events (
    id          AUTO_ID,
    request_id  BIGINT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);
CREATE INDEX doorstep_events_request ON doorstep_events (request_id, id);

-- One open request per phone number per item.
CREATE UNIQUE INDEX doorstep_open_request ON doorstep_requests (item_id, phone_fp)
    WHERE status IN ('submitted', 'accepted', 'assigned', 'visited');
