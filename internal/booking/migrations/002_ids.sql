CREATE TABLE booking_windows (
    id         AUTO_ID,
    hall_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    capacity   INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX booking_windows_hall ON booking_windows (hall_id);

CREATE TABLE booking_bookings (
    id              AUTO_ID,
    code            TEXT NOT NULL UNIQUE,
    hall_id         TEXT NOT NULL,
    window_id       BIGINT NOT NULL,
    item_id         TEXT NOT NULL,
    item_name       TEXT NOT NULL DEFAULT '',
    day             TEXT NOT NULL,
    slot_start      TEXT NOT NULL,
    slot_end        TEXT NOT NULL,
    name            TEXT NOT NULL,
    mobile_masked   TEXT NOT NULL,
    mobile_sealed   TEXT NOT NULL,
    mobile_fp       TEXT NOT NULL,
    id_masked       TEXT NOT NULL DEFAULT '',
    id_sealed       TEXT NOT NULL DEFAULT '',
    id_fp           TEXT,
    status          TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT '',
    conversation_id TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    checked_in_at   TEXT,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX booking_bookings_hall_day ON booking_bookings (hall_id, day);
CREATE INDEX booking_bookings_day ON booking_bookings (day);
-- One active booking per person per item per day, whoever wins a race.
CREATE UNIQUE INDEX booking_active_mobile ON booking_bookings (item_id, day, mobile_fp)
    WHERE status IN ('booked', 'checked_in');
CREATE UNIQUE INDEX booking_active_id ON booking_bookings (item_id, day, id_fp)
    WHERE status IN ('booked', 'checked_in') AND id_fp IS NOT NULL;

CREATE TABLE booking_events (
    id         AUTO_ID,
    booking_id BIGINT NOT NULL,
    action     TEXT NOT NULL,
    actor      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, id);
