package auth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"ghcrportal/internal/onboarding"
)

// loginAttemptLifetime bounds how long a person may spend at the identity
// provider between leaving the portal and coming back.
const loginAttemptLifetime = 10 * time.Minute

// OIDCConfig is how the portal is registered with its identity provider.
type OIDCConfig struct {
	IssuerURL    string
	ClientID     string
	ClientSecret string
	// RedirectURL is the exact callback URL registered with the provider.
	RedirectURL string
	// TenantID, when set, is the only directory tenant whose people may sign in.
	TenantID string
	Roles    RolePolicy
}

// OIDC runs the authorization-code flow with PKCE, state and nonce.
type OIDC struct {
	cfg      OIDCConfig
	store    Store
	browser  browserCookie
	now      func() time.Time
	client   *http.Client
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// SignIn is a person the identity provider has vouched for.
type SignIn struct {
	Identity    onboarding.Identity
	DisplayName string
	Email       string
	IsAdmin     bool
	ReturnTo    string
	// GroupsOverage is true when the provider left out the person's groups,
	// so that admin by group membership could not be granted.
	GroupsOverage bool
}

// NewOIDC discovers the provider's endpoints and keys at cfg.IssuerURL. The
// discovered issuer must equal the configured one exactly. client is used for
// every call to the provider and should have a timeout.
func NewOIDC(ctx context.Context, cfg OIDCConfig, store Store, secure bool, now func() time.Time,
	client *http.Client) (*OIDC, error) {
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, client), cfg.IssuerURL)
	if err != nil {
		return nil, fmt.Errorf("discover OpenID provider %s: %w", cfg.IssuerURL, err)
	}
	endpoint := provider.Endpoint()
	// Client credentials go in the form body, which both Entra and the local
	// test provider accept; it avoids a second, failing attempt per sign-in.
	endpoint.AuthStyle = oauth2.AuthStyleInParams
	return &OIDC{
		cfg:     cfg,
		store:   store,
		browser: browserCookie{secure: secure},
		now:     now,
		client:  client,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     endpoint,
			RedirectURL:  cfg.RedirectURL,
			Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
		},
		verifier: provider.Verifier(&oidc.Config{
			ClientID:             cfg.ClientID,
			SupportedSigningAlgs: []string{oidc.RS256},
			Now:                  now,
		}),
	}, nil
}

// Begin records a new sign-in attempt bound to this browser and returns the
// provider's authorization URL to redirect to.
func (o *OIDC) Begin(w http.ResponseWriter, r *http.Request, returnTo string) (string, error) {
	key := o.browser.ensure(w, r)
	state := randomString()
	now := onboarding.Timestamp(o.now())
	attempt := &onboarding.LoginAttempt{
		StateHash:    onboarding.HashToken(state),
		BrowserHash:  onboarding.HashToken(key),
		Nonce:        randomString(),
		CodeVerifier: oauth2.GenerateVerifier(),
		ReturnTo:     SafeReturnTo(returnTo),
		CreatedAt:    now,
		ExpiresAt:    now.Add(loginAttemptLifetime),
	}
	if err := o.store.CreateLoginAttempt(r.Context(), attempt); err != nil {
		return "", fmt.Errorf("record sign-in attempt: %w", err)
	}
	return o.oauth.AuthCodeURL(state,
		oidc.Nonce(attempt.Nonce),
		oauth2.S256ChallengeOption(attempt.CodeVerifier),
	), nil
}

// Complete finishes the sign-in the provider redirected back with. It takes
// the attempt named by the state (so that a replayed callback fails), checks
// it belongs to this browser, redeems the code with the PKCE verifier, and
// verifies the ID token, its nonce and its claims.
func (o *OIDC) Complete(r *http.Request) (*SignIn, error) {
	attempt, err := o.takeAttempt(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if code := q.Get("error"); code != "" {
		return nil, providerError(code)
	}
	if q.Get("code") == "" {
		return nil, signInFailed("the identity provider sent no authorization code", nil)
	}

	ctx := oidc.ClientContext(r.Context(), o.client)
	token, err := o.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(attempt.CodeVerifier))
	if err != nil {
		return nil, signInFailed("redeem authorization code", err)
	}
	raw, ok := token.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, signInFailed("the token response has no ID token", nil)
	}
	c, err := o.verify(ctx, raw, attempt.Nonce)
	if err != nil {
		return nil, err
	}
	return o.signIn(c, attempt.ReturnTo)
}

// takeAttempt finds and consumes the attempt that the callback's state
// names, and checks that this browser started it.
func (o *OIDC) takeAttempt(r *http.Request) (*onboarding.LoginAttempt, error) {
	state := r.URL.Query().Get("state")
	if state == "" {
		return nil, signInFailed("the callback has no state", nil)
	}
	key, ok := o.browser.read(r)
	if !ok {
		return nil, signInFailed("this browser has no sign-in in progress", nil)
	}
	attempt, err := o.store.TakeLoginAttempt(r.Context(), onboarding.HashToken(state), o.now())
	if onboarding.ErrorCode(err) == onboarding.ENotFound {
		return nil, signInFailed("the state is unknown, used or expired", nil)
	} else if err != nil {
		return nil, fmt.Errorf("take sign-in attempt: %w", err)
	}
	if subtle.ConstantTimeCompare(attempt.BrowserHash, onboarding.HashToken(key)) != 1 {
		return nil, signInFailed("the sign-in was started by another browser", nil)
	}
	return attempt, nil
}

// verify checks the ID token's signature, issuer, audience and lifetime, then
// the nonce, which go-oidc leaves to its caller.
func (o *OIDC) verify(ctx context.Context, raw, nonce string) (*claims, error) {
	idToken, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, signInFailed("verify ID token", err)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(nonce)) != 1 {
		return nil, signInFailed("the ID token's nonce does not match this sign-in", nil)
	}
	var c claims
	if err := idToken.Claims(&c); err != nil {
		return nil, signInFailed("decode ID token claims", err)
	}
	return &c, nil
}

func (o *OIDC) signIn(c *claims, returnTo string) (*SignIn, error) {
	if err := c.check(o.cfg.TenantID); err != nil {
		return nil, err
	}
	return &SignIn{
		Identity:      onboarding.Identity{TenantID: c.TenantID, ObjectID: c.ObjectID},
		DisplayName:   c.displayName(),
		Email:         c.Email,
		IsAdmin:       o.cfg.Roles.IsAdmin(c),
		ReturnTo:      returnTo,
		GroupsOverage: c.groupsOverage(),
	}, nil
}

// signInFailed is the error for every way a sign-in can be refused. The
// person sees one message; the reason and cause are kept for the log.
func signInFailed(reason string, cause error) error {
	err := errors.New(reason)
	if cause != nil {
		err = fmt.Errorf("%s: %w", reason, cause)
	}
	return onboarding.WrapError(onboarding.EUnauthorized,
		"We could not sign you in. Please start again from the sign-in page.", err)
}

// providerError is the error for a callback that carries an OAuth error code.
// Only the code is kept, never the provider's free-text description.
func providerError(code string) error {
	msg := "The sign-in was not completed at the identity provider. Please try again."
	if code == "access_denied" {
		msg = "The sign-in was cancelled or refused at the identity provider. " +
			"If you expected it to work, ask the service desk to check your access to this portal."
	}
	return onboarding.WrapError(onboarding.EUnauthorized, msg,
		fmt.Errorf("identity provider returned error %q", sanitizeCode(code)))
}

// sanitizeCode keeps an OAuth error code to its documented character set so
// that it cannot smuggle anything into a log line.
func sanitizeCode(code string) string {
	b := []byte(code)
	if len(b) > 64 {
		b = b[:64]
	}
	for i, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			b[i] = '?'
		}
	}
	return string(b)
}

// randomString returns 256 random bits, base64url-encoded.
func randomString() string {
	return base64.RawURLEncoding.EncodeToString(onboarding.RandomBytes(32))
}

// browserCookie ties a sign-in attempt to the browser that started it. The
// cookie outlives one attempt, so that sign-ins started in two tabs do not
// overwrite each other; only its hash is stored with each attempt.
type browserCookie struct {
	secure bool
}

func (b browserCookie) name() string { return cookieName(b.secure, "portal_browser") }

func (b browserCookie) read(r *http.Request) (string, bool) {
	c, err := r.Cookie(b.name())
	if err != nil || len(c.Value) != base64.RawURLEncoding.EncodedLen(32) {
		return "", false
	}
	return c.Value, true
}

func (b browserCookie) ensure(w http.ResponseWriter, r *http.Request) string {
	if key, ok := b.read(r); ok {
		return key
	}
	key := randomString()
	http.SetCookie(w, &http.Cookie{
		Name:     b.name(),
		Value:    key,
		Path:     "/",
		MaxAge:   int(time.Hour / time.Second),
		Secure:   b.secure,
		HttpOnly: true,
		// Lax, not Strict: the callback is a top-level navigation from the
		// provider's site, and a Strict cookie would not come with it.
		SameSite: http.SameSiteLaxMode,
	})
	return key
}
