package sqlite_test

import (
	"io/fs"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pressly/goose/v3"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
	"ghcrportal/migrations"
)

// created is when the onboardings of these tests were created, as stored.
var created = time.Date(2025, time.March, 14, 15, 9, 26, 535897000, time.UTC)

func TestOnboardingWrittenByOlderBuild(t *testing.T) {
	dataDir := t.TempDir()
	s := mustOpen(t, dataDir)
	u := mustUser(t, s)
	// What the build before migration 2 writes: no tag, no version, no steps.
	mustExec(t, dataDir, `
		INSERT INTO onboardings (id, owner_id, repository, image_name, created_at, updated_at)
		VALUES ($1, $2, 'org/repo', 'api', $3, $4)`,
		"older", u.ID, created.UnixMicro(), created.Add(time.Hour).UnixMicro())

	want := onboarding.NewOnboarding("older", u.ID, created)
	want.Repository, want.ImageName, want.UpdatedAt = "org/repo", "api", created.Add(time.Hour)
	checkOnboarding(t, s, want)

	// The first save writes the seven steps that the older build left out.
	want.Tag = "v1.0.0"
	publish := want.Step(onboarding.StepPublish)
	publish.State, publish.Inputs = onboarding.Waiting, map[string]string{"tag": "v1.0.0"}
	if err := s.UpdateOnboarding(t.Context(), want, created.Add(2*time.Hour)); err != nil {
		t.Fatalf("UpdateOnboarding: %v", err)
	}
	checkOnboarding(t, s, want)
}

func TestStepWrittenBeforeFacts(t *testing.T) {
	dataDir := t.TempDir()
	s := mustOpen(t, dataDir)
	u := mustUser(t, s)
	// What the build before migration 3 writes: a step without facts.
	mustExec(t, dataDir, `
		INSERT INTO onboardings (
			id, owner_id, repository, image_name, tag, version, created_at, updated_at
		)
		VALUES ($1, $2, 'org/repo', 'api', 'v1.0.0', 1, $3, $3)`,
		"older", u.ID, created.UnixMicro())
	mustExec(t, dataDir, `
		INSERT INTO onboarding_steps (onboarding_id, step, state, inputs, results, updated_at)
		VALUES ($1, 1, 'waiting', '{"tag": "v1.0.0"}', '[]', $2)`,
		"older", created.UnixMicro())

	want := onboarding.NewOnboarding("older", u.ID, created)
	want.Repository, want.ImageName, want.Tag = "org/repo", "api", "v1.0.0"
	publish := want.Step(onboarding.StepPublish)
	publish.State, publish.Inputs = onboarding.Waiting, map[string]string{"tag": "v1.0.0"}
	checkOnboarding(t, s, want)
}

func TestMigrationsDownAndUp(t *testing.T) {
	dataDir := t.TempDir()
	s := mustOpen(t, dataDir)
	u := mustUser(t, s)
	o := onboarding.NewOnboarding("kept", u.ID, created)
	o.Repository, o.Tag = "org/repo", "v1.0.0"
	o.Step(onboarding.StepPublish).Inputs = map[string]string{"tag": "v1.0.0"}
	o.Step(onboarding.StepToken).Facts = map[string]string{onboarding.FactTokenLogin: "svc-portal"}
	if err := s.CreateOnboarding(t.Context(), o); err != nil {
		t.Fatalf("CreateOnboarding: %v", err)
	}
	s.Close()

	// Down to the schema before facts, then Open migrates up again: the
	// steps have lost their facts and kept the rest.
	migrateDownTo(t, dataDir, 2)
	o.Step(onboarding.StepToken).Facts = nil
	checkOnboarding(t, mustOpen(t, dataDir), o)

	// Down to the schema before steps, then Open migrates up again: the
	// onboarding has lost its tag and steps, as if an older build wrote it.
	migrateDownTo(t, dataDir, 1)
	want := onboarding.NewOnboarding("kept", u.ID, created)
	want.Repository = "org/repo"
	checkOnboarding(t, mustOpen(t, dataDir), want)

	migrateDownTo(t, dataDir, 0)
	if err := mustOpen(t, dataDir).Ready(t.Context()); err != nil {
		t.Errorf("Ready after migrating down and up again: %v", err)
	}
}

// migrateDownTo rolls the database back to schema version, running the
// Down sections of the embedded migrations above it.
func migrateDownTo(t *testing.T, dataDir string, version int64) {
	t.Helper()
	db := openFile(t, dataDir)
	dir, err := fs.Sub(migrations.FS, "sqlite")
	if err != nil {
		t.Fatalf("open embedded migrations: %v", err)
	}
	provider, err := goose.NewProvider(goose.DialectSQLite3, db, dir,
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatalf("prepare migrations: %v", err)
	}
	if _, err := provider.DownTo(t.Context(), version); err != nil {
		t.Fatalf("migrate down to %d: %v", version, err)
	}
}

// mustUser signs in a person at created and returns their user.
func mustUser(t *testing.T, s store.Store) *onboarding.User {
	t.Helper()
	id := onboarding.Identity{TenantID: "tenant-a", ObjectID: "object-1"}
	u, err := s.UpsertUser(t.Context(), id, "Ada", "ada@example.com", created)
	if err != nil {
		t.Fatalf("UpsertUser: %v", err)
	}
	return u
}

// checkOnboarding fails t unless the stored onboarding with want's ID is
// want, nil inputs, results and facts included.
func checkOnboarding(t *testing.T, s store.Store, want *onboarding.Onboarding) {
	t.Helper()
	got, err := s.GetOnboarding(t.Context(), want.ID)
	if err != nil {
		t.Fatalf("GetOnboarding: %v", err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("GetOnboarding mismatch (-want +got):\n%s", d)
	}
}
