-- Fire alarms from city sensors (smoke detectors, hydrant pressure): the
-- device that raised one, its kind and reading, who or what cleared it
-- ('sensor' when the device reported normal, else the staff member), and
-- the community's fire index just before and after it was raised. A
-- device has at most one open alarm (the partial unique index); latched
-- marks an alarm staff closed while the device still reported alarm: it
-- raises no new one until the device has reported normal once.
ALTER TABLE risk_fire_alarms ADD COLUMN device TEXT NOT NULL DEFAULT '';
ALTER TABLE risk_fire_alarms ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE risk_fire_alarms ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE risk_fire_alarms ADD COLUMN reading_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE risk_fire_alarms ADD COLUMN cleared_by TEXT NOT NULL DEFAULT '';
ALTER TABLE risk_fire_alarms ADD COLUMN latched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risk_fire_alarms ADD COLUMN index_before DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE risk_fire_alarms ADD COLUMN index_after DOUBLE PRECISION NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX risk_fire_alarms_device_open ON risk_fire_alarms (device) WHERE cleared_at = 0 AND device <> '';
CREATE INDEX risk_fire_alarms_device ON risk_fire_alarms (device, latched);
