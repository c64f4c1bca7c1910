package config

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"log/slog"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// secretMarker is part of every secret value in these tests, so that a test
// can check that no message and no log line holds one.
const secretMarker = "hunter2"

const (
	testTenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	testClientID = "0f8fad5b-d9cb-469f-a165-70867728950e"
	testGroup    = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	entraIssuer  = "https://login.microsoftonline.com/" + testTenant + "/v2.0"
)

// allVariables are every variable that Load reads.
var allVariables = []string{
	"PORTAL_ADDR", "PORTAL_PUBLIC_URL", "PORTAL_DATA_DIR",
	"DATABASE_URL", "DATABASE_URL_FILE",
	"OIDC_ISSUER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_CLIENT_SECRET_FILE",
	"PORTAL_ADMIN_ROLE", "PORTAL_ADMIN_GROUPS",
	"GITHUB_API_URL", "GITHUB_ORG",
	"GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID",
	"GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_PRIVATE_KEY_FILE",
	"REGISTRY_HOST", "LOG_LEVEL", "LOG_FORMAT",
}

// compareURLs lets cmp compare *url.URL values by their string form.
var compareURLs = cmp.Transformer("URL", func(u *url.URL) string {
	if u == nil {
		return "<nil>"
	}
	return u.String()
})

// testRSAKey is one RSA key shared by the tests, since generating one is slow.
var testRSAKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// lookupIn returns a lookup function that sees vars as os.LookupEnv sees the
// environment.
func lookupIn(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		value, ok := vars[name]
		return value, ok
	}
}

// readFrom returns a readFile function over files, keyed by path; any other
// path fails as a missing file does.
func readFrom(files map[string]string) func(string) ([]byte, error) {
	return func(path string) ([]byte, error) {
		content, ok := files[path]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		}
		return []byte(content), nil
	}
}

// merge returns one map holding every entry of ms, later ones winning.
func merge(ms ...map[string]string) map[string]string {
	merged := map[string]string{}
	for _, m := range ms {
		maps.Copy(merged, m)
	}
	return merged
}

// oidcVars returns a complete Entra OIDC configuration with a public URL.
func oidcVars() map[string]string {
	return map[string]string{
		"OIDC_ISSUER_URL":    entraIssuer,
		"OIDC_CLIENT_ID":     testClientID,
		"OIDC_CLIENT_SECRET": "client-" + secretMarker,
		"PORTAL_PUBLIC_URL":  "https://portal.example.ac.uk",
	}
}

// issuerVars returns a complete OIDC configuration with the given issuer.
func issuerVars(issuer string) map[string]string {
	return merge(oidcVars(), map[string]string{"OIDC_ISSUER_URL": issuer})
}

// mustLoad loads the configuration and fails the test if it is invalid.
func mustLoad(t *testing.T, vars, files map[string]string) *Config {
	t.Helper()
	cfg, err := Load(lookupIn(vars), readFrom(files))
	if err != nil {
		t.Fatalf("Load() error:\n%v", err)
	}
	return cfg
}

// loadProblems loads the configuration, which must be invalid, and returns
// its problems.
func loadProblems(t *testing.T, vars, files map[string]string) []Problem {
	t.Helper()
	_, err := Load(lookupIn(vars), readFrom(files))
	var cfgErr *Error
	if !errors.As(err, &cfgErr) {
		t.Fatalf("Load() error = %v, want a *Error", err)
	}
	return cfgErr.Problems
}

// matchMessages returns got with each message that contains the message of
// want at the same index replaced by it, so that cmp.Diff shows only real
// differences.
func matchMessages(want, got []Problem) []Problem {
	matched := slices.Clone(got)
	for i := range matched {
		if i < len(want) && strings.Contains(matched[i].Message, want[i].Message) {
			matched[i].Message = want[i].Message
		}
	}
	return matched
}

// assertNoSecret fails the test if text holds secretMarker or any line of any
// of secrets, other than PEM armour lines, which are not secret.
func assertNoSecret(t *testing.T, text string, secrets ...string) {
	t.Helper()
	if strings.Contains(text, secretMarker) {
		t.Errorf("%q holds the secret marker %q", text, secretMarker)
	}
	for _, secret := range secrets {
		for _, line := range strings.Split(secret, "\n") {
			line = strings.TrimSpace(line)
			if len(line) >= 8 && !strings.HasPrefix(line, "-----") &&
				strings.Contains(text, line) {
				t.Errorf("%q holds the secret line %q", text, line)
			}
		}
	}
}

// rsaPEM returns the shared RSA key as PEM, in PKCS#1 or PKCS#8 form.
func rsaPEM(t *testing.T, pkcs8 bool) string {
	t.Helper()
	key, err := testRSAKey()
	if err != nil {
		t.Fatalf("generate RSA key: %v", err)
	}
	if !pkcs8 {
		der := x509.MarshalPKCS1PrivateKey(key)
		return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}))
	}
	return pkcs8PEM(t, key)
}

// pkcs8PEM returns key as a PKCS#8 PRIVATE KEY PEM block.
func pkcs8PEM(t *testing.T, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("marshal PKCS#8 key: %v", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// ecPEM returns a new P-256 key as an EC PRIVATE KEY PEM block.
func ecPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate EC key: %v", err)
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatalf("marshal EC key: %v", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// ed25519PEM returns a new Ed25519 key as a PKCS#8 PEM block.
func ed25519PEM(t *testing.T) string {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatalf("generate Ed25519 key: %v", err)
	}
	return pkcs8PEM(t, key)
}

// mustParseURL parses raw and fails the test if it is not a URL.
func mustParseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return u
}

// absPath returns path made absolute, as Load makes PORTAL_DATA_DIR.
func absPath(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatalf("absolute path of %q: %v", path, err)
	}
	return abs
}

// defaults returns the configuration that an empty environment gives.
func defaults(t *testing.T) *Config {
	t.Helper()
	return &Config{
		Addr:         "127.0.0.1:8080",
		PublicURL:    mustParseURL(t, "http://127.0.0.1:8080"),
		DataDir:      absPath(t, "data"),
		AdminRole:    "Portal.Admin",
		GitHubAPIURL: mustParseURL(t, "https://api.github.com/"),
		GitHubOrg:    "ImperialCollegeLondon",
		RegistryHost: "ghcr.io",
		LogLevel:     slog.LevelInfo,
		LogFormat:    "text",
	}
}

func TestLoadDefaults(t *testing.T) {
	got := mustLoad(t, nil, nil)
	if diff := cmp.Diff(defaults(t), got, compareURLs); diff != "" {
		t.Errorf("Load() of an empty environment mismatch (-want +got):\n%s", diff)
	}
	if !got.DevSignIn() || got.SecureCookies() {
		t.Errorf("DevSignIn() = %v, SecureCookies() = %v; want true, false",
			got.DevSignIn(), got.SecureCookies())
	}
}

func TestLoadEmptyCountsAsUnset(t *testing.T) {
	vars := map[string]string{}
	for _, name := range allVariables {
		vars[name] = " "
	}
	got := mustLoad(t, vars, nil)
	if diff := cmp.Diff(defaults(t), got, compareURLs); diff != "" {
		t.Errorf("Load() with every variable blank mismatch (-want +got):\n%s", diff)
	}
}

func TestFromEnvironment(t *testing.T) {
	for _, name := range allVariables {
		t.Setenv(name, "")
	}
	t.Setenv("GITHUB_ORG", "example-org")
	want := defaults(t)
	want.GitHubOrg = "example-org"

	got, err := FromEnvironment()
	if err != nil {
		t.Fatalf("FromEnvironment() error:\n%v", err)
	}
	if diff := cmp.Diff(want, got, compareURLs); diff != "" {
		t.Errorf("FromEnvironment() mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadReportsEachProblem(t *testing.T) {
	pkcs1 := rsaPEM(t, false)
	corruptPKCS1 := "-----BEGIN RSA PRIVATE KEY-----\naHVudGVyMiBodW50ZXIy\n" +
		"-----END RSA PRIVATE KEY-----\n"
	encrypted := "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n" +
		"DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\n" +
		"aHVudGVyMiBodW50ZXIy\n-----END RSA PRIVATE KEY-----\n"
	appVars := func(key string) map[string]string {
		return map[string]string{
			"GITHUB_APP_ID":              "123456",
			"GITHUB_APP_INSTALLATION_ID": "7890123",
			"GITHUB_APP_PRIVATE_KEY":     key,
		}
	}
	entraHint := "a single-tenant portal needs the tenant's GUID so that the issuer"

	tests := []struct {
		name  string
		vars  map[string]string
		files map[string]string
		want  []Problem // each Message is a part of the message that is reported
	}{
		{
			name: "addr without a port",
			vars: map[string]string{"PORTAL_ADDR": "127.0.0.1"},
			want: []Problem{{"PORTAL_ADDR",
				`"127.0.0.1" is not host:port (missing port in address)`}},
		},
		{
			name: "addr port out of range",
			vars: map[string]string{"PORTAL_ADDR": "127.0.0.1:65536"},
			want: []Problem{{"PORTAL_ADDR", "the port must be a number from 0 to 65535"}},
		},
		{
			name: "addr port by name",
			vars: map[string]string{"PORTAL_ADDR": "127.0.0.1:http"},
			want: []Problem{{"PORTAL_ADDR", `has port "http"; the port must be a number`}},
		},
		{
			name: "every interface without OIDC",
			vars: map[string]string{"PORTAL_ADDR": ":8080"},
			want: []Problem{{"PORTAL_ADDR", `":8080" listens on every interface, which is ` +
				"not a loopback address, and OIDC is not configured; the development sign-in " +
				"lets anyone choose who they are, so it runs only on a loopback address. " +
				"Set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"}},
		},
		{
			name: "unspecified address without OIDC",
			vars: map[string]string{"PORTAL_ADDR": "0.0.0.0:8080"},
			want: []Problem{{"PORTAL_ADDR", "listens on 0.0.0.0, which is not a loopback"}},
		},
		{
			name: "named host without OIDC",
			vars: map[string]string{"PORTAL_ADDR": "portal.example.ac.uk:8080"},
			want: []Problem{{"PORTAL_ADDR", "or listen on 127.0.0.1"}},
		},
		{
			name: "non-loopback public URL without OIDC",
			vars: map[string]string{"PORTAL_PUBLIC_URL": "https://portal.example.ac.uk"},
			want: []Problem{{"PORTAL_PUBLIC_URL", "has the host portal.example.ac.uk, which is " +
				"not a loopback address, and OIDC is not configured; the development sign-in " +
				"lets anyone choose who they are"}},
		},
		{
			name: "http public URL with OIDC on a non-loopback host",
			vars: merge(oidcVars(), map[string]string{
				"PORTAL_ADDR":       ":8080",
				"PORTAL_PUBLIC_URL": "http://portal.example.ac.uk",
			}),
			want: []Problem{{"PORTAL_PUBLIC_URL", `"http://portal.example.ac.uk" uses http, ` +
				"which is allowed only for a loopback host"}},
		},
		{
			name: "no public URL with OIDC",
			vars: merge(oidcVars(), map[string]string{"PORTAL_PUBLIC_URL": ""}),
			want: []Problem{{"PORTAL_PUBLIC_URL", "is required with OIDC sign-in: the " +
				"sign-in redirect URI is this URL followed by /auth/callback"}},
		},
		{
			name: "public URL with a query",
			vars: map[string]string{"PORTAL_PUBLIC_URL": "http://127.0.0.1:8080/?a=b"},
			want: []Problem{{"PORTAL_PUBLIC_URL", "has a query (?...); remove it"}},
		},
		{
			name: "public URL with a fragment",
			vars: map[string]string{"PORTAL_PUBLIC_URL": "http://127.0.0.1:8080/#top"},
			want: []Problem{{"PORTAL_PUBLIC_URL", "has a fragment (#...); remove it"}},
		},
		{
			name: "public URL with user information",
			vars: map[string]string{
				"PORTAL_PUBLIC_URL": "http://admin:" + secretMarker + "@127.0.0.1:8080",
			},
			want: []Problem{{"PORTAL_PUBLIC_URL", "holds a user name or password"}},
		},
		{
			name: "public URL without a scheme",
			vars: map[string]string{"PORTAL_PUBLIC_URL": "127.0.0.1:8080"},
			want: []Problem{{"PORTAL_PUBLIC_URL", "is not a valid URL"}},
		},
		{
			name: "public URL with another scheme",
			vars: map[string]string{"PORTAL_PUBLIC_URL": "ftp://127.0.0.1"},
			want: []Problem{{"PORTAL_PUBLIC_URL", "is not an absolute http or https URL"}},
		},
		{
			name: "public URL port out of range",
			vars: map[string]string{"PORTAL_PUBLIC_URL": "http://127.0.0.1:80800"},
			want: []Problem{{"PORTAL_PUBLIC_URL", "has port 80800; a port is a number"}},
		},
		{
			name: "database URL of another database",
			vars: map[string]string{"DATABASE_URL": "mysql://portal:" + secretMarker + "@db/p"},
			want: []Problem{{"DATABASE_URL", "is not a postgres:// or postgresql:// URL"}},
		},
		{
			name: "database URL in keyword form",
			vars: map[string]string{"DATABASE_URL": "host=db password=" + secretMarker},
			want: []Problem{{"DATABASE_URL", "(the keyword=value form is not accepted)"}},
		},
		{
			name: "database URL without a host",
			vars: map[string]string{"DATABASE_URL": "postgres:///portal?password=" + secretMarker},
			want: []Problem{{"DATABASE_URL", "has no host (the value is not shown"}},
		},
		{
			name: "database URL that does not parse",
			vars: map[string]string{"DATABASE_URL": "postgres://p:" + secretMarker + "@db:x/p"},
			want: []Problem{{"DATABASE_URL", "is not a valid URL (the value is not shown"}},
		},
		{
			name: "database URL and its file",
			vars: map[string]string{
				"DATABASE_URL":      "postgres://p:" + secretMarker + "@db/p",
				"DATABASE_URL_FILE": "/run/secrets/database-url",
			},
			files: map[string]string{"/run/secrets/database-url": "postgres://db/p"},
			want: []Problem{{"DATABASE_URL",
				"is set and so is DATABASE_URL_FILE; set only one of them"}},
		},
		{
			name: "database URL file missing",
			vars: map[string]string{"DATABASE_URL_FILE": "/run/secrets/missing"},
			want: []Problem{{"DATABASE_URL_FILE",
				`cannot read the file "/run/secrets/missing" (file does not exist)`}},
		},
		{
			name:  "database URL file empty",
			vars:  map[string]string{"DATABASE_URL_FILE": "/run/secrets/database-url"},
			files: map[string]string{"/run/secrets/database-url": " \n\n"},
			want: []Problem{{"DATABASE_URL_FILE",
				`names the file "/run/secrets/database-url", which is empty`}},
		},
		{
			name:  "database URL file of another database",
			vars:  map[string]string{"DATABASE_URL_FILE": "/run/secrets/database-url"},
			files: map[string]string{"/run/secrets/database-url": "mysql://p:hunter2@db/p\n"},
			want:  []Problem{{"DATABASE_URL_FILE", "is not a postgres:// or postgresql://"}},
		},
		{
			name: "OIDC issuer only",
			vars: map[string]string{
				"OIDC_ISSUER_URL":   entraIssuer,
				"PORTAL_PUBLIC_URL": "https://portal.example.ac.uk",
			},
			want: []Problem{
				{"OIDC_CLIENT_ID", "is not set, but OIDC_ISSUER_URL is; OIDC sign-in needs " +
					"OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"},
				{"OIDC_CLIENT_SECRET", "is not set, but OIDC_ISSUER_URL is"},
			},
		},
		{
			name: "OIDC without an issuer",
			vars: map[string]string{
				"OIDC_CLIENT_ID":          testClientID,
				"OIDC_CLIENT_SECRET_FILE": "/run/secrets/client-secret",
				"PORTAL_PUBLIC_URL":       "https://portal.example.ac.uk",
			},
			files: map[string]string{"/run/secrets/client-secret": secretMarker},
			want: []Problem{{"OIDC_ISSUER_URL",
				"is not set, but OIDC_CLIENT_ID and OIDC_CLIENT_SECRET_FILE are"}},
		},
		{
			name: "OIDC partial also needs a public URL",
			vars: map[string]string{"OIDC_CLIENT_ID": testClientID},
			want: []Problem{
				{"OIDC_ISSUER_URL", "is not set, but OIDC_CLIENT_ID is"},
				{"OIDC_CLIENT_SECRET", "is not set, but OIDC_CLIENT_ID is"},
				{"PORTAL_PUBLIC_URL", "is required with OIDC sign-in"},
			},
		},
		{
			name: "client secret and its file",
			vars: merge(oidcVars(), map[string]string{
				"OIDC_CLIENT_SECRET_FILE": "/run/secrets/client-secret",
			}),
			files: map[string]string{"/run/secrets/client-secret": secretMarker},
			want:  []Problem{{"OIDC_CLIENT_SECRET", "is set and so is OIDC_CLIENT_SECRET_FILE"}},
		},
		{
			name: "client secret file missing",
			vars: merge(oidcVars(), map[string]string{
				"OIDC_CLIENT_SECRET":      "",
				"OIDC_CLIENT_SECRET_FILE": "/run/secrets/nope",
			}),
			want: []Problem{{"OIDC_CLIENT_SECRET_FILE",
				`cannot read the file "/run/secrets/nope"`}},
		},
		{
			name: "Entra common issuer",
			vars: issuerVars("https://login.microsoftonline.com/common/v2.0"),
			want: []Problem{{"OIDC_ISSUER_URL", `names "common", which stands for many ` +
				"tenants, not one tenant; " + entraHint}},
		},
		{
			name: "Entra organizations issuer",
			vars: issuerVars("https://login.microsoftonline.com/organizations/v2.0"),
			want: []Problem{{"OIDC_ISSUER_URL", `names "organizations", which stands for`}},
		},
		{
			name: "Entra consumers issuer",
			vars: issuerVars("https://login.microsoftonline.com/consumers/v2.0"),
			want: []Problem{{"OIDC_ISSUER_URL", `names "consumers", which stands for`}},
		},
		{
			name: "Entra issuer with a domain name",
			vars: issuerVars("https://login.microsoftonline.com/imperial.ac.uk/v2.0"),
			want: []Problem{{"OIDC_ISSUER_URL", `names the tenant "imperial.ac.uk", which ` +
				"is not a GUID (a domain name is not accepted); " + entraHint}},
		},
		{
			name: "Entra v1 issuer",
			vars: issuerVars("https://sts.windows.net/" + testTenant + "/"),
			want: []Problem{{"OIDC_ISSUER_URL", "is an Entra v1 issuer, which the portal " +
				"does not accept; " + entraHint}},
		},
		{
			name: "Entra issuer without v2.0",
			vars: issuerVars("https://login.microsoftonline.com/" + testTenant),
			want: []Problem{{"OIDC_ISSUER_URL", "is not an Entra v2.0 issuer, whose path is " +
				"exactly /<tenant GUID>/v2.0; " + entraHint}},
		},
		{
			name: "Entra issuer with a trailing slash",
			vars: issuerVars(entraIssuer + "/"),
			want: []Problem{{"OIDC_ISSUER_URL", "is not an Entra v2.0 issuer"}},
		},
		{
			name: "http issuer on a non-loopback host",
			vars: issuerVars("http://idp.example.ac.uk/"),
			want: []Problem{{"OIDC_ISSUER_URL", "uses http, which is allowed only for a " +
				"loopback host such as 127.0.0.1 or localhost; use https"}},
		},
		{
			name: "issuer without a scheme",
			vars: issuerVars("login.microsoftonline.com/" + testTenant + "/v2.0"),
			want: []Problem{{"OIDC_ISSUER_URL", "is not an absolute http or https URL"}},
		},
		{
			name: "admin role with white space",
			vars: map[string]string{"PORTAL_ADMIN_ROLE": "Portal Admin"},
			want: []Problem{{"PORTAL_ADMIN_ROLE", `"Portal Admin" contains white space`}},
		},
		{
			name: "admin groups that are not GUIDs",
			vars: map[string]string{
				"PORTAL_ADMIN_GROUPS": "Portal Admins, " + testGroup + ",1234",
			},
			want: []Problem{
				{"PORTAL_ADMIN_GROUPS", `entry 1, "Portal Admins", is not a group object ID`},
				{"PORTAL_ADMIN_GROUPS", `entry 3, "1234", is not a group object ID`},
			},
		},
		{
			name: "admin group GUID with braces",
			vars: map[string]string{"PORTAL_ADMIN_GROUPS": "{" + testGroup + "}"},
			want: []Problem{{"PORTAL_ADMIN_GROUPS", "each comma-separated entry must be a GUID"}},
		},
		{
			name: "GitHub API URL over http",
			vars: map[string]string{"GITHUB_API_URL": "http://ghe.example.ac.uk/api/v3"},
			want: []Problem{{"GITHUB_API_URL", "uses http, which is allowed only for a loopback"}},
		},
		{
			name: "GitHub API URL with a query",
			vars: map[string]string{"GITHUB_API_URL": "https://api.github.com/?per_page=1"},
			want: []Problem{{"GITHUB_API_URL", "has a query"}},
		},
		{
			name: "GitHub API URL without a scheme",
			vars: map[string]string{"GITHUB_API_URL": "api.github.com"},
			want: []Problem{{"GITHUB_API_URL", "is not an absolute http or https URL"}},
		},
		{
			name: "organisation starting with a hyphen",
			vars: map[string]string{"GITHUB_ORG": "-imperial"},
			want: []Problem{{"GITHUB_ORG", `"-imperial" is not a GitHub organisation login; ` +
				"a login is 1 to 39 letters and digits with single hyphens between them"}},
		},
		{
			name: "organisation ending with a hyphen",
			vars: map[string]string{"GITHUB_ORG": "imperial-"},
			want: []Problem{{"GITHUB_ORG", "is not a GitHub organisation login"}},
		},
		{
			name: "organisation with a double hyphen",
			vars: map[string]string{"GITHUB_ORG": "imperial--college"},
			want: []Problem{{"GITHUB_ORG", "is not a GitHub organisation login"}},
		},
		{
			name: "organisation with an underscore",
			vars: map[string]string{"GITHUB_ORG": "imperial_college"},
			want: []Problem{{"GITHUB_ORG", "is not a GitHub organisation login"}},
		},
		{
			name: "organisation too long",
			vars: map[string]string{"GITHUB_ORG": strings.Repeat("a", 40)},
			want: []Problem{{"GITHUB_ORG", "is not a GitHub organisation login"}},
		},
		{
			name: "GitHub App ID only",
			vars: map[string]string{"GITHUB_APP_ID": "123456"},
			want: []Problem{
				{"GITHUB_APP_INSTALLATION_ID", "is not set, but GITHUB_APP_ID is; the GitHub " +
					"App needs GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and " +
					"GITHUB_APP_PRIVATE_KEY"},
				{"GITHUB_APP_PRIVATE_KEY", "is not set, but GITHUB_APP_ID is"},
			},
		},
		{
			name: "GitHub App ID not a number",
			vars: merge(appVars(pkcs1), map[string]string{"GITHUB_APP_ID": "my-app"}),
			want: []Problem{{"GITHUB_APP_ID", `"my-app" is not a positive whole number; ` +
				"the App ID is on the GitHub App's settings page"}},
		},
		{
			name: "GitHub App ID zero",
			vars: merge(appVars(pkcs1), map[string]string{"GITHUB_APP_ID": "0"}),
			want: []Problem{{"GITHUB_APP_ID", `"0" is not a positive whole number`}},
		},
		{
			name: "installation ID negative",
			vars: merge(appVars(pkcs1), map[string]string{"GITHUB_APP_INSTALLATION_ID": "-5"}),
			want: []Problem{{"GITHUB_APP_INSTALLATION_ID", `"-5" is not a positive whole`}},
		},
		{
			name: "GitHub App key not PEM",
			vars: appVars("not a key " + secretMarker),
			want: []Problem{{"GITHUB_APP_PRIVATE_KEY", "holds no PEM block"}},
		},
		{
			name: "GitHub App key is EC",
			vars: appVars(ecPEM(t)),
			want: []Problem{{"GITHUB_APP_PRIVATE_KEY", `holds a "EC PRIVATE KEY" PEM block, ` +
				"not an RSA PRIVATE KEY (PKCS#1) or PRIVATE KEY (PKCS#8) block"}},
		},
		{
			name: "GitHub App key is Ed25519",
			vars: appVars(ed25519PEM(t)),
			want: []Problem{{"GITHUB_APP_PRIVATE_KEY", "holds a PKCS#8 key of type " +
				"ed25519.PrivateKey; the App's key must be RSA"}},
		},
		{
			name: "GitHub App key does not parse",
			vars: appVars(corruptPKCS1),
			want: []Problem{{"GITHUB_APP_PRIVATE_KEY", "holds an RSA PRIVATE KEY block that " +
				"does not parse as a PKCS#1 key (the key is not shown)"}},
		},
		{
			name: "GitHub App key encrypted",
			vars: appVars(encrypted),
			want: []Problem{{"GITHUB_APP_PRIVATE_KEY", "is encrypted with a passphrase"}},
		},
		{
			name: "GitHub App key and its file",
			vars: merge(appVars(pkcs1), map[string]string{
				"GITHUB_APP_PRIVATE_KEY_FILE": "/run/secrets/app.pem",
			}),
			files: map[string]string{"/run/secrets/app.pem": pkcs1},
			want: []Problem{{"GITHUB_APP_PRIVATE_KEY",
				"is set and so is GITHUB_APP_PRIVATE_KEY_FILE; set only one of them"}},
		},
		{
			name: "GitHub App key file missing",
			vars: merge(appVars(""), map[string]string{
				"GITHUB_APP_PRIVATE_KEY_FILE": "/run/secrets/app.pem",
			}),
			want: []Problem{{"GITHUB_APP_PRIVATE_KEY_FILE",
				`cannot read the file "/run/secrets/app.pem" (file does not exist)`}},
		},
		{
			name: "registry host with a scheme",
			vars: map[string]string{"REGISTRY_HOST": "https://ghcr.io"},
			want: []Problem{{"REGISTRY_HOST", `"https://ghcr.io" has a scheme; give only ` +
				"the host and an optional port, e.g. ghcr.io or 127.0.0.1:5000"}},
		},
		{
			name: "registry host with a path",
			vars: map[string]string{"REGISTRY_HOST": "ghcr.io/imperialcollegelondon"},
			want: []Problem{{"REGISTRY_HOST", "has a path or other URL parts"}},
		},
		{
			name: "registry host in upper case",
			vars: map[string]string{"REGISTRY_HOST": "GHCR.io"},
			want: []Problem{{"REGISTRY_HOST", `"GHCR.io" is not lower case`}},
		},
		{
			name: "registry host with port zero",
			vars: map[string]string{"REGISTRY_HOST": "127.0.0.1:0"},
			want: []Problem{{"REGISTRY_HOST", "is not host:port with a port from 1 to 65535"}},
		},
		{
			name: "registry host with an underscore",
			vars: map[string]string{"REGISTRY_HOST": "my_registry"},
			want: []Problem{{"REGISTRY_HOST", "is not a host name of letters, digits"}},
		},
		{
			name: "unknown log level",
			vars: map[string]string{"LOG_LEVEL": "verbose"},
			want: []Problem{{"LOG_LEVEL",
				`"verbose" is not a log level; use debug, info, warn or error`}},
		},
		{
			name: "unknown log format",
			vars: map[string]string{"LOG_FORMAT": "xml"},
			want: []Problem{{"LOG_FORMAT", `"xml" is not a log format; use text or json`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := loadProblems(t, tt.vars, tt.files)
			if diff := cmp.Diff(tt.want, matchMessages(tt.want, got)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
			secrets := slices.Collect(maps.Values(tt.files))
			for _, name := range []string{
				"DATABASE_URL", "OIDC_CLIENT_SECRET", "GITHUB_APP_PRIVATE_KEY",
			} {
				secrets = append(secrets, tt.vars[name])
			}
			assertNoSecret(t, (&Error{Problems: got}).Error(), secrets...)
		})
	}
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	vars := map[string]string{
		"PORTAL_ADDR":         "0.0.0.0:99999",
		"DATABASE_URL":        "mysql://portal:" + secretMarker + "@db/portal",
		"OIDC_CLIENT_ID":      testClientID,
		"PORTAL_ADMIN_GROUPS": "admins",
		"GITHUB_ORG":          "-bad-",
		"REGISTRY_HOST":       "https://ghcr.io",
		"LOG_LEVEL":           "loud",
		"LOG_FORMAT":          "yaml",
	}
	want := []Problem{
		{"PORTAL_ADDR", "the port must be a number from 0 to 65535"},
		{"OIDC_ISSUER_URL", "is not set, but OIDC_CLIENT_ID is"},
		{"OIDC_CLIENT_SECRET", "is not set, but OIDC_CLIENT_ID is"},
		{"DATABASE_URL", "is not a postgres:// or postgresql:// URL"},
		{"PORTAL_ADMIN_GROUPS", `entry 1, "admins", is not a group object ID`},
		{"GITHUB_ORG", "is not a GitHub organisation login"},
		{"REGISTRY_HOST", "has a scheme"},
		{"LOG_LEVEL", "is not a log level"},
		{"LOG_FORMAT", "is not a log format"},
		{"PORTAL_PUBLIC_URL", "is required with OIDC sign-in"},
	}

	_, err := Load(lookupIn(vars), readFrom(nil))
	var cfgErr *Error
	if !errors.As(err, &cfgErr) {
		t.Fatalf("Load() error = %v, want a *Error", err)
	}
	if diff := cmp.Diff(want, matchMessages(want, cfgErr.Problems)); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}

	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("Error() has %d lines, want %d:\n%s", len(lines), len(want), err)
	}
	for i, line := range lines {
		if !strings.HasPrefix(line, want[i].Variable+": ") {
			t.Errorf("Error() line %d = %q, want the prefix %q", i+1, line, want[i].Variable)
		}
	}
	assertNoSecret(t, err.Error(), vars["DATABASE_URL"])
}

// productionVars returns a production-like configuration: Entra sign-in,
// Postgres with a password, and the portal's GitHub App.
func productionVars(keyPEM string) map[string]string {
	return merge(oidcVars(), map[string]string{
		"PORTAL_ADDR":       ":8080",
		"PORTAL_PUBLIC_URL": "https://portal.example.ac.uk/",
		"PORTAL_DATA_DIR":   "/var/lib/portal",
		"DATABASE_URL": "postgres://portal:db-" + secretMarker +
			"@db.example.ac.uk:5432/portal?sslmode=require",
		"PORTAL_ADMIN_ROLE":          "Portal.Admin",
		"PORTAL_ADMIN_GROUPS":        strings.ToUpper(testGroup) + "," + testGroup,
		"GITHUB_APP_ID":              "123456",
		"GITHUB_APP_INSTALLATION_ID": "7890123",
		"GITHUB_APP_PRIVATE_KEY":     keyPEM,
		"LOG_LEVEL":                  "WARN",
		"LOG_FORMAT":                 "json",
	})
}

func TestLoadProduction(t *testing.T) {
	keyPEM := rsaPEM(t, false)
	vars := productionVars(keyPEM)
	want := &Config{
		Addr:        ":8080",
		PublicURL:   mustParseURL(t, "https://portal.example.ac.uk"),
		DataDir:     "/var/lib/portal",
		DatabaseURL: vars["DATABASE_URL"],
		OIDC: &OIDC{
			IssuerURL:    entraIssuer,
			ClientID:     testClientID,
			ClientSecret: "client-" + secretMarker,
			TenantID:     testTenant,
		},
		AdminRole:    "Portal.Admin",
		AdminGroups:  []string{testGroup},
		GitHubAPIURL: mustParseURL(t, "https://api.github.com/"),
		GitHubOrg:    "ImperialCollegeLondon",
		GitHubApp: &GitHubApp{
			AppID:          123456,
			InstallationID: 7890123,
			PrivateKey:     []byte(strings.TrimSpace(keyPEM)),
		},
		RegistryHost: "ghcr.io",
		LogLevel:     slog.LevelWarn,
		LogFormat:    "json",
	}

	got := mustLoad(t, vars, nil)
	if diff := cmp.Diff(want, got, compareURLs); diff != "" {
		t.Errorf("Load() mismatch (-want +got):\n%s", diff)
	}
	if got.DevSignIn() || !got.SecureCookies() {
		t.Errorf("DevSignIn() = %v, SecureCookies() = %v; want false, true",
			got.DevSignIn(), got.SecureCookies())
	}
	if got, want := got.RedirectURL(), "https://portal.example.ac.uk/auth/callback"; got != want {
		t.Errorf("RedirectURL() = %q, want %q", got, want)
	}
}

func TestLogValueHidesSecrets(t *testing.T) {
	keyPEM := rsaPEM(t, false)
	vars := productionVars(keyPEM)
	cfg := mustLoad(t, vars, nil)

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("configuration", "config", cfg)
	logged := buf.String()

	assertNoSecret(t, logged, vars["OIDC_CLIENT_SECRET"], "db-"+secretMarker, keyPEM)
	for _, want := range []string{
		`"addr":":8080"`,
		`"public_url":"https://portal.example.ac.uk"`,
		`"data_dir":"/var/lib/portal"`,
		`"database":"postgres://portal:xxxxx@db.example.ac.uk:5432/portal?sslmode=require"`,
		`"sign_in":"oidc"`,
		`"issuer_url":"` + entraIssuer + `"`,
		`"client_id":"` + testClientID + `"`,
		`"client_secret":"[redacted]"`,
		`"tenant_id":"` + testTenant + `"`,
		`"admin_role":"Portal.Admin"`,
		`"admin_groups":"` + testGroup + `"`,
		`"github_api_url":"https://api.github.com/"`,
		`"github_org":"ImperialCollegeLondon"`,
		`"app_id":"123456"`,
		`"installation_id":"7890123"`,
		`"private_key":"[redacted]"`,
		`"registry_host":"ghcr.io"`,
		`"log_level":"WARN"`,
		`"log_format":"json"`,
	} {
		if !strings.Contains(logged, want) {
			t.Errorf("logged configuration lacks %s:\n%s", want, logged)
		}
	}
}

func TestLogValueDevelopment(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"PORTAL_DATA_DIR": "/srv/portal"}, nil)

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("configuration", "config", cfg)

	for _, want := range []string{
		`"database":"embedded SQLite in /srv/portal"`,
		`"sign_in":"development`,
		`"oidc":"none"`,
		`"github_app":"none"`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("logged configuration lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestRedactDatabaseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want string
	}{
		{"postgres://db/portal", "postgres://db/portal"},
		{"postgres://portal@db/portal", "postgres://portal@db/portal"},
		{
			"postgres://portal:" + secretMarker + "@db/portal?sslmode=require",
			"postgres://portal:xxxxx@db/portal?sslmode=require",
		},
		{
			"postgres://portal@db/portal?password=" + secretMarker + "&sslmode=require",
			"postgres://portal@db/portal?password=xxxxx&sslmode=require",
		},
		{
			"postgres://db/portal?sslpassword=" + secretMarker,
			"postgres://db/portal?sslpassword=xxxxx",
		},
		{"postgres://db/portal?password=%zz" + secretMarker, "postgres://db/portal?xxxxx"},
		{"postgres://db:port/" + secretMarker, "[redacted]"},
	}
	for _, tt := range tests {
		if got := redactDatabaseURL(tt.raw); got != tt.want {
			t.Errorf("redactDatabaseURL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestLoadSecretFiles(t *testing.T) {
	keyPEM := rsaPEM(t, true)
	vars := merge(oidcVars(), map[string]string{
		"OIDC_CLIENT_SECRET":          "",
		"OIDC_CLIENT_SECRET_FILE":     "/run/secrets/client-secret",
		"DATABASE_URL_FILE":           "/run/secrets/database-url",
		"GITHUB_APP_ID":               "1",
		"GITHUB_APP_INSTALLATION_ID":  "2",
		"GITHUB_APP_PRIVATE_KEY_FILE": "/run/secrets/app.pem",
	})
	files := map[string]string{
		"/run/secrets/client-secret": "client-" + secretMarker + " \r\n",
		"/run/secrets/database-url":  "postgres://p:" + secretMarker + "@db/portal\n\n",
		"/run/secrets/app.pem":       "\n" + keyPEM + "\n",
	}
	want := []string{
		"client-" + secretMarker,
		"postgres://p:" + secretMarker + "@db/portal",
		strings.TrimSpace(keyPEM),
	}

	cfg := mustLoad(t, vars, files)
	got := []string{cfg.OIDC.ClientSecret, cfg.DatabaseURL, string(cfg.GitHubApp.PrivateKey)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("secrets read from files mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadAccepts(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		got  func(*Config) any
		want any
	}{
		{
			name: "localhost",
			vars: map[string]string{"PORTAL_ADDR": "localhost:9000"},
			got:  func(c *Config) any { return c.PublicURL.String() },
			want: "http://localhost:9000",
		},
		{
			name: "IPv6 loopback",
			vars: map[string]string{"PORTAL_ADDR": "[::1]:8080"},
			got:  func(c *Config) any { return c.PublicURL.String() },
			want: "http://[::1]:8080",
		},
		{
			name: "any address in 127.0.0.0/8",
			vars: map[string]string{"PORTAL_ADDR": "127.1.2.3:0"},
			got:  func(c *Config) any { return c.DevSignIn() },
			want: true,
		},
		{
			name: "loopback public URL with a path",
			vars: map[string]string{"PORTAL_PUBLIC_URL": "http://127.0.0.1:8080/portal/"},
			got:  func(c *Config) any { return c.RedirectURL() },
			want: "http://127.0.0.1:8080/portal/auth/callback",
		},
		{
			name: "public URL behind a proxy with OIDC",
			vars: merge(oidcVars(), map[string]string{
				"PORTAL_ADDR":       ":8080",
				"PORTAL_PUBLIC_URL": "https://example.ac.uk/portal",
			}),
			got:  func(c *Config) any { return c.RedirectURL() },
			want: "https://example.ac.uk/portal/auth/callback",
		},
		{
			name: "Entra tenant in upper case",
			vars: issuerVars("https://login.microsoftonline.com/" +
				strings.ToUpper(testTenant) + "/v2.0"),
			got: func(c *Config) any { return *c.OIDC },
			want: OIDC{
				IssuerURL:    entraIssuer,
				ClientID:     testClientID,
				ClientSecret: "client-" + secretMarker,
				TenantID:     testTenant,
			},
		},
		{
			name: "other issuer kept exactly",
			vars: issuerVars("https://idp.example.ac.uk/realms/staff/"),
			got:  func(c *Config) any { return [2]string{c.OIDC.IssuerURL, c.OIDC.TenantID} },
			want: [2]string{"https://idp.example.ac.uk/realms/staff/", ""},
		},
		{
			name: "local test provider over http",
			vars: merge(issuerVars("http://127.0.0.1:9998/oidc"), map[string]string{
				"PORTAL_PUBLIC_URL": "http://localhost:8080",
			}),
			got:  func(c *Config) any { return [2]bool{c.DevSignIn(), c.SecureCookies()} },
			want: [2]bool{false, false},
		},
		{
			name: "admin groups trimmed, lower-cased and deduplicated",
			vars: map[string]string{
				"PORTAL_ADMIN_GROUPS": " " + strings.ToUpper(testGroup) + " ,," + testGroup + "," +
					testTenant + ",",
			},
			got:  func(c *Config) any { return c.AdminGroups },
			want: []string{testGroup, testTenant},
		},
		{
			name: "GitHub API URL gains a trailing slash",
			vars: map[string]string{"GITHUB_API_URL": "https://ghe.example.ac.uk/api/v3"},
			got:  func(c *Config) any { return c.GitHubAPIURL.String() },
			want: "https://ghe.example.ac.uk/api/v3/",
		},
		{
			name: "GitHub API test server over http",
			vars: map[string]string{"GITHUB_API_URL": "http://127.0.0.1:43210"},
			got:  func(c *Config) any { return c.GitHubAPIURL.String() },
			want: "http://127.0.0.1:43210/",
		},
		{
			name: "registry test server",
			vars: map[string]string{"REGISTRY_HOST": "127.0.0.1:5000"},
			got:  func(c *Config) any { return c.RegistryHost },
			want: "127.0.0.1:5000",
		},
		{
			name: "log level and format in any case",
			vars: map[string]string{"LOG_LEVEL": "Debug", "LOG_FORMAT": "JSON"},
			got:  func(c *Config) any { return [2]string{c.LogLevel.String(), c.LogFormat} },
			want: [2]string{"DEBUG", "json"},
		},
		{
			name: "PKCS#8 RSA key",
			vars: map[string]string{
				"GITHUB_APP_ID":              "1",
				"GITHUB_APP_INSTALLATION_ID": "2",
				"GITHUB_APP_PRIVATE_KEY":     rsaPEM(t, true),
			},
			got:  func(c *Config) any { return c.GitHubApp.AppID },
			want: int64(1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, tt.vars, nil)
			if diff := cmp.Diff(tt.want, tt.got(cfg)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"localhost":        true,
		"LOCALHOST":        true,
		"127.0.0.1":        true,
		"127.255.0.9":      true,
		"::1":              true,
		"::ffff:127.0.0.1": true,
		"":                 false,
		"0.0.0.0":          false,
		"::":               false,
		"10.0.0.1":         false,
		"128.0.0.1":        false,
		"localhost.ac.uk":  false,
		"portal":           false,
	}
	for host, want := range tests {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestConfigMethodsWithoutPublicURL(t *testing.T) {
	var c Config
	if c.SecureCookies() || c.RedirectURL() != "" || !c.DevSignIn() {
		t.Errorf("zero Config: SecureCookies() = %v, RedirectURL() = %q, DevSignIn() = %v; "+
			"want false, \"\", true", c.SecureCookies(), c.RedirectURL(), c.DevSignIn())
	}
}
