package github

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"ghcrportal/internal/onboarding"
)

// Names of the checks, as CheckResult.Check shows them.
const (
	checkMembership   = "Membership"
	checkAccount      = "Account"
	checkPermission   = "Permission"
	checkTokenKind    = "Token kind"
	checkToken        = "Token"
	checkTokenOwner   = "Token owner"
	checkScopes       = "Scopes"
	checkExpiry       = "Expiry"
	checkSingleSignOn = "Single sign-on"
	checkPackage      = "Package"
	checkTag          = "Tag"
	checkPull         = "Pull"
)

// result builds one check result with a formatted message.
func result(check string, o onboarding.Outcome, at time.Time, format string,
	args ...any) onboarding.CheckResult {
	return onboarding.CheckResult{Check: check, Outcome: o, Message: fmt.Sprintf(format, args...),
		CheckedAt: at}
}

// one wraps a single result in a slice, as most checks return.
func one(check string, o onboarding.Outcome, at time.Time, format string,
	args ...any) []onboarding.CheckResult {
	return []onboarding.CheckResult{result(check, o, at, format, args...)}
}

// loginPattern accepts GitHub logins as they exist, including older ones that
// break today's sign-up rules and the _shortcode suffix of managed users, while
// keeping anything that could change a request's path out.
var loginPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$`)

// repoNamePattern matches a repository's name on GitHub.
var repoNamePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

// invalidLogin is the message for a login that cannot be a GitHub login.
const invalidLogin = "The login from step 4 is not a GitHub login: a login has only " +
	"letters, digits and hyphens, and at most 39 characters. Correct it in step 4."

// splitRepository splits owner/name, and reports whether both parts can be a
// GitHub owner and repository name.
func splitRepository(s string) (owner, repo string, ok bool) {
	owner, repo, found := strings.Cut(s, "/")
	ok = found && loginPattern.MatchString(owner) && repoNamePattern.MatchString(repo) &&
		repo != "." && repo != ".."
	return owner, repo, ok
}

// appMissing is the message of a check that needs the portal's GitHub App
// when it is not configured.
func appMissing(org string) string {
	return "The portal cannot check this yet because its GitHub App is not configured. " +
		"Please ask the portal's operators to set GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID " +
		"and GITHUB_APP_PRIVATE_KEY for a GitHub App installed on " + org + " with the " +
		"permissions Organization → Members: read and Repository → Metadata: read."
}

// needsLogin is the message of a check that waits for step 4's login.
const needsLogin = "The portal checks this with the service account's GitHub login, " +
	"which step 4 records. Finish step 4 first."
