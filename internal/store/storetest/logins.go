package storetest

import (
	"sync"
	"testing"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// newLoginAttempt returns an attempt named by state, created at epoch and
// expiring ten minutes later.
func newLoginAttempt(state string) *onboarding.LoginAttempt {
	return &onboarding.LoginAttempt{
		StateHash:    onboarding.HashToken(state),
		BrowserHash:  onboarding.HashToken("browser of " + state),
		Nonce:        "nonce of " + state,
		CodeVerifier: "verifier of " + state,
		ReturnTo:     "/onboardings",
		CreatedAt:    stored(epoch),
		ExpiresAt:    stored(at(10 * time.Minute)),
	}
}

// mustLoginAttempt records a, or ends t.
func mustLoginAttempt(t *testing.T, s store.Store, a *onboarding.LoginAttempt) {
	t.Helper()
	if err := s.CreateLoginAttempt(t.Context(), a); err != nil {
		t.Fatalf("CreateLoginAttempt: %v", err)
	}
}

func testLoginAttemptSingleUse(t *testing.T, s store.Store) {
	a, other := newLoginAttempt("state-1"), newLoginAttempt("state-2")
	mustLoginAttempt(t, s, a)
	mustLoginAttempt(t, s, other)

	got, err := s.TakeLoginAttempt(t.Context(), a.StateHash, at(time.Minute))
	if err != nil {
		t.Fatalf("TakeLoginAttempt: %v", err)
	}
	if d := diff(a, got); d != "" {
		t.Errorf("TakeLoginAttempt mismatch (-want +got):\n%s", d)
	}
	_, err = s.TakeLoginAttempt(t.Context(), a.StateHash, at(time.Minute))
	wantCode(t, err, onboarding.ENotFound)
	_, err = s.TakeLoginAttempt(t.Context(), onboarding.HashToken("state-3"), at(time.Minute))
	wantCode(t, err, onboarding.ENotFound)

	if _, err := s.TakeLoginAttempt(t.Context(), other.StateHash, at(time.Minute)); err != nil {
		t.Errorf("TakeLoginAttempt of another attempt: %v", err)
	}
}

func testLoginAttemptExpired(t *testing.T, s store.Store) {
	a := newLoginAttempt("state-1")
	mustLoginAttempt(t, s, a)

	_, err := s.TakeLoginAttempt(t.Context(), a.StateHash, a.ExpiresAt)
	wantCode(t, err, onboarding.ENotFound)
	// The expired attempt is gone: not even a clock that runs behind finds it.
	_, err = s.TakeLoginAttempt(t.Context(), a.StateHash, epoch)
	wantCode(t, err, onboarding.ENotFound)
}

func testLoginAttemptConcurrentTake(t *testing.T, s store.Store) {
	a := newLoginAttempt("state-1")
	mustLoginAttempt(t, s, a)

	const takers = 20
	start := make(chan struct{})
	errs := make([]error, takers)
	var wg sync.WaitGroup
	for i := range takers {
		wg.Go(func() {
			<-start
			_, errs[i] = s.TakeLoginAttempt(t.Context(), a.StateHash, at(time.Minute))
		})
	}
	close(start)
	wg.Wait()

	successes := 0
	for _, err := range errs {
		if err == nil {
			successes++
			continue
		}
		wantCode(t, err, onboarding.ENotFound)
	}
	if successes != 1 {
		t.Errorf("%d of %d concurrent takers got the attempt, want exactly 1", successes, takers)
	}
}

func testLoginAttemptConflict(t *testing.T, s store.Store) {
	a := newLoginAttempt("state-1")
	mustLoginAttempt(t, s, a)
	err := s.CreateLoginAttempt(t.Context(), newLoginAttempt("state-1"))
	wantCode(t, err, onboarding.EConflict)
}
