-- +goose Up
-- Expand only: a build that predates this migration keeps working. It leaves
-- tag and version to their defaults and writes no step rows; the store reads
-- a missing step as not started since the onboarding was created, and writes
-- all seven at the next save.
ALTER TABLE onboardings ADD COLUMN tag TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- inputs is a JSON object of form values by field name; results is a JSON
-- array of objects with the keys check, outcome, message and checked_at.
CREATE TABLE onboarding_steps (
    onboarding_id TEXT    NOT NULL REFERENCES onboardings (id) ON DELETE CASCADE,
    step          INTEGER NOT NULL CHECK (step BETWEEN 1 AND 7),
    state         TEXT    NOT NULL CHECK (
        state IN ('not_started', 'waiting', 'verified', 'verified_with_warnings', 'failed')
    ),
    inputs        TEXT    NOT NULL CHECK (json_type(inputs) = 'object'),
    results       TEXT    NOT NULL CHECK (json_type(results) = 'array'),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (onboarding_id, step)
) STRICT;

-- +goose Down
DROP TABLE onboarding_steps;
ALTER TABLE onboardings DROP COLUMN version;
ALTER TABLE onboardings DROP COLUMN tag;
