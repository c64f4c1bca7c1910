package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"ghcrportal/internal/onboarding"
)

// UpsertUser records a sign-in for the person with the given identity,
// creating them on first sign-in and refreshing their name and e-mail
// address otherwise.
func (s *Store) UpsertUser(ctx context.Context, id onboarding.Identity, displayName, email string,
	at time.Time) (*onboarding.User, error) {
	row := s.db.QueryRowContext(ctx, `
		INSERT INTO users (
			id, tenant_id, object_id, display_name, email, created_at, last_login_at
		)
		VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (tenant_id, object_id) DO UPDATE
		SET display_name = excluded.display_name,
			email = excluded.email,
			last_login_at = excluded.last_login_at
		RETURNING id, tenant_id, object_id, display_name, email, created_at, last_login_at`,
		onboarding.NewID(), id.TenantID, id.ObjectID, displayName, email, micros(at))
	u, err := scanUser(row)
	if err != nil {
		return nil, fmt.Errorf("upsert user %s/%s: %w", id.TenantID, id.ObjectID,
			dbError("user", err))
	}
	return u, nil
}

// GetUser returns the user with the given portal ID.
func (s *Store) GetUser(ctx context.Context, id string) (*onboarding.User, error) {
	row := s.db.QueryRowContext(ctx, `
		SELECT id, tenant_id, object_id, display_name, email, created_at, last_login_at
		FROM users
		WHERE id = $1`,
		id)
	u, err := scanUser(row)
	if err != nil {
		return nil, fmt.Errorf("get user %s: %w", id, dbError("user", err))
	}
	return u, nil
}

// scanUser reads a row of the columns of users, in table order.
func scanUser(row *sql.Row) (*onboarding.User, error) {
	var u onboarding.User
	if err := row.Scan(userFields(&u)...); err != nil {
		return nil, err
	}
	return &u, nil
}

// userFields lists where the columns of users are scanned to, in table order.
func userFields(u *onboarding.User) []any {
	return []any{
		&u.ID,
		&u.Identity.TenantID,
		&u.Identity.ObjectID,
		&u.DisplayName,
		&u.Email,
		scanTime(&u.CreatedAt),
		scanTime(&u.LastLoginAt),
	}
}
