package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"

	"ghcrportal/internal/store"
	"ghcrportal/migrations"
)

// migrateLocked applies the embedded migrations that the database lacks,
// holding the lock file at lockPath throughout so that processes starting
// together run each migration once. It returns the highest version this
// build knows.
func migrateLocked(ctx context.Context, db *sql.DB, lockPath string,
	logger *slog.Logger) (int64, error) {
	unlock, err := lockFile(ctx, lockPath)
	if err != nil {
		return 0, fmt.Errorf("lock migrations: %w", err)
	}
	defer unlock()

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

// newProvider returns a goose provider for the embedded SQLite migrations.
func newProvider(db *sql.DB) (*goose.Provider, error) {
	dir, err := fs.Sub(migrations.FS, "sqlite")
	if err != nil {
		return nil, fmt.Errorf("open embedded migrations: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectSQLite3, db, dir,
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("prepare migrations: %w", err)
	}
	return provider, nil
}

// schemaVersion returns the highest migration version recorded in the
// database.
func schemaVersion(ctx context.Context, db *sql.DB) (int64, error) {
	var version int64
	err := db.QueryRowContext(ctx, `SELECT coalesce(max(version_id), 0) FROM goose_db_version`).
		Scan(&version)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", dbError("database", err))
	}
	return version, nil
}
