// Package auth signs people in to the portal and keeps them signed in: the
// OIDC authorization-code flow against Microsoft Entra ID, the development
// sign-in for a portal on one's own machine, server-side sessions, and the
// middleware that puts the signed-in person in each request's context.
package auth

import (
	"context"
	"time"

	"ghcrportal/internal/onboarding"
)

// Store is what auth keeps: people, their sessions and sign-ins in flight.
type Store interface {
	UpsertUser(ctx context.Context, id onboarding.Identity, displayName, email string,
		at time.Time) (*onboarding.User, error)
	CreateSession(ctx context.Context, s *onboarding.Session) error
	GetSession(ctx context.Context, tokenHash []byte) (*onboarding.Session, *onboarding.User, error)
	TouchSession(ctx context.Context, tokenHash []byte, at time.Time) error
	DeleteSession(ctx context.Context, tokenHash []byte) error
	CreateLoginAttempt(ctx context.Context, a *onboarding.LoginAttempt) error
	TakeLoginAttempt(ctx context.Context, stateHash []byte, now time.Time) (*onboarding.LoginAttempt, error)
}

// Principal is the signed-in person behind a request.
type Principal struct {
	User    *onboarding.User
	IsAdmin bool
	// SessionExpiresAt is when the session ends however active it is.
	SessionExpiresAt time.Time
}

type principalKey struct{}

type sessionEndedKey struct{}

// WithPrincipal returns a context that carries p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the signed-in person, or nil when nobody is signed in.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// SessionEnded reports whether the request came with a session that has
// expired or was ended, so that the sign-in page can say why it is shown.
func SessionEnded(ctx context.Context) bool {
	ended, _ := ctx.Value(sessionEndedKey{}).(bool)
	return ended
}
