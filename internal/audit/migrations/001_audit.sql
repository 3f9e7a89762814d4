-- Append-only audit trail of staff actions. Entries are hash-chained:
-- each carries the hash of the one before, so that a change made behind
-- the triggers' back (by a database owner) still shows in Log.Verify.
-- audit_head holds the last sequence number and hash; updating it in the
-- writing transaction serialises writers on both engines.
CREATE TABLE audit_log (
    id        BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    day       TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    target    TEXT NOT NULL DEFAULT '',
    details   TEXT NOT NULL DEFAULT '{}',
    ip        TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_target ON audit_log (target, id);
CREATE INDEX audit_log_day ON audit_log (day, id);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
