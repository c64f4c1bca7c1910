package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// route is one method and pattern of the router.
type route struct{ method, pattern string }

func (r route) String() string { return r.method + " " + r.pattern }

// routes walks the router, so that a route added later is tested without
// anyone remembering to list it.
func routes(t *testing.T, e *env) []route {
	t.Helper()
	var all []route
	err := chi.Walk(e.srv.Router(), func(method, pattern string, _ http.Handler,
		_ ...func(http.Handler) http.Handler) error {
		all = append(all, route{method, pattern})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("the router has no routes")
	}
	return all
}

var urlParam = regexp.MustCompile(`\{[^}]+\}`)

// path turns a route pattern into a path it matches.
func (r route) path() string {
	p := urlParam.ReplaceAllString(r.pattern, "aaaaaaaaaaaaaaaaaaaaaaaaaa")
	return strings.Replace(p, "/*", "/x", 1)
}

func isUnsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// publicRoutes are the only routes a person who is not signed in may use.
// Every other route must send them to sign in.
var publicRoutes = map[string]bool{
	"GET /healthz":           true,
	"GET /readyz":            true,
	"GET /metrics":           true,
	"GET /static/*":          true,
	"GET /sign-in":           true,
	"GET /auth/login":        true,
	"GET /auth/callback":     true,
	"POST /auth/dev/sign-in": true,
	"POST /auth/sign-out":    true,
}

func TestEveryRouteHasAnAccessPolicy(t *testing.T) {
	for _, mode := range []string{"development", "oidc"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t, func(o *options) { o.oidc = mode == "oidc" })
			for _, rt := range routes(t, e) {
				if publicRoutes[rt.String()] {
					continue
				}
				r := e.send(e.browser(), rt.method, rt.path(), url.Values{})
				if isUnsafe(rt.method) {
					if r.StatusCode != http.StatusUnauthorized {
						t.Errorf("anonymous %s: status %d, want 401", rt, r.StatusCode)
					}
				} else if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther ||
					!strings.HasPrefix(loc, "/sign-in") {
					t.Errorf("anonymous %s: status %d Location %q, want 303 to /sign-in",
						rt, r.StatusCode, loc)
				}
			}
		})
	}
}

func TestStateChangingRoutesRefuseCrossSiteRequests(t *testing.T) {
	for _, mode := range []string{"development", "oidc"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t, func(o *options) { o.oidc = mode == "oidc" })
			checkCrossSite(t, e)
		})
	}
}

func checkCrossSite(t *testing.T, e *env) {
	forged := [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
		{"Sec-Fetch-Site", "", "Origin", "null"},
	}
	unsafe := 0
	all := routes(t, e)
	gets := map[string]bool{}
	for _, rt := range all {
		if rt.method == http.MethodGet {
			gets[rt.pattern] = true
		}
	}
	for _, rt := range all {
		if !isUnsafe(rt.method) {
			continue
		}
		unsafe++
		for _, hdr := range forged {
			c := e.signedInBrowser()
			r := e.send(c, rt.method, rt.path(), url.Values{"display_name": {"Eve"},
				"role": {"admin"}}, hdr...)
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("%s with %v: status %d, want 403", rt, hdr, r.StatusCode)
			}
			if !strings.Contains(r.body, "sent from another site") {
				t.Errorf("%s with %v: the page does not say why it refused", rt, hdr)
			}
			if got := e.get(c, "/"); got.StatusCode != http.StatusOK {
				t.Errorf("%s with %v changed the session: home page status %d",
					rt, hdr, got.StatusCode)
			}
		}
		if r := e.get(e.signedInBrowser(), rt.path()); !gets[rt.pattern] &&
			r.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET of %s: status %d, want 405", rt, r.StatusCode)
		}
	}
	if unsafe == 0 {
		t.Fatal("no state-changing routes found")
	}
}

// signedInBrowser is a browser with a fresh development or OIDC session.
func (e *env) signedInBrowser() *http.Client {
	e.t.Helper()
	c := e.browser()
	if e.oidc != nil {
		e.oidcSignIn(c, newUser())
	} else {
		e.devSignIn(c, "Ada", "staff")
	}
	return c
}

func TestSecurityHeadersOnEveryPage(t *testing.T) {
	for _, tls := range []bool{false, true} {
		e := newEnv(t, func(o *options) { o.tls = tls })
		anon, staff := e.browser(), e.signedInBrowser()
		for _, rt := range routes(t, e) {
			if isUnsafe(rt.method) {
				continue
			}
			for _, c := range []*http.Client{anon, staff} {
				checkSecurityHeaders(t, e.get(c, rt.path()), rt, tls)
			}
		}
		checkSecurityHeaders(t, e.get(anon, "/no/such/page"), route{"GET", "404"}, tls)
	}
}

func checkSecurityHeaders(t *testing.T, r *response, rt route, tls bool) {
	t.Helper()
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "object-src 'none'",
		"base-uri 'none'", "script-src 'self' 'nonce-"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", rt, csp, want)
		}
	}
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	}
	for h, v := range want {
		if got := r.Header.Get(h); got != v {
			t.Errorf("%s: %s %q, want %q", rt, h, got, v)
		}
	}
	if ct := r.Header.Get("Content-Type"); r.StatusCode < 300 && !strings.Contains(ct, "charset=") &&
		!strings.HasPrefix(ct, "image/") {
		t.Errorf("%s: Content-Type %q has no charset", rt, ct)
	}
	if rt.pattern != "/static/*" && r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", rt, r.Header.Get("Cache-Control"))
	}
	hsts := r.Header.Get("Strict-Transport-Security")
	if tls && !strings.HasPrefix(hsts, "max-age=63072000") {
		t.Errorf("%s over https: HSTS %q, want at least a year", rt, hsts)
	}
	if !tls && hsts != "" {
		t.Errorf("%s over http: HSTS %q, want none", rt, hsts)
	}
}

func TestCSPNonceDiffersPerRequest(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	a := e.get(c, "/sign-in").Header.Get("Content-Security-Policy")
	b := e.get(c, "/sign-in").Header.Get("Content-Security-Policy")
	if a == b {
		t.Errorf("two responses share the CSP %q", a)
	}
}

func TestLargeBodyRefused(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	r := e.post(c, "/auth/dev/sign-in", url.Values{
		"display_name": {strings.Repeat("a", 2<<20)}, "role": {"staff"},
	})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if !strings.Contains(r.body, "larger than the portal accepts") {
		t.Errorf("the page does not say what went wrong:\n%s", r.body)
	}
}

func TestNotFoundPage(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	r := e.get(c, "/no/such/page")
	wantStatus(t, r, http.StatusNotFound)
	for _, want := range []string{"Page not found", `data-testid="request-id"`,
		r.Header.Get("X-Request-Id")} {
		if !strings.Contains(r.body, want) {
			t.Errorf("404 page lacks %q", want)
		}
	}
	wantStatus(t, e.get(c, "/static/app.css"), http.StatusNotFound)
}
