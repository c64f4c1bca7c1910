package storetest

import (
	"fmt"
	"testing"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

func testTextRoundTrips(t *testing.T, s store.Store) {
	for i, text := range hostileText {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			u := checkUserText(t, s, text)
			checkOnboardingText(t, s, u.ID, text)
			checkLoginAttemptText(t, s, text)
		})
	}
}

// checkUserText signs in a person whose every field is text, and checks
// that it comes back byte for byte.
func checkUserText(t *testing.T, s store.Store, text string) *onboarding.User {
	t.Helper()
	id := onboarding.Identity{TenantID: text, ObjectID: text}
	u, err := s.UpsertUser(t.Context(), id, text, text, epoch)
	if err != nil {
		t.Fatalf("UpsertUser: %v", err)
	}
	want := &onboarding.User{
		ID:          u.ID,
		Identity:    id,
		DisplayName: text,
		Email:       text,
		CreatedAt:   stored(epoch),
		LastLoginAt: stored(epoch),
	}
	got, err := s.GetUser(t.Context(), u.ID)
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	if d := diff(want, got); d != "" {
		t.Errorf("GetUser mismatch (-want +got):\n%s", d)
	}
	return u
}

// checkOnboardingText records an onboarding whose every text field, step
// input, check result and fact holds text, and checks that it comes back byte
// for byte from both GetOnboarding and ListOnboardings.
func checkOnboardingText(t *testing.T, s store.Store, ownerID, text string) {
	t.Helper()
	o := onboarding.NewOnboarding(onboarding.NewID(), ownerID, stored(epoch))
	o.Repository, o.ImageName, o.Tag = text, text, text
	step := o.Step(onboarding.StepRequestAccount)
	step.State = onboarding.Waiting
	step.Inputs = map[string]string{text: text, "field": text}
	step.Results = []onboarding.CheckResult{{
		Check:     text,
		Outcome:   onboarding.Outcome(text),
		Message:   text,
		CheckedAt: stored(epoch),
	}}
	step.Facts = map[string]string{text: text, onboarding.FactTokenLogin: text}
	if err := s.CreateOnboarding(t.Context(), o); err != nil {
		t.Fatalf("CreateOnboarding: %v", err)
	}

	checkOnboarding(t, s, o)
	checkOnboardings(t, s, ownerID, []*onboarding.Onboarding{o})
}

// checkLoginAttemptText records a login attempt whose text fields are text,
// and checks that they come back byte for byte.
func checkLoginAttemptText(t *testing.T, s store.Store, text string) {
	t.Helper()
	a := &onboarding.LoginAttempt{
		StateHash:    onboarding.HashToken("state " + text),
		BrowserHash:  onboarding.HashToken("browser " + text),
		Nonce:        text,
		CodeVerifier: text,
		ReturnTo:     text,
		CreatedAt:    stored(epoch),
		ExpiresAt:    stored(at(10 * time.Minute)),
	}
	if err := s.CreateLoginAttempt(t.Context(), a); err != nil {
		t.Fatalf("CreateLoginAttempt: %v", err)
	}
	got, err := s.TakeLoginAttempt(t.Context(), a.StateHash, at(time.Minute))
	if err != nil {
		t.Fatalf("TakeLoginAttempt: %v", err)
	}
	if d := diff(a, got); d != "" {
		t.Errorf("TakeLoginAttempt mismatch (-want +got):\n%s", d)
	}
}

// roundTripTimes are written with more precision than stores keep, in zones
// other than UTC, and on both sides of the Unix epoch.
var roundTripTimes = []time.Time{
	epoch,
	time.Date(1969, time.July, 20, 20, 17, 40, 123456789, time.UTC),
	time.Unix(0, 0),
	time.Date(2199, time.December, 31, 23, 59, 59, 999999999, time.FixedZone("-0930", -34200)),
	time.Date(2025, time.October, 26, 2, 30, 0, 1000, time.FixedZone("CEST", 7200)),
}

func testTimeRoundTrips(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	for i, tm := range roundTripTimes {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkSessionTimes(t, s, u, tm)
			checkLoginAttemptTimes(t, s, tm)
		})
	}
	checkOnboardingTimes(t, s, u.ID)
}

// checkSessionTimes records a session whose times are all tm and checks that
// they come back in UTC, to the microsecond.
func checkSessionTimes(t *testing.T, s store.Store, u *onboarding.User, tm time.Time) {
	t.Helper()
	sess := &onboarding.Session{
		TokenHash:  onboarding.HashToken("session at " + tm.String()),
		UserID:     u.ID,
		CreatedAt:  tm,
		LastSeenAt: tm,
		ExpiresAt:  tm,
	}
	if err := s.CreateSession(t.Context(), sess); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	got, _, err := s.GetSession(t.Context(), sess.TokenHash)
	if err != nil {
		t.Fatalf("GetSession: %v", err)
	}
	want := *sess
	want.CreatedAt, want.LastSeenAt, want.ExpiresAt = stored(tm), stored(tm), stored(tm)
	if d := diff(&want, got); d != "" {
		t.Errorf("GetSession mismatch (-want +got):\n%s", d)
	}
}

// checkLoginAttemptTimes records a login attempt created at tm and checks
// that its times come back in UTC, to the microsecond.
func checkLoginAttemptTimes(t *testing.T, s store.Store, tm time.Time) {
	t.Helper()
	a := &onboarding.LoginAttempt{
		StateHash:   onboarding.HashToken("attempt at " + tm.String()),
		BrowserHash: onboarding.HashToken("browser"),
		CreatedAt:   tm,
		ExpiresAt:   tm.Add(time.Hour),
	}
	if err := s.CreateLoginAttempt(t.Context(), a); err != nil {
		t.Fatalf("CreateLoginAttempt: %v", err)
	}
	got, err := s.TakeLoginAttempt(t.Context(), a.StateHash, tm)
	if err != nil {
		t.Fatalf("TakeLoginAttempt: %v", err)
	}
	want := *a
	want.CreatedAt, want.ExpiresAt = stored(a.CreatedAt), stored(a.ExpiresAt)
	if d := diff(&want, got); d != "" {
		t.Errorf("TakeLoginAttempt mismatch (-want +got):\n%s", d)
	}
}

// checkOnboardingTimes records an onboarding for each of roundTripTimes,
// with that time in its row, its steps and a check result, and checks that
// the times come back in UTC, to the microsecond.
func checkOnboardingTimes(t *testing.T, s store.Store, ownerID string) {
	t.Helper()
	want := map[string]*onboarding.Onboarding{}
	for _, tm := range roundTripTimes {
		o := onboarding.NewOnboarding(onboarding.NewID(), ownerID, tm)
		step := o.Step(onboarding.StepToken)
		step.State = onboarding.Verified
		step.Results = []onboarding.CheckResult{{Check: "Token kind", CheckedAt: tm}}
		if err := s.CreateOnboarding(t.Context(), o); err != nil {
			t.Fatalf("CreateOnboarding: %v", err)
		}
		want[o.ID] = asStored(o)
		checkOnboarding(t, s, want[o.ID])
	}

	list, err := s.ListOnboardings(t.Context(), ownerID)
	if err != nil {
		t.Fatalf("ListOnboardings: %v", err)
	}
	got := map[string]*onboarding.Onboarding{}
	for _, o := range list {
		got[o.ID] = o
	}
	if d := diff(want, got); d != "" {
		t.Errorf("ListOnboardings mismatch (-want +got):\n%s", d)
	}
}

// asStored returns a copy of o with every time in it as a store gives it
// back.
func asStored(o *onboarding.Onboarding) *onboarding.Onboarding {
	c := clone(o)
	c.CreatedAt, c.UpdatedAt = stored(c.CreatedAt), stored(c.UpdatedAt)
	for i := range c.Steps {
		step := &c.Steps[i]
		step.UpdatedAt = stored(step.UpdatedAt)
		for j := range step.Results {
			step.Results[j].CheckedAt = stored(step.Results[j].CheckedAt)
		}
	}
	return c
}
