package github_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"ghcrportal/internal/github"
	"ghcrportal/internal/github/githubtest"
	"ghcrportal/internal/onboarding"
)

// The world of the tests: an organisation, its repository, an image in it
// and the service account that pulls it.
const (
	org      = githubtest.DefaultOrg
	repo     = org + "/repo"
	pkgName  = "repo/api"
	path     = "imperialcollegelondon/repo/api"
	tag      = "1.0.1"
	svc      = "svc-bot"
	farDate  = "2030-06-01 12:00:00 UTC"
	nearDate = "2030-01-12 10:00:00 +0200"
)

// now is the tests' clock, shared by the client and the fake.
var now = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func clock() time.Time { return now }

// env is a FakeGitHub, a FakeRegistry and a Client that talks to them, with
// the client's log lines captured at debug level.
type env struct {
	gh     *githubtest.FakeGitHub
	reg    *githubtest.FakeRegistry
	client *github.Client
	logs   *syncBuffer
	digest string
	image  onboarding.Image
}

// option changes a test client's configuration.
type option func(*github.Config)

// withoutApp leaves the GitHub App unconfigured.
func withoutApp(c *github.Config) { c.App = nil }

// withTimeout sets the client's timeout.
func withTimeout(d time.Duration) option {
	return func(c *github.Config) { c.Timeout = d }
}

// newEnv builds the healthy world: the image pushed and published as a
// package linked to the repository, on which the service account has Read,
// and the account a member of the organisation.
func newEnv(t testing.TB, opts ...option) *env {
	t.Helper()
	e := &env{logs: &syncBuffer{}}
	e.gh = githubtest.NewFakeGitHub(t, githubtest.Options{Now: clock})
	e.reg = githubtest.NewFakeRegistry(t, e.gh)
	e.digest = e.reg.Push(t, path, tag)
	e.gh.SetMembership(svc, "active")
	e.gh.SetPermission(repo, svc, "read", "")
	e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: repo,
		Versions: []githubtest.Version{{Digest: e.digest, Tags: []string{tag}}}})
	e.image = onboarding.Image{Registry: e.reg.Host(), Owner: org, Repo: "repo", Name: "api",
		Tag: tag}
	e.client = newClient(t, e, opts...)
	return e
}

// newClient returns a client of e's fakes.
func newClient(t testing.TB, e *env, opts ...option) *github.Client {
	t.Helper()
	app := e.gh.App()
	cfg := github.Config{
		APIURL:   e.gh.URL(),
		Org:      org,
		Registry: e.reg.Host(),
		App: &github.AppCredentials{AppID: app.ID, InstallationID: app.InstallationID,
			PrivateKey: app.PrivateKey},
		Timeout:   2 * time.Second,
		RetryBase: time.Millisecond,
		Now:       clock,
		Logger: slog.New(slog.NewJSONHandler(e.logs,
			&slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := github.New(cfg)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c
}

// addToken adds a classic token for the service account with read:packages
// and a distant expiry, changed by edit, and returns it.
func (e *env) addToken(edit func(*githubtest.Token)) string {
	token := newToken()
	tok := githubtest.Token{Login: svc, Scopes: []string{"read:packages"}, Expiration: farDate}
	if edit != nil {
		edit(&tok)
	}
	e.gh.AddToken(token, tok)
	return token
}

// want is what step 6 is checked against in e.
func (e *env) want() tokenWant {
	return tokenWant{Login: svc, Image: e.image}
}

// newToken returns a random classic token: ghp_ and 36 letters and digits.
func newToken() string {
	return "ghp_" + rand.Text()[:26] + strings.ToLower(rand.Text()[:10])
}

// verdict is a result without its message and time, for comparisons.
type verdict struct {
	Check   string
	Outcome onboarding.Outcome
}

// verdicts projects results onto their checks and outcomes.
func verdicts(results []onboarding.CheckResult) []verdict {
	out := make([]verdict, len(results))
	for i, r := range results {
		out[i] = verdict{r.Check, r.Outcome}
	}
	return out
}

// checkMessages fails t unless every phrase appears in some result's
// message and every result is dated by the clock.
func checkMessages(t *testing.T, results []onboarding.CheckResult, phrases ...string) {
	t.Helper()
	var all strings.Builder
	for _, r := range results {
		all.WriteString(r.Message + "\n")
		if !r.CheckedAt.Equal(now) {
			t.Errorf("%s: CheckedAt = %v, want %v", r.Check, r.CheckedAt, now)
		}
		if r.Message == "" {
			t.Errorf("%s: empty message", r.Check)
		}
	}
	for _, p := range phrases {
		if !strings.Contains(all.String(), p) {
			t.Errorf("no message mentions %q; messages:\n%s", p, all.String())
		}
	}
}

// syncBuffer is a bytes.Buffer that many goroutines may write to.
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

// tokenWant is what a test checks a token against: step 4's login and step
// 1's image.
type tokenWant struct {
	Login string
	Image onboarding.Image
}

// checkToken runs step 6's checks as the handlers do.
func checkToken(c *github.Client, ctx context.Context, token string,
	w tokenWant) onboarding.TokenFindings {
	return c.CheckToken(ctx, token, w.Login, w.Image)
}
