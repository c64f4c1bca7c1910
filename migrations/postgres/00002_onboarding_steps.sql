-- +goose Up
-- Expand only: a build that predates this migration keeps working. It leaves
-- tag and version to their defaults and writes no step rows; the store reads
-- a missing step as not started since the onboarding was created, and writes
-- all seven at the next save.
ALTER TABLE onboardings
    ADD COLUMN tag     text    NOT NULL DEFAULT '',
    ADD COLUMN version integer NOT NULL DEFAULT 1;

-- inputs is an object of form values by field name; results is an array of
-- objects with the keys check, outcome, message and checked_at.
CREATE TABLE onboarding_steps (
    onboarding_id text        NOT NULL REFERENCES onboardings (id) ON DELETE CASCADE,
    step          integer     NOT NULL CHECK (step BETWEEN 1 AND 7),
    state         text        NOT NULL CHECK (
        state IN ('not_started', 'waiting', 'verified', 'verified_with_warnings', 'failed')
    ),
    inputs        jsonb       NOT NULL CHECK (jsonb_typeof(inputs) = 'object'),
    results       jsonb       NOT NULL CHECK (jsonb_typeof(results) = 'array'),
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (onboarding_id, step)
);

-- +goose Down
DROP TABLE onboarding_steps;

ALTER TABLE onboardings
    DROP COLUMN version,
    DROP COLUMN tag;
