package auth

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"time"

	"ghcrportal/internal/onboarding"
)

// Session lifetimes. A session ends after IdleTimeout without a request, and
// after MaxLifetime however active it is. These are the ASVS level 2 limits.
const (
	IdleTimeout = 30 * time.Minute
	MaxLifetime = 12 * time.Hour
	// touchInterval bounds how often a session's last-seen time is written:
	// once a minute is precise enough for a 30-minute idle limit and spares
	// the database a write per request.
	touchInterval = time.Minute
	// tokenBytes is the entropy of a session token: 256 bits.
	tokenBytes = 32
)

// Sessions issues, finds and ends server-side sessions. The browser holds an
// opaque random token in a cookie; the store holds only its SHA-256 hash, so
// that a copy of the database cannot be replayed as a cookie.
type Sessions struct {
	store  Store
	secure bool
	now    func() time.Time
	// OnError renders a failure to load a session, such as an unreachable
	// database. It must be set before Load serves requests.
	OnError func(http.ResponseWriter, *http.Request, error)
}

// NewSessions returns a session manager. With secure set, cookies carry the
// Secure attribute and the __Host- prefix; set it whenever the portal is
// served over https.
func NewSessions(store Store, secure bool, now func() time.Time) *Sessions {
	return &Sessions{store: store, secure: secure, now: now}
}

// CookieName is the name of the session cookie.
func (s *Sessions) CookieName() string {
	return cookieName(s.secure, "portal_session")
}

func cookieName(secure bool, name string) string {
	if secure {
		return "__Host-" + name
	}
	return name
}

// SignIn starts a new session for u, ending any session the request already
// carried so that a cookie planted before sign-in is worthless after it.
func (s *Sessions) SignIn(w http.ResponseWriter, r *http.Request, u *onboarding.User,
	isAdmin bool) error {
	if err := s.endRequestSession(r.Context(), r); err != nil {
		return err
	}

	token := base64.RawURLEncoding.EncodeToString(onboarding.RandomBytes(tokenBytes))
	now := onboarding.Timestamp(s.now())
	sess := &onboarding.Session{
		TokenHash:  onboarding.HashToken(token),
		UserID:     u.ID,
		IsAdmin:    isAdmin,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(MaxLifetime),
	}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	s.setCookie(w, token, sess.ExpiresAt)
	return nil
}

// SignOut ends the request's session, if any, and clears its cookie.
func (s *Sessions) SignOut(w http.ResponseWriter, r *http.Request) error {
	s.clearCookie(w)
	return s.endRequestSession(r.Context(), r)
}

func (s *Sessions) endRequestSession(ctx context.Context, r *http.Request) error {
	token, ok := s.requestToken(r)
	if !ok {
		return nil
	}
	if err := s.store.DeleteSession(ctx, onboarding.HashToken(token)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// Load is middleware that puts the request's signed-in person, if any, in
// the request's context. An expired or unknown session cookie is cleared and
// the request goes on as anonymous.
func (s *Sessions) Load(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := s.requestToken(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		p, err := s.principal(r.Context(), token)
		if err != nil && onboarding.ErrorCode(err) != onboarding.EUnauthorized {
			s.OnError(w, r, err)
			return
		}
		ctx := r.Context()
		if p == nil {
			s.clearCookie(w)
			ctx = context.WithValue(ctx, sessionEndedKey{}, true)
		} else {
			ctx = WithPrincipal(ctx, p)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// principal returns the person behind a session token, nil with an
// EUnauthorized error when the session is unknown or over.
func (s *Sessions) principal(ctx context.Context, token string) (*Principal, error) {
	hash := onboarding.HashToken(token)
	sess, user, err := s.store.GetSession(ctx, hash)
	if onboarding.ErrorCode(err) == onboarding.ENotFound {
		return nil, onboarding.Errorf(onboarding.EUnauthorized, "Your session has ended.")
	} else if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}

	now := s.now()
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(IdleTimeout)) {
		if err := s.store.DeleteSession(ctx, hash); err != nil {
			return nil, fmt.Errorf("end expired session: %w", err)
		}
		return nil, onboarding.Errorf(onboarding.EUnauthorized, "Your session has ended.")
	}
	if now.Sub(sess.LastSeenAt) >= touchInterval {
		if err := s.store.TouchSession(ctx, hash, onboarding.Timestamp(now)); err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return &Principal{User: user, IsAdmin: sess.IsAdmin, SessionExpiresAt: sess.ExpiresAt}, nil
}

// requestToken returns the session token from the request's cookie, if it
// has the shape of one; anything else is not worth a database lookup.
func (s *Sessions) requestToken(r *http.Request) (string, bool) {
	c, err := r.Cookie(s.CookieName())
	if err != nil || len(c.Value) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return "", false
	}
	if _, err := base64.RawURLEncoding.DecodeString(c.Value); err != nil {
		return "", false
	}
	return c.Value, true
}

func (s *Sessions) setCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name:     s.CookieName(),
		Value:    token,
		Path:     "/",
		Expires:  expires,
		Secure:   s.secure,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *Sessions) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name:     s.CookieName(),
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		Secure:   s.secure,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}
