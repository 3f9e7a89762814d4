-- The policy library: policies in the exchange format with their
-- publishing state, pending revisions of published ones, history, and the
-- field schema that names each field for staff and residents.
CREATE TABLE policy_policies (
    id           TEXT PRIMARY KEY,
    position     BIGINT NOT NULL,           -- order of the library (as the file had it): first wins a tie
    title        TEXT NOT NULL,
    target       TEXT NOT NULL,             -- person / enterprise
    mode         TEXT NOT NULL,             -- auto / apply
    state        TEXT NOT NULL,             -- draft / review / published / withdrawn
    effective    TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD, '' unbounded
    expires      TEXT NOT NULL DEFAULT '',
    data         TEXT NOT NULL,             -- the policy as JSON
    content_hash TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT '',
    submitted_by TEXT NOT NULL DEFAULT '',
    submitted_at TEXT,
    published_by TEXT NOT NULL DEFAULT '',
    published_at TEXT
);
CREATE INDEX policy_policies_state ON policy_policies (state, position);
CREATE INDEX policy_policies_expires ON policy_policies (state, expires);

-- The edited copy of a published policy, waiting for review while the
-- published version stays in force (one per policy).
CREATE TABLE policy_revisions (
    policy_id    TEXT PRIMARY KEY,
    data         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    state        TEXT NOT NULL,             -- draft / review
    base_version INTEGER NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    submitted_by TEXT NOT NULL DEFAULT '',
    submitted_at TEXT
);

CREATE TABLE policy_history (
    id        AUTO_ID,
    policy_id TEXT NOT NULL,
    version   INTEGER NOT NULL,
    state     TEXT NOT NULL,                -- the policy's state after the change
    revision  TEXT NOT NULL DEFAULT '',     -- what happened to its pending revision, if that changed
    actor     TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL
);
CREATE INDEX policy_history_policy ON policy_history (policy_id, id);

CREATE TABLE policy_fields (
    target     TEXT NOT NULL,
    key        TEXT NOT NULL,
    position   INTEGER NOT NULL,
    data       TEXT NOT NULL,               -- the Field as JSON
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (target, key)
);
