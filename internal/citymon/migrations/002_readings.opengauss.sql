-- Raw readings, keyed by (series, ts): a duplicate is stored once.
-- openGauss does not take PostgreSQL's declarative partitions (PARTITION
-- OF; it has its own VALUES LESS THAN syntax), so here the table is plain
-- and retention deletes rows instead of dropping monthly partitions.
CREATE TABLE citymon_readings (
    series BIGINT NOT NULL,
    ts     BIGINT NOT NULL,
    value  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series, ts)
);
