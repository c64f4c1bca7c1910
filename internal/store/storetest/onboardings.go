package storetest

import (
	"testing"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// newOnboarding returns an onboarding of the owner's for repository, created
// at epoch and updated at updated.
func newOnboarding(ownerID, repository string, updated time.Time) *onboarding.Onboarding {
	return &onboarding.Onboarding{
		ID:         onboarding.NewID(),
		OwnerID:    ownerID,
		Repository: repository,
		ImageName:  "ghcr.io/" + repository,
		CreatedAt:  stored(epoch),
		UpdatedAt:  stored(updated),
	}
}

// mustOnboarding records o, or ends t.
func mustOnboarding(t *testing.T, s store.Store, o *onboarding.Onboarding) {
	t.Helper()
	if err := s.CreateOnboarding(t.Context(), o); err != nil {
		t.Fatalf("CreateOnboarding: %v", err)
	}
}

// checkOnboardings fails t unless the owner's onboardings are want, in order.
func checkOnboardings(t *testing.T, s store.Store, ownerID string, want []*onboarding.Onboarding) {
	t.Helper()
	got, err := s.ListOnboardings(t.Context(), ownerID)
	if err != nil {
		t.Fatalf("ListOnboardings: %v", err)
	}
	if d := diff(want, got); d != "" {
		t.Errorf("ListOnboardings(%s) mismatch (-want +got):\n%s", ownerID, d)
	}
}

func testOnboardingsOrderAndOwners(t *testing.T, s store.Store) {
	ada, bob, cy := mustUser(t, s, "ada"), mustUser(t, s, "bob"), mustUser(t, s, "cy")
	// Created in an order that is neither the order of updates nor its reverse.
	middle := newOnboarding(ada.ID, "ada/middle", at(2*time.Hour))
	oldest := newOnboarding(ada.ID, "ada/oldest", at(time.Hour))
	newest := newOnboarding(ada.ID, "ada/newest", at(3*time.Hour))
	bobs := newOnboarding(bob.ID, "bob/only", at(4*time.Hour))
	for _, o := range []*onboarding.Onboarding{middle, oldest, bobs, newest} {
		mustOnboarding(t, s, o)
	}

	checkOnboardings(t, s, ada.ID, []*onboarding.Onboarding{newest, middle, oldest})
	checkOnboardings(t, s, bob.ID, []*onboarding.Onboarding{bobs})
	checkOnboardings(t, s, cy.ID, nil)
}

func testCreateOnboardingErrors(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	o := newOnboarding(u.ID, "ada/repo", epoch)
	mustOnboarding(t, s, o)

	duplicate := newOnboarding(u.ID, "ada/other", epoch)
	duplicate.ID = o.ID
	wantCode(t, s.CreateOnboarding(t.Context(), duplicate), onboarding.EConflict)

	orphan := newOnboarding("no-such-user", "nobody/repo", epoch)
	wantCode(t, s.CreateOnboarding(t.Context(), orphan), onboarding.ENotFound)

	checkOnboardings(t, s, u.ID, []*onboarding.Onboarding{o})
}
