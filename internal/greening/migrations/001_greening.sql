-- Greening maintenance: the inventory, the maintenance knowledge staff
-- edit (species and task rules as JSON documents), issued plans, work
-- orders and the monthly health survey.

-- Trees. health is the grade A (健康) … D (濒死); ancient_grade is the
-- 古树名木 protection grade (一级/二级/三级/名木) or ''. lean in degrees,
-- root_space the open soil around the trunk in m², decay 0 (none) … 3
-- (severe), target what a fall would hit (road, school, residential …).
CREATE TABLE greening_trees (
    id            TEXT PRIMARY KEY,
    species       TEXT NOT NULL,
    dbh_cm        DOUBLE PRECISION NOT NULL DEFAULT 0,
    height_m      DOUBLE PRECISION NOT NULL DEFAULT 0,
    crown_m       DOUBLE PRECISION NOT NULL DEFAULT 0,
    lean_deg      DOUBLE PRECISION NOT NULL DEFAULT 0,
    planted       TEXT NOT NULL DEFAULT '',
    lon           DOUBLE PRECISION NOT NULL,
    lat           DOUBLE PRECISION NOT NULL,
    street        TEXT NOT NULL,
    community     TEXT NOT NULL DEFAULT '',
    road          TEXT NOT NULL DEFAULT '',
    health        TEXT NOT NULL DEFAULT 'A',
    ancient       INTEGER NOT NULL DEFAULT 0,
    ancient_grade TEXT NOT NULL DEFAULT '',
    root_space    DOUBLE PRECISION NOT NULL DEFAULT 0,
    decay         INTEGER NOT NULL DEFAULT 0,
    target        TEXT NOT NULL DEFAULT '',
    synthetic     INTEGER NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX greening_trees_street ON greening_trees (street, species);

-- Green spaces, by the 城市绿化条例 第十条 categories.
CREATE TABLE greening_spaces (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    category   TEXT NOT NULL,
    area_m2    DOUBLE PRECISION NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    street     TEXT NOT NULL,
    lon        DOUBLE PRECISION NOT NULL DEFAULT 0,
    lat        DOUBLE PRECISION NOT NULL DEFAULT 0,
    synthetic  INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX greening_spaces_street ON greening_spaces (street);

-- Streets' land area and resident population, for coverage and per-capita
-- public green space.
CREATE TABLE greening_streets (
    name       TEXT PRIMARY KEY,
    area_km2   DOUBLE PRECISION NOT NULL,
    population INTEGER NOT NULL,
    synthetic  INTEGER NOT NULL DEFAULT 0
);

-- The maintenance knowledge: kind 'species' or 'rule', a JSON document,
-- and whether an expert has reviewed it.
CREATE TABLE greening_knowledge (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    doc         TEXT NOT NULL,
    reviewed    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, id)
);

-- Planned work, counted when a plan is issued: per month, street and task
-- type, for "done vs planned".
CREATE TABLE greening_planned (
    month    TEXT NOT NULL,
    street   TEXT NOT NULL,
    task     TEXT NOT NULL,
    trees    INTEGER NOT NULL,
    PRIMARY KEY (month, street, task)
);

-- Work orders. source: plan, prediction, patrol, resident.
CREATE TABLE greening_orders (
    id          AUTO_ID,
    source      TEXT NOT NULL,
    task        TEXT NOT NULL,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    tree_id     TEXT NOT NULL DEFAULT '',
    trees       INTEGER NOT NULL DEFAULT 1,
    street      TEXT NOT NULL DEFAULT '',
    lon         DOUBLE PRECISION NOT NULL DEFAULT 0,
    lat         DOUBLE PRECISION NOT NULL DEFAULT 0,
    team        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    reporter    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    done_at     TEXT,
    done_by     TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL DEFAULT '',
    health      TEXT NOT NULL DEFAULT '',
    synthetic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX greening_orders_status ON greening_orders (status, due_at);
CREATE INDEX greening_orders_tree ON greening_orders (tree_id, task);

-- The monthly health survey: trees per grade by street and species.
CREATE TABLE greening_health (
    month    TEXT NOT NULL,
    street   TEXT NOT NULL,
    species  TEXT NOT NULL,
    grade    TEXT NOT NULL,
    trees    INTEGER NOT NULL,
    PRIMARY KEY (month, street, species, grade)
);
