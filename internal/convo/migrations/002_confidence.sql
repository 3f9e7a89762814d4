-- How sure an answer decided on the message alone was (0 when not
-- measured: follow-ups, questions, declines); the console's review of
-- unanswered questions also lists answers below convo.LowConfidence.
ALTER TABLE convo_turns ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 0;
