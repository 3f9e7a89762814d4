-- Appointments at service halls. Times of day are 'HH:MM', days
-- 'YYYY-MM-DD' (Beijing time), instants store.Time text.

-- A hall's weekly opening hours (Schedule as JSON), parsed from the
-- catalogue's hours text or set by staff.
CREATE TABLE booking_schedules (
    hall_id    TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    source     TEXT NOT NULL,            -- parsed / staff
    notes      TEXT NOT NULL DEFAULT '', -- what the parser left out, one per line
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);

-- Holidays and make-up working days (调休), for every hall.
CREATE TABLE booking_calendar (
    day        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,            -- holiday / workday
    name       TEXT NOT NULL DEFAULT '',
    as_weekday INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE booking_window_items (
    window_id BIGINT NOT NULL,
    item_id   TEXT NOT NULL,
    PRIMARY KEY (window_id, item_id)
);
CREATE INDEX booking_window_items_item ON booking_window_items (item_id);

-- A slot row exists once someone books it; capacity is copied from the
-- window then. "booked" only moves through conditional updates
-- (booked < capacity), which is what keeps a slot from being overbooked.
CREATE TABLE booking_slots (
    window_id  BIGINT NOT NULL,
    day        TEXT NOT NULL,
    slot_start TEXT NOT NULL,
    capacity   INTEGER NOT NULL,
    booked     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (window_id, day, slot_start),
    CHECK (booked >= 0)
);
CREATE INDEX booking_slots_day ON booking_slots (day);
