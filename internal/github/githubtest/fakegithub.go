// Package githubtest provides fakes of GitHub's REST API and of ghcr.io for
// tests: FakeGitHub serves exactly the endpoints the portal calls, with the
// paths, headers, status codes and bodies that GitHub uses, and FakeRegistry
// wraps go-containerregistry's in-memory registry in ghcr.io's token
// exchange. Both can be scripted, can misbehave on request (latency, hangs,
// rate limits, outages), and record every request, including where a secret
// appeared in it.
package githubtest

import (
	"crypto/rand"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultOrg is the organisation a FakeGitHub serves unless told otherwise.
const DefaultOrg = "ImperialCollegeLondon"

// Options configure a FakeGitHub.
type Options struct {
	// Org is the organisation the fake serves; DefaultOrg when empty.
	Org string
	// Now dates the rate-limit headers; time.Now when nil. App tokens and
	// JWTs use the real clock, as ghinstallation does.
	Now func() time.Time
	// TLS serves HTTPS with httptest's self-signed certificate; clients must
	// trust Server.Client()'s transport to reach it.
	TLS bool
}

// FakeGitHub is an httptest server that answers like GitHub's REST API for
// the endpoints the portal uses:
//
//	GET  /user
//	GET  /users/{username}
//	GET  /orgs/{org}/memberships/{username}
//	GET  /repos/{owner}/{repo}/collaborators/{username}/permission
//	GET  /orgs/{org}/packages/container/{package_name}
//	GET  /orgs/{org}/packages/container/{package_name}/versions
//	POST /app/installations/{installation_id}/access_tokens
//
// Any other request gets GitHub's 404. It is safe for concurrent use.
type FakeGitHub struct {
	// Server is the running server; it closes when the test ends.
	Server *httptest.Server

	org    string
	now    func() time.Time
	faults *faultState
	rec    recorder
	app    App

	mu            sync.Mutex
	users         map[string]*user // by lower-case login
	tokens        map[string]Token
	installations map[string]time.Time // installation token → expiry
	repos         map[string]*repository
	packages      map[string]*Package // by lower-case name
	used          map[string]int      // requests per rate-limit key
	rejectApp     bool
}

// user is an account on the fake.
type user struct {
	id         int64
	login      string
	typ        string
	membership string
}

// repository is a repository of the organisation, with its collaborators.
type repository struct {
	id          int64
	fullName    string
	permissions map[string]permission // by lower-case login
}

// permission is a collaborator's legacy permission and role name.
type permission struct{ level, role string }

// Token is a classic personal access token the fake knows.
type Token struct {
	// Login is the token's owner; it is added as a user if unknown.
	Login string
	// Scopes become X-OAuth-Scopes; nil sends no such header, as GitHub does
	// for fine-grained tokens, and an empty slice sends an empty header.
	Scopes []string
	// Expiration is the GitHub-Authentication-Token-Expiration value, in
	// either of GitHub's forms ("2021-09-03 02:34:04 UTC" or
	// "2023-04-26 20:23:26 +0200"); "" sends none, as for a token that never
	// expires.
	Expiration string
	// SSOUnauthorized makes the organisation's packages answer 403 with
	// X-GitHub-SSO, as for a token not authorised for SAML single sign-on.
	SSOUnauthorized bool
}

// Package is a container package of the organisation.
type Package struct {
	// Name is the package's name, such as "repo" or "repo/api".
	Name string
	// Repository is the linked repository's full name, or "" when the
	// package is not linked.
	Repository string
	// Versions are the package's versions, newest first.
	Versions []Version
	// Readers may see and pull the package besides those with at least read
	// permission on the linked repository, from which access is inherited.
	Readers []string
}

// Version is one version of a package: an image manifest and its tags.
type Version struct {
	Digest string
	Tags   []string
}

// NewFakeGitHub starts a FakeGitHub that closes when t ends.
func NewFakeGitHub(t testing.TB, opts Options) *FakeGitHub {
	t.Helper()
	f := &FakeGitHub{
		org:           opts.Org,
		now:           opts.Now,
		faults:        newFaultState(),
		app:           newApp(t),
		users:         make(map[string]*user),
		tokens:        make(map[string]Token),
		installations: make(map[string]time.Time),
		repos:         make(map[string]*repository),
		packages:      make(map[string]*Package),
		used:          make(map[string]int),
	}
	if f.org == "" {
		f.org = DefaultOrg
	}
	if f.now == nil {
		f.now = time.Now
	}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	if opts.TLS {
		// Clients that refuse the certificate are expected; keep their
		// handshake errors out of the test's output.
		f.Server.Config.ErrorLog = log.New(io.Discard, "", 0)
		f.Server.StartTLS()
	} else {
		f.Server.Start()
	}
	t.Cleanup(func() {
		close(f.faults.closing)
		f.Server.Close()
	})
	return f
}

// URL returns the API's base URL, ending with "/", for go-github's BaseURL.
func (f *FakeGitHub) URL() *url.URL {
	u, _ := url.Parse(f.Server.URL + "/")
	return u
}

// Org returns the organisation the fake serves.
func (f *FakeGitHub) Org() string { return f.org }

// App returns the credentials of the fake's GitHub App, installed on the
// organisation.
func (f *FakeGitHub) App() App { return f.app }

// AddUser adds an account; typ is "User", "Organization" or "Bot".
func (f *FakeGitHub) AddUser(login, typ string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addUser(login, typ)
}

// addUser adds or retypes an account; f.mu must be held.
func (f *FakeGitHub) addUser(login, typ string) *user {
	key := strings.ToLower(login)
	u := f.users[key]
	if u == nil {
		u = &user{id: int64(1000 + len(f.users)), login: login}
		f.users[key] = u
	}
	if typ != "" {
		u.typ = typ
	}
	return u
}

// SetMembership makes login a member of the organisation in state "active"
// or "pending"; "" removes the membership. Unknown logins become users.
func (f *FakeGitHub) SetMembership(login, state string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.userOrNew(login).membership = state
}

// userOrNew returns the account login, adding it as a user if unknown;
// f.mu must be held.
func (f *FakeGitHub) userOrNew(login string) *user {
	if u := f.users[strings.ToLower(login)]; u != nil {
		return u
	}
	return f.addUser(login, "User")
}

// AddRepository adds a repository, by its full name owner/name, that the
// App's installation can see.
func (f *FakeGitHub) AddRepository(fullName string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.repository(fullName)
}

// repository returns the repository, adding it if unknown; f.mu must be held.
func (f *FakeGitHub) repository(fullName string) *repository {
	key := strings.ToLower(fullName)
	r := f.repos[key]
	if r == nil {
		r = &repository{id: int64(5000 + len(f.repos)), fullName: fullName,
			permissions: make(map[string]permission)}
		f.repos[key] = r
	}
	return r
}

// SetPermission gives login a permission on the repository: level is the
// legacy permission GitHub reports (admin, write, read or none) and role the
// role's name (such as triage, maintain or a custom role); an empty role is
// reported as level. Unknown repositories and logins are added.
func (f *FakeGitHub) SetPermission(repo, login, level, role string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.userOrNew(login)
	if role == "" && level != "none" {
		role = level
	}
	f.repository(repo).permissions[strings.ToLower(login)] = permission{level, role}
}

// AddToken adds a classic personal access token.
func (f *FakeGitHub) AddToken(token string, tok Token) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.userOrNew(tok.Login)
	f.tokens[token] = tok
}

// AddPackage adds or replaces a container package of the organisation.
func (f *FakeGitHub) AddPackage(p Package) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.packages[strings.ToLower(p.Name)] = &p
}

// SetFaults replaces the fake's faults; the zero Faults heals it.
func (f *FakeGitHub) SetFaults(faults Faults) { f.faults.set(faults) }

// Requests returns every request so far, oldest first.
func (f *FakeGitHub) Requests() []Request { return f.rec.list() }

// Count returns how many requests had method and the escaped path.
func (f *FakeGitHub) Count(method, path string) int { return f.rec.count(method, path) }

// ResetRequests forgets the requests so far.
func (f *FakeGitHub) ResetRequests() { f.rec.reset() }

// Sightings returns every place where secret appeared in a request, with
// HTTP Basic credentials decoded. For a token, only "Authorization header"
// is acceptable.
func (f *FakeGitHub) Sightings(secret string) []Sighting { return f.rec.sightings(secret) }

// token returns the classic token the fake knows by value.
func (f *FakeGitHub) token(value string) (Token, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	tok, ok := f.tokens[value]
	return tok, ok
}

// randomString returns n random letters and digits.
func randomString(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
