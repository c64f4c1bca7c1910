package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store/steps"
)

// staleMessage tells a person that their save lost to a newer one.
const staleMessage = "This onboarding was changed in another tab or by someone else since " +
	"you opened this page. Reload it to see the latest, then make your change again."

// CreateOnboarding records a new onboarding and its seven steps in one
// transaction.
func (s *Store) CreateOnboarding(ctx context.Context, o *onboarding.Onboarding) error {
	if err := steps.CheckOrder(o); err != nil {
		return fmt.Errorf("create onboarding %s: %w", o.ID, err)
	}
	err := s.withTx(ctx, func(tx pgx.Tx) error {
		if err := insertOnboarding(ctx, tx, o); err != nil {
			return err
		}
		return writeSteps(ctx, tx, o)
	})
	if err != nil {
		return fmt.Errorf("create onboarding %s: %w", o.ID, dbError("onboarding", err))
	}
	return nil
}

// insertOnboarding writes the row of o, without its steps.
func insertOnboarding(ctx context.Context, tx pgx.Tx, o *onboarding.Onboarding) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO onboardings (
			id, owner_id, repository, image_name, tag, version, created_at, updated_at
		)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		o.ID,
		o.OwnerID,
		o.Repository,
		o.ImageName,
		o.Tag,
		o.Version,
		ts(o.CreatedAt),
		ts(o.UpdatedAt))
	return err
}

// GetOnboarding returns the onboarding with the given ID and its seven
// steps.
func (s *Store) GetOnboarding(ctx context.Context, id string) (*onboarding.Onboarding, error) {
	list, err := s.queryOnboardings(ctx, selectOnboardings+`
		WHERE o.id = $1
		ORDER BY s.step`,
		id)
	if err != nil {
		return nil, fmt.Errorf("get onboarding %s: %w", id, dbError("onboarding", err))
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("get onboarding %s: %w", id, notFound())
	}
	return list[0], nil
}

// ListOnboardings returns the onboardings owned by a user with their steps,
// most recently updated first, in a single query.
func (s *Store) ListOnboardings(ctx context.Context,
	ownerID string) ([]*onboarding.Onboarding, error) {
	list, err := s.queryOnboardings(ctx, selectOnboardings+`
		WHERE o.owner_id = $1
		ORDER BY o.updated_at DESC, o.id, s.step`,
		ownerID)
	if err != nil {
		return nil, fmt.Errorf("list onboardings of user %s: %w", ownerID,
			dbError("onboarding", err))
	}
	return list, nil
}

// UpdateOnboarding saves o's repository, image name, tag and seven steps if
// the stored version is still o.Version, then moves o to the next version,
// updated at at. A stored version that differs gives EConflict and changes
// nothing.
func (s *Store) UpdateOnboarding(ctx context.Context, o *onboarding.Onboarding,
	at time.Time) error {
	if err := steps.CheckOrder(o); err != nil {
		return fmt.Errorf("update onboarding %s: %w", o.ID, err)
	}
	var version int
	err := s.withTx(ctx, func(tx pgx.Tx) error {
		var err error
		if version, err = bumpOnboarding(ctx, tx, o, at); err != nil {
			return err
		}
		return writeSteps(ctx, tx, o)
	})
	if err != nil {
		return fmt.Errorf("update onboarding %s: %w", o.ID, dbError("onboarding", err))
	}
	o.Version, o.UpdatedAt = version, ts(at)
	return nil
}

// bumpOnboarding writes the row of o, without its steps, if its stored
// version is o.Version, and returns the version it moved to.
func bumpOnboarding(ctx context.Context, tx pgx.Tx, o *onboarding.Onboarding,
	at time.Time) (int, error) {
	var version int
	err := tx.QueryRow(ctx, `
		UPDATE onboardings
		SET repository = $3,
			image_name = $4,
			tag = $5,
			updated_at = $6,
			version = version + 1
		WHERE id = $1 AND version = $2
		RETURNING version`,
		o.ID,
		o.Version,
		o.Repository,
		o.ImageName,
		o.Tag,
		ts(at)).
		Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, missedUpdate(ctx, tx, o.ID)
	}
	return version, err
}

// missedUpdate says why an update matched no row: the onboarding is at
// another version than the one the caller read, or does not exist.
func missedUpdate(ctx context.Context, tx pgx.Tx, id string) error {
	var exists bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM onboardings WHERE id = $1)`, id).
		Scan(&exists)
	switch {
	case err != nil:
		return fmt.Errorf("look for onboarding: %w", err)
	case exists:
		return &onboarding.Error{Code: onboarding.EConflict, Message: staleMessage}
	}
	return notFound()
}

// notFound is the error for an onboarding that does not exist.
func notFound() error {
	return &onboarding.Error{Code: onboarding.ENotFound, Message: "That onboarding does not exist."}
}

// selectOnboardings reads onboardings joined to their steps, one row per
// step, so that a list and its steps come from one statement and one
// snapshot. An onboarding without step rows still gives a row, with step 0.
const selectOnboardings = `
	SELECT o.id, o.owner_id, o.repository, o.image_name, o.tag, o.version, o.created_at,
		o.updated_at, coalesce(s.step, 0), coalesce(s.state, ''), coalesce(s.inputs, '{}'),
		coalesce(s.results, '[]'), coalesce(s.facts, '{}'), coalesce(s.updated_at, o.created_at)
	FROM onboardings AS o
	LEFT JOIN onboarding_steps AS s ON s.onboarding_id = o.id`

// queryOnboardings runs a query built on selectOnboardings whose rows come
// grouped by onboarding, and gathers each onboarding with its steps.
func (s *Store) queryOnboardings(ctx context.Context, sql string,
	args ...any) ([]*onboarding.Onboarding, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var list []*onboarding.Onboarding
	for rows.Next() {
		var r steps.Row
		if err := scanRow(rows, &r); err != nil {
			return nil, err
		}
		if list, err = steps.Gather(list, &r); err != nil {
			return nil, err
		}
	}
	return list, rows.Err()
}

// scanRow reads the current row of a query built on selectOnboardings.
func scanRow(rows pgx.Rows, r *steps.Row) error {
	err := rows.Scan(
		&r.Onboarding.ID,
		&r.Onboarding.OwnerID,
		&r.Onboarding.Repository,
		&r.Onboarding.ImageName,
		&r.Onboarding.Tag,
		&r.Onboarding.Version,
		&r.Onboarding.CreatedAt,
		&r.Onboarding.UpdatedAt,
		&r.Step,
		&r.State,
		&r.Inputs,
		&r.Results,
		&r.Facts,
		&r.UpdatedAt)
	if err != nil {
		return fmt.Errorf("scan onboarding: %w", err)
	}
	inUTC(&r.Onboarding.CreatedAt, &r.Onboarding.UpdatedAt, &r.UpdatedAt)
	return nil
}
