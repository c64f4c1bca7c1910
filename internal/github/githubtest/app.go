package githubtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// App is the fake's GitHub App: its ID, its installation on the organisation
// and its PEM-encoded RSA private key.
type App struct {
	ID             int64
	InstallationID int64
	PrivateKey     []byte

	public *rsa.PublicKey
}

// The fake App's IDs.
const (
	fakeAppID          = 424242
	fakeInstallationID = 4242
)

// appKey is one RSA key for every fake in a test binary, since generating
// one takes long enough to slow a test suite down.
var appKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// newApp returns the fake App's credentials.
func newApp(t testing.TB) App {
	t.Helper()
	key, err := appKey()
	if err != nil {
		t.Fatalf("generate the fake App's key: %v", err)
	}
	der := x509.MarshalPKCS1PrivateKey(key)
	return App{
		ID:             fakeAppID,
		InstallationID: fakeInstallationID,
		PrivateKey:     pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}),
		public:         &key.PublicKey,
	}
}

// maxJWTLifetime is the longest an App's JWT may live, per GitHub's rules.
const maxJWTLifetime = 10 * time.Minute

// verifyJWT checks an App's JWT as GitHub does: an RS256 signature by the
// App's key, iss the App's ID, and an exp no more than ten minutes after iat.
func (a App) verifyJWT(raw string) error {
	claims := &jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(raw, claims,
		func(*jwt.Token) (any, error) { return a.public, nil },
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(strconv.FormatInt(a.ID, 10)),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
	)
	if err != nil {
		return fmt.Errorf("verify app jwt: %w", err)
	}
	if claims.IssuedAt == nil || claims.ExpiresAt.Sub(claims.IssuedAt.Time) > maxJWTLifetime {
		return errors.New("verify app jwt: exp is more than ten minutes after iat")
	}
	return nil
}

// installationTokenLifetime is how long GitHub's installation tokens last.
const installationTokenLifetime = time.Hour

// accessTokens answers POST /app/installations/{id}/access_tokens: with a
// valid JWT for the installation it issues a ghs_ token for an hour.
func (f *FakeGitHub) accessTokens(w http.ResponseWriter, r *http.Request, id string) {
	raw, isBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case id != strconv.FormatInt(f.app.InstallationID, 10):
		writeError(w, http.StatusNotFound, "Not Found", docsREST)
		return
	case !isBearer || f.app.verifyJWT(raw) != nil || f.appRejected():
		writeError(w, http.StatusUnauthorized, "A JSON web token could not be decoded",
			docsREST)
		return
	}
	token := "ghs_" + randomString(36)
	expires := time.Now().Add(installationTokenLifetime).UTC()
	f.mu.Lock()
	f.installations[token] = expires
	f.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{
		"token":                token,
		"expires_at":           expires.Format(time.RFC3339),
		"permissions":          map[string]string{"members": "read", "metadata": "read"},
		"repository_selection": "all",
	})
}

// RejectApp makes the token exchange refuse the App's JWT, as GitHub does
// when the key or App ID is wrong.
func (f *FakeGitHub) RejectApp(reject bool) {
	f.mu.Lock()
	f.rejectApp = reject
	f.mu.Unlock()
}

func (f *FakeGitHub) appRejected() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rejectApp
}

// installation reports whether value is an unexpired installation token.
func (f *FakeGitHub) installation(value string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	expires, ok := f.installations[value]
	return ok && time.Now().Before(expires)
}
