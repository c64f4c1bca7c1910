package githubtest

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// placeholderScope is the scope ghcr.io names in the challenge of /v2/.
const placeholderScope = "repository:user/image:pull"

// FakeRegistry is go-containerregistry's in-memory registry behind ghcr.io's
// token exchange:
//
//	GET /v2/     401 with a Bearer challenge whose realm is this server's /token
//	GET /token   HTTP Basic <login>:<classic token> → {"token": ..., "access_token": ...}
//	/v2/<path>/… only with "Authorization: Bearer <issued token>" for <path>
//
// Tokens are those of the FakeGitHub it was made with. /token refuses a
// Bearer credential, an unknown token or a login that is not the token's
// owner with 401 UNAUTHORIZED, and a token without read:packages (or
// write:packages), not authorised for single sign-on, or whose owner may not
// read the path with 403 DENIED. Checking the login is stricter than ghcr.io
// is known to be. A login may read a path that was granted with Grant, or
// whose package on the FakeGitHub it can read. It is safe for concurrent use.
type FakeRegistry struct {
	// Server is the running server; it closes when the test ends.
	Server *httptest.Server

	github *FakeGitHub
	inner  http.Handler
	seed   *httptest.Server
	faults *faultState
	rec    recorder

	mu     sync.Mutex
	grants map[string][]string // path → lower-case logins
	issued map[string]grant    // registry token → what it allows
	realm  string
}

// grant is what an issued registry token allows.
type grant struct {
	login string
	paths []string
}

// NewFakeRegistry starts a FakeRegistry that checks tokens against github,
// and closes when t ends.
func NewFakeRegistry(t testing.TB, github *FakeGitHub) *FakeRegistry {
	t.Helper()
	inner := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	r := &FakeRegistry{
		github: github,
		inner:  inner,
		seed:   httptest.NewServer(inner),
		faults: newFaultState(),
		grants: make(map[string][]string),
		issued: make(map[string]grant),
	}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		close(r.faults.closing)
		r.Server.Close()
		r.seed.Close()
	})
	return r
}

// Host returns the registry's host:port, the value for the portal's
// registry setting; go-containerregistry reaches it over plain HTTP since it
// is a loopback address.
func (r *FakeRegistry) Host() string {
	return strings.TrimPrefix(r.Server.URL, "http://")
}

// Push stores a random image at path:tag, such as "org/repo/api:1.0.1",
// without going through the token exchange, and returns its digest.
func (r *FakeRegistry) Push(t testing.TB, path, tag string) string {
	t.Helper()
	img, err := random.Image(512, 1)
	if err != nil {
		t.Fatalf("push %s:%s: make an image: %v", path, tag, err)
	}
	ref, err := name.NewTag(strings.TrimPrefix(r.seed.URL, "http://") + "/" + path + ":" + tag)
	if err != nil {
		t.Fatalf("push %s:%s: %v", path, tag, err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatalf("push %s:%s: %v", path, tag, err)
	}
	digest, err := img.Digest()
	if err != nil {
		t.Fatalf("push %s:%s: digest: %v", path, tag, err)
	}
	return digest.String()
}

// Grant lets login pull path, such as "org/repo/api".
func (r *FakeRegistry) Grant(login, path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.grants[path] = append(r.grants[path], strings.ToLower(login))
}

// SetRealm makes the challenges name realm as the token service instead of
// this server's /token, as a hostile or broken registry might; "" restores
// it.
func (r *FakeRegistry) SetRealm(realm string) {
	r.mu.Lock()
	r.realm = realm
	r.mu.Unlock()
}

// SetFaults replaces the registry's faults; the zero Faults heals it.
func (r *FakeRegistry) SetFaults(f Faults) { r.faults.set(f) }

// Requests returns every request so far, oldest first.
func (r *FakeRegistry) Requests() []Request { return r.rec.list() }

// Count returns how many requests had method and the escaped path.
func (r *FakeRegistry) Count(method, path string) int { return r.rec.count(method, path) }

// ResetRequests forgets the requests so far.
func (r *FakeRegistry) ResetRequests() { r.rec.reset() }

// Sightings returns every place where secret appeared in a request, with
// HTTP Basic credentials decoded.
func (r *FakeRegistry) Sightings(secret string) []Sighting { return r.rec.sightings(secret) }

// serve answers one request.
func (r *FakeRegistry) serve(w http.ResponseWriter, req *http.Request) {
	entry := r.rec.start(req)
	sw := &statusWriter{ResponseWriter: w}
	defer func() { r.rec.finish(entry, sw.status) }()
	if !r.misbehave(sw, req) {
		return
	}

	path := req.URL.Path
	switch {
	case path == "/token":
		r.token(sw, req)
	case path == "/v2/" || path == "/v2":
		r.base(sw, req)
	case strings.HasPrefix(path, "/v2/"):
		r.repository(sw, req)
	default:
		registryError(sw, http.StatusNotFound, "NOT_FOUND", "not found")
	}
}

// misbehave applies the faults, and reports whether to answer normally.
func (r *FakeRegistry) misbehave(w http.ResponseWriter, req *http.Request) bool {
	faults, unavailable := r.faults.take()
	if faults.Latency > 0 && !r.faults.wait(req, faults.Latency) {
		return false
	}
	switch {
	case faults.Hang:
		r.faults.hang(req)
	case faults.RedirectTo != "":
		http.Redirect(w, req, faults.RedirectTo+req.URL.EscapedPath(), http.StatusTemporaryRedirect)
	case unavailable:
		registryError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "service unavailable")
	case faults.SecondaryRateLimit != nil:
		w.Header().Set("Retry-After", seconds(faults.SecondaryRateLimit.RetryAfter))
		registryError(w, http.StatusTooManyRequests, "TOOMANYREQUESTS", "rate limit exceeded")
	default:
		return true
	}
	return false
}

// base answers GET /v2/: 200 with a registry token, and otherwise the
// challenge with ghcr.io's placeholder scope.
func (r *FakeRegistry) base(w http.ResponseWriter, req *http.Request) {
	if _, ok := r.bearer(req); ok {
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	r.challenge(w, placeholderScope)
}

// challenge answers 401 with a Bearer challenge for scope.
func (r *FakeRegistry) challenge(w http.ResponseWriter, scope string) {
	r.mu.Lock()
	realm := r.realm
	r.mu.Unlock()
	if realm == "" {
		realm = r.Server.URL + "/token"
	}
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm=%q,service=%q,scope=%q`,
		realm, r.Host(), scope))
	registryError(w, http.StatusUnauthorized, "UNAUTHORIZED", "authentication required")
}

// bearer returns what the request's registry token allows.
func (r *FakeRegistry) bearer(req *http.Request) (grant, bool) {
	value, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return grant{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	g, ok := r.issued[value]
	return g, ok
}

// repository passes a pull request for /v2/<path>/... to the registry when
// its registry token covers the path, and challenges it otherwise.
func (r *FakeRegistry) repository(w http.ResponseWriter, req *http.Request) {
	path := repositoryPath(req.URL.Path)
	g, ok := r.bearer(req)
	if !ok || !slices.Contains(g.paths, path) {
		r.challenge(w, "repository:"+path+":pull")
		return
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		registryError(w, http.StatusForbidden, "DENIED", "requested access to the resource "+
			"is denied")
		return
	}
	r.inner.ServeHTTP(w, req)
}

// repositoryPath returns the repository's path in /v2/<path>/manifests/...,
// /v2/<path>/blobs/... or /v2/<path>/tags/list.
func repositoryPath(p string) string {
	p = strings.TrimPrefix(p, "/v2/")
	for _, kind := range []string{"/manifests/", "/blobs/", "/tags/", "/referrers/"} {
		if i := strings.LastIndex(p, kind); i >= 0 {
			return p[:i]
		}
	}
	return p
}

// token answers GET /token?scope=repository:<path>:pull&service=... for a
// login and a classic token given as HTTP Basic credentials.
func (r *FakeRegistry) token(w http.ResponseWriter, req *http.Request) {
	login, secret, ok := req.BasicAuth()
	tok, known := r.github.token(secret)
	if !ok || !known || !strings.EqualFold(login, tok.Login) {
		registryError(w, http.StatusUnauthorized, "UNAUTHORIZED", "authentication required")
		return
	}
	paths, ok := pullPaths(req.URL.Query()["scope"])
	if !ok || !hasPackagesScope(tok.Scopes) || tok.SSOUnauthorized ||
		!r.canPullAll(login, paths) {
		registryError(w, http.StatusForbidden, "DENIED", "requested access to the resource "+
			"is denied")
		return
	}
	issued := "ghcr_fake_" + randomString(32)
	r.mu.Lock()
	r.issued[issued] = grant{login: login, paths: paths}
	r.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"token": issued, "access_token": issued})
}

// pullPaths reads the repository paths of pull scopes; it reports false
// for a scope that asks for more than pull, which ghcr.io refuses.
func pullPaths(scopes []string) ([]string, bool) {
	var paths []string
	for _, list := range scopes {
		for s := range strings.FieldsSeq(list) {
			rest, ok := strings.CutPrefix(s, "repository:")
			path, actions, found := strings.Cut(rest, ":")
			if !ok || !found || actions != "pull" {
				return nil, false
			}
			paths = append(paths, path)
		}
	}
	return paths, len(paths) > 0
}

// canPullAll reports whether login may pull every path.
func (r *FakeRegistry) canPullAll(login string, paths []string) bool {
	for _, p := range paths {
		if !r.canPull(login, p) {
			return false
		}
	}
	return true
}

// canPull reports whether login may pull path: it was granted, or the path
// is org/<package> for a package of the FakeGitHub that login can read.
func (r *FakeRegistry) canPull(login, path string) bool {
	r.mu.Lock()
	granted := slices.Contains(r.grants[path], strings.ToLower(login))
	r.mu.Unlock()
	if granted {
		return true
	}
	owner, pkg, found := strings.Cut(path, "/")
	return found && strings.EqualFold(owner, r.github.Org()) && r.github.CanRead(login, pkg)
}

// registryError answers with the distribution specification's error body.
func registryError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]string{{"code": code, "message": message}},
	})
}
