package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ghcrportal/internal/onboarding"
)

// CreateOnboarding records a new onboarding.
func (s *Store) CreateOnboarding(ctx context.Context, o *onboarding.Onboarding) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO onboardings (id, owner_id, repository, image_name, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		o.ID,
		o.OwnerID,
		o.Repository,
		o.ImageName,
		ts(o.CreatedAt),
		ts(o.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create onboarding %s: %w", o.ID, dbError("onboarding", err))
	}
	return nil
}

// ListOnboardings returns the onboardings owned by a user, most recently
// updated first.
func (s *Store) ListOnboardings(ctx context.Context,
	ownerID string) ([]*onboarding.Onboarding, error) {
	rows, err := s.pool.Query(ctx, `
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

	list, err := pgx.CollectRows(rows, scanOnboarding)
	if err != nil {
		return nil, fmt.Errorf("list onboardings of user %s: %w", ownerID,
			dbError("onboarding", err))
	}
	return list, nil
}

// scanOnboarding reads a row of the columns of onboardings, in table order.
func scanOnboarding(row pgx.CollectableRow) (*onboarding.Onboarding, error) {
	var o onboarding.Onboarding
	err := row.Scan(
		&o.ID,
		&o.OwnerID,
		&o.Repository,
		&o.ImageName,
		&o.CreatedAt,
		&o.UpdatedAt)
	if err != nil {
		return nil, err
	}
	inUTC(&o.CreatedAt, &o.UpdatedAt)
	return &o, nil
}
