package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
	"ghcrportal/internal/store/sqlite"
	"ghcrportal/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return storetest.NewSQLite(t)
	})
}

func TestOpenCreatesDataDir(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data", "portal")
	mustOpen(t, dataDir)

	info, err := os.Stat(dataDir)
	if err != nil {
		t.Fatalf("data directory: %v", err)
	}
	if got := info.Mode().Perm(); got != 0o700 {
		t.Errorf("data directory mode = %v, want %v", got, os.FileMode(0o700))
	}
	if _, err := os.Stat(filepath.Join(dataDir, "portal.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
}

func TestOpenConcurrently(t *testing.T) {
	dataDir := t.TempDir()
	const starters = 6
	start := make(chan struct{})
	errs := make([]error, starters)
	var wg sync.WaitGroup
	for i := range starters {
		wg.Go(func() {
			<-start
			errs[i] = openAndCheck(t.Context(), dataDir)
		})
	}
	close(start)
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Errorf("starter %d: %v", i, err)
		}
	}
	checkVersionTable(t, dataDir)
}

// openAndCheck opens a store in dataDir, checks that it is ready and closes
// it.
func openAndCheck(ctx context.Context, dataDir string) error {
	s, err := sqlite.Open(ctx, dataDir, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Ready(ctx)
}

// helperDirEnv passes TestHelperOpen the data directory it is to open.
const helperDirEnv = "PORTAL_TEST_HELPER_DATA_DIR"

// TestHelperOpen is one replica of TestOpenConcurrentProcesses, which runs
// it in processes of its own; on its own it skips.
func TestHelperOpen(t *testing.T) {
	dataDir := os.Getenv(helperDirEnv)
	if dataDir == "" {
		t.Skip("runs only as a replica of TestOpenConcurrentProcesses")
	}
	if err := openAndCheck(t.Context(), dataDir); err != nil {
		t.Fatal(err)
	}
}

func TestOpenConcurrentProcesses(t *testing.T) {
	dataDir := t.TempDir()
	storetest.RunInProcesses(t, 4, "TestHelperOpen", helperDirEnv+"="+dataDir)
	checkVersionTable(t, dataDir)
}

// checkVersionTable fails t unless goose's table lists each embedded
// migration exactly once, in order, after goose's own version 0.
func checkVersionTable(t *testing.T, dataDir string) {
	t.Helper()
	db := openFile(t, dataDir)
	rows, err := db.QueryContext(t.Context(), `SELECT version_id FROM goose_db_version ORDER BY id`)
	if err != nil {
		t.Fatalf("read goose_db_version: %v", err)
	}
	defer rows.Close()
	var got []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatalf("read goose_db_version: %v", err)
		}
		got = append(got, v)
	}
	want := append([]int64{0}, storetest.MigrationVersions(t, "sqlite")...)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("goose_db_version mismatch (-want +got):\n%s", d)
	}
}

func TestSchemaTooNew(t *testing.T) {
	dataDir := t.TempDir()
	mustOpen(t, dataDir).Close()
	known := latestVersion(t)
	newer := known + 4
	mustExec(t, dataDir,
		`INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, 1)`, newer)

	_, err := sqlite.Open(t.Context(), dataDir, nil)
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want an error wrapping store.ErrSchemaTooNew", err)
	}
	wants := []string{fmt.Sprintf("version %d", newer), fmt.Sprintf("up to %d", known)}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open error %q does not say %q", err, want)
		}
	}
}

func TestReadyChecksSchemaVersion(t *testing.T) {
	tests := []struct {
		name       string
		change     string
		wantTooNew bool
	}{
		{
			name: "newer",
			change: `INSERT INTO goose_db_version (version_id, is_applied)
				VALUES ($1 + 1, 1)`,
			wantTooNew: true,
		},
		{
			name:   "older",
			change: `DELETE FROM goose_db_version WHERE version_id = $1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dataDir := t.TempDir()
			s := mustOpen(t, dataDir)
			mustExec(t, dataDir, tt.change, latestVersion(t))

			err := s.Ready(t.Context())
			if err == nil {
				t.Fatal("Ready = nil, want an error")
			}
			if got := errors.Is(err, store.ErrSchemaTooNew); got != tt.wantTooNew {
				t.Errorf("Ready = %v; wraps ErrSchemaTooNew = %t, want %t", err, got, tt.wantTooNew)
			}
		})
	}
}

func TestReadyAfterClose(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	s.Close()
	if err := s.Ready(t.Context()); err == nil {
		t.Error("Ready after Close = nil, want an error")
	}
}

func TestBusyIsUnavailable(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	s := mustOpen(t, dataDir)

	// Another connection holds the write lock past the store's busy timeout.
	conn, err := openFile(t, dataDir).Conn(t.Context())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatalf("take write lock: %v", err)
	}
	defer conn.ExecContext(context.Background(), `ROLLBACK`)

	id := onboarding.Identity{TenantID: "tenant-a", ObjectID: "object-1"}
	_, err = s.UpsertUser(t.Context(), id, "Ada", "ada@example.com", time.Now())
	if got := onboarding.ErrorCode(err); got != onboarding.EUnavailable {
		t.Errorf("UpsertUser error code = %q, want %q (error: %v)",
			got, onboarding.EUnavailable, err)
	}
}

// mustOpen opens a store in dataDir and closes it when t ends.
func mustOpen(t *testing.T, dataDir string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), dataDir, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// latestVersion returns the highest embedded migration version.
func latestVersion(t *testing.T) int64 {
	t.Helper()
	versions := storetest.MigrationVersions(t, "sqlite")
	return versions[len(versions)-1]
}

// mustExec runs sql on the database in dataDir, or ends t.
func mustExec(t *testing.T, dataDir, sql string, args ...any) {
	t.Helper()
	if _, err := openFile(t, dataDir).ExecContext(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// openFile opens the database file in dataDir directly, closing it when t
// ends.
func openFile(t *testing.T, dataDir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dataDir, "portal.db"))
	if err != nil {
		t.Fatalf("open database file: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
