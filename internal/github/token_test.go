package github_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ghcrportal/internal/github/githubtest"
	o "ghcrportal/internal/onboarding"
)

// allPass are the verdicts of a token that is right in every way.
var allPass = []verdict{
	{"Token kind", o.Pass}, {"Token owner", o.Pass}, {"Scopes", o.Pass}, {"Expiry", o.Pass},
	{"Single sign-on", o.Pass}, {"Package", o.Pass}, {"Tag", o.Pass}, {"Pull", o.Pass},
}

// except returns allPass with the outcomes in changes, by check name, and
// without the checks whose outcome is "".
func except(changes map[string]o.Outcome) []verdict {
	var out []verdict
	for _, v := range allPass {
		if c, ok := changes[v.Check]; ok {
			if c == "" {
				continue
			}
			v.Outcome = c
		}
		out = append(out, v)
	}
	return out
}

func TestCheckToken(t *testing.T) {
	scopes := func(s ...string) func(*githubtest.Token) {
		return func(tok *githubtest.Token) { tok.Scopes = s }
	}
	// Without read:packages GitHub refuses the package with a plain 403, which
	// says nothing about single sign-on.
	noPackageAccess := map[string]o.Outcome{"Scopes": o.Fail, "Single sign-on": "",
		"Package": o.Fail, "Tag": o.Fail, "Pull": o.Fail}
	tests := []struct {
		name    string
		token   func(*githubtest.Token)
		setup   func(*env, *tokenWant)
		want    []verdict
		phrases []string
	}{
		{name: "all right", want: allPass, phrases: []string{"exactly what a pull needs",
			"1 June 2030 at 12:00 UTC", "linked to " + repo, "has the tag 1.0.1", "sha256:"}},
		{name: "owner is another account",
			token: func(tok *githubtest.Token) { tok.Login = "someone-else" },
			want: except(map[string]o.Outcome{"Token owner": o.Fail, "Package": o.Fail,
				"Tag": "", "Pull": o.Fail}),
			phrases: []string{"belongs to someone-else, not to the service account svc-bot"}},
		{name: "owner in another case",
			token: func(tok *githubtest.Token) { tok.Login = "Octo-Cat" },
			setup: func(e *env, w *tokenWant) {
				w.Login = "octo-cat"
				e.gh.SetPermission(repo, "Octo-Cat", "read", "")
			},
			want: allPass, phrases: []string{"belongs to Octo-Cat"}},
		{name: "step 4 login unknown",
			setup: func(_ *env, w *tokenWant) { w.Login = "" },
			want:  except(map[string]o.Outcome{"Token owner": o.Pending}),
			phrases: []string{"Finish step 4",
				"with svc-bot and this token"}},
		{name: "no scope header, not classic", token: scopes(), want: except(noPackageAccess),
			phrases: []string{"lists no scopes", "read:packages (see Scopes)"}},
		{name: "empty scopes", token: scopes([]string{}...),
			want:    except(noPackageAccess),
			phrases: []string{"does not have read:packages"}},
		{name: "repo and read:org", token: scopes("repo", "read:org"),
			want:    except(noPackageAccess),
			phrases: []string{"It also has repo, read:org", "repo in particular"}},
		{name: "repo only", token: scopes("repo"), want: except(noPackageAccess),
			phrases: []string{"does not have read:packages"}},
		{name: "repo:status", token: scopes("repo:status"), want: except(noPackageAccess),
			phrases: []string{"It also has repo:status"}},
		{name: "over-privileged without packages", token: scopes("admin:org", "delete_repo"),
			want:    except(noPackageAccess),
			phrases: []string{"admin:org, delete_repo"}},
		{name: "read:packages and repo", token: scopes("repo", "read:packages"),
			want:    except(map[string]o.Outcome{"Scopes": o.Warn}),
			phrases: []string{"It also has repo,", "repo in particular"}},
		{name: "write:packages only", token: scopes("write:packages"),
			want:    except(map[string]o.Outcome{"Scopes": o.Warn}),
			phrases: []string{"includes read:packages", "publish and overwrite"}},
		{name: "read and write:packages", token: scopes("read:packages", "write:packages"),
			want:    except(map[string]o.Outcome{"Scopes": o.Warn}),
			phrases: []string{"and write:packages"}},
		{name: "never expires", token: func(tok *githubtest.Token) { tok.Expiration = "" },
			want:    except(map[string]o.Outcome{"Expiry": o.Warn}),
			phrases: []string{"never expires", "reminder"}},
		{name: "expires within 30 days",
			token:   func(tok *githubtest.Token) { tok.Expiration = nearDate },
			want:    except(map[string]o.Outcome{"Expiry": o.Warn}),
			phrases: []string{"12 January 2030 at 08:00 UTC, in 10 days"}},
		{name: "not authorised for single sign-on",
			token: func(tok *githubtest.Token) { tok.SSOUnauthorized = true },
			want: except(map[string]o.Outcome{"Single sign-on": o.Fail, "Package": o.Pending,
				"Tag": o.Pending, "Pull": o.Fail}),
			phrases: []string{"https://github.com/orgs/" + org +
				"/sso?authorization_request=", "Configure SSO"}},
		{name: "no such package",
			setup: func(e *env, w *tokenWant) { w.Image.Name = "other" },
			want: except(map[string]o.Outcome{"Package": o.Fail, "Tag": "",
				"Pull": o.Fail}),
			phrases: []string{"no package " + org + "/repo/other that this token can see", "published"}},
		{name: "package not linked",
			setup: func(e *env, _ *tokenWant) {
				e.gh.AddPackage(githubtest.Package{Name: pkgName, Readers: []string{svc},
					Versions: []githubtest.Version{{Digest: e.digest, Tags: []string{tag}}}})
			},
			want: except(map[string]o.Outcome{"Package": o.Warn}),
			phrases: []string{"not linked",
				"org.opencontainers.image.source=https://github.com/" + repo}},
		{name: "package linked to another repository",
			setup: func(e *env, _ *tokenWant) {
				e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: org + "/other",
					Readers:  []string{svc},
					Versions: []githubtest.Version{{Digest: e.digest, Tags: []string{tag}}}})
			},
			want:    except(map[string]o.Outcome{"Package": o.Warn}),
			phrases: []string{"linked to " + org + "/other, not to " + repo}},
		{name: "tag missing",
			setup: func(e *env, w *tokenWant) { w.Image.Tag = "2.0.0" },
			want:  except(map[string]o.Outcome{"Tag": o.Fail, "Pull": o.Fail}),
			phrases: []string{"no tag 2.0.0. Its newest tags are 1.0.1",
				"has no image"}},
		{name: "only latest",
			setup: func(e *env, w *tokenWant) {
				w.Image.Tag = "2.0.0"
				e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: repo,
					Versions: []githubtest.Version{{Digest: e.digest, Tags: []string{"latest"}}}})
			},
			want:    except(map[string]o.Outcome{"Tag": o.Fail, "Pull": o.Fail}),
			phrases: []string{"its only tag is latest", "latest=false"}},
		{name: "tag latest",
			setup: func(e *env, w *tokenWant) {
				w.Image.Tag = "latest"
				e.reg.Push(t, path, "latest")
				e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: repo,
					Versions: []githubtest.Version{{Digest: e.digest, Tags: []string{"latest"}}}})
			},
			want:    except(map[string]o.Outcome{"Tag": o.Warn}),
			phrases: []string{"latest moves"}},
		{name: "no tagged versions",
			setup: func(e *env, _ *tokenWant) {
				e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: repo,
					Versions: []githubtest.Version{{Digest: e.digest}}})
			},
			want:    except(map[string]o.Outcome{"Tag": o.Fail}),
			phrases: []string{"no tagged versions"}},
		{name: "many other tags",
			setup: func(e *env, w *tokenWant) {
				w.Image.Tag = "9.9.9"
				var vs []githubtest.Version
				for i := range 8 {
					vs = append(vs, githubtest.Version{Digest: e.digest,
						Tags: []string{fmt.Sprintf("1.0.%d", 8-i)}})
				}
				e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: repo,
					Versions: vs})
			},
			want:    except(map[string]o.Outcome{"Tag": o.Fail, "Pull": o.Fail}),
			phrases: []string{"newest tags are 1.0.8, 1.0.7, 1.0.6, 1.0.5, 1.0.4. Check"}},
		{name: "tag listed but image not in the registry",
			setup: func(e *env, w *tokenWant) {
				w.Image.Tag = "3.0.0"
				e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: repo,
					Versions: []githubtest.Version{{Digest: e.digest, Tags: []string{"3.0.0"}}}})
			},
			want:    except(map[string]o.Outcome{"Pull": o.Fail}),
			phrases: []string{"The registry has no image"}},
		{name: "no access to the package",
			setup: func(e *env, _ *tokenWant) {
				e.gh.SetPermission(repo, svc, "none", "")
			},
			want: except(map[string]o.Outcome{"Package": o.Fail, "Tag": "",
				"Pull": o.Fail}),
			phrases: []string{"cannot see it", "refused to let svc-bot pull"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			want := e.want()
			if tt.setup != nil {
				tt.setup(e, &want)
			}
			token := e.addToken(tt.token)
			got := checkToken(e.client, context.Background(), token, want)
			if d := cmp.Diff(tt.want, verdicts(got.Results)); d != "" {
				t.Fatalf("verdicts (-want +got):\n%s\n%v", d, got.Results)
			}
			checkMessages(t, got.Results, tt.phrases...)
		})
	}
}

func TestCheckTokenBadCredentials(t *testing.T) {
	e := newEnv(t)
	got := checkToken(e.client, context.Background(), newToken(), e.want())

	want := []verdict{{"Token kind", o.Pass}, {"Token", o.Fail}}
	if d := cmp.Diff(want, verdicts(got.Results)); d != "" {
		t.Fatalf("verdicts (-want +got):\n%s", d)
	}
	checkMessages(t, got.Results, "invalid, has expired or has been revoked")
	if d := cmp.Diff(o.TokenFindings{}, got, cmpopts.IgnoreFields(o.TokenFindings{},
		"Results")); d != "" {
		t.Errorf("report of a refused token (-want +got):\n%s", d)
	}
	if n := e.gh.Count("GET", "/user"); n != 1 {
		t.Errorf("GET /user sent %d times, want 1", n)
	}
}

func TestCheckTokenFormat(t *testing.T) {
	tests := []struct {
		name, token, phrase string
	}{
		{"empty", "", "Paste"},
		{"fine-grained", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "fine-grained"},
		{"OAuth", "gho_abcdefghijklmnopqrstuvwxyz0123456789", "OAuth app token"},
		{"App user", "ghu_abcdefghijklmnopqrstuvwxyz0123456789", "GitHub App user token"},
		{"installation", "ghs_abcdefghijklmnopqrstuvwxyz0123456789", "installation token"},
		{"refresh", "ghr_abcdefghijklmnopqrstuvwxyz0123456789", "refresh token"},
		{"two words", "ghp_abc def", "one word"},
		{"something else", "hunter2", "starts with ghp_"},
	}
	e := newEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkToken(e.client, context.Background(), tt.token, e.want())
			if d := cmp.Diff([]verdict{{"Token kind", o.Fail}}, verdicts(got.Results)); d != "" {
				t.Fatalf("verdicts (-want +got):\n%s", d)
			}
			checkMessages(t, got.Results, tt.phrase)
		})
	}
	if n := len(e.gh.Requests()) + len(e.reg.Requests()); n != 0 {
		t.Errorf("refused tokens made %d requests, want none", n)
	}
}

func TestCheckTokenReport(t *testing.T) {
	tests := []struct {
		name       string
		expiration string
		want       o.TokenFindings
	}{
		{name: "UTC form", expiration: "2030-06-01 12:00:00 UTC",
			want: o.TokenFindings{ExpiresAt: time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)}},
		{name: "offset form", expiration: "2030-01-12 10:00:00 +0200",
			want: o.TokenFindings{ExpiresAt: time.Date(2030, 1, 12, 8, 0, 0, 0, time.UTC)}},
		{name: "never", expiration: "", want: o.TokenFindings{NeverExpires: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			token := e.addToken(func(tok *githubtest.Token) {
				tok.Expiration = tt.expiration
				tok.Scopes = []string{"read:packages", "repo"}
			})
			got := checkToken(e.client, context.Background(), token, e.want())
			tt.want.Login, tt.want.Digest = svc, e.digest
			tt.want.Scopes = []string{"read:packages", "repo"}
			if d := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(o.TokenFindings{},
				"Results")); d != "" {
				t.Errorf("report (-want +got):\n%s", d)
			}
		})
	}
}

func TestCheckTokenPackagePaths(t *testing.T) {
	e := newEnv(t)
	var versions []githubtest.Version
	for i := range 250 {
		versions = append(versions, githubtest.Version{Digest: e.digest,
			Tags: []string{fmt.Sprintf("0.0.%d", 250-i)}})
	}
	versions[249].Tags = []string{tag}
	e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: repo, Versions: versions})

	got := checkToken(e.client, context.Background(), e.addToken(nil), e.want())
	if d := cmp.Diff(allPass, verdicts(got.Results)); d != "" {
		t.Fatalf("verdicts (-want +got):\n%s", d)
	}
	escaped := "/orgs/" + org + "/packages/container/repo%2Fapi"
	if n := e.gh.Count("GET", escaped); n != 1 {
		t.Errorf("GET %s sent %d times, want 1", escaped, n)
	}
	if n := e.gh.Count("GET", escaped+"/versions"); n != 3 {
		t.Errorf("GET %s/versions sent %d times, want 3 pages", escaped, n)
	}
}

func TestCheckTokenTooManyVersions(t *testing.T) {
	e := newEnv(t)
	var versions []githubtest.Version
	for i := range 600 {
		versions = append(versions, githubtest.Version{Digest: e.digest,
			Tags: []string{fmt.Sprintf("0.0.%d", i)}})
	}
	e.gh.AddPackage(githubtest.Package{Name: pkgName, Repository: repo, Versions: versions})

	got := checkToken(e.client, context.Background(), e.addToken(nil), e.want())
	want := except(map[string]o.Outcome{"Tag": o.Warn})
	if d := cmp.Diff(want, verdicts(got.Results)); d != "" {
		t.Fatalf("verdicts (-want +got):\n%s", d)
	}
	checkMessages(t, got.Results, "newest 500 versions")
}
