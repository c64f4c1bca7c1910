package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"ghcrportal/internal/onboarding"
)

// CreateLoginAttempt records a sign-in that has been sent to the identity
// provider. It also removes the attempts that expired at or before
// a.CreatedAt, which nobody can take any more, so that abandoned sign-ins do
// not pile up.
func (s *Store) CreateLoginAttempt(ctx context.Context, a *onboarding.LoginAttempt) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE expires_at <= $1`,
			micros(a.CreatedAt))
		if err != nil {
			return fmt.Errorf("sweep expired login attempts: %w", err)
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO login_attempts (
				state_hash, browser_hash, nonce, code_verifier, return_to, created_at, expires_at
			)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			a.StateHash,
			a.BrowserHash,
			a.Nonce,
			a.CodeVerifier,
			a.ReturnTo,
			micros(a.CreatedAt),
			micros(a.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("create login attempt: %w", dbError("sign-in attempt", err))
	}
	return nil
}

// TakeLoginAttempt removes and returns the attempt with the given state
// hash. Removal and reading are one statement, so of several concurrent
// takers exactly one gets the attempt. An attempt that expired at or before
// now is removed and reported as not found.
func (s *Store) TakeLoginAttempt(ctx context.Context, stateHash []byte,
	now time.Time) (*onboarding.LoginAttempt, error) {
	var a onboarding.LoginAttempt
	err := s.db.QueryRowContext(ctx, `
		DELETE FROM login_attempts
		WHERE state_hash = $1
		RETURNING state_hash, browser_hash, nonce, code_verifier, return_to, created_at,
			expires_at`,
		stateHash).
		Scan(
			&a.StateHash,
			&a.BrowserHash,
			&a.Nonce,
			&a.CodeVerifier,
			&a.ReturnTo,
			scanTime(&a.CreatedAt),
			scanTime(&a.ExpiresAt))
	if err != nil {
		return nil, fmt.Errorf("take login attempt: %w", dbError("sign-in attempt", err))
	}
	if !a.ExpiresAt.After(onboarding.Timestamp(now)) {
		return nil, fmt.Errorf("take login attempt: %w",
			onboarding.Errorf(onboarding.ENotFound, "That sign-in attempt has expired."))
	}
	return &a, nil
}
