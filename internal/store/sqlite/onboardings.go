package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"ghcrportal/internal/onboarding"
)

// CreateOnboarding records a new onboarding.
func (s *Store) CreateOnboarding(ctx context.Context, o *onboarding.Onboarding) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO onboardings (id, owner_id, repository, image_name, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		o.ID,
		o.OwnerID,
		o.Repository,
		o.ImageName,
		micros(o.CreatedAt),
		micros(o.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create onboarding %s: %w", o.ID, dbError("onboarding", err))
	}
	return nil
}

// ListOnboardings returns the onboardings owned by a user, most recently
// updated first.
func (s *Store) ListOnboardings(ctx context.Context,
	ownerID string) ([]*onboarding.Onboarding, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, owner_id, repository, image_name, created_at, updated_at
		FROM onboardings
		WHERE owner_id = $1
		ORDER BY updated_at DESC, id`,
		ownerID)
	if err != nil {
		return nil, fmt.Errorf("list onboardings of user %s: %w", ownerID,
			dbError("onboarding", err))
	}
	defer rows.Close()

	var list []*onboarding.Onboarding
	for rows.Next() {
		o, err := scanOnboarding(rows)
		if err != nil {
			return nil, fmt.Errorf("scan onboarding: %w", err)
		}
		list = append(list, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list onboardings of user %s: %w", ownerID,
			dbError("onboarding", err))
	}
	return list, nil
}

// scanOnboarding reads a row of the columns of onboardings, in table order.
func scanOnboarding(rows *sql.Rows) (*onboarding.Onboarding, error) {
	var o onboarding.Onboarding
	err := rows.Scan(
		&o.ID,
		&o.OwnerID,
		&o.Repository,
		&o.ImageName,
		scanTime(&o.CreatedAt),
		scanTime(&o.UpdatedAt))
	if err != nil {
		return nil, err
	}
	return &o, nil
}
