package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ghcrportal/internal/store"
)

// AllowEvent decides whether one more event with key fits within every limit
// at now, and records it at now if it does. Callers checking the same key, on
// this replica or another, take turns under a transaction-scoped advisory
// lock on a hash of the key, so that two can never both take the last room;
// keys whose hashes collide merely take turns too. Each check also removes
// the key's events older than the longest of its windows, so a key should
// always be checked against the same limits. No limits allow every event and
// record none.
func (s *Store) AllowEvent(ctx context.Context, key string, limits []store.RateLimit,
	now time.Time) (store.RateDecision, error) {
	if err := store.CheckLimits(limits); err != nil {
		return store.RateDecision{}, fmt.Errorf("allow event %q: %w", key, err)
	}
	if len(limits) == 0 {
		return store.RateDecision{Allowed: true}, nil
	}
	var decision store.RateDecision
	err := s.withTx(ctx, func(tx pgx.Tx) error {
		var err error
		decision, err = decideEvent(ctx, tx, key, limits, ts(now))
		return err
	})
	if err != nil {
		return store.RateDecision{}, fmt.Errorf("allow event %q: %w", key, dbError("event", err))
	}
	return decision, nil
}

// decideEvent makes AllowEvent's decision in tx and records an allowed event.
func decideEvent(ctx context.Context, tx pgx.Tx, key string, limits []store.RateLimit,
	now time.Time) (store.RateDecision, error) {
	if err := lockKey(ctx, tx, key); err != nil {
		return store.RateDecision{}, err
	}
	if err := sweepEvents(ctx, tx, key, now.Add(-store.LongestWindow(limits))); err != nil {
		return store.RateDecision{}, err
	}

	retryAt, err := fullUntil(ctx, tx, key, limits, now)
	if err != nil {
		return store.RateDecision{}, err
	}
	if !retryAt.IsZero() {
		return store.RateDecision{RetryAt: retryAt}, nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO rate_limit_events (key, at) VALUES ($1, $2)`, key, now)
	if err != nil {
		return store.RateDecision{}, fmt.Errorf("record event: %w", err)
	}
	return store.RateDecision{Allowed: true}, nil
}

// lockKey waits until tx holds the advisory lock on key, which it keeps until
// it ends. It must come first: under READ COMMITTED, the isolation level that
// PostgreSQL starts transactions with, each later statement then sees every
// event that the lock's previous holder committed.
func lockKey(ctx context.Context, tx pgx.Tx, key string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key)
	if err != nil {
		return fmt.Errorf("lock key: %w", err)
	}
	return nil
}

// sweepEvents removes the events of key at or before cutoff, which no window
// of the limits being checked reaches.
func sweepEvents(ctx context.Context, tx pgx.Tx, key string, cutoff time.Time) error {
	_, err := tx.Exec(ctx, `DELETE FROM rate_limit_events WHERE key = $1 AND at <= $2`,
		key, ts(cutoff))
	if err != nil {
		return fmt.Errorf("sweep old events: %w", err)
	}
	return nil
}

// fullUntil returns the earliest time at which every limit that the events
// of key fill at now has room again, or the zero time if none is full.
func fullUntil(ctx context.Context, tx pgx.Tx, key string, limits []store.RateLimit,
	now time.Time) (time.Time, error) {
	var until time.Time
	for _, l := range limits {
		free, err := limitFreesAt(ctx, tx, key, l, now)
		if err != nil {
			return time.Time{}, err
		}
		if free.After(until) {
			until = free
		}
	}
	return until, nil
}

// limitFreesAt returns when limit l on key has room again if the events in
// its window at now fill it, or the zero time if they do not. Of n events in
// the window, the one whose leaving brings the count below l.Max is the
// (n-l.Max+1)-th oldest, which is the l.Max-th newest; it exists only if
// n >= l.Max, and it leaves the window l.Window after it happened.
func limitFreesAt(ctx context.Context, tx pgx.Tx, key string, l store.RateLimit,
	now time.Time) (time.Time, error) {
	var at time.Time
	err := tx.QueryRow(ctx, `
		SELECT at
		FROM rate_limit_events
		WHERE key = $1 AND at > $2
		ORDER BY at DESC
		LIMIT 1 OFFSET $3`,
		key, ts(now.Add(-l.Window)), l.Max-1).
		Scan(&at)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, fmt.Errorf("count events in %s: %w", l.Window, err)
	}
	return at.Add(l.Window).UTC(), nil
}
