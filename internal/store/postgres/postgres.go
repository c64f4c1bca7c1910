// Package postgres implements store.Store on PostgreSQL through pgx. Open
// connects, applies the embedded migrations under an advisory lock and
// refuses a schema newer than this build knows.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// connectTimeout bounds how long Open waits for the database to answer.
const connectTimeout = 10 * time.Second

// Store is a store.Store kept in PostgreSQL.
type Store struct {
	pool  *pgxpool.Pool
	known int64 // the highest schema version this build knows
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at databaseURL, applies the migrations it
// lacks and returns a Store ready to serve. It fails if the database does not
// answer within ten seconds, or if its schema is newer than this build knows
// (the error then wraps store.ErrSchemaTooNew). A nil logger discards output.
func Open(ctx context.Context, databaseURL string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	pool, err := connect(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	known, err := migrate(ctx, pool, logger)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool, known: known}, nil
}

// connect builds the connection pool and waits for the database to answer.
func connect(ctx context.Context, databaseURL string) (*pgxpool.Pool, error) {
	cfg, err := poolConfig(databaseURL)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create database pool: %w", err)
	}

	pingCtx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database (waited up to %s): %w",
			connectTimeout, dbError("database", err))
	}
	return pool, nil
}

// poolConfig parses databaseURL and fills in the pool limits it leaves open.
func poolConfig(databaseURL string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// The parser's message can quote the URL, password and all.
		return nil, errors.New("parse database URL: not a valid PostgreSQL connection string")
	}
	// A limit set in the URL itself is kept.
	if !strings.Contains(databaseURL, "pool_max_conns") {
		cfg.MaxConns = 10
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.MaxConnLifetime = 30 * time.Minute
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	return cfg, nil
}

// Ready reports whether the database answers and holds exactly the schema
// version this build knows.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", dbError("database", err))
	}
	current, err := schemaVersion(ctx, s.pool)
	if err != nil {
		return err
	}
	return store.CheckSchemaVersion(current, s.known)
}

// Close releases the store's connections, waiting for those in use.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// withTx runs fn in a transaction, committing if it returns nil and rolling
// back otherwise.
func (s *Store) withTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// inUTC moves each time to UTC, which pgx does not do for timestamptz.
func inUTC(times ...*time.Time) {
	for _, t := range times {
		*t = t.UTC()
	}
}

// ts is the form in which every time is written.
func ts(t time.Time) time.Time {
	return onboarding.Timestamp(t)
}
