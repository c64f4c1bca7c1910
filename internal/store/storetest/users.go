package storetest

import (
	"strings"
	"testing"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

func testUpsertUserCreates(t *testing.T, s store.Store) {
	id := onboarding.Identity{TenantID: "tenant-a", ObjectID: "object-1"}
	got, err := s.UpsertUser(t.Context(), id, "Ada Lovelace", "ada@example.com", epoch)
	if err != nil {
		t.Fatalf("UpsertUser: %v", err)
	}
	if got.ID == "" {
		t.Fatal("UpsertUser returned a user without an ID")
	}
	want := &onboarding.User{
		ID:          got.ID,
		Identity:    id,
		DisplayName: "Ada Lovelace",
		Email:       "ada@example.com",
		CreatedAt:   stored(epoch),
		LastLoginAt: stored(epoch),
	}
	if d := diff(want, got); d != "" {
		t.Errorf("UpsertUser mismatch (-want +got):\n%s", d)
	}

	fetched, err := s.GetUser(t.Context(), got.ID)
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	if d := diff(want, fetched); d != "" {
		t.Errorf("GetUser mismatch (-want +got):\n%s", d)
	}
}

func testUpsertUserKeepsID(t *testing.T, s store.Store) {
	id := onboarding.Identity{TenantID: "tenant-a", ObjectID: "object-1"}
	first, err := s.UpsertUser(t.Context(), id, "Ada Byron", "ada@old.example", epoch)
	if err != nil {
		t.Fatalf("first UpsertUser: %v", err)
	}
	later := at(36 * time.Hour)
	second, err := s.UpsertUser(t.Context(), id, "Ada Lovelace", "ada@new.example", later)
	if err != nil {
		t.Fatalf("second UpsertUser: %v", err)
	}

	want := &onboarding.User{
		ID:          first.ID,
		Identity:    id,
		DisplayName: "Ada Lovelace",
		Email:       "ada@new.example",
		CreatedAt:   stored(epoch),
		LastLoginAt: stored(later),
	}
	if d := diff(want, second); d != "" {
		t.Errorf("second UpsertUser mismatch (-want +got):\n%s", d)
	}
	fetched, err := s.GetUser(t.Context(), first.ID)
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	if d := diff(want, fetched); d != "" {
		t.Errorf("GetUser mismatch (-want +got):\n%s", d)
	}
}

func testUpsertUserDistinctIdentities(t *testing.T, s store.Store) {
	// The same name and e-mail address throughout: neither identifies anyone.
	identities := []onboarding.Identity{
		{TenantID: "tenant-a", ObjectID: "object-1"},
		{TenantID: "tenant-a", ObjectID: "object-2"},
		{TenantID: "tenant-b", ObjectID: "object-1"},
	}
	seen := map[string]onboarding.Identity{}
	for _, id := range identities {
		u, err := s.UpsertUser(t.Context(), id, "Sam", "sam@example.com", epoch)
		if err != nil {
			t.Fatalf("UpsertUser(%v): %v", id, err)
		}
		if other, ok := seen[u.ID]; ok {
			t.Errorf("UpsertUser(%v) returned ID %q, already given to %v", id, u.ID, other)
		}
		seen[u.ID] = id
	}
}

func testGetUserNotFound(t *testing.T, s store.Store) {
	mustUser(t, s, "object-1")
	_, err := s.GetUser(t.Context(), "no-such-user")
	wantCode(t, err, onboarding.ENotFound)
}

// hostileText holds values that break stores which build SQL or JSON by
// hand, lose bytes to an encoding or cut long text.
var hostileText = []string{
	`' OR 1=1--`,
	`$1`,
	`?`,
	`"; DROP TABLE users; --`,
	`Robert'); DELETE FROM sessions; --`,
	`\x00 is not a NUL; \ and \\ are backslashes`,
	"tab\tnewline\ncarriage\rreturn",
	"emoji 🚀👩🏽‍💻 and a flag 🇳🇱",
	"עברית ومعها العربية",
	"e\u0301 and \u00e9 differ",
	"  leading and trailing spaces  ",
	`{"a":1}`,
	`[{"check":"x","outcome":"pass"}]`,
	`null`,
	`"quoted" and \"escaped\"`,
	`\u0041 is not an A, nor is \u00e9 an é`,
	`</script><b>&amp;</b>`,
	"line\u2028and\u2029paragraph separators",
	"bell\a, escape\x1b and unit separator\x1f",
	`100% %s %w`,
	"",
	strings.Repeat("long", 75),
	strings.Repeat("ü", 300),
}
