package journey

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestStartOnboardingLeaveAndComeBack is the first journey: sign in, start
// an onboarding, get step 1 wrong and then right, leave, and come back to
// find everything where it was.
func TestStartOnboardingLeaveAndComeBack(t *testing.T) {
	base, _ := portal(t)
	b := newBrowser(t, "1-first-visit")
	b.signIn(base, "Ada Lovelace")
	b.screenshot("home-empty")

	b.do(
		chromedp.Click(testid("start-onboarding")),
		chromedp.WaitVisible(chromedp.ID("repository")),
	)
	b.screenshot("step-1-empty")

	b.do(
		chromedp.SendKeys(chromedp.ID("repository"), "imperialcollegelondon/Data-Portal"),
		chromedp.SendKeys(chromedp.ID("image_name"), "API"),
		chromedp.SendKeys(chromedp.ID("tag"), "latest"),
		chromedp.Click(testid("save")),
		chromedp.WaitVisible(testid("error-summary")),
	)
	b.screenshot("step-1-bad-tag")
	if msg := b.text(`#tag-error`); !strings.Contains(msg, "latest cannot be used") {
		t.Errorf("the tag's error says %q", msg)
	}
	if got := b.value("repository"); got != "imperialcollegelondon/Data-Portal" {
		t.Errorf("the repository typed was lost: %q", got)
	}
	b.do(chromedp.Click(css(`.error-summary a[href="#tag"]`)))
	focused, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil || focused != "tag" {
		t.Errorf("the error summary's link focuses %q (err %v), want the tag field", focused, err)
	}

	b.do(
		chromedp.SetValue(chromedp.ID("tag"), "1.4.0"),
		chromedp.Click(testid("save")),
		chromedp.WaitVisible(testid("workflow-yaml")),
	)
	b.screenshot("step-1-saved")
	if state := b.text(`[data-testid="step-state"] [data-testid="state"]`); state != "Verified" {
		t.Errorf("step 1 is %q after a good save, want Verified", state)
	}
	if yaml := b.text(`[data-testid="workflow-yaml"]`); !strings.Contains(yaml,
		"/imperialcollegelondon/data-portal/api") {
		t.Errorf("the workflow does not name the image:\n%s", yaml)
	}
	stepURL, _ := chromedp.Run(b.ctx, chromedp.Location())
	stepURL, _, _ = strings.Cut(stepURL, "?")

	// Leave: sign out and close the browser, as at the end of a day.
	b.do(
		chromedp.Click(testid("sign-out")),
		chromedp.WaitVisible(chromedp.ID("display_name")),
	)
	comeBack(t, base, stepURL)
}

// comeBack signs in again in a new browser and finds the onboarding as it
// was left.
func comeBack(t *testing.T, base, stepURL string) {
	t.Helper()
	b := newBrowser(t, "2-coming-back")
	b.signIn(base, "Ada Lovelace")
	b.screenshot("home-with-onboarding")
	if row := b.text(`[data-testid="onboarding-row"]`); !strings.Contains(row, "Step 2 of 7") {
		t.Errorf("the home page says %q, want the onboarding at step 2", row)
	}

	b.do(
		chromedp.Click(css(`[data-testid="onboarding-row"] a`)),
		chromedp.WaitVisible(testid("task-list")),
	)
	b.screenshot("task-list")
	if state := b.text(`[data-testid="task-1"] [data-testid="state"]`); state != "Verified" {
		t.Errorf("step 1 shows %q on the task list", state)
	}

	b.do(
		chromedp.Click(css(`[data-testid="task-1"] a`)),
		chromedp.WaitVisible(chromedp.ID("tag")),
	)
	b.screenshot("step-1-again")
	for id, want := range map[string]string{
		"repository": "imperialcollegelondon/Data-Portal", "image_name": "api", "tag": "1.4.0",
	} {
		if got := b.value(id); got != want {
			t.Errorf("step 1's %s is %q, want %q", id, got, want)
		}
	}
	if loc, _ := chromedp.Run(b.ctx, chromedp.Location()); loc != stepURL {
		t.Errorf("came back to %s, want %s", loc, stepURL)
	}
}
