-- +goose Up
-- Expand only: a build that predates this migration keeps working. The step
-- rows it inserts get no facts, which the store reads as none, and its saves
-- leave a step's facts as they were. It never limits events, so it writes no
-- rows to rate_limit_events.
--
-- facts is an object of what a step's checks learned, by name.
ALTER TABLE onboarding_steps
    ADD COLUMN facts jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(facts) = 'object');

-- One row for each event that AllowEvent let through, such as a token check
-- by one person, under the key it was counted by. The next check of a key
-- removes its rows older than the longest window that check counts.
CREATE TABLE rate_limit_events (
    key text        NOT NULL,
    at  timestamptz NOT NULL
);

CREATE INDEX rate_limit_events_key_at_idx ON rate_limit_events (key, at);

-- +goose Down
DROP TABLE rate_limit_events;

ALTER TABLE onboarding_steps DROP COLUMN facts;
