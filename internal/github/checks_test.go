package github_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ghcrportal/internal/github/githubtest"
	o "ghcrportal/internal/onboarding"
)

func TestCheckMembership(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*env)
		opts    []option
		login   string
		want    o.Outcome
		phrases []string
	}{
		{name: "active", login: svc, want: o.Pass, phrases: []string{"is a member of " + org}},
		{name: "pending invitation", login: "invitee", want: o.Warn,
			setup:   func(e *env) { e.gh.SetMembership("invitee", "pending") },
			phrases: []string{"https://github.com/orgs/" + org + "/invitation", "invitee"}},
		{name: "not a member", login: "stranger", want: o.Fail,
			setup:   func(e *env) { e.gh.AddUser("stranger", "User") },
			phrases: []string{"not a member", "https://github.com/orgs/" + org + "/sso"}},
		{name: "no login from step 4", login: "", want: o.Pending, phrases: []string{"step 4"}},
		{name: "not a login", login: "../orgs/x", want: o.Fail, phrases: []string{"not a GitHub login"}},
		{name: "App not configured", login: svc, want: o.Pending, opts: []option{withoutApp},
			phrases: []string{"GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID",
				"GITHUB_APP_PRIVATE_KEY", "Members: read", "Metadata: read"}},
		{name: "App refused", login: svc, want: o.Pending,
			setup:   func(e *env) { e.gh.RejectApp(true) },
			phrases: []string{"could not sign in to GitHub"}},
		{name: "App rate limit", login: svc, want: o.Pending,
			setup: func(e *env) {
				e.gh.SetFaults(githubtest.Faults{PrimaryRateLimit: &githubtest.PrimaryRateLimit{
					Reset: now.Add(12 * time.Minute)}})
			},
			phrases: []string{"the portal's GitHub App", "03:16 UTC (in about 12 minutes)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.setup != nil {
				tt.setup(e)
			}
			c := newClient(t, e, tt.opts...)
			got := c.CheckMembership(context.Background(), tt.login)
			want := []verdict{{"Membership", tt.want}}
			if d := cmp.Diff(want, verdicts(got)); d != "" {
				t.Fatalf("verdicts (-want +got):\n%s\n%v", d, got)
			}
			checkMessages(t, got, tt.phrases...)
		})
	}
}

func TestCheckAccount(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*env)
		anon    bool
		login   string
		want    o.Outcome
		phrases []string
	}{
		{name: "user with the App", login: svc, want: o.Pass,
			phrases: []string{"svc-bot is a GitHub user account."}},
		{name: "user anonymously", login: svc, want: o.Pass, anon: true,
			phrases: []string{"user account"}},
		{name: "login in another case", login: "SVC-BOT", want: o.Pass,
			phrases: []string{"SVC-BOT is a GitHub user account; GitHub writes the login as svc-bot."}},
		{name: "organisation", login: "some-org", want: o.Fail,
			setup:   func(e *env) { e.gh.AddUser("some-org", "Organization") },
			phrases: []string{"organisation, not a user account", "https://github.com/signup"}},
		{name: "App's bot login", login: "some-app[bot]", want: o.Fail,
			phrases: []string{"some-app[bot] is a bot account"}},
		{name: "not a login", login: "a/b", want: o.Fail, phrases: []string{"not a GitHub login"}},
		{name: "bot login", login: "dependabot", want: o.Fail,
			setup:   func(e *env) { e.gh.AddUser("dependabot", "Bot") },
			phrases: []string{"bot account"}},
		{name: "no such account", login: "nobody-here", want: o.Fail,
			phrases: []string{"no account called nobody-here", "spelling"}},
		{name: "empty", login: "", want: o.Fail, phrases: []string{"Enter"}},
		{name: "anonymous rate limit", login: svc, want: o.Pending, anon: true,
			setup: func(e *env) {
				e.gh.SetFaults(githubtest.Faults{PrimaryRateLimit: &githubtest.PrimaryRateLimit{
					Reset: now.Add(40 * time.Minute)}})
			},
			phrases: []string{"without signing in", "configuring the portal's GitHub App",
				"03:44 UTC (in about 40 minutes)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.setup != nil {
				tt.setup(e)
			}
			opts, wantAuth := []option{}, "token"
			if tt.anon {
				opts, wantAuth = []option{withoutApp}, ""
			}
			c := newClient(t, e, opts...)
			got := c.CheckAccount(context.Background(), tt.login)
			if d := cmp.Diff([]verdict{{"Account", tt.want}}, verdicts(got)); d != "" {
				t.Fatalf("verdicts (-want +got):\n%s\n%v", d, got)
			}
			checkMessages(t, got, tt.phrases...)
			for _, r := range e.gh.Requests() {
				if r.Method == "GET" && r.Auth != wantAuth {
					t.Errorf("%s %s sent with auth %q, want %q", r.Method, r.Path, r.Auth,
						wantAuth)
				}
			}
		})
	}
}

func TestCheckPermission(t *testing.T) {
	access := "https://github.com/" + repo + "/settings/access"
	tests := []struct {
		name    string
		level   string
		role    string
		repo    string
		login   string
		opts    []option
		want    o.Outcome
		phrases []string
	}{
		{name: "read", level: "read", want: o.Pass, phrases: []string{"has Read on " + repo}},
		{name: "triage", level: "read", role: "triage", want: o.Pass,
			phrases: []string{"has Triage on " + repo, "includes Read"}},
		{name: "custom read role", level: "read", role: "auditor", want: o.Pass,
			phrases: []string{"has auditor on"}},
		{name: "write", level: "write", want: o.Warn, phrases: []string{"has Write", access}},
		{name: "maintain", level: "write", role: "maintain", want: o.Warn,
			phrases: []string{"has Maintain", "Read is enough"}},
		{name: "admin", level: "admin", want: o.Warn, phrases: []string{"has Admin"}},
		{name: "none", level: "none", want: o.Fail, phrases: []string{"no access", access}},
		{name: "repository missing or App not installed", level: "read",
			repo: org + "/elsewhere", want: o.Fail,
			phrases: []string{"does not exist", "not installed"}},
		{name: "bad repository", level: "read", repo: "no-slash", want: o.Fail,
			phrases: []string{"owner/name"}},
		{name: "no login from step 4", level: "read", login: "-", want: o.Pending,
			phrases: []string{"step 4"}},
		{name: "App not configured", level: "read", opts: []option{withoutApp}, want: o.Pending,
			phrases: []string{"GITHUB_APP_PRIVATE_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.gh.SetPermission(repo, svc, tt.level, tt.role)
			c := newClient(t, e, tt.opts...)
			repository, login := repo, svc
			if tt.repo != "" {
				repository = tt.repo
			}
			if tt.login == "-" {
				login = ""
			}
			got := c.CheckPermission(context.Background(), repository, login)
			if d := cmp.Diff([]verdict{{"Permission", tt.want}}, verdicts(got)); d != "" {
				t.Fatalf("verdicts (-want +got):\n%s\n%v", d, got)
			}
			checkMessages(t, got, tt.phrases...)
		})
	}
}
