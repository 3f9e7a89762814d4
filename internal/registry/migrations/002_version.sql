-- A counter raised by every change to the registries, so that whoever
-- keeps results derived from them can tell cheaply whether they changed.
CREATE TABLE registry_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO registry_state (id, version) VALUES (1, 0);
