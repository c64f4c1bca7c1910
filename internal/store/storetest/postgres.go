package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
	"ghcrportal/internal/store/postgres"
	"ghcrportal/migrations"
)

// Where the tests find a PostgreSQL server whose user may create databases.
const (
	adminURLEnv     = "PORTAL_TEST_DATABASE_URL"
	defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
)

// templateLockID keys the advisory lock under which one test process builds
// the template database while the others wait.
const templateLockID int64 = 0x706f7274616c746d // "portaltm"

// adminTimeout bounds each statement the helpers run on the admin database.
const adminTimeout = 30 * time.Second

// NewPostgres returns a PostgreSQL store on a database of its own, holding
// the current schema and no rows. The store is closed and the database
// dropped when t ends.
func NewPostgres(t testing.TB) store.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), PostgresURL(t), discardLogger())
	if err != nil {
		t.Fatalf("open PostgreSQL store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresURL returns the URL of a new database for t that holds the current
// schema and no rows; it is dropped when t ends. The database is copied from
// a template migrated once per set of migration files. When PostgreSQL cannot
// be reached the test is skipped, or failed if the CI variable is set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := connectAdmin(t)
	defer admin.Close(context.Background())

	template := ensureTemplate(t, admin)
	return createDatabase(t, admin, template)
}

// EmptyPostgresURL returns the URL of a new database for t with no schema at
// all, for tests of migration itself; it is dropped when t ends.
func EmptyPostgresURL(t testing.TB) string {
	t.Helper()
	admin := connectAdmin(t)
	defer admin.Close(context.Background())

	return createDatabase(t, admin, "template0")
}

// adminURL returns the URL of the database the helpers connect to in order
// to create and drop others.
func adminURL() string {
	if u := os.Getenv(adminURLEnv); u != "" {
		return u
	}
	return defaultAdminURL
}

// connectAdmin connects to the admin database, or ends t if it cannot.
func connectAdmin(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL())
	if err == nil {
		return conn
	}

	msg := fmt.Sprintf("PostgreSQL is not reachable: %v\n"+
		"Start PostgreSQL, or set %s to the URL of a database whose user may create "+
		"databases (default %s).", err, adminURLEnv, defaultAdminURL)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return nil
}

// ensureTemplate returns the name of the template database for the embedded
// migrations, building it first if no test process has yet.
func ensureTemplate(t testing.TB, admin *pgx.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	name := "portal_template_" + migrationsHash(t)

	// Closing admin would release the lock too, but not before the copy is made.
	mustExec(t, admin, `SELECT pg_advisory_lock($1)`, templateLockID)
	defer admin.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, templateLockID)

	var exists bool
	err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).
		Scan(&exists)
	if err != nil {
		t.Fatalf("look for template database: %v", err)
	}
	if !exists {
		buildTemplate(t, admin, name)
	}
	return name
}

// buildTemplate migrates a new database and turns it into the template
// called name. It is built under another name and renamed when complete, so
// that a process that dies half-way leaves no template behind. Connections
// to the finished template are refused, so that none is open while it is
// copied.
func buildTemplate(t testing.TB, admin *pgx.Conn, name string) {
	t.Helper()
	building := name + "_building"
	mustExec(t, admin, `DROP DATABASE IF EXISTS `+quote(building)+` WITH (FORCE)`)
	mustExec(t, admin, `CREATE DATABASE `+quote(building)+` TEMPLATE template0`)

	s, err := postgres.Open(t.Context(), databaseURL(t, building), discardLogger())
	if err != nil {
		t.Fatalf("migrate template database: %v", err)
	}
	s.Close()

	mustExec(t, admin, `ALTER DATABASE `+quote(building)+` RENAME TO `+quote(name))
	mustExec(t, admin, `ALTER DATABASE `+quote(name)+
		` WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`)
}

// createDatabase creates a database copied from template, drops it when t
// ends, and returns its URL.
func createDatabase(t testing.TB, admin *pgx.Conn, template string) string {
	t.Helper()
	name := "portal_test_" + hex.EncodeToString(onboarding.RandomBytes(8))
	mustExec(t, admin, `CREATE DATABASE `+quote(name)+` TEMPLATE `+quote(template))
	t.Cleanup(func() { dropDatabase(t, name) })
	return databaseURL(t, name)
}

// dropDatabase drops the database called name, closing any connection left
// open to it.
func dropDatabase(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		t.Errorf("drop database %s: %v", name, err)
		return
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `DROP DATABASE IF EXISTS `+quote(name)+` WITH (FORCE)`)
	if err != nil {
		t.Errorf("drop database %s: %v", name, err)
	}
}

// databaseURL returns the admin URL with its database replaced by name.
func databaseURL(t testing.TB, name string) string {
	t.Helper()
	u, err := url.Parse(adminURL())
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL", adminURLEnv)
	}
	u.Path = "/" + name
	return u.String()
}

// migrationsHash returns a short hash of the embedded PostgreSQL migrations,
// so that a change to any of them gets a template of its own.
func migrationsHash(t testing.TB) string {
	t.Helper()
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, "postgres", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n%s", path, len(b), b)
		return nil
	})
	if err != nil {
		t.Fatalf("hash migrations: %v", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// mustExec runs sql on conn, or ends t if it fails.
func mustExec(t testing.TB, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// quote returns name quoted as an SQL identifier.
func quote(name string) string {
	return pgx.Identifier{name}.Sanitize()
}

// discardLogger returns a logger that writes nothing.
func discardLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}
