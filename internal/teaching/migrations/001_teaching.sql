-- The teachers' assistant: lesson plans with versions, the question bank,
-- students' results, peer-help pairs and drafts of answers to students.
-- JSON columns hold structures the database never queries into.

CREATE TABLE teaching_plans (
    id         AUTO_ID,
    title      TEXT NOT NULL,
    form       TEXT NOT NULL,          -- JSON LessonForm
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- Every save is a new version; the plan is its latest.
CREATE TABLE teaching_plan_versions (
    plan_id    BIGINT NOT NULL REFERENCES teaching_plans (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    body       TEXT NOT NULL,          -- JSON sections and sources
    ai         INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, version)
);

CREATE TABLE teaching_questions (
    id          TEXT PRIMARY KEY,
    subject     TEXT NOT NULL DEFAULT '',
    grade       TEXT NOT NULL DEFAULT '',
    qtype       TEXT NOT NULL,
    stem        TEXT NOT NULL,
    options     TEXT NOT NULL DEFAULT '[]', -- JSON array
    answer      TEXT NOT NULL,
    analysis    TEXT NOT NULL DEFAULT '',
    points      TEXT NOT NULL DEFAULT '[]', -- JSON array of knowledge points
    difficulty  INTEGER NOT NULL,           -- 1 easy … 5 hard
    updated_at  TEXT NOT NULL
);

-- One row per student per question per class: importing again replaces it.
CREATE TABLE teaching_results (
    class       TEXT NOT NULL,
    student     TEXT NOT NULL,
    question_id TEXT NOT NULL,
    score       DOUBLE PRECISION NOT NULL, -- 0 … 1
    taken_on    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (class, student, question_id)
);

CREATE TABLE teaching_pairs (
    id         AUTO_ID,
    class      TEXT NOT NULL,
    point      TEXT NOT NULL,
    helper     TEXT NOT NULL,
    learner    TEXT NOT NULL,
    helper_mastery  DOUBLE PRECISION NOT NULL,
    learner_mastery DOUBLE PRECISION NOT NULL,
    status     TEXT NOT NULL,            -- proposed / approved / rejected
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX teaching_pairs_unique ON teaching_pairs (class, point, helper, learner);

CREATE TABLE teaching_drafts (
    id          AUTO_ID,
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    sources     TEXT NOT NULL DEFAULT '[]', -- JSON array of Source
    ai          INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,              -- draft / edited / shareable
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    edited_by   TEXT NOT NULL DEFAULT '',
    edited_at   TEXT,
    shared_by   TEXT NOT NULL DEFAULT '',
    shared_at   TEXT
);
