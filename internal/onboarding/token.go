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

// RecordTokenFormat records step 6's first check, of the token's kind, with
// what the portal will check next. The token itself is not recorded.
func (o *Onboarding) RecordTokenFormat(at time.Time) {
	s := o.Step(StepToken)
	s.Results = []CheckResult{
		{Check: "Token kind", Outcome: Pass, CheckedAt: at,
			Message: "The token is a classic personal access token."},
		{Check: "Against GitHub and the registry", Outcome: Pending, CheckedAt: at,
			Message: "The portal did not keep the token. It does not yet check the token against " +
				"GitHub: who owns it, its scopes, its expiry, its SSO authorisation, and a pull of " +
				"the image as Azure will do it."},
	}
	s.State = StateFromResults(s.Results)
	s.UpdatedAt = at
}
