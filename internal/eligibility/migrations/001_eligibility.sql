-- Stored matches of the registries against the published policies
-- (eligible and possible only), kept current as profiles and policies
-- change; outreach to the people found (政策找人); 免申即享 batches.
CREATE TABLE eligibility_results (
    profile_id  TEXT NOT NULL,
    policy_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    street      TEXT NOT NULL DEFAULT '',
    community   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,               -- eligible / possible
    amount_fen  BIGINT,                      -- NULL: the amount cannot be computed yet
    chosen      INTEGER,                     -- NULL, 1 or 0 (exclusive groups)
    excluded_by TEXT NOT NULL DEFAULT '',
    conditions  TEXT NOT NULL,               -- JSON: [{label, result, error}]
    as_of       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (profile_id, policy_id)
);
CREATE INDEX eligibility_results_policy ON eligibility_results (policy_id, status, street, community);

-- What the stored results were computed from: the day, the published
-- policies (a hash) and the registry (a fingerprint). When any differs
-- everything is matched again.
CREATE TABLE eligibility_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    as_of       TEXT NOT NULL,
    set_hash    TEXT NOT NULL,
    registry_fp TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
INSERT INTO eligibility_state (id, as_of, set_hash, registry_fp, updated_at) VALUES (1, '', '', '', '');

-- Who has been reached for a policy: a door-to-door request, a
-- notification, an approved 免申即享 batch. "Not yet served" is not here.
CREATE TABLE eligibility_outreach (
    id         AUTO_ID,
    policy_id  TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    channel    TEXT NOT NULL,                -- doorstep / notify / batch
    ref        TEXT NOT NULL DEFAULT '',     -- request number, batch id
    actor      TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX eligibility_outreach_policy ON eligibility_outreach (policy_id, profile_id);

CREATE TABLE eligibility_batches (
    id          AUTO_ID,
    policy_id   TEXT NOT NULL,
    title       TEXT NOT NULL,
    period      TEXT NOT NULL,               -- YYYY-MM the disbursement is for
    status      TEXT NOT NULL,               -- review / approved / returned
    as_of       TEXT NOT NULL,
    people      INTEGER NOT NULL DEFAULT 0,
    enterprises INTEGER NOT NULL DEFAULT 0,
    amount_fen  BIGINT NOT NULL DEFAULT 0,
    unit        TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TEXT,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX eligibility_batches_policy ON eligibility_batches (policy_id, period, status);

CREATE TABLE eligibility_batch_lines (
    batch_id    BIGINT NOT NULL,
    profile_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',    -- masked for persons
    street      TEXT NOT NULL DEFAULT '',
    community   TEXT NOT NULL DEFAULT '',
    amount_fen  BIGINT NOT NULL,
    reasons     TEXT NOT NULL,               -- JSON: the conditions as they passed
    PRIMARY KEY (batch_id, profile_id)
);
