-- Raw readings, keyed by (series, ts): a duplicate is stored once.
-- Range-partitioned by month on ts (Unix seconds); partitions are created
-- ahead of the data they hold (citymon ensurePartitions) and dropped whole
-- by retention. The time column is in the key and nothing refers to this
-- table, so a deployment may create it as a TimescaleDB hypertable
-- (create_hypertable('citymon_readings', 'ts', chunk_time_interval => 2592000))
-- instead of running this file.
CREATE TABLE citymon_readings (
    series BIGINT NOT NULL,
    ts     BIGINT NOT NULL,
    value  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series, ts)
) PARTITION BY RANGE (ts);
