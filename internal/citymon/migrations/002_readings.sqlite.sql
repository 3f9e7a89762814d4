-- Raw readings, keyed by (series, ts): a duplicate is stored once.
-- WITHOUT ROWID keeps the key and the value in one b-tree.
CREATE TABLE citymon_readings (
    series BIGINT NOT NULL,
    ts     BIGINT NOT NULL,
    value  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series, ts)
) WITHOUT ROWID;
