package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"ghcrportal/internal/store"
	"ghcrportal/migrations"
)

// migrationLockID keys the advisory lock held while migrating; it spells
// "ghcrport" in ASCII so that it does not collide with goose's default.
const migrationLockID int64 = 0x67686372706f7274

// migrate applies the embedded migrations that the database lacks and
// returns the highest version this build knows. Replicas starting together
// take turns under an advisory lock, so each migration runs once.
func migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) (int64, error) {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	provider, err := newProvider(db)
	if err != nil {
		return 0, err
	}
	return upgrade(ctx, provider, logger)
}

// upgrade checks that the database is not ahead of this build and applies
// what it lacks.
func upgrade(ctx context.Context, provider *goose.Provider, logger *slog.Logger) (int64, error) {
	sources := provider.ListSources()
	if len(sources) == 0 {
		return 0, errors.New("prepare migrations: this build embeds none")
	}
	known := sources[len(sources)-1].Version

	// Asked first because it takes the lock: goose's check for pending
	// migrations does not, and replicas would race to create its table.
	current, err := provider.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if current > known {
		return 0, store.CheckSchemaVersion(current, known)
	}

	results, err := provider.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		logger.InfoContext(ctx, "applied migration",
			"version", r.Source.Version, "duration", r.Duration)
	}
	return known, nil
}

// newProvider returns a goose provider for the embedded PostgreSQL migrations.
func newProvider(db *sql.DB) (*goose.Provider, error) {
	dir, err := fs.Sub(migrations.FS, "postgres")
	if err != nil {
		return nil, fmt.Errorf("open embedded migrations: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, dir,
		goose.WithSessionLocker(advisoryLocker{id: migrationLockID}),
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("prepare migrations: %w", err)
	}
	return provider, nil
}

// advisoryLocker is a goose session locker that waits on a session-level
// advisory lock. goose's own PostgreSQL locker polls in whole seconds, which
// makes replicas starting together wait several seconds each; this one is
// woken by PostgreSQL the moment the lock is free.
type advisoryLocker struct {
	id int64
}

var _ lock.SessionLocker = advisoryLocker{}

// SessionLock waits until conn holds the lock or ctx ends.
func (l advisoryLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, l.id); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	return nil
}

// SessionUnlock releases the lock that conn holds.
func (l advisoryLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	var released bool
	row := conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock($1)`, l.id)
	if err := row.Scan(&released); err != nil {
		return fmt.Errorf("release migration lock: %w", err)
	}
	if !released {
		return errors.New("release migration lock: this session did not hold it")
	}
	return nil
}

// schemaVersion returns the highest migration version recorded in the
// database.
func schemaVersion(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	var version int64
	err := pool.QueryRow(ctx, `SELECT coalesce(max(version_id), 0) FROM goose_db_version`).
		Scan(&version)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", dbError("database", err))
	}
	return version, nil
}
