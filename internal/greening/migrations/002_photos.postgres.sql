-- Work-order photos (before/after), checked to be images and size-limited
-- before they are stored.
CREATE TABLE greening_photos (
    id         BIGSERIAL PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES greening_orders(id) ON DELETE CASCADE,
    phase      TEXT NOT NULL,
    mime       TEXT NOT NULL,
    data       BYTEA NOT NULL,
    size       INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX greening_photos_order ON greening_photos (order_id);
