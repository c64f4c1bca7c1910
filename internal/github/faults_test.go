package github_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ghcrportal/internal/github"
	"ghcrportal/internal/github/githubtest"
	o "ghcrportal/internal/onboarding"
)

// slack is how much longer than its timeout a check may take to give up.
const slack = 400 * time.Millisecond

func TestHungGitHubIsPendingWithinTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	e := newEnv(t, withTimeout(timeout))
	e.gh.SetFaults(githubtest.Faults{Hang: true})
	e.reg.SetFaults(githubtest.Faults{Hang: true})

	start := time.Now()
	account := e.client.CheckAccount(context.Background(), svc)
	if d := time.Since(start); d > timeout+slack {
		t.Errorf("CheckAccount took %v, want at most %v", d, timeout+slack)
	}
	if d := cmp.Diff([]verdict{{"Account", o.Pending}}, verdicts(account)); d != "" {
		t.Errorf("account verdicts (-want +got):\n%s", d)
	}
	checkMessages(t, account, "GitHub did not answer in time; try again in a minute.")

	start = time.Now()
	report := checkToken(e.client, context.Background(), e.addToken(nil), e.want())
	if d := time.Since(start); d > timeout+slack {
		t.Errorf("CheckToken took %v, want at most %v: the calls should overlap", d,
			timeout+slack)
	}
	want := []verdict{{"Token kind", o.Pass}, {"Token", o.Pending}, {"Package", o.Pending},
		{"Tag", o.Pending}, {"Pull", o.Pending}}
	if d := cmp.Diff(want, verdicts(report.Results)); d != "" {
		t.Errorf("token verdicts (-want +got):\n%s", d)
	}
	checkMessages(t, report.Results, "did not answer in time", e.reg.Host()+" did not answer")
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name        string
		unavailable int
		login       string
		want        o.Outcome
		calls       int
		phrases     []string
	}{
		{name: "503, 503, 200", unavailable: 2, login: svc, want: o.Pass, calls: 3},
		{name: "503 three times", unavailable: 3, login: svc, want: o.Pending, calls: 3,
			phrases: []string{"GitHub is having problems (it answered 503 Service Unavailable)"}},
		{name: "404 is not retried", login: "nobody-here", want: o.Fail, calls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withoutApp)
			e.gh.SetFaults(githubtest.Faults{Unavailable: tt.unavailable})
			got := e.client.CheckAccount(context.Background(), tt.login)
			if d := cmp.Diff([]verdict{{"Account", tt.want}}, verdicts(got)); d != "" {
				t.Errorf("verdicts (-want +got):\n%s", d)
			}
			checkMessages(t, got, tt.phrases...)
			if n := e.gh.Count("GET", "/users/"+tt.login); n != tt.calls {
				t.Errorf("GitHub got %d calls, want %d", n, tt.calls)
			}
		})
	}
}

func TestRegistryRetries(t *testing.T) {
	e := newEnv(t)
	e.reg.SetFaults(githubtest.Faults{Unavailable: 2})
	got := checkToken(e.client, context.Background(), e.addToken(nil), e.want())
	if d := cmp.Diff(allPass, verdicts(got.Results)); d != "" {
		t.Errorf("verdicts (-want +got):\n%s", d)
	}
}

func TestCancelStopsRetries(t *testing.T) {
	e := newEnv(t, withoutApp)
	c := newClient(t, e, withoutApp, func(cfg *github.Config) { cfg.RetryBase = time.Second })
	e.gh.SetFaults(githubtest.Faults{Unavailable: 100})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)

	start := time.Now()
	got := c.CheckAccount(ctx, svc)
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("CheckAccount took %v after its context was cancelled", d)
	}
	if d := cmp.Diff([]verdict{{"Account", o.Pending}}, verdicts(got)); d != "" {
		t.Errorf("verdicts (-want +got):\n%s", d)
	}
	checkMessages(t, got, "stopped before GitHub answered")
	time.Sleep(100 * time.Millisecond)
	if n := e.gh.Count("GET", "/users/"+svc); n != 1 {
		t.Errorf("GitHub got %d calls, want 1", n)
	}
}

func TestPrimaryRateLimit(t *testing.T) {
	for _, status := range []int{403, 429} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			e := newEnv(t)
			e.gh.SetFaults(githubtest.Faults{PrimaryRateLimit: &githubtest.PrimaryRateLimit{
				Status: status, Reset: now.Add(12 * time.Minute)}})

			for range 3 {
				got := e.client.CheckMembership(context.Background(), svc)
				if d := cmp.Diff([]verdict{{"Membership", o.Pending}}, verdicts(got)); d != "" {
					t.Errorf("verdicts (-want +got):\n%s", d)
				}
				checkMessages(t, got, "rate limit for the portal's GitHub App is used up",
					"Try again after 03:16 UTC (in about 12 minutes).")
			}
			path := "/orgs/" + org + "/memberships/" + svc
			if n := e.gh.Count("GET", path); n != 1 {
				t.Errorf("GitHub got %d calls for three checks, want 1", n)
			}
		})
	}
}

func TestPrimaryRateLimitOnToken(t *testing.T) {
	e := newEnv(t)
	e.gh.SetFaults(githubtest.Faults{PrimaryRateLimit: &githubtest.PrimaryRateLimit{
		Reset: now.Add(30 * time.Minute)}})
	got := checkToken(e.client, context.Background(), e.addToken(nil), e.want())

	want := []verdict{{"Token kind", o.Pass}, {"Token", o.Pending}, {"Package", o.Pending},
		{"Tag", o.Pending}, {"Pull", o.Pass}}
	if d := cmp.Diff(want, verdicts(got.Results)); d != "" {
		t.Errorf("verdicts (-want +got):\n%s", d)
	}
	checkMessages(t, got.Results, "rate limit for this token's account is used up",
		"03:34 UTC (in about 30 minutes)")
	for _, r := range e.gh.Requests() {
		if n := e.gh.Count(r.Method, r.Path); n != 1 {
			t.Errorf("%s %s sent %d times, want once", r.Method, r.Path, n)
		}
	}
}

func TestSecondaryRateLimit(t *testing.T) {
	e := newEnv(t)
	e.gh.SetFaults(githubtest.Faults{SecondaryRateLimit: &githubtest.SecondaryRateLimit{
		RetryAfter: 2 * time.Minute}})
	token := e.addToken(nil)
	got := checkToken(e.client, context.Background(), token, e.want())

	want := []verdict{{"Token kind", o.Pass}, {"Token", o.Pending}, {"Package", o.Pending},
		{"Tag", o.Pending}, {"Pull", o.Pass}}
	if d := cmp.Diff(want, verdicts(got.Results)); d != "" {
		t.Errorf("verdicts (-want +got):\n%s", d)
	}
	checkMessages(t, got.Results, "GitHub asked the portal to slow down",
		"Try again after 03:06 UTC (in about 2 minutes).")
	// The three calls start together; those that start after the first
	// answer are already held back.
	calls := len(e.gh.Requests())
	if calls < 1 || calls > 3 {
		t.Errorf("GitHub got %d calls, want at most 3, one for each of step 6's calls", calls)
	}

	// Inside the window nothing reaches GitHub, whoever asks.
	checkToken(e.client, context.Background(), token, e.want())
	e.client.CheckAccount(context.Background(), svc)
	e.client.CheckMembership(context.Background(), svc)
	if n := len(e.gh.Requests()); n != calls {
		t.Errorf("GitHub got %d more calls inside the window, want none", n-calls)
	}
}

func TestRegistryRateLimit(t *testing.T) {
	e := newEnv(t)
	e.reg.SetFaults(githubtest.Faults{SecondaryRateLimit: &githubtest.SecondaryRateLimit{
		RetryAfter: time.Minute}})
	got := checkToken(e.client, context.Background(), e.addToken(nil), e.want())
	want := except(map[string]o.Outcome{"Pull": o.Pending})
	if d := cmp.Diff(want, verdicts(got.Results)); d != "" {
		t.Errorf("verdicts (-want +got):\n%s", d)
	}
	checkMessages(t, got.Results, e.reg.Host()+" asked the portal to slow down")
}

func TestAnonymousRateLimitLeavesTokensAlone(t *testing.T) {
	e := newEnv(t, withoutApp)
	e.gh.SetFaults(githubtest.Faults{PrimaryRateLimit: &githubtest.PrimaryRateLimit{
		Reset: now.Add(time.Hour)}})
	account := e.client.CheckAccount(context.Background(), svc)
	if d := cmp.Diff([]verdict{{"Account", o.Pending}}, verdicts(account)); d != "" {
		t.Fatalf("account verdicts (-want +got):\n%s", d)
	}

	// The anonymous limit is the portal's; a token has a limit of its own.
	e.gh.SetFaults(githubtest.Faults{})
	got := checkToken(e.client, context.Background(), e.addToken(nil), e.want())
	if d := cmp.Diff(allPass, verdicts(got.Results)); d != "" {
		t.Errorf("token verdicts (-want +got):\n%s", d)
	}
}
