package sqlite

import (
	"context"
	"fmt"
	"time"

	"ghcrportal/internal/onboarding"
)

// CreateSession records a new session.
func (s *Store) CreateSession(ctx context.Context, sess *onboarding.Session) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO sessions (
			token_hash, user_id, is_admin, created_at, last_seen_at, expires_at
		)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		sess.TokenHash,
		sess.UserID,
		sess.IsAdmin,
		micros(sess.CreatedAt),
		micros(sess.LastSeenAt),
		micros(sess.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create session for user %s: %w", sess.UserID, dbError("session", err))
	}
	return nil
}

// GetSession returns the session with the given token hash and its user,
// whether or not it has expired.
func (s *Store) GetSession(ctx context.Context, tokenHash []byte) (*onboarding.Session,
	*onboarding.User, error) {
	var sess onboarding.Session
	var u onboarding.User
	err := s.db.QueryRowContext(ctx, `
		SELECT s.token_hash, s.user_id, s.is_admin, s.created_at, s.last_seen_at, s.expires_at,
			u.id, u.tenant_id, u.object_id, u.display_name, u.email, u.created_at,
			u.last_login_at
		FROM sessions AS s
		JOIN users AS u ON u.id = s.user_id
		WHERE s.token_hash = $1`,
		tokenHash).
		Scan(append(sessionFields(&sess), userFields(&u)...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("get session: %w", dbError("session", err))
	}
	return &sess, &u, nil
}

// sessionFields lists where the columns of sessions are scanned to, in table
// order.
func sessionFields(sess *onboarding.Session) []any {
	return []any{
		&sess.TokenHash,
		&sess.UserID,
		&sess.IsAdmin,
		scanTime(&sess.CreatedAt),
		scanTime(&sess.LastSeenAt),
		scanTime(&sess.ExpiresAt),
	}
}

// TouchSession moves a session's last-seen time forward to at. A time
// earlier than the one recorded leaves it as it is, so that requests
// finishing out of order cannot move it back.
func (s *Store) TouchSession(ctx context.Context, tokenHash []byte, at time.Time) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE sessions
		SET last_seen_at = max(last_seen_at, $2)
		WHERE token_hash = $1`,
		tokenHash, micros(at))
	if err != nil {
		return fmt.Errorf("touch session: %w", dbError("session", err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("touch session: %w",
			onboarding.Errorf(onboarding.ENotFound, "That session does not exist."))
	}
	return nil
}

// DeleteSession ends one session; ending one that does not exist is not an
// error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	if err != nil {
		return fmt.Errorf("delete session: %w", dbError("session", err))
	}
	return nil
}

// DeleteUserSessions ends every session of a user and says how many ended.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %s: %w", userID, dbError("session", err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %s: %w", userID, err)
	}
	return int(n), nil
}

// DeleteExpiredSessions removes sessions whose absolute expiry is at or
// before now, or whose last activity is at or before idleCutoff.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, idleCutoff time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `
		DELETE FROM sessions
		WHERE expires_at <= $1 OR last_seen_at <= $2`,
		micros(now), micros(idleCutoff))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", dbError("session", err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(n), nil
}
