package handlers_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/oauth2-proxy/mockoidc"
	"github.com/prometheus/client_golang/prometheus"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/github"
	"ghcrportal/internal/github/githubtest"
	"ghcrportal/internal/handlers"
	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store/postgres"
	"ghcrportal/internal/store/storetest"
)

// testPlace is where the test portal works.
var testPlace = onboarding.Place{Org: "ImperialCollegeLondon", Registry: "ghcr.io"}

// testClock is a clock that tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// options change how a test portal is built.
type options struct {
	oidc      bool
	tls       bool
	store     handlers.Store
	tenantID  string
	roles     auth.RolePolicy
	listener  net.Listener
	mockOIDC  *mockoidc.MockOIDC
	wrapStore func(handlers.Store) handlers.Store
	// fakeRegistry makes the portal's registry the fake one, for the pull
	// check; otherwise it is ghcr.io, as configured by default.
	fakeRegistry bool
	// noApp leaves the portal without its GitHub App.
	noApp bool
}

// env is one running portal over a real store and a real listener.
type env struct {
	t     *testing.T
	store handlers.Store
	// dsn is the test's own Postgres database, when the env made one.
	dsn    string
	srv    *handlers.Server
	ts     *httptest.Server
	clock  *testClock
	logs   *syncBuffer
	oidc   *mockoidc.MockOIDC
	secure bool
	// github and registry are the fakes the portal's checks talk to.
	github   *githubtest.FakeGitHub
	registry *githubtest.FakeRegistry
	place    onboarding.Place
}

// newEnv starts a portal on a fresh Postgres database with the development
// sign-in, unless options say otherwise.
func newEnv(t *testing.T, opts ...func(*options)) *env {
	t.Helper()
	o := options{roles: auth.RolePolicy{AdminRole: "Portal.Admin"}}
	for _, f := range opts {
		f(&o)
	}
	var dsn string
	if o.store == nil {
		dsn = storetest.PostgresURL(t)
		o.store = openPostgres(t, dsn)
	}
	st := o.store
	if o.wrapStore != nil {
		st = o.wrapStore(st)
	}
	e := &env{t: t, store: o.store, dsn: dsn, clock: newTestClock(), logs: &syncBuffer{},
		secure: o.tls, place: testPlace}
	e.github = githubtest.NewFakeGitHub(t, githubtest.Options{Org: testPlace.Org})
	e.registry = githubtest.NewFakeRegistry(t, e.github)
	if o.fakeRegistry {
		e.place.Registry = e.registry.Host()
	}
	e.ts = httptest.NewUnstartedServer(nil)
	if o.listener != nil {
		e.ts.Listener.Close()
		e.ts.Listener = o.listener
	}
	e.srv = e.newServer(st, o)
	e.ts.Config.Handler = e.srv
	if o.tls {
		e.ts.StartTLS()
	} else {
		e.ts.Start()
	}
	t.Cleanup(e.ts.Close)
	return e
}

func (e *env) baseURL(o options) string {
	scheme := "http"
	if o.tls {
		scheme = "https"
	}
	return scheme + "://" + e.ts.Listener.Addr().String()
}

func (e *env) newServer(st handlers.Store, o options) *handlers.Server {
	e.t.Helper()
	public, _ := url.Parse(e.baseURL(o))
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := handlers.Config{
		Store:     st,
		Sessions:  auth.NewSessions(st, o.tls, e.clock.Now),
		Checker:   e.checker(o, logger),
		Logger:    logger,
		Registry:  prometheus.NewRegistry(),
		PublicURL: public,
		Place:     e.place,
		Now:       e.clock.Now,
	}
	if o.oidc {
		e.oidc = o.mockOIDC
		if e.oidc == nil {
			e.oidc = startMockOIDC(e.t)
		}
		cfg.OIDC = e.newOIDC(st, o, public)
	}
	srv, err := handlers.New(cfg)
	if err != nil {
		e.t.Fatalf("handlers.New: %v", err)
	}
	return srv
}

func (e *env) newOIDC(st handlers.Store, o options, public *url.URL) *auth.OIDC {
	e.t.Helper()
	mc := e.oidc.Config()
	oc := auth.OIDCConfig{
		IssuerURL:    mc.Issuer,
		ClientID:     mc.ClientID,
		ClientSecret: mc.ClientSecret,
		RedirectURL:  public.String() + "/auth/callback",
		TenantID:     o.tenantID,
		Roles:        o.roles,
	}
	client := &http.Client{Timeout: 5 * time.Second}
	a, err := auth.NewOIDC(context.Background(), oc, st, o.tls, time.Now, client)
	if err != nil {
		e.t.Fatalf("auth.NewOIDC: %v", err)
	}
	return a
}

func startMockOIDC(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mockoidc.NewServer(key)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

// browser is an HTTP client with its own cookies that does not follow
// redirects, so that tests see each step.
func (e *env) browser() *http.Client {
	e.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.ts.Client()
	return &http.Client{
		Transport: c.Transport,
		Jar:       jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	body string
}

func (e *env) get(c *http.Client, path string, hdr ...string) *response {
	e.t.Helper()
	return e.send(c, http.MethodGet, path, nil, hdr...)
}

func (e *env) post(c *http.Client, path string, form url.Values, hdr ...string) *response {
	e.t.Helper()
	return e.send(c, http.MethodPost, path, form, hdr...)
}

// send makes one request. hdr holds header name and value pairs. Requests
// say they come from the portal's own pages, as a browser's would.
func (e *env) send(c *http.Client, method, path string, form url.Values, hdr ...string) *response {
	e.t.Helper()
	target := path
	if !strings.HasPrefix(path, "http") {
		target = e.ts.URL + path
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("read body of %s %s: %v", method, path, err)
	}
	return &response{Response: resp, body: string(b)}
}

// devSignIn signs a browser in with the development sign-in.
func (e *env) devSignIn(c *http.Client, name, role string) {
	e.t.Helper()
	r := e.post(c, "/auth/dev/sign-in", url.Values{"display_name": {name}, "role": {role}})
	if r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("dev sign-in: status %d, want 303; body:\n%s", r.StatusCode, r.body)
	}
}

// sessionCookie returns the browser's session cookie value for the portal.
func (e *env) sessionCookie(c *http.Client) string {
	e.t.Helper()
	u, _ := url.Parse(e.ts.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "portal_session") {
			return ck.Value
		}
	}
	return ""
}

// wantStatus fails the test when a response has another status.
func wantStatus(t *testing.T, r *response, want int) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body:\n%s",
			r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.body)
	}
}

// wantRedirect fails the test unless a response redirects to a location
// starting with prefix.
func wantRedirect(t *testing.T, r *response, prefix string) {
	t.Helper()
	loc := r.Header.Get("Location")
	if r.StatusCode < 300 || r.StatusCode > 399 || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s %s: status %d Location %q, want a redirect to %q",
			r.Request.Method, r.Request.URL.Path, r.StatusCode, loc, prefix)
	}
}

func base64URL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func itoa(n int) string { return strconv.Itoa(n) }

func openPostgres(t *testing.T, dsn string) handlers.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// dumpDatabase returns every row of every table of the test's database as
// text, to look for what must never be stored.
func (e *env) dumpDatabase() string {
	e.t.Helper()
	if e.dsn == "" {
		e.t.Fatal("this env has no database of its own to dump")
	}
	conn, err := pgx.Connect(e.t.Context(), e.dsn)
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close(e.t.Context())
	rows, err := conn.Query(e.t.Context(),
		`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)
	if err != nil {
		e.t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		e.t.Fatal(err)
	}
	var b strings.Builder
	for _, table := range tables {
		rows, err := conn.Query(e.t.Context(),
			"SELECT t::text FROM "+pgx.Identifier{table}.Sanitize()+" t")
		if err != nil {
			e.t.Fatal(err)
		}
		texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			e.t.Fatal(err)
		}
		b.WriteString(strings.Join(texts, "\n"))
	}
	return b.String()
}

// checker is the portal's real GitHub client, pointed at the fakes.
func (e *env) checker(o options, logger *slog.Logger) handlers.Checker {
	e.t.Helper()
	cfg := github.Config{
		APIURL:   e.github.URL(),
		Org:      e.place.Org,
		Registry: e.place.Registry,
		Timeout:  2 * time.Second,
		Now:      e.clock.Now,
		Logger:   logger,
	}
	if !o.noApp {
		app := e.github.App()
		cfg.App = &github.AppCredentials{AppID: app.ID, InstallationID: app.InstallationID,
			PrivateKey: app.PrivateKey}
	}
	c, err := github.New(cfg)
	if err != nil {
		e.t.Fatalf("github.New: %v", err)
	}
	return c
}

func fmtAny(v any) string { return fmt.Sprint(v) }
