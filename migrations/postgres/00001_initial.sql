-- +goose Up
CREATE TABLE users (
    id            text        PRIMARY KEY,
    tenant_id     text        NOT NULL,
    object_id     text        NOT NULL,
    display_name  text        NOT NULL,
    email         text        NOT NULL,
    created_at    timestamptz NOT NULL,
    last_login_at timestamptz NOT NULL,
    UNIQUE (tenant_id, object_id)
);

CREATE TABLE sessions (
    token_hash   bytea       PRIMARY KEY,
    user_id      text        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    is_admin     boolean     NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);

CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_last_seen_at_idx ON sessions (last_seen_at);

CREATE TABLE login_attempts (
    state_hash    bytea       PRIMARY KEY,
    browser_hash  bytea       NOT NULL,
    nonce         text        NOT NULL,
    code_verifier text        NOT NULL,
    return_to     text        NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX login_attempts_expires_at_idx ON login_attempts (expires_at);

CREATE TABLE onboardings (
    id         text        PRIMARY KEY,
    owner_id   text        NOT NULL REFERENCES users (id),
    repository text        NOT NULL,
    image_name text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE INDEX onboardings_owner_id_updated_at_idx ON onboardings (owner_id, updated_at DESC);

-- +goose Down
DROP TABLE onboardings;
DROP TABLE login_attempts;
DROP TABLE sessions;
DROP TABLE users;
