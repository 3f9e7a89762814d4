-- The assistant's record: conversations, turns (masked), citations,
-- feedback on the five-level 好差评 scale, handoff tickets and replies.
-- Days are 'YYYY-MM-DD' in the district's time zone, for statistics.
CREATE TABLE convo_conversations (
    id         TEXT PRIMARY KEY,
    channel    TEXT NOT NULL DEFAULT '',
    turns      INTEGER NOT NULL DEFAULT 0,
    day        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX convo_conversations_updated ON convo_conversations (updated_at);
CREATE INDEX convo_conversations_day ON convo_conversations (day);

CREATE TABLE convo_turns (
    id              AUTO_ID,
    conversation_id TEXT NOT NULL REFERENCES convo_conversations (id) ON DELETE CASCADE,
    idx             INTEGER NOT NULL,
    question        TEXT NOT NULL,
    status          TEXT NOT NULL,
    aspect          TEXT NOT NULL DEFAULT '',
    answer          TEXT NOT NULL DEFAULT '',
    generated       INTEGER NOT NULL DEFAULT 0,
    model           TEXT NOT NULL DEFAULT '',
    label_generator TEXT NOT NULL DEFAULT '',
    label_model     TEXT NOT NULL DEFAULT '',
    label_time      TEXT,
    latency_ms      BIGINT NOT NULL DEFAULT 0,
    day             TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (conversation_id, idx)
);
CREATE INDEX convo_turns_day_status ON convo_turns (day, status);

CREATE TABLE convo_citations (
    turn_id BIGINT NOT NULL REFERENCES convo_turns (id) ON DELETE CASCADE,
    pos     INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    PRIMARY KEY (turn_id, pos)
);
CREATE INDEX convo_citations_item ON convo_citations (item_id);

CREATE TABLE convo_feedback (
    turn_id         BIGINT PRIMARY KEY REFERENCES convo_turns (id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment         TEXT NOT NULL DEFAULT '',
    day             TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX convo_feedback_day ON convo_feedback (day);
CREATE INDEX convo_feedback_conversation ON convo_feedback (conversation_id);

CREATE TABLE convo_handoffs (
    id              AUTO_ID,
    conversation_id TEXT NOT NULL REFERENCES convo_conversations (id) ON DELETE CASCADE,
    turn_id         BIGINT,
    reason          TEXT NOT NULL DEFAULT '',
    transcript      TEXT NOT NULL DEFAULT '[]',
    state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'closed')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    claimed_by      TEXT NOT NULL DEFAULT '',
    claimed_at      TEXT,
    closed_by       TEXT NOT NULL DEFAULT '',
    closed_at       TEXT
);
CREATE INDEX convo_handoffs_state ON convo_handoffs (state, created_at);
CREATE INDEX convo_handoffs_conversation ON convo_handoffs (conversation_id);

CREATE TABLE convo_handoff_replies (
    id         AUTO_ID,
    handoff_id BIGINT NOT NULL REFERENCES convo_handoffs (id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX convo_handoff_replies_handoff ON convo_handoff_replies (handoff_id);
