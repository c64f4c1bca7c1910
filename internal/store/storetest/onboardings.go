package storetest

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// newOnboarding returns an onboarding of the owner's for repository, at
// version 1 with its steps not started, created at epoch and updated at
// updated.
func newOnboarding(ownerID, repository string, updated time.Time) *onboarding.Onboarding {
	o := onboarding.NewOnboarding(onboarding.NewID(), ownerID, stored(epoch))
	o.Repository = repository
	o.ImageName = "api"
	o.Tag = "v1.0.0"
	o.UpdatedAt = stored(updated)
	return o
}

// withProgress fills in the first two steps of o as if they were saved at
// tm, and returns o: step 1 verified with a warning and the image's digest
// learned, step 2 waiting.
func withProgress(o *onboarding.Onboarding, tm time.Time) *onboarding.Onboarding {
	o.Repository, o.ImageName, o.Tag = "org/repo", "api", "latest"
	*o.Step(onboarding.StepPublish) = onboarding.Step{
		ID:     onboarding.StepPublish,
		State:  onboarding.VerifiedWithWarnings,
		Inputs: map[string]string{"repository": "org/repo", "image_name": "api", "tag": "latest"},
		Results: []onboarding.CheckResult{
			{Check: "Repository", Outcome: onboarding.Pass, Message: "It is in org.",
				CheckedAt: stored(tm)},
			{Check: "Tag", Outcome: onboarding.Warn, Message: "latest moves.",
				CheckedAt: stored(tm.Add(time.Millisecond))},
		},
		Facts: map[string]string{
			onboarding.FactImageDigest: "sha256:" + strings.Repeat("ab", 32),
		},
		UpdatedAt: stored(tm),
	}
	*o.Step(onboarding.StepRequestAccount) = onboarding.Step{
		ID:     onboarding.StepRequestAccount,
		State:  onboarding.Waiting,
		Inputs: map[string]string{"purpose": "Pull the API image", "account": ""},
		Results: []onboarding.CheckResult{
			{Check: "Saved", Outcome: onboarding.Pending, Message: "Ask the service desk.",
				CheckedAt: stored(tm)},
		},
		UpdatedAt: stored(tm),
	}
	return o
}

// clone returns a copy of o that shares no map or slice with it.
func clone(o *onboarding.Onboarding) *onboarding.Onboarding {
	c := *o
	for i, step := range o.Steps {
		c.Steps[i].Inputs = maps.Clone(step.Inputs)
		c.Steps[i].Results = slices.Clone(step.Results)
		c.Steps[i].Facts = maps.Clone(step.Facts)
	}
	return &c
}

// mustOnboarding records o, or ends t.
func mustOnboarding(t *testing.T, s store.Store, o *onboarding.Onboarding) {
	t.Helper()
	if err := s.CreateOnboarding(t.Context(), o); err != nil {
		t.Fatalf("CreateOnboarding: %v", err)
	}
}

// checkOnboarding fails t unless the stored onboarding with want's ID is
// want.
func checkOnboarding(t *testing.T, s store.Store, want *onboarding.Onboarding) {
	t.Helper()
	got, err := s.GetOnboarding(t.Context(), want.ID)
	if err != nil {
		t.Fatalf("GetOnboarding: %v", err)
	}
	if d := diff(want, got); d != "" {
		t.Errorf("GetOnboarding mismatch (-want +got):\n%s", d)
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

func testGetOnboarding(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	o := withProgress(newOnboarding(u.ID, "org/repo", at(time.Hour)), at(time.Hour))
	mustOnboarding(t, s, o)
	mustOnboarding(t, s, newOnboarding(u.ID, "org/other", at(2*time.Hour)))

	checkOnboarding(t, s, o)
	_, err := s.GetOnboarding(t.Context(), "no-such-onboarding")
	wantCode(t, err, onboarding.ENotFound)
}

func testOnboardingsOrderAndOwners(t *testing.T, s store.Store) {
	ada, bob, cy := mustUser(t, s, "ada"), mustUser(t, s, "bob"), mustUser(t, s, "cy")
	// Created in an order that is neither the order of updates nor its reverse.
	middle := withProgress(newOnboarding(ada.ID, "ada/middle", at(2*time.Hour)), epoch)
	oldest := newOnboarding(ada.ID, "ada/oldest", at(time.Hour))
	newest := withProgress(newOnboarding(ada.ID, "ada/newest", at(3*time.Hour)), at(time.Hour))
	bobs := newOnboarding(bob.ID, "bob/only", at(4*time.Hour))
	for _, o := range []*onboarding.Onboarding{middle, oldest, bobs, newest} {
		mustOnboarding(t, s, o)
	}

	checkOnboardings(t, s, ada.ID, []*onboarding.Onboarding{newest, middle, oldest})
	checkOnboardings(t, s, bob.ID, []*onboarding.Onboarding{bobs})
	checkOnboardings(t, s, cy.ID, nil)

	mustUpdate(t, s, withProgress(oldest, at(5*time.Hour)), at(5*time.Hour))
	checkOnboardings(t, s, ada.ID, []*onboarding.Onboarding{oldest, newest, middle})
	checkOnboardings(t, s, bob.ID, []*onboarding.Onboarding{bobs})
}

func testOnboardingEmptyStepValues(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	o := newOnboarding(u.ID, "org/repo", epoch)
	// Empty but not nil: they come back nil all the same.
	o.Step(onboarding.StepToken).Inputs = map[string]string{}
	o.Step(onboarding.StepToken).Results = []onboarding.CheckResult{}
	o.Step(onboarding.StepToken).Facts = map[string]string{}
	mustOnboarding(t, s, o)

	got, err := s.GetOnboarding(t.Context(), o.ID)
	if err != nil {
		t.Fatalf("GetOnboarding: %v", err)
	}
	checkNilStepValues(t, "GetOnboarding", got)
	list, err := s.ListOnboardings(t.Context(), u.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("ListOnboardings = %d onboardings, %v; want 1, nil", len(list), err)
	}
	checkNilStepValues(t, "ListOnboardings", list[0])
}

// checkNilStepValues fails t unless every step of o has nil inputs, results
// and facts, which is how a store gives back none of each.
func checkNilStepValues(t *testing.T, source string, o *onboarding.Onboarding) {
	t.Helper()
	for _, step := range o.Steps {
		if step.Inputs != nil {
			t.Errorf("%s: step %d inputs = %#v, want nil", source, step.ID, step.Inputs)
		}
		if step.Results != nil {
			t.Errorf("%s: step %d results = %#v, want nil", source, step.ID, step.Results)
		}
		if step.Facts != nil {
			t.Errorf("%s: step %d facts = %#v, want nil", source, step.ID, step.Facts)
		}
	}
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

func testCreateOnboardingAtomic(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	// The last step is written last, after the row and six steps.
	lastBad := newOnboarding(u.ID, "org/repo", epoch)
	lastBad.Step(onboarding.StepConfigure).State = "finished"
	misnumbered := newOnboarding(u.ID, "org/repo", epoch)
	misnumbered.Steps[0].ID, misnumbered.Steps[1].ID = 2, 1
	noSteps := &onboarding.Onboarding{ID: onboarding.NewID(), OwnerID: u.ID, Version: 1}

	for _, o := range []*onboarding.Onboarding{lastBad, misnumbered, noSteps} {
		if err := s.CreateOnboarding(t.Context(), o); err == nil {
			t.Errorf("CreateOnboarding(%+v) = nil, want an error", o.Steps)
		}
		_, err := s.GetOnboarding(t.Context(), o.ID)
		wantCode(t, err, onboarding.ENotFound)
	}
	checkOnboardings(t, s, u.ID, nil)
}
