package sqlite_test

import (
	"testing"
	"time"

	"ghcrportal/internal/store"
	"ghcrportal/internal/store/storetest"
)

func TestAllowEventTwoStores(t *testing.T) {
	// Two stores on one data directory, as two processes on one machine have.
	dataDir := t.TempDir()
	storetest.CheckEventsTogether(t, mustOpen(t, dataDir), mustOpen(t, dataDir))
}

func TestAllowEventSweeps(t *testing.T) {
	dataDir := t.TempDir()
	s := mustOpen(t, dataDir)
	limits := []store.RateLimit{
		{Max: 2, Window: time.Minute},
		{Max: 5, Window: time.Hour},
	}
	for _, after := range []time.Duration{0, 30 * time.Second} {
		mustAllow(t, s, "ada", limits, created.Add(after))
		mustAllow(t, s, "bob", limits, created.Add(after))
	}

	// Within the longest window, every event of ada's is kept.
	mustAllow(t, s, "ada", limits, created.Add(10*time.Minute))
	checkEventCount(t, dataDir, "ada", 3)
	// Past it, the two oldest go; bob's stay until bob is checked again.
	mustAllow(t, s, "ada", limits, created.Add(time.Hour+time.Minute))
	checkEventCount(t, dataDir, "ada", 2)
	checkEventCount(t, dataDir, "bob", 2)
}

// mustAllow fails t unless s allows an event for key at tm.
func mustAllow(t *testing.T, s store.Store, key string, limits []store.RateLimit,
	tm time.Time) {
	t.Helper()
	got, err := s.AllowEvent(t.Context(), key, limits, tm)
	if err != nil || !got.Allowed {
		t.Fatalf("AllowEvent(%q) at %s = %+v, %v; want allowed", key, tm, got, err)
	}
}

// checkEventCount fails t unless the database in dataDir holds want events of
// key.
func checkEventCount(t *testing.T, dataDir, key string, want int) {
	t.Helper()
	var got int
	err := openFile(t, dataDir).
		QueryRowContext(t.Context(), `SELECT count(*) FROM rate_limit_events WHERE key = $1`, key).
		Scan(&got)
	if err != nil {
		t.Fatalf("count events of %q: %v", key, err)
	}
	if got != want {
		t.Errorf("events of %q = %d, want %d", key, got, want)
	}
}
