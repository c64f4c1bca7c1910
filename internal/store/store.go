// Package store declares what the portal keeps and how it is asked for. The
// postgres and sqlite packages below it implement Store; the storetest
// package holds the conformance suite that both must pass.
package store

import (
	"context"
	"fmt"
	"time"

	"ghcrportal/internal/onboarding"
)

// Store is everything the portal persists. Methods return *onboarding.Error
// with code ENotFound when a record does not exist, EConflict when a unique
// key is already taken, and EUnavailable when the database cannot be reached.
type Store interface {
	// UpsertUser records a sign-in for the person with the given identity,
	// creating them on first sign-in and refreshing their display name and
	// e-mail address otherwise. The returned user's ID never changes.
	UpsertUser(ctx context.Context, id onboarding.Identity, displayName, email string,
		at time.Time) (*onboarding.User, error)

	// GetUser returns the user with the given portal ID.
	GetUser(ctx context.Context, id string) (*onboarding.User, error)

	// CreateSession records a new session.
	CreateSession(ctx context.Context, s *onboarding.Session) error

	// GetSession returns the session with the given token hash and its user.
	// It does not judge expiry; the caller applies its own clock and policy.
	GetSession(ctx context.Context, tokenHash []byte) (*onboarding.Session, *onboarding.User, error)

	// TouchSession moves a session's last-seen time forward to at. It returns
	// ENotFound for a session that does not exist.
	TouchSession(ctx context.Context, tokenHash []byte, at time.Time) error

	// DeleteSession ends one session. Ending a session that does not exist is
	// not an error.
	DeleteSession(ctx context.Context, tokenHash []byte) error

	// DeleteUserSessions ends every session of a user and says how many ended.
	DeleteUserSessions(ctx context.Context, userID string) (int, error)

	// DeleteExpiredSessions removes sessions whose absolute expiry is at or
	// before now, or whose last activity is at or before idleCutoff.
	DeleteExpiredSessions(ctx context.Context, now, idleCutoff time.Time) (int, error)

	// CreateLoginAttempt records a sign-in that has been sent to the identity
	// provider, and removes attempts that expired at or before its creation,
	// so that abandoned sign-ins do not pile up.
	CreateLoginAttempt(ctx context.Context, a *onboarding.LoginAttempt) error

	// TakeLoginAttempt removes and returns the attempt with the given state
	// hash, so that each can be used once. An attempt that expired at or
	// before now is removed and reported as not found.
	TakeLoginAttempt(ctx context.Context, stateHash []byte,
		now time.Time) (*onboarding.LoginAttempt, error)

	// CreateOnboarding records a new onboarding with its seven steps. A
	// duplicate ID gives EConflict.
	CreateOnboarding(ctx context.Context, o *onboarding.Onboarding) error

	// GetOnboarding returns the onboarding with the given ID and its seven
	// steps. It does not judge who may see it; the caller does.
	GetOnboarding(ctx context.Context, id string) (*onboarding.Onboarding, error)

	// UpdateOnboarding saves o's repository, image name, tag and seven steps,
	// provided the stored version still equals o.Version; then it sets
	// o.Version to the next version and o.UpdatedAt to at. A stored version
	// that differs gives EConflict and changes nothing, so that a save from a
	// stale page cannot overwrite a newer one.
	UpdateOnboarding(ctx context.Context, o *onboarding.Onboarding, at time.Time) error

	// ListOnboardings returns the onboardings owned by a user with their
	// steps, most recently updated first.
	ListOnboardings(ctx context.Context, ownerID string) ([]*onboarding.Onboarding, error)

	// AllowEvent decides whether one more event with the given key, such as
	// a token check by one person, fits within every limit, counting the
	// events recorded within each limit's window before now. If it fits, the
	// event is recorded; if not, nothing is, and the decision says when the
	// earliest limit frees up. Concurrent callers, on any replica, are
	// decided one at a time, so that no limit is overrun.
	AllowEvent(ctx context.Context, key string, limits []RateLimit,
		now time.Time) (RateDecision, error)

	// Ready reports whether the database answers and its schema is the one
	// this build expects.
	Ready(ctx context.Context) error

	// Close releases the store's connections.
	Close() error
}

// RateLimit allows at most Max events in any Window.
type RateLimit struct {
	Max    int
	Window time.Duration
}

// RateDecision is AllowEvent's answer. RetryAt is set when the event was
// refused: the earliest time it would be allowed.
type RateDecision struct {
	Allowed bool
	RetryAt time.Time
}

// CheckLimits returns an error if a limit allows no events or has no window.
func CheckLimits(limits []RateLimit) error {
	for i, l := range limits {
		if l.Max < 1 || l.Window <= 0 {
			return fmt.Errorf("limit %d allows %d events in %s: want at least 1 in a "+
				"window longer than 0", i+1, l.Max, l.Window)
		}
	}
	return nil
}

// LongestWindow returns the longest window of limits: events older than it
// count toward none of them.
func LongestWindow(limits []RateLimit) time.Duration {
	var longest time.Duration
	for _, l := range limits {
		longest = max(longest, l.Window)
	}
	return longest
}
