-- +goose Up
-- Times are INTEGER microseconds since the Unix epoch, UTC; booleans are 0 or 1.
CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    tenant_id     TEXT    NOT NULL,
    object_id     TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_login_at INTEGER NOT NULL,
    UNIQUE (tenant_id, object_id)
) STRICT;

CREATE TABLE sessions (
    token_hash   BLOB    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    is_admin     INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_last_seen_at_idx ON sessions (last_seen_at);

CREATE TABLE login_attempts (
    state_hash    BLOB    NOT NULL PRIMARY KEY,
    browser_hash  BLOB    NOT NULL,
    nonce         TEXT    NOT NULL,
    code_verifier TEXT    NOT NULL,
    return_to     TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX login_attempts_expires_at_idx ON login_attempts (expires_at);

CREATE TABLE onboardings (
    id         TEXT    NOT NULL PRIMARY KEY,
    owner_id   TEXT    NOT NULL REFERENCES users (id),
    repository TEXT    NOT NULL,
    image_name TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX onboardings_owner_id_updated_at_idx ON onboardings (owner_id, updated_at DESC);

-- +goose Down
DROP TABLE onboardings;
DROP TABLE login_attempts;
DROP TABLE sessions;
DROP TABLE users;
