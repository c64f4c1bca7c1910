package onboarding

import (
	"strings"
	"time"
)

// maxTokenLength is the longest token GitHub says integrators should allow.
const maxTokenLength = 255

// tokenKinds are GitHub's token prefixes that are not classic personal
// access tokens, with why each cannot pull from the registry.
var tokenKinds = []struct{ prefix, reason string }{
	{"github_pat_", "This is a fine-grained personal access token. GitHub Packages accepts only " +
		"classic tokens, so Azure could not pull with it. Create a classic token instead."},
	{"gho_", "This is an OAuth app token, not a personal access token. Create a classic personal " +
		"access token for the service account instead."},
	{"ghu_", "This is a GitHub App user token. GitHub Packages does not accept GitHub App tokens. " +
		"Create a classic personal access token for the service account instead."},
	{"ghs_", "This is a GitHub App installation token (or an Actions GITHUB_TOKEN), which expires " +
		"within hours and cannot pull from Azure. Create a classic personal access token instead."},
	{"ghr_", "This is a GitHub App refresh token, not a personal access token. Create a classic " +
		"personal access token for the service account instead."},
}

// CheckTokenFormat says whether a pasted token is a classic personal access
// token, the only kind the registry accepts. The message never quotes the
// token.
func CheckTokenFormat(token string) (ok bool, message string) {
	switch {
	case token == "":
		return false, "Paste the service account's classic personal access token"
	case len(token) > maxTokenLength || strings.ContainsAny(token, " \t\r\n"):
		return false, "That is not a GitHub token: a token is one word of letters, digits and " +
			"underscores. Copy it again from GitHub"
	case strings.HasPrefix(token, "ghp_"):
		return true, "The token is a classic personal access token."
	}
	for _, k := range tokenKinds {
		if strings.HasPrefix(token, k.prefix) {
			return false, k.reason
		}
	}
	return false, "That does not look like a GitHub personal access token, which starts with " +
		"ghp_. Copy it again from GitHub's token page"
}

// TokenFindings is what step 6's checks of a token found. It never holds
// the token.
type TokenFindings struct {
	Results []CheckResult
	// Login is the token's owner, as GitHub says; "" when unknown.
	Login  string
	Scopes []string
	// ExpiresAt is when the token expires; zero when it never does or when
	// it is unknown, which NeverExpires tells apart.
	ExpiresAt    time.Time
	NeverExpires bool
	// Digest is the image's manifest digest from the pull check.
	Digest string
}

// RecordTokenChecks records step 6's results, and the facts later steps use:
// the token's owner, scopes and expiry, and the image's digest.
func (o *Onboarding) RecordTokenChecks(f TokenFindings, at time.Time) {
	facts := map[string]string{}
	if f.Login != "" {
		facts[FactTokenLogin] = f.Login
		facts[FactTokenScopes] = strings.Join(f.Scopes, ", ")
	}
	switch {
	case !f.ExpiresAt.IsZero():
		facts[FactTokenExpiresAt] = f.ExpiresAt.UTC().Format(time.RFC3339)
	case f.NeverExpires:
		facts[FactTokenExpiresAt] = "never"
	}
	if f.Digest != "" {
		facts[FactImageDigest] = f.Digest
	}
	o.RecordChecks(StepToken, f.Results, at)
	o.Step(StepToken).Facts = facts
}

// RecordChecks records the results of a step's checks and the state they put
// it in.
func (o *Onboarding) RecordChecks(id StepID, results []CheckResult, at time.Time) {
	s := o.Step(id)
	s.Results = results
	s.State = StateFromResults(results)
	s.UpdatedAt = at
}
