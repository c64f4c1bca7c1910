package journey

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ghcrportal/internal/github/githubtest"
)

// TestCheckTheServiceAccountAndToken is the journey through steps 4 to 7:
// the service account's login, its membership and access, and its token,
// each checked against GitHub and the registry, ending with the values for
// Azure.
func TestCheckTheServiceAccountAndToken(t *testing.T) {
	base, w := portal(t)
	const svc = "icl-data-portal-svc"
	w.github.AddUser(svc, "User")
	w.github.AddRepository("ImperialCollegeLondon/data-portal")
	w.github.SetMembership(svc, "active")
	w.github.SetPermission("ImperialCollegeLondon/data-portal", svc, "admin", "admin")
	digest := w.registry.Push(t, "imperialcollegelondon/data-portal/api", "1.4.0")
	w.github.AddPackage(githubtest.Package{Name: "data-portal/api",
		Repository: "ImperialCollegeLondon/data-portal", Readers: []string{svc},
		Versions: []githubtest.Version{{Digest: digest, Tags: []string{"1.4.0"}}}})
	token := "ghp_" + strings.Repeat("Az09", 9)
	w.github.AddToken(token, githubtest.Token{Login: svc, Scopes: []string{"read:packages"},
		Expiration: time.Now().Add(10 * 24 * time.Hour).UTC().Format("2006-01-02 15:04:05 MST")})

	b := newBrowser(t, "1-steps-4-to-7")
	b.signIn(base, "Grace Hopper")
	b.do(
		chromedp.Click(testid("start-onboarding")),
		chromedp.WaitVisible(chromedp.ID("repository")),
		chromedp.SendKeys(chromedp.ID("repository"), "ImperialCollegeLondon/data-portal"),
		chromedp.SendKeys(chromedp.ID("image_name"), "api"),
		chromedp.SendKeys(chromedp.ID("tag"), "1.4.0"),
		chromedp.Click(testid("save")),
		chromedp.WaitVisible(testid("workflow-yaml")),
	)
	stepURL, _ := chromedp.Run(b.ctx, chromedp.Location())
	base1, _, _ := strings.Cut(stepURL, "/steps/")

	b.do(
		chromedp.Navigate(base1+"/steps/4"),
		chromedp.WaitVisible(chromedp.ID("github_login")),
		chromedp.SendKeys(chromedp.ID("github_login"), svc),
		chromedp.Click(testid("save")),
		chromedp.WaitVisible(testid("results")),
	)
	b.screenshot("step-4-checked")
	wantState(t, b, "Verified")

	b.do(chromedp.Navigate(base1+"/steps/3"), chromedp.WaitVisible(testid("check-again")),
		chromedp.Click(testid("check-again")), chromedp.WaitVisible(testid("results")))
	b.screenshot("step-3-checked")
	wantState(t, b, "Verified")

	b.do(chromedp.Navigate(base1+"/steps/5"), chromedp.WaitVisible(testid("check-again")),
		chromedp.Click(testid("check-again")), chromedp.WaitVisible(testid("results")))
	b.screenshot("step-5-warned")
	wantState(t, b, "Verified with warnings")

	b.do(
		chromedp.Navigate(base1+"/steps/6"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), token),
		chromedp.Click(testid("save")),
		chromedp.WaitVisible(testid("facts")),
	)
	b.screenshot("step-6-checked")
	wantState(t, b, "Verified with warnings")
	if v := b.value("token"); v != "" {
		t.Error("the token field was filled back in")
	}
	if facts := b.text(`[data-testid="facts"]`); !strings.Contains(facts, digest) {
		t.Errorf("step 6 does not show the digest:\n%s", facts)
	}

	b.do(chromedp.Navigate(base1+"/steps/7"), chromedp.WaitVisible(testid("values")))
	b.screenshot("step-7-values")
	if got := b.text(`[data-testid="value-IMAGE_REGISTRY_USERNAME"]`); got != svc {
		t.Errorf("IMAGE_REGISTRY_USERNAME shows %q", got)
	}
	if ref := b.text(`[data-testid="digest-reference"]`); !strings.HasSuffix(ref, "@"+digest) {
		t.Errorf("the digest-pinned IMAGE is %q", ref)
	}
}

// wantState fails the test unless the step shown is in the given state.
func wantState(t *testing.T, b *browser, want string) {
	t.Helper()
	if got := b.text(`[data-testid="step-state"] [data-testid="state"]`); got != want {
		results, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`[data-testid="results"]`)))
		t.Errorf("the step is %q, want %q; results:\n%s", got, want, results)
	}
}
