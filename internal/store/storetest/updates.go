package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// mustUpdate saves o at tm and checks that o moved to the next version,
// updated at tm; it ends t if the save fails.
func mustUpdate(t *testing.T, s store.Store, o *onboarding.Onboarding, tm time.Time) {
	t.Helper()
	version := o.Version
	if err := s.UpdateOnboarding(t.Context(), o, tm); err != nil {
		t.Fatalf("UpdateOnboarding: %v", err)
	}
	if o.Version != version+1 {
		t.Errorf("UpdateOnboarding set Version %d, want %d", o.Version, version+1)
	}
	if d := diff(stored(tm), o.UpdatedAt); d != "" {
		t.Errorf("UpdateOnboarding set UpdatedAt (-want +got):\n%s", d)
	}
}

func testUpdateOnboarding(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	o := newOnboarding(u.ID, "org/old", epoch)
	mustOnboarding(t, s, o)

	mustUpdate(t, s, withProgress(o, at(time.Hour)), at(time.Hour))
	checkOnboarding(t, s, o)

	// The second save changes step 1 and forgets its facts, clears step 2,
	// learns the facts of step 6 and starts step 7.
	o.Tag = "v2.0.0"
	publish := o.Step(onboarding.StepPublish)
	publish.Inputs["tag"] = "v2.0.0"
	publish.Results = publish.Results[:1]
	publish.Facts = nil
	publish.State, publish.UpdatedAt = onboarding.Verified, stored(at(2*time.Hour))
	*o.Step(onboarding.StepRequestAccount) = onboarding.Step{
		ID:        onboarding.StepRequestAccount,
		State:     onboarding.NotStarted,
		UpdatedAt: stored(at(2 * time.Hour)),
	}
	o.Step(onboarding.StepToken).Facts = map[string]string{
		onboarding.FactTokenLogin:     "svc-portal",
		onboarding.FactTokenScopes:    "read:packages",
		onboarding.FactTokenExpiresAt: "2025-06-12",
		onboarding.FactImageDigest:    "sha256:" + strings.Repeat("cd", 32),
	}
	configure := o.Step(onboarding.StepConfigure)
	configure.State, configure.Inputs = onboarding.Failed, map[string]string{"app": "web"}
	mustUpdate(t, s, o, at(2*time.Hour))
	if o.Version != 3 {
		t.Errorf("after two saves Version = %d, want 3", o.Version)
	}
	checkOnboarding(t, s, o)
}

func testUpdateOnboardingStale(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	o := newOnboarding(u.ID, "org/repo", epoch)
	mustOnboarding(t, s, o)
	// Two tabs open the same page.
	theirs, mine := clone(o), clone(o)

	mustUpdate(t, s, withProgress(theirs, at(time.Hour)), at(time.Hour))

	mine.Tag = "v9.9.9"
	mine.Step(onboarding.StepToken).State = onboarding.Failed
	before := clone(mine)
	err := s.UpdateOnboarding(t.Context(), mine, at(2*time.Hour))
	wantCode(t, err, onboarding.EConflict)
	if msg := onboarding.ErrorMessage(err); !strings.Contains(msg, "Reload") {
		t.Errorf("stale UpdateOnboarding message %q does not say to reload", msg)
	}
	if d := diff(before, mine); d != "" {
		t.Errorf("stale UpdateOnboarding changed its argument (-want +got):\n%s", d)
	}
	checkOnboarding(t, s, theirs)
}

func testUpdateOnboardingConcurrent(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	o := newOnboarding(u.ID, "org/repo", epoch)
	mustOnboarding(t, s, o)

	const writers = 10
	copies := make([]*onboarding.Onboarding, writers)
	for i := range copies {
		copies[i] = withProgress(clone(o), at(time.Duration(i+1)*time.Minute))
		copies[i].Tag = fmt.Sprint("v", i)
	}
	errs := saveTogether(t, s, copies)

	winner := -1
	for i, err := range errs {
		if err == nil {
			winner = i
			continue
		}
		wantCode(t, err, onboarding.EConflict)
		if copies[i].Version != o.Version {
			t.Errorf("writer %d lost yet its Version moved to %d", i, copies[i].Version)
		}
	}
	if n := writers - countErrors(errs); n != 1 {
		t.Fatalf("%d of %d writers from version %d saved, want exactly 1", n, writers, o.Version)
	}
	checkOnboarding(t, s, copies[winner])
}

// saveTogether saves each of list at once, from goroutines released
// together, and returns what each save returned.
func saveTogether(t *testing.T, s store.Store, list []*onboarding.Onboarding) []error {
	t.Helper()
	start := make(chan struct{})
	errs := make([]error, len(list))
	var wg sync.WaitGroup
	for i, o := range list {
		wg.Go(func() {
			<-start
			errs[i] = s.UpdateOnboarding(t.Context(), o, at(time.Duration(i+1)*time.Minute))
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// countErrors says how many of errs are not nil.
func countErrors(errs []error) int {
	n := 0
	for _, err := range errs {
		if err != nil {
			n++
		}
	}
	return n
}

func testUpdateOnboardingNotFound(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	mustOnboarding(t, s, newOnboarding(u.ID, "org/repo", epoch))
	ghost := withProgress(newOnboarding(u.ID, "org/ghost", epoch), epoch)

	err := s.UpdateOnboarding(t.Context(), ghost, at(time.Hour))
	wantCode(t, err, onboarding.ENotFound)
	// Nor was it created, steps and all, by the attempt.
	_, err = s.GetOnboarding(t.Context(), ghost.ID)
	wantCode(t, err, onboarding.ENotFound)
}

func testUpdateOnboardingAtomic(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	o := withProgress(newOnboarding(u.ID, "org/repo", epoch), epoch)
	mustOnboarding(t, s, o)

	// The last step is written last, after the row and six steps.
	lastBad := clone(o)
	lastBad.Tag = "v2.0.0"
	lastBad.Step(onboarding.StepPublish).State = onboarding.Failed
	lastBad.Step(onboarding.StepConfigure).State = "finished"
	misnumbered := clone(o)
	misnumbered.Tag = "v3.0.0"
	misnumbered.Steps[5].ID, misnumbered.Steps[6].ID = 7, 6

	for _, bad := range []*onboarding.Onboarding{lastBad, misnumbered} {
		if err := s.UpdateOnboarding(t.Context(), bad, at(time.Hour)); err == nil {
			t.Errorf("UpdateOnboarding(%+v) = nil, want an error", bad.Steps)
		}
		if bad.Version != o.Version {
			t.Errorf("failed UpdateOnboarding moved Version to %d", bad.Version)
		}
	}
	checkOnboarding(t, s, o)
}
