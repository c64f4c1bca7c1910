package github_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"ghcrportal/internal/github/githubtest"
)

// TestTokenCanary drives a random token through every path of step 6 and
// looks for it, or any eight characters of it, everywhere the client leaves
// a trace: results, the report, the debug log and the requests the fakes
// received, where only the Authorization header may carry it.
func TestTokenCanary(t *testing.T) {
	healthy := githubtest.Token{Login: svc, Scopes: []string{"read:packages"},
		Expiration: farDate}
	tests := []struct {
		name  string
		known bool // the fake knows the token
		edit  func(*githubtest.Token)
		setup func(*env, *tokenWant)
		// present turns the canary into what the user pasted.
		present func(string) string
	}{
		{name: "success", known: true},
		{name: "bad credentials", known: false},
		{name: "no scopes", known: true, edit: func(tok *githubtest.Token) { tok.Scopes = nil }},
		{name: "single sign-on", known: true,
			edit: func(tok *githubtest.Token) { tok.SSOUnauthorized = true }},
		{name: "another owner", known: true,
			edit: func(tok *githubtest.Token) { tok.Login = "someone-else" }},
		{name: "no package", known: true,
			setup: func(_ *env, w *tokenWant) { w.Image.Name = "missing" }},
		{name: "no tag", known: true,
			setup: func(_ *env, w *tokenWant) { w.Image.Tag = "0.0.0" }},
		{name: "login unknown", known: true,
			setup: func(_ *env, w *tokenWant) { w.Login = "" }},
		{name: "rate limited", known: true, setup: func(e *env, _ *tokenWant) {
			e.gh.SetFaults(githubtest.Faults{PrimaryRateLimit: &githubtest.PrimaryRateLimit{
				Reset: now.Add(time.Hour)}})
		}},
		{name: "slow down", known: true, setup: func(e *env, _ *tokenWant) {
			e.gh.SetFaults(githubtest.Faults{SecondaryRateLimit: &githubtest.SecondaryRateLimit{
				RetryAfter: time.Minute}})
			e.reg.SetFaults(githubtest.Faults{SecondaryRateLimit: &githubtest.SecondaryRateLimit{
				RetryAfter: time.Minute}})
		}},
		{name: "unavailable", known: true, setup: func(e *env, _ *tokenWant) {
			e.gh.SetFaults(githubtest.Faults{Unavailable: 100})
			e.reg.SetFaults(githubtest.Faults{Unavailable: 100})
		}},
		{name: "timeout", known: true, setup: func(e *env, _ *tokenWant) {
			e.gh.SetFaults(githubtest.Faults{Hang: true})
			e.reg.SetFaults(githubtest.Faults{Hang: true})
		}},
		{name: "hostile realm", known: true, setup: func(e *env, _ *tokenWant) {
			e.reg.SetRealm(e.gh.URL().String() + "token")
		}},
		{name: "redirect", known: true, setup: func(e *env, _ *tokenWant) {
			e.gh.SetFaults(githubtest.Faults{RedirectTo: e.reg.Server.URL})
		}},
		{name: "format: trailing space", present: func(s string) string { return s + " x" }},
		{name: "format: OAuth prefix",
			present: func(s string) string { return "gho_" + strings.TrimPrefix(s, "ghp_") }},
		{name: "format: too long",
			present: func(s string) string { return s + strings.Repeat("a", 300) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withTimeout(300*time.Millisecond))
			canary := newToken()
			if tt.known {
				tok := healthy
				if tt.edit != nil {
					tt.edit(&tok)
				}
				e.gh.AddToken(canary, tok)
			}
			want := e.want()
			if tt.setup != nil {
				tt.setup(e, &want)
			}
			pasted := canary
			if tt.present != nil {
				pasted = tt.present(canary)
			}

			report := checkToken(e.client, context.Background(), pasted, want)
			traces := map[string]string{
				"report":    fmt.Sprintf("%#v", report),
				"debug log": e.logs.String(),
			}
			for place, text := range traces {
				if w := leak(text, canary); w != "" {
					t.Errorf("the %s holds %q of the token:\n%s", place, w, text)
				}
			}
			sightings := append(e.gh.Sightings(canary), e.reg.Sightings(canary)...)
			for _, s := range sightings {
				if s.Where != "Authorization header" {
					t.Errorf("the token was sent in the %s of %s %s", s.Where, s.Method, s.Path)
				}
			}
			if tt.name == "success" && len(sightings) < 4 {
				t.Errorf("the fakes saw the token %d times, want at least 4 (GET /user, the "+
					"package, its versions and the registry's /token): %v",
					len(sightings), sightings)
			}
		})
	}
}

// leak returns the first eight-character window of secret found in text, or
// "".
func leak(text, secret string) string {
	for i := 0; i+8 <= len(secret); i++ {
		if w := secret[i : i+8]; strings.Contains(text, w) {
			return w
		}
	}
	return ""
}
