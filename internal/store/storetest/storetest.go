// Package storetest holds what the store backends' tests share: the
// conformance suite that every store.Store must pass, and helpers that open
// stores on fresh databases.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// Run checks that the stores made by open behave as store.Store promises.
// Each behaviour is a parallel subtest with a fresh store of its own, so
// open must be safe to call from several goroutines.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		test func(t *testing.T, s store.Store)
	}{
		{"UpsertUserCreates", testUpsertUserCreates},
		{"UpsertUserKeepsID", testUpsertUserKeepsID},
		{"UpsertUserDistinctIdentities", testUpsertUserDistinctIdentities},
		{"GetUserNotFound", testGetUserNotFound},
		{"TextRoundTrips", testTextRoundTrips},
		{"TimeRoundTrips", testTimeRoundTrips},
		{"SessionLifecycle", testSessionLifecycle},
		{"SessionNotFound", testSessionNotFound},
		{"CreateSessionErrors", testCreateSessionErrors},
		{"DeleteUserSessions", testDeleteUserSessions},
		{"DeleteExpiredSessions", testDeleteExpiredSessions},
		{"LoginAttemptSingleUse", testLoginAttemptSingleUse},
		{"LoginAttemptExpired", testLoginAttemptExpired},
		{"LoginAttemptConcurrentTake", testLoginAttemptConcurrentTake},
		{"LoginAttemptConflict", testLoginAttemptConflict},
		{"GetOnboarding", testGetOnboarding},
		{"OnboardingsOrderAndOwners", testOnboardingsOrderAndOwners},
		{"OnboardingEmptyStepValues", testOnboardingEmptyStepValues},
		{"CreateOnboardingErrors", testCreateOnboardingErrors},
		{"CreateOnboardingAtomic", testCreateOnboardingAtomic},
		{"UpdateOnboarding", testUpdateOnboarding},
		{"UpdateOnboardingStale", testUpdateOnboardingStale},
		{"UpdateOnboardingConcurrent", testUpdateOnboardingConcurrent},
		{"UpdateOnboardingNotFound", testUpdateOnboardingNotFound},
		{"UpdateOnboardingAtomic", testUpdateOnboardingAtomic},
		{"AllowEventLimits", testAllowEventLimits},
		{"AllowEventKeys", testAllowEventKeys},
		{"AllowEventNoLimits", testAllowEventNoLimits},
		{"AllowEventInvalidLimits", testAllowEventInvalidLimits},
		{"AllowEventConcurrent", testAllowEventConcurrent},
		{"Ready", testReady},
		{"DeadlineIsUnavailable", testDeadlineIsUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.test(t, open(t))
		})
	}
}

// epoch is the time the suite's stories start at. It has nanoseconds, which
// stores must drop, and is in a zone other than UTC, which stores must leave.
var epoch = time.Date(2025, time.March, 14, 15, 9, 26, 535897932, time.FixedZone("CET", 3600))

// at returns epoch moved by d.
func at(d time.Duration) time.Time {
	return epoch.Add(d)
}

// stored returns t as a store gives it back: UTC, to the microsecond.
func stored(t time.Time) time.Time {
	return onboarding.Timestamp(t)
}

// exactTimes makes cmp tell times apart by location as well as by instant, so
// that a store handing back local times fails.
var exactTimes = cmp.Comparer(func(a, b time.Time) bool {
	return a.Equal(b) && a.Location() == b.Location()
})

// diff reports the difference between want and got as (-want +got). A nil
// list and an empty one are the same.
func diff(want, got any) string {
	return cmp.Diff(want, got, exactTimes, cmpopts.EquateEmpty())
}

// wantCode fails t unless err carries the given onboarding error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := onboarding.ErrorCode(err); got != code {
		t.Errorf("error code = %q, want %q (error: %v)", got, code, err)
	}
}

// mustUser signs in the person with the given object ID in tenant "tenant-a"
// at epoch, and returns their user.
func mustUser(t *testing.T, s store.Store, objectID string) *onboarding.User {
	t.Helper()
	id := onboarding.Identity{TenantID: "tenant-a", ObjectID: objectID}
	u, err := s.UpsertUser(t.Context(), id, "Name of "+objectID, objectID+"@example.com", epoch)
	if err != nil {
		t.Fatalf("UpsertUser(%v): %v", id, err)
	}
	return u
}

func testReady(t *testing.T, s store.Store) {
	if err := s.Ready(t.Context()); err != nil {
		t.Errorf("Ready() = %v, want nil", err)
	}
}

func testDeadlineIsUnavailable(t *testing.T, s store.Store) {
	ctx, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := s.GetUser(ctx, "anyone")
	wantCode(t, err, onboarding.EUnavailable)
}
