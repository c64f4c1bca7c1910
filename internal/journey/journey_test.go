// Package journey drives the portal in a real browser, headless Chromium,
// through the journeys people take, and saves a screenshot of each step.
package journey

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/github"
	"ghcrportal/internal/github/githubtest"
	"ghcrportal/internal/handlers"
	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store/storetest"
)

// world is GitHub and the registry as the portal sees them in a journey.
type world struct {
	github   *githubtest.FakeGitHub
	registry *githubtest.FakeRegistry
}

// portal starts the whole portal, with the development sign-in, on a fresh
// Postgres database, checking against fake GitHub and registry servers.
func portal(t *testing.T) (string, *world) {
	t.Helper()
	w := &world{github: githubtest.NewFakeGitHub(t, githubtest.Options{})}
	w.registry = githubtest.NewFakeRegistry(t, w.github)
	place := onboarding.Place{Org: w.github.Org(), Registry: w.registry.Host()}
	st := storetest.NewPostgres(t)
	ts := httptest.NewUnstartedServer(nil)
	public, _ := url.Parse("http://" + ts.Listener.Addr().String())
	srv, err := handlers.New(handlers.Config{
		Store:     st,
		Sessions:  auth.NewSessions(st, false, time.Now),
		Checker:   checker(t, w, place),
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry:  prometheus.NewRegistry(),
		PublicURL: public,
		Place:     place,
		Now:       time.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	return ts.URL, w
}

// checker is the portal's GitHub client, pointed at the fakes.
func checker(t *testing.T, w *world, place onboarding.Place) handlers.Checker {
	t.Helper()
	app := w.github.App()
	c, err := github.New(github.Config{
		APIURL:   w.github.URL(),
		Org:      place.Org,
		Registry: place.Registry,
		App: &github.AppCredentials{AppID: app.ID, InstallationID: app.InstallationID,
			PrivateKey: app.PrivateKey},
		Now: time.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// chromiumPath finds Debian's Chromium. Without it the journeys are skipped,
// except in CI, where they must run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is not installed; CI must install Debian's chromium package")
	}
	t.Skip("Chromium is not installed: apt-get install -y chromium to run the browser journeys")
	return ""
}

// browser is one headless Chromium with a fresh profile.
type browser struct {
	t         *testing.T
	ctx       context.Context
	artifacts string
	shots     int
}

// newBrowser starts a browser; its screenshots go to a folder named visit.
func newBrowser(t *testing.T, visit string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1200, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return &browser{t: t, ctx: ctx, artifacts: artifactDir(t, visit)}
}

// artifactDir is where a visit's screenshots go: below PORTAL_TEST_ARTIFACTS,
// or testdata/artifacts beside this file, a folder per test and visit.
func artifactDir(t *testing.T, visit string) string {
	t.Helper()
	dir := os.Getenv("PORTAL_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	dir = filepath.Join(dir, t.Name(), visit)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// do runs browser actions, failing the test with the page's text if one
// fails, so that the failure says what the person would have seen.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		text, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
		b.screenshot("failure")
		b.t.Fatalf("browser: %v\npage text:\n%s", err, text)
	}
}

// text returns the text of the first element matching a CSS selector.
func (b *browser) text(selector string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		b.t.Fatalf("read %s: %v", selector, err)
	}
	return s
}

// value returns the value of the form field with the given id.
func (b *browser) value(id string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		b.t.Fatalf("read #%s: %v", id, err)
	}
	return s
}

// screenshot saves the whole page as a numbered PNG among the artifacts.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.shots++
	path := filepath.Join(b.artifacts, strings.Join([]string{itoa2(b.shots), name}, "-")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("save screenshot: %v", err)
	}
}

func itoa2(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

func testid(id string) chromedp.CSS { return css(`[data-testid="` + id + `"]`) }

// signIn signs in with the development sign-in.
func (b *browser) signIn(base, name string) {
	b.t.Helper()
	b.do(
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("display_name")),
	)
	b.screenshot("sign-in")
	b.do(
		chromedp.SendKeys(chromedp.ID("display_name"), name),
		chromedp.Click(testid("dev-sign-in")),
		chromedp.WaitVisible(testid("start-onboarding")),
	)
}
