-- +goose Up
-- Expand only: a build that predates this migration keeps working. The step
-- rows it inserts get no facts, which the store reads as none, and its saves
-- leave a step's facts as they were. It never limits events, so it writes no
-- rows to rate_limit_events.
--
-- facts is a JSON object of what a step's checks learned, by name. SQLite
-- adds a NOT NULL column only with a constant default other than NULL, and
-- tests a CHECK given with ADD COLUMN against every row already there; '{}'
-- is a constant and passes the check, so the column can be added in place
-- without copying the table.
ALTER TABLE onboarding_steps
    ADD COLUMN facts TEXT NOT NULL DEFAULT '{}' CHECK (json_type(facts) = 'object');

-- One row for each event that AllowEvent let through, such as a token check
-- by one person, under the key it was counted by. The next check of a key
-- removes its rows older than the longest window that check counts.
CREATE TABLE rate_limit_events (
    key TEXT    NOT NULL,
    at  INTEGER NOT NULL
) STRICT;

CREATE INDEX rate_limit_events_key_at_idx ON rate_limit_events (key, at);

-- +goose Down
DROP TABLE rate_limit_events;
ALTER TABLE onboarding_steps DROP COLUMN facts;
