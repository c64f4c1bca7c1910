package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"ghcrportal/internal/github/githubtest"
	"ghcrportal/internal/onboarding"
)

const svc = "icl-data-portal-svc"

// readyOnboarding is an onboarding with steps 1 and 4 saved, for an image
// that is published on the fake registry, and the service account known to
// the fake GitHub.
func (e *env) readyOnboarding(c *http.Client) string {
	e.t.Helper()
	e.github.AddUser(svc, "User")
	e.github.AddRepository("ImperialCollegeLondon/My-Repo")
	id := e.startOnboarding(c, goodStep1)
	r := e.post(c, "/onboardings/"+id+"/steps/4", url.Values{
		"version": {e.version(id)}, "github_login": {svc},
	})
	wantRedirect(e.t, r, "/onboardings/"+id+"/steps/4")
	return id
}

// publish puts the onboarding's image on the fake registry and its package
// on the fake GitHub, linked to the repository, and returns its digest.
func (e *env) publish(tags ...string) string {
	e.t.Helper()
	digest := e.registry.Push(e.t, "imperialcollegelondon/my-repo/api", tags[0])
	e.github.AddPackage(githubtest.Package{
		Name:       "my-repo/api",
		Repository: "ImperialCollegeLondon/My-Repo",
		Versions:   []githubtest.Version{{Digest: digest, Tags: tags}},
		Readers:    []string{svc},
	})
	return digest
}

func (e *env) step(id string, n onboarding.StepID) *onboarding.Step {
	e.t.Helper()
	return e.onboarding(id).Step(n)
}

func TestStep4ChecksTheAccountOnGitHub(t *testing.T) {
	tests := []struct {
		login, typ string
		want       onboarding.StepState
		message    string
	}{
		{"icl-svc", "User", onboarding.Verified, ""},
		{"icl-org", "Organization", onboarding.Failed, "organisation"},
		{"icl-bot", "Bot", onboarding.Failed, "bot"},
		{"nobody-here", "", onboarding.Failed, "no"},
	}
	e := newEnv(t)
	c := e.signedInBrowser()
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			if tt.typ != "" {
				e.github.AddUser(tt.login, tt.typ)
			}
			id := e.startOnboarding(c, goodStep1)
			r := e.post(c, "/onboardings/"+id+"/steps/4", url.Values{
				"version": {e.version(id)}, "github_login": {tt.login},
			})
			wantRedirect(t, r, "/onboardings/"+id+"/steps/4?saved=1")
			st := e.step(id, onboarding.StepGitHubAccount)
			if st.State != tt.want {
				t.Errorf("state %s, want %s; results %+v", st.State, tt.want, st.Results)
			}
			page := e.get(c, "/onboardings/"+id+"/steps/4")
			if !strings.Contains(strings.ToLower(page.body), tt.message) ||
				!strings.Contains(page.body, `data-testid="check-again"`) {
				t.Errorf("step 4 page lacks %q or a check-again button", tt.message)
			}
		})
	}
}

func TestMembershipAndPermissionChecks(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	id := e.readyOnboarding(c)
	check := func(step string) *response {
		t.Helper()
		return e.post(c, "/onboardings/"+id+"/steps/"+step+"/check",
			url.Values{"version": {e.version(id)}})
	}

	wantRedirect(t, check("3"), "/onboardings/"+id+"/steps/3")
	if st := e.step(id, onboarding.StepJoinOrganisation); st.State != onboarding.Failed {
		t.Errorf("step 3 for a non-member: %s", st.State)
	}
	e.github.SetMembership(svc, "pending")
	check("3")
	if st := e.step(id, onboarding.StepJoinOrganisation); st.State != onboarding.VerifiedWithWarnings {
		t.Errorf("step 3 with an invitation pending: %s %+v", st.State, st.Results)
	}
	e.github.SetMembership(svc, "active")
	check("3")
	if st := e.step(id, onboarding.StepJoinOrganisation); st.State != onboarding.Verified {
		t.Errorf("step 3 for an active member: %s", st.State)
	}

	for _, tt := range []struct {
		level, role string
		want        onboarding.StepState
	}{
		{"none", "", onboarding.Failed},
		{"read", "read", onboarding.Verified},
		{"read", "triage", onboarding.Verified},
		{"admin", "admin", onboarding.VerifiedWithWarnings},
	} {
		e.github.SetPermission("ImperialCollegeLondon/My-Repo", svc, tt.level, tt.role)
		wantRedirect(t, check("5"), "/onboardings/"+id+"/steps/5")
		if st := e.step(id, onboarding.StepRepositoryAccess); st.State != tt.want {
			t.Errorf("step 5 with %s/%s: %s, want %s", tt.level, tt.role, st.State, tt.want)
		}
	}
}

func TestChecksWithoutAnAppSayWhatToConfigure(t *testing.T) {
	e := newEnv(t, func(o *options) { o.noApp = true })
	c := e.signedInBrowser()
	id := e.readyOnboarding(c)
	e.post(c, "/onboardings/"+id+"/steps/3/check", url.Values{"version": {e.version(id)}})
	st := e.step(id, onboarding.StepJoinOrganisation)
	if st.State != onboarding.Waiting || !strings.Contains(st.Results[0].Message, "GITHUB_APP_ID") {
		t.Errorf("step 3 without an App: %s %+v", st.State, st.Results)
	}
	if got := e.step(id, onboarding.StepGitHubAccount).State; got != onboarding.Verified {
		t.Errorf("step 4 without an App: %s, want verified (it needs no App)", got)
	}
}

func TestTokenChecksEndToEnd(t *testing.T) {
	e := newEnv(t, func(o *options) { o.fakeRegistry = true })
	c := e.signedInBrowser()
	id := e.readyOnboarding(c)
	digest := e.publish("1.0.1", "sha-a1b2c3d")
	token := canaryToken()
	e.github.AddToken(token, githubtest.Token{Login: svc, Scopes: []string{"read:packages"},
		Expiration: e.clock.Now().Add(90 * 24 * time.Hour).Format("2006-01-02 15:04:05 MST")})

	r := e.post(c, "/onboardings/"+id+"/steps/6", url.Values{
		"version": {e.version(id)}, "token": {token},
	})
	wantRedirect(t, r, "/onboardings/"+id+"/steps/6?saved=1")
	st := e.step(id, onboarding.StepToken)
	if st.State != onboarding.Verified {
		t.Fatalf("step 6: %s, results:\n%+v", st.State, st.Results)
	}
	if st.Facts[onboarding.FactImageDigest] != digest || st.Facts[onboarding.FactTokenLogin] != svc {
		t.Errorf("facts %v", st.Facts)
	}
	page := e.get(c, "/onboardings/"+id+"/steps/7")
	if !strings.Contains(page.body, "my-repo/api@"+digest) {
		t.Errorf("step 7 does not offer the digest-pinned image:\n%s", page.body)
	}
	e.wantTokenNowhere(token, c)
}

func TestTokenInTheAddressIsRefused(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	id := e.startOnboarding(c, goodStep1)
	token := canaryToken()
	for _, path := range []string{
		"/onboardings/" + id + "/steps/6?token=" + token,
		"/onboardings/" + id + "/steps/6?x=" + token,
		"/onboardings/" + id + "/steps/6?pat=abc",
	} {
		r := e.get(c, path)
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, "Revoke that token") {
			t.Errorf("GET %s: the page does not say what to do", path[:40])
		}
	}
	r := e.post(c, "/onboardings/"+id+"/steps/6?token="+token,
		url.Values{"version": {e.version(id)}, "token": {token}})
	wantStatus(t, r, http.StatusBadRequest)
	if n := e.github.Count(http.MethodGet, "/user"); n != 0 {
		t.Errorf("a token in the address was checked (%d calls to /user)", n)
	}
	if strings.Contains(e.logs.String(), token[4:]) {
		t.Error("the token in the address reached the log")
	}
}

func TestTokenChecksAreRateLimitedAcrossReplicas(t *testing.T) {
	a := newEnv(t, func(o *options) { o.fakeRegistry = true })
	b := newEnv(t, func(o *options) { o.store = a.store })
	b.github, b.registry = a.github, a.registry
	c := a.signedInBrowser()
	a.publish("1.0.1")

	// One onboarding per request, so that every request is a fresh save and
	// only the per-person limit can refuse it.
	ids := make([]string, 12)
	for i := range ids {
		ids[i] = a.readyOnboarding(c)
	}
	a.github.ResetRequests()
	var wg sync.WaitGroup
	statuses := make([]int, len(ids))
	for i, id := range ids {
		env := a
		if i%2 == 1 {
			env = b
		}
		version := a.version(id)
		token := canaryToken()
		a.github.AddToken(token, githubtest.Token{Login: svc, Scopes: []string{"read:packages"}})
		wg.Go(func() {
			r := env.send(c, http.MethodPost, "/onboardings/"+id+"/steps/6",
				url.Values{"version": {version}, "token": {token}},
				"X-Forwarded-For", "10.0.0."+itoa(i))
			statuses[i] = r.StatusCode
			if r.StatusCode == http.StatusTooManyRequests && r.Header.Get("Retry-After") == "" {
				t.Error("a refused check has no Retry-After")
			}
		})
	}
	wg.Wait()
	limited := 0
	for _, s := range statuses {
		if s == http.StatusTooManyRequests {
			limited++
		}
	}
	if got := a.github.Count(http.MethodGet, "/user"); got > 5 {
		t.Errorf("%d token checks reached GitHub, want at most 5 a minute", got)
	}
	if limited < len(statuses)-5 {
		t.Errorf("%d of %d checks were refused, want at least %d (statuses %v)", limited,
			len(statuses), len(statuses)-5, statuses)
	}
}

func TestStep4IsSavedEvenWhenItCannotBeCheckedNow(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	id := e.readyOnboarding(c)
	for i := 0; i < 25; i++ {
		e.post(c, "/onboardings/"+id+"/steps/4/check", url.Values{"version": {e.version(id)}})
	}
	r := e.post(c, "/onboardings/"+id+"/steps/4/check", url.Values{"version": {e.version(id)}})
	wantStatus(t, r, http.StatusTooManyRequests)

	r = e.post(c, "/onboardings/"+id+"/steps/4", url.Values{
		"version": {e.version(id)}, "github_login": {"another-svc"},
	})
	wantRedirect(t, r, "/onboardings/"+id+"/steps/4?saved=1")
	st := e.step(id, onboarding.StepGitHubAccount)
	if st.Inputs["github_login"] != "another-svc" || st.State != onboarding.Waiting {
		t.Errorf("step 4 after a deferred check: %v %s %+v", st.Inputs, st.State, st.Results)
	}
	if !strings.Contains(st.Results[0].Message, "try again") {
		t.Errorf("the result does not say when to check: %q", st.Results[0].Message)
	}
}
