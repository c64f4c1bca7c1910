package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/onboarding"
)

const testTenant = "0b9c5e3e-1f1e-4a51-9a34-5b3e8ad0c001"

// idpUser is a person at the local identity provider, with the claims that
// Entra ID puts in its ID tokens.
type idpUser struct {
	oid, tid, name, email string
	roles, groups         []string
	claimNames            map[string]string
	hasGroups             bool
	// mutate changes the standard claims, to make a bad token.
	mutate func(*mockoidc.IDTokenClaims)
}

func newUser() *idpUser {
	return &idpUser{
		oid:   "6f1c1d4e-8a44-4f39-8c52-0b7f3f2f0a11",
		tid:   testTenant,
		name:  "Grace Hopper",
		email: "grace@example.ac.uk",
	}
}

func (u *idpUser) ID() string { return "pairwise-" + u.oid }

func (u *idpUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": u.ID()})
}

func (u *idpUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.mutate != nil {
		u.mutate(base)
	}
	var sources map[string]map[string]string
	for _, src := range u.claimNames {
		sources = map[string]map[string]string{src: {"endpoint": "https://graph.windows.net/" +
			u.tid + "/users/" + u.oid + "/getMemberObjects"}}
	}
	return &entraClaims{
		IDTokenClaims: base,
		ClaimSources:  sources,
		ObjectID:      u.oid,
		TenantID:      u.tid,
		Name:          u.name,
		Email:         u.email,
		Roles:         u.roles,
		Groups:        u.groups,
		ClaimNames:    u.claimNames,
		HasGroups:     u.hasGroups,
	}, nil
}

type entraClaims struct {
	*mockoidc.IDTokenClaims
	ObjectID   string            `json:"oid,omitempty"`
	TenantID   string            `json:"tid,omitempty"`
	Name       string            `json:"name,omitempty"`
	Email      string            `json:"email,omitempty"`
	Roles      []string          `json:"roles,omitempty"`
	Groups     []string          `json:"groups,omitempty"`
	ClaimNames map[string]string `json:"_claim_names,omitempty"`
	// ClaimSources says where the left-out claims can be fetched, as Entra
	// writes it beside _claim_names.
	ClaimSources map[string]map[string]string `json:"_claim_sources,omitempty"`
	HasGroups    bool                         `json:"hasgroups,omitempty"`
}

// signInFlow is one sign-in's three responses.
type signInFlow struct {
	login, authorize, callback *response
}

// startSignIn asks the portal to sign in and follows it to the provider,
// which redirects back with a code; the callback is not yet made.
func (e *env) startSignIn(c *http.Client, u *idpUser, returnTo string) *signInFlow {
	e.t.Helper()
	e.oidc.QueueUser(u)
	f := &signInFlow{login: e.get(c, "/auth/login?return_to="+url.QueryEscape(returnTo))}
	wantRedirect(e.t, f.login, e.oidc.AuthorizationEndpoint())
	f.authorize = e.get(c, f.login.Header.Get("Location"))
	wantRedirect(e.t, f.authorize, e.ts.URL+"/auth/callback?")
	return f
}

// oidcSignIn signs a browser in through the local identity provider.
func (e *env) oidcSignIn(c *http.Client, u *idpUser) {
	e.t.Helper()
	f := e.startSignIn(c, u, "/")
	f.callback = e.get(c, f.authorize.Header.Get("Location"))
	wantRedirect(e.t, f.callback, "/")
}

func withOIDC(o *options) { o.oidc = true }

func TestOIDCSignIn(t *testing.T) {
	e := newEnv(t, withOIDC, func(o *options) { o.tenantID = testTenant })
	c := e.browser()
	u := newUser()
	u.roles = []string{"Portal.Admin"}

	f := e.startSignIn(c, u, "/?from=test")
	f.callback = e.get(c, f.authorize.Header.Get("Location"))
	wantRedirect(t, f.callback, "/?from=test")

	sess, user, err := e.store.GetSession(t.Context(), onboarding.HashToken(e.sessionCookie(c)))
	if err != nil {
		t.Fatalf("no session after sign-in: %v", err)
	}
	wantID := onboarding.Identity{TenantID: testTenant, ObjectID: u.oid}
	if user.Identity != wantID || user.DisplayName != "Grace Hopper" || !sess.IsAdmin {
		t.Errorf("user %+v admin %v, want identity %+v, Grace Hopper, admin", user, sess.IsAdmin,
			wantID)
	}
	r := e.get(c, "/")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, `data-testid="viewer-admin"`) {
		t.Error("the home page does not show the admin role")
	}
	if !strings.Contains(e.logs.String(), `"event":"sign_in","outcome":"success"`) {
		t.Errorf("no sign-in success event in the log:\n%s", e.logs)
	}
}

func TestOIDCAuthorizationRequest(t *testing.T) {
	e := newEnv(t, withOIDC)
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		r := e.get(e.browser(), "/auth/login", "X-Forwarded-Host", "evil.example")
		loc, err := url.Parse(r.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		q := loc.Query()
		if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 {
			t.Fatalf("authorization request %v does not use PKCE S256", q)
		}
		if got, want := q.Get("redirect_uri"), e.ts.URL+"/auth/callback"; got != want {
			t.Fatalf("redirect_uri %q, want exactly %q", got, want)
		}
		for _, p := range []string{"state", "nonce"} {
			v := q.Get(p)
			if len(v) < 43 || seen[v] {
				t.Fatalf("%s %q is short or repeated", p, v)
			}
			seen[v] = true
		}
	}
}

func TestOIDCCallbackRefusals(t *testing.T) {
	past := time.Now().Add(-2 * time.Hour)
	tests := []struct {
		name string
		// user makes the ID token; nil means the flow never gets one.
		user func() *idpUser
		// callback turns the provider's redirect into the callback URL made.
		callback func(t *testing.T, e *env, loc string) string
		// browser chooses which browser makes the callback.
		otherBrowser bool
	}{
		{name: "state changed", callback: setParam("state", "forged-state")},
		{name: "state missing", callback: setParam("state", "")},
		{name: "identity provider error", callback: func(t *testing.T, e *env, loc string) string {
			u, _ := url.Parse(loc)
			return "/auth/callback?error=access_denied&state=" + u.Query().Get("state")
		}},
		{name: "code missing", callback: setParam("code", "")},
		{name: "callback in another browser", otherBrowser: true},
		{name: "wrong nonce", user: mutated(func(c *mockoidc.IDTokenClaims) { c.Nonce = "x" })},
		{name: "wrong audience", user: mutated(func(c *mockoidc.IDTokenClaims) {
			c.Audience = jwt.ClaimStrings{"another-client"}
		})},
		{name: "expired token", user: mutated(func(c *mockoidc.IDTokenClaims) {
			c.IssuedAt, c.NotBefore = jwt.NewNumericDate(past), jwt.NewNumericDate(past)
			c.ExpiresAt = jwt.NewNumericDate(past.Add(time.Hour))
		})},
		{name: "other tenant", user: func() *idpUser {
			u := newUser()
			u.tid = "9a3d1c55-0000-4000-8000-000000000000"
			return u
		}},
		{name: "no object ID", user: func() *idpUser { u := newUser(); u.oid = ""; return u }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withOIDC, func(o *options) { o.tenantID = testTenant })
			checkRefusedCallback(t, e, tt.user, tt.callback, tt.otherBrowser)
		})
	}
}

func checkRefusedCallback(t *testing.T, e *env, user func() *idpUser,
	callback func(*testing.T, *env, string) string, otherBrowser bool) {
	t.Helper()
	c := e.browser()
	u := newUser()
	if user != nil {
		u = user()
	}
	f := e.startSignIn(c, u, "/")
	target := f.authorize.Header.Get("Location")
	if callback != nil {
		target = callback(t, e, target)
	}
	if otherBrowser {
		c = e.browser()
	}
	r := e.get(c, target)
	wantStatus(t, r, http.StatusUnauthorized)
	if e.sessionCookie(c) != "" {
		t.Error("a refused sign-in set a session cookie")
	}
	if !strings.Contains(r.body, "sign") || strings.Contains(r.body, "oidc:") {
		t.Errorf("the page does not explain the refusal plainly:\n%s", r.body)
	}
	if !strings.Contains(e.logs.String(), `"event":"sign_in","outcome":"failure"`) {
		t.Errorf("no sign-in failure event in the log:\n%s", e.logs)
	}
}

func mutated(f func(*mockoidc.IDTokenClaims)) func() *idpUser {
	return func() *idpUser {
		u := newUser()
		u.mutate = f
		return u
	}
}

func setParam(name, value string) func(*testing.T, *env, string) string {
	return func(t *testing.T, e *env, loc string) string {
		u, err := url.Parse(loc)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set(name, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
}

func TestOIDCCallbackCannotBeReplayed(t *testing.T) {
	e := newEnv(t, withOIDC)
	c := e.browser()
	f := e.startSignIn(c, newUser(), "/")
	callback := f.authorize.Header.Get("Location")
	wantRedirect(t, e.get(c, callback), "/")
	wantStatus(t, e.get(c, callback), http.StatusUnauthorized)
}

func TestOIDCAdminRole(t *testing.T) {
	const group = "5d1f7c2a-9b3e-4c6d-8e7f-0a1b2c3d4e5f"
	tests := []struct {
		name      string
		roles     []string
		groups    []string
		overage   bool
		wantAdmin bool
	}{
		{name: "exact role", roles: []string{"Reader", "Portal.Admin"}, wantAdmin: true},
		{name: "no roles"},
		{name: "role in another case", roles: []string{"portal.admin"}},
		{name: "role with a space", roles: []string{"Portal.Admin "}},
		{name: "admin group", groups: []string{strings.ToUpper(group)}, wantAdmin: true},
		{name: "other group", groups: []string{"11111111-2222-3333-4444-555555555555"}},
		{name: "groups overage", groups: []string{group}, overage: true},
	}
	m := startMockOIDC(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withOIDC, func(o *options) {
				o.mockOIDC = m
				o.roles = auth.RolePolicy{AdminRole: "Portal.Admin", AdminGroups: []string{group}}
			})
			u := newUser()
			u.roles, u.groups = tt.roles, tt.groups
			if tt.overage {
				u.claimNames = map[string]string{"groups": "src1"}
			}
			c := e.browser()
			e.oidcSignIn(c, u)
			sess, _, err := e.store.GetSession(t.Context(), onboarding.HashToken(e.sessionCookie(c)))
			if err != nil {
				t.Fatal(err)
			}
			if sess.IsAdmin != tt.wantAdmin {
				t.Errorf("admin %v, want %v", sess.IsAdmin, tt.wantAdmin)
			}
		})
	}
}

func TestOIDCUserKeyedByTenantAndObjectID(t *testing.T) {
	e := newEnv(t, withOIDC)
	first, renamed, other := newUser(), newUser(), newUser()
	renamed.email, renamed.name = "g.hopper@example.ac.uk", "Grace B. Hopper"
	other.oid = "00000000-1111-4222-8333-444444444444"

	ids := map[string]string{}
	for name, u := range map[string]*idpUser{"first": first, "renamed": renamed, "other": other} {
		c := e.browser()
		e.oidcSignIn(c, u)
		_, user, err := e.store.GetSession(t.Context(), onboarding.HashToken(e.sessionCookie(c)))
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = user.ID
	}
	if ids["first"] != ids["renamed"] {
		t.Error("a changed e-mail address or name made a new account")
	}
	if ids["first"] == ids["other"] {
		t.Error("another object ID with the same e-mail address got the same account")
	}
}

func TestOIDCSignInAcrossReplicas(t *testing.T) {
	m := startMockOIDC(t)
	a := newEnv(t, withOIDC, func(o *options) { o.mockOIDC = m })
	b := newEnv(t, withOIDC, func(o *options) { o.mockOIDC = m; o.store = a.store })

	c := a.browser()
	f := a.startSignIn(c, newUser(), "/")
	callback := strings.Replace(f.authorize.Header.Get("Location"), a.ts.URL, b.ts.URL, 1)
	wantRedirect(t, b.get(c, callback), "/")
	wantStatus(t, a.get(c, "/"), http.StatusOK)
}
