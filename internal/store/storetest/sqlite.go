package storetest

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ghcrportal/internal/store"
	"ghcrportal/internal/store/sqlite"
	"ghcrportal/migrations"
)

// NewSQLite returns a SQLite store in a temporary directory, holding the
// current schema and no rows. The store is closed when t ends.
func NewSQLite(t testing.TB) store.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), t.TempDir(), discardLogger())
	if err != nil {
		t.Fatalf("open SQLite store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// MigrationVersions returns the versions of the embedded migrations for
// dialect ("postgres" or "sqlite") in ascending order, read from the
// numbers that begin their file names.
func MigrationVersions(t testing.TB, dialect string) []int64 {
	t.Helper()
	names, err := fs.Glob(migrations.FS, dialect+"/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("list %s migrations: found %d, error %v", dialect, len(names), err)
	}
	var versions []int64
	for _, name := range names {
		base := strings.TrimPrefix(name, dialect+"/")
		number, _, _ := strings.Cut(base, "_")
		v, err := strconv.ParseInt(number, 10, 64)
		if err != nil {
			t.Fatalf("migration %s: name does not begin with a version: %v", name, err)
		}
		versions = append(versions, v)
	}
	slices.Sort(versions)
	return versions
}
