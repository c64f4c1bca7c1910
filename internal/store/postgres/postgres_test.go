package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
	"ghcrportal/internal/store/postgres"
	"ghcrportal/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return storetest.NewPostgres(t)
	})
}

func TestOpenConcurrently(t *testing.T) {
	databaseURL := storetest.EmptyPostgresURL(t)
	const starters = 6
	start := make(chan struct{})
	errs := make([]error, starters)
	var wg sync.WaitGroup
	for i := range starters {
		wg.Go(func() {
			<-start
			errs[i] = openAndCheck(t.Context(), databaseURL)
		})
	}
	close(start)
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Errorf("starter %d: %v", i, err)
		}
	}
	checkVersionTable(t, databaseURL)
}

// openAndCheck opens a store on databaseURL, checks that it is ready and
// closes it.
func openAndCheck(ctx context.Context, databaseURL string) error {
	s, err := postgres.Open(ctx, databaseURL, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Ready(ctx)
}

// helperURLEnv passes TestHelperOpen the database it is to open.
const helperURLEnv = "PORTAL_TEST_HELPER_DATABASE_URL"

// TestHelperOpen is one replica of TestOpenConcurrentProcesses, which runs
// it in processes of its own; on its own it skips.
func TestHelperOpen(t *testing.T) {
	databaseURL := os.Getenv(helperURLEnv)
	if databaseURL == "" {
		t.Skip("runs only as a replica of TestOpenConcurrentProcesses")
	}
	if err := openAndCheck(t.Context(), databaseURL); err != nil {
		t.Fatal(err)
	}
}

func TestOpenConcurrentProcesses(t *testing.T) {
	databaseURL := storetest.EmptyPostgresURL(t)
	storetest.RunInProcesses(t, 4, "TestHelperOpen", helperURLEnv+"="+databaseURL)
	checkVersionTable(t, databaseURL)
}

// checkVersionTable fails t unless goose's table lists each embedded
// migration exactly once, in order, after goose's own version 0.
func checkVersionTable(t *testing.T, databaseURL string) {
	t.Helper()
	conn := connect(t, databaseURL)
	rows, err := conn.Query(t.Context(), `SELECT version_id FROM goose_db_version ORDER BY id`)
	if err != nil {
		t.Fatalf("read goose_db_version: %v", err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatalf("read goose_db_version: %v", err)
	}
	want := append([]int64{0}, storetest.MigrationVersions(t, "postgres")...)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("goose_db_version mismatch (-want +got):\n%s", d)
	}
}

func TestSchemaTooNew(t *testing.T) {
	databaseURL := storetest.PostgresURL(t)
	known := latestVersion(t)
	newer := known + 4
	insertVersion(t, databaseURL, newer)

	_, err := postgres.Open(t.Context(), databaseURL, nil)
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
				VALUES ($1 + 1, true)`,
			wantTooNew: true,
		},
		{
			name:   "older",
			change: `DELETE FROM goose_db_version WHERE version_id = $1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			databaseURL := storetest.PostgresURL(t)
			s := mustOpen(t, databaseURL)
			mustExec(t, databaseURL, tt.change, latestVersion(t))

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
	s := mustOpen(t, storetest.PostgresURL(t))
	s.Close()
	if err := s.Ready(t.Context()); err == nil {
		t.Error("Ready after Close = nil, want an error")
	}
}

func TestOpenUnreachable(t *testing.T) {
	const unreachable = "postgres://postgres@127.0.0.1:1/portal?sslmode=disable"
	started := time.Now()
	_, err := postgres.Open(t.Context(), unreachable, nil)
	if got := onboarding.ErrorCode(err); got != onboarding.EUnavailable {
		t.Errorf("Open error code = %q, want %q (error: %v)", got, onboarding.EUnavailable, err)
	}
	if elapsed := time.Since(started); elapsed > 12*time.Second {
		t.Errorf("Open gave up after %s, want at most about 10s", elapsed)
	}
}

func TestOpenKeepsPasswordOutOfErrors(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://portal:s3cret@db:port/portal", nil)
	if err == nil {
		t.Fatal("Open of a malformed URL = nil, want an error")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Open error %q shows the password", err)
	}
}

// mustOpen opens a store on databaseURL and closes it when t ends.
func mustOpen(t *testing.T, databaseURL string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), databaseURL, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// latestVersion returns the highest embedded migration version.
func latestVersion(t *testing.T) int64 {
	t.Helper()
	versions := storetest.MigrationVersions(t, "postgres")
	return versions[len(versions)-1]
}

// insertVersion records version in goose's table as if a newer build had
// applied it.
func insertVersion(t *testing.T, databaseURL string, version int64) {
	t.Helper()
	mustExec(t, databaseURL,
		`INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, version)
}

// mustExec runs sql on the database at databaseURL, or ends t.
func mustExec(t *testing.T, databaseURL, sql string, args ...any) {
	t.Helper()
	if _, err := connect(t, databaseURL).Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// connect opens a connection to databaseURL that is closed when t ends.
func connect(t *testing.T, databaseURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), databaseURL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
