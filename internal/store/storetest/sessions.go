package storetest

import (
	"fmt"
	"testing"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// newSession returns a session of the user's, named by token, created at
// epoch, last seen at lastSeen and expiring at expires.
func newSession(userID, token string, lastSeen, expires time.Time) *onboarding.Session {
	return &onboarding.Session{
		TokenHash:  onboarding.HashToken(token),
		UserID:     userID,
		CreatedAt:  stored(epoch),
		LastSeenAt: stored(lastSeen),
		ExpiresAt:  stored(expires),
	}
}

// mustSession records sess, or ends t.
func mustSession(t *testing.T, s store.Store, sess *onboarding.Session) {
	t.Helper()
	if err := s.CreateSession(t.Context(), sess); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
}

// checkSession fails t unless the session with sess's token hash is sess,
// with its user.
func checkSession(t *testing.T, s store.Store, sess *onboarding.Session, u *onboarding.User) {
	t.Helper()
	gotSession, gotUser, err := s.GetSession(t.Context(), sess.TokenHash)
	if err != nil {
		t.Fatalf("GetSession: %v", err)
	}
	if d := diff(sess, gotSession); d != "" {
		t.Errorf("GetSession session mismatch (-want +got):\n%s", d)
	}
	if d := diff(u, gotUser); d != "" {
		t.Errorf("GetSession user mismatch (-want +got):\n%s", d)
	}
}

func testSessionLifecycle(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	sess := newSession(u.ID, "token-1", epoch, at(-time.Hour))
	sess.IsAdmin = true
	mustSession(t, s, sess)
	// Expired, yet returned: judging expiry is the caller's business.
	checkSession(t, s, sess, u)

	if err := s.TouchSession(t.Context(), sess.TokenHash, at(time.Minute)); err != nil {
		t.Fatalf("TouchSession: %v", err)
	}
	sess.LastSeenAt = stored(at(time.Minute))
	checkSession(t, s, sess, u)

	// A request that finished late must not move the time back.
	if err := s.TouchSession(t.Context(), sess.TokenHash, at(time.Second)); err != nil {
		t.Fatalf("TouchSession with an earlier time: %v", err)
	}
	checkSession(t, s, sess, u)

	if err := s.DeleteSession(t.Context(), sess.TokenHash); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	_, _, err := s.GetSession(t.Context(), sess.TokenHash)
	wantCode(t, err, onboarding.ENotFound)
	if err := s.DeleteSession(t.Context(), sess.TokenHash); err != nil {
		t.Errorf("DeleteSession of a deleted session = %v, want nil", err)
	}
}

func testSessionNotFound(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	mustSession(t, s, newSession(u.ID, "token-1", epoch, at(time.Hour)))
	unknown := onboarding.HashToken("token-2")

	_, _, err := s.GetSession(t.Context(), unknown)
	wantCode(t, err, onboarding.ENotFound)
	err = s.TouchSession(t.Context(), unknown, epoch)
	wantCode(t, err, onboarding.ENotFound)
}

func testCreateSessionErrors(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	sess := newSession(u.ID, "token-1", epoch, at(time.Hour))
	mustSession(t, s, sess)

	err := s.CreateSession(t.Context(), newSession(u.ID, "token-1", epoch, at(2*time.Hour)))
	wantCode(t, err, onboarding.EConflict)
	err = s.CreateSession(t.Context(), newSession("no-such-user", "token-2", epoch, at(time.Hour)))
	wantCode(t, err, onboarding.ENotFound)
	checkSession(t, s, sess, u)
}

func testDeleteUserSessions(t *testing.T, s store.Store) {
	ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
	for i := range 3 {
		mustSession(t, s, newSession(ada.ID, fmt.Sprint("ada-", i), epoch, at(time.Hour)))
	}
	bobs := newSession(bob.ID, "bob-0", epoch, at(time.Hour))
	mustSession(t, s, bobs)

	n, err := s.DeleteUserSessions(t.Context(), ada.ID)
	if err != nil || n != 3 {
		t.Errorf("DeleteUserSessions(ada) = %d, %v; want 3, nil", n, err)
	}
	n, err = s.DeleteUserSessions(t.Context(), ada.ID)
	if err != nil || n != 0 {
		t.Errorf("DeleteUserSessions(ada) again = %d, %v; want 0, nil", n, err)
	}
	_, _, err = s.GetSession(t.Context(), onboarding.HashToken("ada-0"))
	wantCode(t, err, onboarding.ENotFound)
	checkSession(t, s, bobs, bob)
}

func testDeleteExpiredSessions(t *testing.T, s store.Store) {
	u := mustUser(t, s, "object-1")
	now, idleCutoff := at(24*time.Hour), at(23*time.Hour)
	later, tick := at(48*time.Hour), time.Microsecond
	sessions := map[string]*onboarding.Session{
		"expired long ago":      newSession(u.ID, "a", at(time.Hour), at(2*time.Hour)),
		"expires exactly now":   newSession(u.ID, "b", now, now),
		"idle exactly to limit": newSession(u.ID, "c", idleCutoff, later),
		"idle past limit":       newSession(u.ID, "d", at(22*time.Hour), later),
		"just within both":      newSession(u.ID, "e", idleCutoff.Add(tick), now.Add(tick)),
		"fresh":                 newSession(u.ID, "f", now, later),
	}
	for _, sess := range sessions {
		mustSession(t, s, sess)
	}

	n, err := s.DeleteExpiredSessions(t.Context(), now, idleCutoff)
	if err != nil || n != 4 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 4, nil", n, err)
	}
	for name, sess := range sessions {
		_, _, err := s.GetSession(t.Context(), sess.TokenHash)
		want := name == "fresh" || name == "just within both"
		if got := err == nil; got != want {
			t.Errorf("session %q kept = %t, want %t (error: %v)", name, got, want, err)
		}
	}
}
