package githubtest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

// get sends GET path to srv with an optional Authorization header, and
// returns the response with its body read.
func get(t *testing.T, base, path, auth string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestVerifyJWT(t *testing.T) {
	f := NewFakeGitHub(t, Options{})
	key, _ := appKey()
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	iat := time.Now().Add(-30 * time.Second)
	sign := func(k *rsa.PrivateKey, iss string, life time.Duration) string {
		claims := jwt.RegisteredClaims{Issuer: iss, IssuedAt: jwt.NewNumericDate(iat),
			ExpiresAt: jwt.NewNumericDate(iat.Add(life))}
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	app := strconv.FormatInt(f.App().ID, 10)
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"valid", sign(key, app, 2*time.Minute), true},
		{"another key", sign(other, app, 2*time.Minute), false},
		{"another app", sign(key, "1", 2*time.Minute), false},
		{"too long", sign(key, app, 11*time.Minute), false},
		{"expired", sign(key, app, 10*time.Second), false},
	}
	for _, tt := range tests {
		if err := f.App().verifyJWT(tt.token); (err == nil) != tt.ok {
			t.Errorf("%s: verifyJWT = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestPackageNamesWithSlashes(t *testing.T) {
	f := NewFakeGitHub(t, Options{})
	f.AddToken("ghp_x", Token{Login: "svc", Scopes: []string{"read:packages"}})
	f.AddPackage(Package{Name: "repo/api", Readers: []string{"svc"}})
	tests := []struct {
		path   string
		status int
	}{
		{"/orgs/" + DefaultOrg + "/packages/container/repo%2Fapi", http.StatusOK},
		{"/orgs/" + DefaultOrg + "/packages/container/repo%2fapi", http.StatusOK},
		{"/orgs/" + DefaultOrg + "/packages/container/repo%2Fapi/versions", http.StatusOK},
		{"/orgs/" + DefaultOrg + "/packages/container/repo/api", http.StatusNotFound},
		{"/orgs/" + DefaultOrg + "/packages/container/repo/api/versions", http.StatusNotFound},
	}
	for _, tt := range tests {
		resp, body := get(t, f.Server.URL, tt.path, "Bearer ghp_x")
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s = %d %s, want %d", tt.path, resp.StatusCode, body, tt.status)
		}
	}
}

func TestHeadersAndErrors(t *testing.T) {
	f := NewFakeGitHub(t, Options{})
	f.AddToken("ghp_fine", Token{Login: "a"})
	f.AddToken("ghp_none", Token{Login: "b", Scopes: []string{},
		Expiration: "2030-01-02 03:04:05 UTC"})
	tests := []struct {
		auth, path string
		status     int
		scopes     []string // nil: header absent
		expiry     string
		message    string
	}{
		{"Bearer ghp_fine", "/user", 200, nil, "", ""},
		{"token ghp_none", "/user", 200, []string{""}, "2030-01-02 03:04:05 UTC", ""},
		{"Bearer ghp_wrong", "/user", 401, nil, "", "Bad credentials"},
		{"", "/user", 401, nil, "", "Requires authentication"},
		{"", "/users/nobody", 404, nil, "", "Not Found"},
		{"Bearer ghp_fine", "/orgs/" + DefaultOrg + "/memberships/a", 403, nil, "",
			"You must be a member"},
	}
	for _, tt := range tests {
		resp, body := get(t, f.Server.URL, tt.path, tt.auth)
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.auth, tt.path, resp.StatusCode, tt.status)
		}
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining",
			"X-RateLimit-Reset", "X-RateLimit-Used", "X-RateLimit-Resource"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("%s %s: no %s", tt.auth, tt.path, h)
			}
		}
		if d := cmp.Diff(tt.scopes, resp.Header.Values("X-OAuth-Scopes")); d != "" {
			t.Errorf("%s %s: X-OAuth-Scopes (-want +got):\n%s", tt.auth, tt.path, d)
		}
		if got := resp.Header.Get("GitHub-Authentication-Token-Expiration"); got != tt.expiry {
			t.Errorf("%s %s: expiry %q, want %q", tt.auth, tt.path, got, tt.expiry)
		}
		var e struct{ Message, DocumentationURL string }
		_ = json.Unmarshal([]byte(body), &e)
		if !strings.Contains(e.Message, tt.message) {
			t.Errorf("%s %s: message %q, want %q", tt.auth, tt.path, e.Message, tt.message)
		}
	}
}

func TestVersionPages(t *testing.T) {
	f := NewFakeGitHub(t, Options{})
	f.AddToken("ghp_x", Token{Login: "svc", Scopes: []string{"read:packages"}})
	versions := make([]Version, 5)
	for i := range versions {
		versions[i] = Version{Digest: "sha256:" + strconv.Itoa(i), Tags: []string{strconv.Itoa(i)}}
	}
	f.AddPackage(Package{Name: "repo", Readers: []string{"svc"}, Versions: versions})
	base := "/orgs/" + DefaultOrg + "/packages/container/repo/versions"

	resp, body := get(t, f.Server.URL, base+"?per_page=2&page=2", "Bearer ghp_x")
	var got []struct {
		Name     string
		Metadata struct{ Container struct{ Tags []string } }
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got) != 2 ||
		got[0].Name != "sha256:2" || got[1].Metadata.Container.Tags[0] != "3" {
		t.Errorf("page 2 = %s (%v)", body, err)
	}
	link := resp.Header.Get("Link")
	for _, rel := range []string{`page=1&per_page=2>; rel="prev"`,
		`page=3&per_page=2>; rel="next"`, `page=3&per_page=2>; rel="last"`} {
		if !strings.Contains(link, rel) {
			t.Errorf("Link %q lacks %q", link, rel)
		}
	}
}

func TestSSOAndScopes(t *testing.T) {
	f := NewFakeGitHub(t, Options{})
	f.AddToken("ghp_sso", Token{Login: "a", Scopes: []string{"read:packages"},
		SSOUnauthorized: true})
	f.AddToken("ghp_repo", Token{Login: "a", Scopes: []string{"repo"}})
	f.AddPackage(Package{Name: "repo", Readers: []string{"a"}})
	path := "/orgs/" + DefaultOrg + "/packages/container/repo"

	resp, body := get(t, f.Server.URL, path, "Bearer ghp_sso")
	sso := resp.Header.Get("X-GitHub-SSO")
	if resp.StatusCode != 403 || !strings.HasPrefix(sso, "required; url=https://github.com/orgs/") ||
		!strings.Contains(body, "SAML enforcement") {
		t.Errorf("SSO: %d %q %s", resp.StatusCode, sso, body)
	}
	resp, body = get(t, f.Server.URL, path, "Bearer ghp_repo")
	if resp.StatusCode != 403 || !strings.Contains(body, "read:packages") {
		t.Errorf("no packages scope: %d %s", resp.StatusCode, body)
	}
}

func TestRegistryTokenExchange(t *testing.T) {
	f := NewFakeGitHub(t, Options{})
	r := NewFakeRegistry(t, f)
	f.AddToken("ghp_ok", Token{Login: "svc", Scopes: []string{"read:packages"}})
	f.AddToken("ghp_other", Token{Login: "other", Scopes: []string{"read:packages"}})
	r.Grant("svc", "org/repo")
	scope := "/token?scope=repository:org/repo:pull&service=" + r.Host()

	resp, _ := get(t, r.Server.URL, "/v2/", "")
	challenge := resp.Header.Get("WWW-Authenticate")
	want := `Bearer realm="` + r.Server.URL + `/token",service="` + r.Host() +
		`",scope="repository:user/image:pull"`
	if resp.StatusCode != 401 || challenge != want {
		t.Errorf("GET /v2/ = %d %q, want 401 %q", resp.StatusCode, challenge, want)
	}
	tests := []struct {
		name, auth string
		status     int
		code       string
	}{
		{"basic", basic("svc", "ghp_ok"), 200, ""},
		{"bearer", "Bearer ghp_ok", 401, "UNAUTHORIZED"},
		{"unknown token", basic("svc", "ghp_nope"), 401, "UNAUTHORIZED"},
		{"no access", basic("other", "ghp_other"), 403, "DENIED"},
	}
	for _, tt := range tests {
		resp, body := get(t, r.Server.URL, scope, tt.auth)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.code) {
			t.Errorf("%s: %d %s, want %d %s", tt.name, resp.StatusCode, body, tt.status, tt.code)
		}
	}
}

func basic(user, password string) string {
	req, _ := http.NewRequest(http.MethodGet, "http://x", nil)
	req.SetBasicAuth(user, password)
	return req.Header.Get("Authorization")
}
