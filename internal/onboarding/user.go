package onboarding

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"
)

// Identity is the immutable key of a person: the directory tenant and the
// object ID within it. E-mail addresses and user names change and are reused,
// so they never identify anyone.
type Identity struct {
	TenantID string
	ObjectID string
}

// User is a person who has signed in to the portal at least once.
type User struct {
	ID          string
	Identity    Identity
	DisplayName string
	Email       string
	CreatedAt   time.Time
	LastLoginAt time.Time
}

// Session is a signed-in browser. Only the SHA-256 hash of the session token
// is kept; the token itself lives in the browser's cookie alone.
type Session struct {
	TokenHash  []byte
	UserID     string
	IsAdmin    bool
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// LoginAttempt is a sign-in that has been sent to the identity provider and
// not yet come back. It is keyed by the hash of the OAuth state, tied to the
// browser that started it, and can be taken exactly once.
type LoginAttempt struct {
	StateHash    []byte
	BrowserHash  []byte
	Nonce        string
	CodeVerifier string
	ReturnTo     string
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns a random, URL-safe identifier with 128 bits of entropy, so
// that identifiers in URLs cannot be guessed or enumerated.
func NewID() string {
	return strings.ToLower(idEncoding.EncodeToString(RandomBytes(16)))
}

// RandomBytes returns n bytes from the operating system's CSPRNG.
func RandomBytes(n int) []byte {
	b := make([]byte, n)
	// crypto/rand.Read never fails on supported platforms; it panics instead.
	_, _ = rand.Read(b)
	return b
}

// HashToken returns the SHA-256 of a bearer secret such as a session token,
// which is what storage keeps in its place.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// Timestamp returns t in UTC truncated to microseconds, the precision that
// every store keeps, so that a time read back equals the time written.
func Timestamp(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}
