package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ghcrportal/internal/onboarding"
)

var goodStep1 = url.Values{
	"repository": {"ImperialCollegeLondon/My-Repo"},
	"image_name": {"api"},
	"tag":        {"1.0.1"},
}

var formAction = regexp.MustCompile(`action="(/onboardings\?id=[a-z2-7]{26})"`)

// startOnboarding creates an onboarding through the new-onboarding form and
// returns its ID.
func (e *env) startOnboarding(c *http.Client, step1 url.Values) string {
	e.t.Helper()
	page := e.get(c, "/onboardings/new")
	wantStatus(e.t, page, http.StatusOK)
	m := formAction.FindStringSubmatch(page.body)
	if m == nil {
		e.t.Fatalf("the new-onboarding page has no form action:\n%s", page.body)
	}
	r := e.post(c, htmlUnescape(m[1]), step1)
	wantRedirect(e.t, r, "/onboardings/")
	return strings.Split(r.Header.Get("Location"), "/")[2]
}

// version is the onboarding's stored version, as a form sends it.
func (e *env) version(id string) string {
	e.t.Helper()
	return itoa(e.onboarding(id).Version)
}

func htmlUnescape(s string) string { return strings.ReplaceAll(s, "&amp;", "&") }

func (e *env) onboarding(id string) *onboarding.Onboarding {
	e.t.Helper()
	o, err := e.store.GetOnboarding(e.t.Context(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

func TestStartSaveAndResume(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	id := e.startOnboarding(c, goodStep1)

	o := e.onboarding(id)
	if o.Repository != "ImperialCollegeLondon/My-Repo" || o.ImageName != "api" || o.Tag != "1.0.1" {
		t.Errorf("saved %q %q %q", o.Repository, o.ImageName, o.Tag)
	}
	if got := o.Step(onboarding.StepPublish).State; got != onboarding.Verified {
		t.Errorf("step 1 state %s, want verified", got)
	}

	r := e.get(c, "/onboardings/"+id+"/steps/1?saved=1")
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{"ghcr.io/imperialcollegelondon/my-repo/api:1.0.1",
		`data-testid="workflow-yaml"`, "Saved.", "a semantic version"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("step 1 page lacks %q", want)
		}
	}

	r = e.post(c, "/onboardings/"+id+"/steps/4", url.Values{
		"version": {e.version(id)}, "github_login": {"icl-svc-bot"},
	})
	wantRedirect(t, r, "/onboardings/"+id+"/steps/4?saved=1")

	// Days later, in another browser: the home page leads back to it.
	later := e.browser()
	e.devSignIn(later, "Ada", "staff")
	home := e.get(later, "/")
	for _, want := range []string{"/onboardings/" + id, "Step 2 of 7"} {
		if !strings.Contains(home.body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	step4 := e.get(later, "/onboardings/"+id+"/steps/4")
	if !strings.Contains(step4.body, `value="icl-svc-bot"`) {
		t.Error("step 4 lost the saved login")
	}
	list := e.get(later, "/onboardings/"+id)
	wantStatus(t, list, http.StatusOK)
	if !strings.Contains(list.body, "completed 1 of 7") {
		t.Errorf("task list does not show progress:\n%s", list.body)
	}
}

func TestStep1Problems(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	page := e.get(c, "/onboardings/new")
	action := htmlUnescape(formAction.FindStringSubmatch(page.body)[1])

	r := e.post(c, action, url.Values{
		"repository": {"SomeoneElse/repo"}, "image_name": {"My Image"}, "tag": {"latest"},
	})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, want := range []string{`data-testid="error-summary"`, `href="#repository"`,
		`href="#image_name"`, `href="#tag"`, `value="SomeoneElse/repo"`, `value="My Image"`,
		`value="latest"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	list, err := e.store.ListOnboardings(t.Context(), e.userID(c))
	if err != nil || len(list) != 0 {
		t.Errorf("a refused step 1 stored %d onboardings (err %v)", len(list), err)
	}
}

// userID returns the ID of the person signed in in a browser.
func (e *env) userID(c *http.Client) string {
	e.t.Helper()
	_, u, err := e.store.GetSession(e.t.Context(), onboarding.HashToken(e.sessionCookie(c)))
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

func TestDoubleSubmitCreatesOneOnboarding(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	page := e.get(c, "/onboardings/new")
	action := htmlUnescape(formAction.FindStringSubmatch(page.body)[1])

	var wg sync.WaitGroup
	locations := make([]string, 8)
	for i := range locations {
		wg.Go(func() {
			locations[i] = e.post(c, action, goodStep1).Header.Get("Location")
		})
	}
	wg.Wait()
	for _, loc := range locations[1:] {
		if loc != locations[0] {
			t.Errorf("responses redirect to %q and %q, want one place", locations[0], loc)
		}
	}
	list, err := e.store.ListOnboardings(t.Context(), e.userID(c))
	if err != nil || len(list) != 1 {
		t.Errorf("%d onboardings after a double submit (err %v), want 1", len(list), err)
	}
}

func TestStaleSaveIsRefusedAndKeepsWhatWasTyped(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	id := e.startOnboarding(c, goodStep1)
	path := "/onboardings/" + id + "/steps/4"
	opened := e.version(id)

	wantRedirect(t, e.post(c, path, url.Values{"version": {opened}, "github_login": {"tab-a"}}),
		path)
	r := e.post(c, path, url.Values{"version": {opened}, "github_login": {"tab-b"}})
	wantStatus(t, r, http.StatusConflict)
	if !strings.Contains(r.body, `value="tab-b"`) || !strings.Contains(r.body, "Nothing was saved") {
		t.Errorf("conflict page lost the typed value or the reason:\n%s", r.body)
	}
	if got := e.onboarding(id).Step(onboarding.StepGitHubAccount).Inputs["github_login"]; got != "tab-a" {
		t.Errorf("stored login %q, want tab-a", got)
	}
}

func TestFieldsBeyondTheFormAreIgnored(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	id := e.startOnboarding(c, goodStep1)
	before := e.onboarding(id)

	form := url.Values{
		"version": {e.version(id)}, "github_login": {"icl-svc"},
		"owner_id": {"someone-else"}, "OwnerID": {"someone-else"}, "state": {"verified"},
		"repository": {"ImperialCollegeLondon/other"}, "tag": {"9.9.9"}, "results": {"pass"},
	}
	wantRedirect(t, e.post(c, "/onboardings/"+id+"/steps/4", form), "/onboardings/")
	after := e.onboarding(id)
	if after.OwnerID != before.OwnerID || after.Repository != before.Repository ||
		after.Tag != before.Tag {
		t.Errorf("extra fields changed the onboarding: %+v", after)
	}
	if d := cmp.Diff(map[string]string{"github_login": "icl-svc"},
		after.Step(onboarding.StepGitHubAccount).Inputs); d != "" {
		t.Errorf("step 4 inputs (-want +got):\n%s", d)
	}
	if after.Step(onboarding.StepGitHubAccount).State == onboarding.Verified {
		t.Error("a form field set the step's state")
	}
}

func TestOtherPeopleGetNotFoundOnEveryRouteOfAnOnboarding(t *testing.T) {
	e := newEnv(t)
	owner := e.signedInBrowser()
	id := e.startOnboarding(owner, goodStep1)
	before := e.onboarding(id)

	stranger := e.browser()
	e.devSignIn(stranger, "Mallory", "staff")
	admin := e.browser()
	e.devSignIn(admin, "Root", "admin")
	checked := 0
	for _, rt := range routes(t, e) {
		if !strings.Contains(rt.pattern, "{id}") {
			continue
		}
		for step := 1; step <= 7; step++ {
			path := strings.ReplaceAll(strings.ReplaceAll(rt.pattern, "{id}", id), "{step}",
				itoa(step))
			r := e.send(stranger, rt.method, path, url.Values{"version": {e.version(id)},
				"github_login": {"mallory"}, "token": {"ghp_" + strings.Repeat("x", 36)}})
			if r.StatusCode != http.StatusNotFound {
				t.Errorf("stranger %s %s: status %d, want 404", rt.method, path, r.StatusCode)
			}
			if strings.Contains(r.body, "My-Repo") || strings.Contains(r.body, "my-repo") {
				t.Errorf("stranger %s %s: the page shows the onboarding", rt.method, path)
			}
			if rt.method == http.MethodGet {
				wantStatus(t, e.send(admin, rt.method, path, nil), http.StatusOK)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no routes of an onboarding were found")
	}
	if d := cmp.Diff(before, e.onboarding(id)); d != "" {
		t.Errorf("a stranger changed the onboarding (-before +after):\n%s", d)
	}
}

func TestWorkflowDownload(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	id := e.startOnboarding(c, goodStep1)
	r := e.get(c, "/onboardings/"+id+"/workflow.yml")
	wantStatus(t, r, http.StatusOK)
	if got := r.Header.Get("Content-Disposition"); !regexp.MustCompile(
		`^attachment; filename="[a-z0-9._-]+\.yml"$`).MatchString(got) {
		t.Errorf("Content-Disposition %q", got)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/yaml") {
		t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	if !strings.Contains(r.body, "ghcr.io/imperialcollegelondon/my-repo/api") {
		t.Errorf("workflow does not name the image:\n%s", r.body)
	}
}
