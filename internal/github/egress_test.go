package github_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ghcrportal/internal/github"
	"ghcrportal/internal/github/githubtest"
	o "ghcrportal/internal/onboarding"
)

// bystander is a server that must never be reached; it counts what reaches
// it.
func bystander(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	other, hits := bystander(t)
	e := newEnv(t)
	e.gh.SetFaults(githubtest.Faults{RedirectTo: other.URL})
	e.reg.SetFaults(githubtest.Faults{RedirectTo: other.URL})

	got := checkToken(e.client, context.Background(), e.addToken(nil), e.want())
	want := []verdict{{"Token kind", o.Pass}, {"Token", o.Pending}, {"Package", o.Pending},
		{"Tag", o.Pending}, {"Pull", o.Pending}}
	if d := cmp.Diff(want, verdicts(got.Results)); d != "" {
		t.Errorf("verdicts (-want +got):\n%s\n%v", d, got.Results)
	}
	checkMessages(t, got.Results, "unexpected answer (HTTP 302)")
	account := e.client.CheckAccount(context.Background(), svc)
	if d := cmp.Diff([]verdict{{"Account", o.Pending}}, verdicts(account)); d != "" {
		t.Errorf("account verdicts (-want +got):\n%s", d)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests, want none", n)
	}
}

func TestTokenRealmOnAnotherHost(t *testing.T) {
	other, hits := bystander(t)
	tests := []struct {
		name  string
		realm func(e *env) string
	}{
		// go-containerregistry allows a named host; the client's guard
		// must refuse it.
		{"another server", func(*env) string {
			return strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/token"
		}},
		{"the API host", func(e *env) string { return e.gh.URL().String() + "token" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.reg.SetRealm(tt.realm(e))
			token := e.addToken(nil)
			got := checkToken(e.client, context.Background(), token, e.want())

			want := except(map[string]o.Outcome{"Pull": o.Pending})
			if d := cmp.Diff(want, verdicts(got.Results)); d != "" {
				t.Errorf("verdicts (-want +got):\n%s\n%v", d, got.Results)
			}
			checkMessages(t, got.Results, "refuses to follow with credentials")
			if n := hits.Load(); n != 0 {
				t.Errorf("the other host got %d requests, want none", n)
			}
			for _, s := range e.gh.Sightings(token) {
				if s.Method != "GET" || s.Where != "Authorization header" ||
					strings.Contains(s.Path, "token") {
					t.Errorf("token seen by GitHub at %s %s in %s", s.Method, s.Path, s.Where)
				}
			}
		})
	}
}

func TestTLSIsVerified(t *testing.T) {
	gh := githubtest.NewFakeGitHub(t, githubtest.Options{Now: clock, TLS: true})
	reg := githubtest.NewFakeRegistry(t, gh)
	token := newToken()
	gh.AddToken(token, githubtest.Token{Login: svc, Scopes: []string{"read:packages"}})
	trusting := gh.Server.Client().Transport

	for _, tt := range []struct {
		name      string
		transport http.RoundTripper
		want      o.Outcome
	}{
		{"certificate not trusted", nil, o.Pending},
		{"certificate trusted", trusting, o.Pass},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gh.ResetRequests()
			c, err := github.New(github.Config{APIURL: gh.URL(), Org: org, Registry: reg.Host(),
				Now: clock, Transport: tt.transport})
			if err != nil {
				t.Fatal(err)
			}
			got := c.CheckAccount(context.Background(), svc)
			if d := cmp.Diff([]verdict{{"Account", tt.want}}, verdicts(got)); d != "" {
				t.Fatalf("verdicts (-want +got):\n%s\n%v", d, got)
			}
			if tt.want == o.Pending {
				checkMessages(t, got, "could not verify GitHub's TLS certificate")
				if n := len(gh.Requests()); n != 0 {
					t.Errorf("GitHub got %d requests over an unverified connection", n)
				}
			}
		})
	}
}
