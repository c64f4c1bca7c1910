package onboarding

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testPlace = Place{Org: "ImperialCollegeLondon", Registry: "ghcr.io"}

var t0 = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

func TestStateFromResults(t *testing.T) {
	r := func(outcomes ...Outcome) []CheckResult {
		var rs []CheckResult
		for _, o := range outcomes {
			rs = append(rs, CheckResult{Outcome: o})
		}
		return rs
	}
	tests := []struct {
		results []CheckResult
		want    StepState
	}{
		{nil, NotStarted},
		{r(Pass, Pass), Verified},
		{r(Pass, Warn), VerifiedWithWarnings},
		{r(Warn, Pending), Waiting},
		{r(Pending, Fail, Warn), Failed},
		{r(Fail), Failed},
	}
	for _, tt := range tests {
		if got := StateFromResults(tt.results); got != tt.want {
			t.Errorf("StateFromResults(%v) = %s, want %s", tt.results, got, tt.want)
		}
	}
}

func TestParseStepID(t *testing.T) {
	for _, s := range []string{"0", "8", "-1", "01", "1.0", "", "x", "7a"} {
		if _, ok := ParseStepID(s); ok {
			t.Errorf("ParseStepID(%q) accepted", s)
		}
	}
	for i := 1; i <= StepCount; i++ {
		if id, ok := ParseStepID(string(rune('0' + i))); !ok || int(id) != i {
			t.Errorf("ParseStepID(%d) = %d, %v", i, id, ok)
		}
	}
}

func TestSaveStep1RecordsImageAndTagPolicy(t *testing.T) {
	o := NewOnboarding("id", "owner", t0)
	problems := o.SaveStep(StepPublish, map[string]string{
		FieldRepository: " ImperialCollegeLondon/Repo ", FieldImageName: "API", FieldTag: "nightly",
	}, testPlace, t0)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if o.Repository != "ImperialCollegeLondon/Repo" || o.ImageName != "api" || o.Tag != "nightly" {
		t.Errorf("onboarding %q %q %q", o.Repository, o.ImageName, o.Tag)
	}
	s := o.Step(StepPublish)
	if s.State != VerifiedWithWarnings {
		t.Errorf("state %s, want verified with warnings for a tag of no known form", s.State)
	}
	last := s.Results[len(s.Results)-1]
	if last.Check != "Tag" || last.Outcome != Warn {
		t.Errorf("tag result %+v", last)
	}
}

func TestSaveStepRefusesAndChangesNothing(t *testing.T) {
	o := NewOnboarding("id", "owner", t0)
	before := *o
	problems := o.SaveStep(StepRequestAccount, map[string]string{
		FieldPurpose: "", FieldDLAddress: "not an address", FieldAccountName: "-x",
	}, testPlace, t0)
	var fields []string
	for _, p := range problems {
		fields = append(fields, p.Field)
	}
	if d := cmp.Diff([]string{FieldPurpose, FieldDLAddress, FieldAccountName}, fields); d != "" {
		t.Errorf("problem fields (-want +got):\n%s", d)
	}
	if d := cmp.Diff(before, *o); d != "" {
		t.Errorf("a refused save changed the onboarding (-before +after):\n%s", d)
	}
}

func TestSaveStepKeepsOnlyItsOwnFields(t *testing.T) {
	o := NewOnboarding("id", "owner", t0)
	problems := o.SaveStep(StepGitHubAccount, map[string]string{
		FieldGitHubLogin: "svc-bot", "state": "verified", FieldRepository: "x/y",
	}, testPlace, t0)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if d := cmp.Diff(map[string]string{FieldGitHubLogin: "svc-bot"},
		o.Step(StepGitHubAccount).Inputs); d != "" {
		t.Errorf("inputs (-want +got):\n%s", d)
	}
	if o.Repository != "" {
		t.Error("step 4 set the repository")
	}
}

func TestGitHubLoginRules(t *testing.T) {
	tests := map[string]string{
		"svc-bot":                    "",
		"a":                          "",
		strings.Repeat("a", 39):      "",
		"":                           "Enter the service account's GitHub login",
		"@svc":                       "without the @",
		strings.Repeat("a", 40):      "at most 39",
		"-svc":                       "single hyphens",
		"svc-":                       "single hyphens",
		"svc--bot":                   "single hyphens",
		"svc_bot":                    "single hyphens",
		"svc bot":                    "single hyphens",
		"svc\n{\"level\":\"ERROR\"}": "single hyphens",
	}
	for in, want := range tests {
		got := checkGitHubLogin(in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("checkGitHubLogin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChangingStep1ResetsWhatDependsOnIt(t *testing.T) {
	o := NewOnboarding("id", "owner", t0)
	save := func(id StepID, form map[string]string) {
		t.Helper()
		if p := o.SaveStep(id, form, testPlace, t0); len(p) > 0 {
			t.Fatal(p)
		}
	}
	save(StepPublish, map[string]string{FieldRepository: "ImperialCollegeLondon/r", FieldTag: "1.0.0"})
	save(StepGitHubAccount, map[string]string{FieldGitHubLogin: "svc"})
	o.RecordChecks(StepToken, []CheckResult{{Check: "Pull", Outcome: Pass, CheckedAt: t0}}, t0)

	save(StepPublish, map[string]string{FieldRepository: "ImperialCollegeLondon/r", FieldTag: "1.0.0"})
	if o.Step(StepToken).Results == nil {
		t.Error("saving the same step 1 again cleared step 6")
	}
	save(StepPublish, map[string]string{FieldRepository: "ImperialCollegeLondon/r", FieldTag: "1.0.1"})
	if s := o.Step(StepToken); s.Results != nil || s.State != NotStarted {
		t.Errorf("step 6 after a new tag: %s %v, want not started with no results", s.State, s.Results)
	}
	if s := o.Step(StepGitHubAccount); s.Results == nil {
		t.Error("a new tag cleared step 4, which does not depend on step 1")
	}
}

func TestCheckTokenFormat(t *testing.T) {
	classic := "ghp_" + strings.Repeat("A", 36)
	tests := []struct {
		token  string
		ok     bool
		reason string
	}{
		{classic, true, "classic"},
		{"", false, "Paste"},
		{"github_pat_11ABC_" + strings.Repeat("x", 59), false, "fine-grained"},
		{"gho_" + strings.Repeat("x", 36), false, "OAuth"},
		{"ghu_" + strings.Repeat("x", 36), false, "GitHub App user token"},
		{"ghs_" + strings.Repeat("x", 36), false, "installation token"},
		{"ghr_" + strings.Repeat("x", 36), false, "refresh token"},
		{"glpat-" + strings.Repeat("x", 20), false, "starts with ghp_"},
		{classic + " " + classic, false, "one word"},
		{"ghp_" + strings.Repeat("x", 300), false, "one word"},
	}
	for _, tt := range tests {
		ok, msg := CheckTokenFormat(tt.token)
		if ok != tt.ok || !strings.Contains(msg, tt.reason) {
			t.Errorf("CheckTokenFormat(%.12q…) = %v, %q; want %v and %q", tt.token, ok, msg,
				tt.ok, tt.reason)
		}
		if len(tt.token) > 8 && strings.Contains(msg, tt.token[4:]) {
			t.Errorf("the message quotes the token: %q", msg)
		}
	}
}

func TestCanView(t *testing.T) {
	o := NewOnboarding("id", "owner", t0)
	if !o.CanView("owner", false) || !o.CanView("admin", true) || o.CanView("other", false) {
		t.Error("CanView lets the wrong people in or keeps the right ones out")
	}
}

func TestRecordTokenChecksKeepsFactsNotSecrets(t *testing.T) {
	o := NewOnboarding("id", "owner", t0)
	expires := t0.Add(90 * 24 * time.Hour)
	o.RecordTokenChecks(TokenFindings{
		Results:   []CheckResult{{Check: "Scopes", Outcome: Warn}},
		Login:     "svc-bot",
		Scopes:    []string{"read:packages", "repo"},
		ExpiresAt: expires,
		Digest:    "sha256:" + strings.Repeat("a", 64),
	}, t0)
	s := o.Step(StepToken)
	want := map[string]string{
		FactTokenLogin:     "svc-bot",
		FactTokenScopes:    "read:packages, repo",
		FactTokenExpiresAt: expires.Format(time.RFC3339),
		FactImageDigest:    "sha256:" + strings.Repeat("a", 64),
	}
	if d := cmp.Diff(want, s.Facts); d != "" {
		t.Errorf("facts (-want +got):\n%s", d)
	}
	if s.State != VerifiedWithWarnings {
		t.Errorf("state %s, want verified with warnings", s.State)
	}
	o.RecordTokenChecks(TokenFindings{NeverExpires: true, Login: "svc"}, t0)
	if got := o.Step(StepToken).Facts[FactTokenExpiresAt]; got != "never" {
		t.Errorf("expiry fact %q for a token that never expires", got)
	}
}

func TestSavingTheSameLoginKeepsLaterResults(t *testing.T) {
	o := NewOnboarding("id", "owner", t0)
	login := map[string]string{FieldGitHubLogin: "svc"}
	if p := o.SaveStep(StepGitHubAccount, login, testPlace, t0); len(p) > 0 {
		t.Fatal(p)
	}
	o.RecordChecks(StepToken, []CheckResult{{Check: "Pull", Outcome: Pass, CheckedAt: t0}}, t0)

	o.SaveStep(StepGitHubAccount, map[string]string{FieldGitHubLogin: " svc "}, testPlace, t0)
	if o.Step(StepToken).State != Verified {
		t.Error("saving the same login again cleared step 6")
	}
	o.SaveStep(StepGitHubAccount, map[string]string{FieldGitHubLogin: "other"}, testPlace, t0)
	if s := o.Step(StepToken); s.State != NotStarted || s.Results != nil {
		t.Errorf("step 6 after a new login: %s %v, want not started", s.State, s.Results)
	}
}
