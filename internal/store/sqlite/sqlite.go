// Package sqlite implements store.Store on a SQLite file through the pure-Go
// modernc.org/sqlite driver, for a single-machine portal. Open creates the
// data directory, applies the embedded migrations under a lock file and
// refuses a schema newer than this build knows.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// File names inside the data directory.
const (
	databaseFile = "portal.db"
	lockFileName = "migrate.lock"
)

// Store is a store.Store kept in a SQLite database file.
type Store struct {
	db    *sql.DB
	known int64 // the highest schema version this build knows
}

var _ store.Store = (*Store)(nil)

// Open creates dataDir if need be (mode 0700), opens the database file
// portal.db in it, applies the migrations it lacks and returns a Store ready
// to serve. Processes opening the same directory together take turns to
// migrate. It fails if the schema is newer than this build knows (the error
// then wraps store.ErrSchemaTooNew). A nil logger discards output.
func Open(ctx context.Context, dataDir string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(filepath.Join(dataDir, databaseFile)))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)

	known, err := migrateLocked(ctx, db, filepath.Join(dataDir, lockFileName), logger)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, known: known}, nil
}

// dsn returns the driver's name for the database file at path. Every
// connection waits up to five seconds for a lock, journals ahead of writing
// so that readers do not block the writer, enforces foreign keys, and starts
// transactions with the write lock so that they never fail half-way to
// upgrade it.
func dsn(path string) string {
	params := url.Values{}
	params.Add("_pragma", "busy_timeout(5000)")
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "foreign_keys(1)")
	params.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + params.Encode()
}

// Ready reports whether the database answers and holds exactly the schema
// version this build knows.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", dbError("database", err))
	}
	current, err := schemaVersion(ctx, s.db)
	if err != nil {
		return err
	}
	return store.CheckSchemaVersion(current, s.known)
}

// Close releases the store's connections.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// withTx runs fn in a transaction, committing if it returns nil and rolling
// back otherwise.
func (s *Store) withTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	// After a commit the rollback does nothing; after a failure its own error adds nothing.
	defer func() { _ = tx.Rollback() }()

	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}

// micros is the form in which every time is written: Unix microseconds.
func micros(t time.Time) int64 {
	return onboarding.Timestamp(t).UnixMicro()
}

// timeScanner reads a column of Unix microseconds into a UTC time.
type timeScanner struct {
	t *time.Time
}

// scanTime returns a destination for Scan that fills t.
func scanTime(t *time.Time) timeScanner {
	return timeScanner{t: t}
}

// Scan implements sql.Scanner.
func (ts timeScanner) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("scan time: got %T, want Unix microseconds", src)
	}
	*ts.t = time.UnixMicro(v).UTC()
	return nil
}
