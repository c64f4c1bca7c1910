package github

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"ghcrportal/internal/onboarding"
)

// Scopes that concern a pull.
const (
	scopeRead  = "read:packages"
	scopeWrite = "write:packages"
)

// expiryWarning is how close an expiry must be for the check to warn.
const expiryWarning = 30 * 24 * time.Hour

// tokenResults judges what GET /user said about the token: its owner, its
// scopes and its expiry. It fills in the report's facts as it goes.
func (c *Client) tokenResults(o *observations, want tokenWant, r *onboarding.TokenFindings,
	at time.Time) []onboarding.CheckResult {
	if !o.userFault.ok() {
		return one(checkToken, onboarding.Pending, at, "The portal could not ask GitHub "+
			"about the token's owner, scopes and expiry: %s",
			o.userFault.pending("GitHub", asToken.who(), at))
	}
	r.Login = o.user.GetLogin()
	header := o.userResp.Header
	scopes, listed := parseScopes(header.Values("X-OAuth-Scopes"))
	r.Scopes = scopes

	expiry := header.Get("GitHub-Authentication-Token-Expiration")
	r.NeverExpires = expiry == ""
	if expiry != "" {
		// go-github reads both of the forms GitHub sends; a zero time means
		// neither matched.
		r.ExpiresAt = o.userResp.TokenExpiration.Time.UTC()
	}
	return []onboarding.CheckResult{
		ownerResult(r.Login, want.Login, at),
		scopesResult(scopes, listed, at),
		expiryResult(r, expiry != "", at),
	}
}

// parseScopes reads X-OAuth-Scopes, and reports whether the header was there
// at all: a classic token always has it, even when it is empty.
func parseScopes(values []string) ([]string, bool) {
	if len(values) == 0 {
		return nil, false
	}
	scopes := []string{}
	for _, v := range values {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				scopes = append(scopes, s)
			}
		}
	}
	return scopes, true
}

// ownerResult compares the token's owner with step 4's login.
func ownerResult(owner, want string, at time.Time) onboarding.CheckResult {
	switch {
	case want == "":
		return result(checkTokenOwner, onboarding.Pending, at, "The token belongs to %s. "+
			"Finish step 4 so that the portal can check this is the service account.", owner)
	case strings.EqualFold(owner, want):
		return result(checkTokenOwner, onboarding.Pass, at, "The token belongs to %s, the "+
			"service account from step 4.", owner)
	}
	return result(checkTokenOwner, onboarding.Fail, at, "The token belongs to %s, not to the "+
		"service account %s. Sign in to GitHub as %s and create the token there: %s.",
		owner, want, want, newTokenURL)
}

// scopesResult judges the token's scopes: read:packages is what a pull needs,
// write:packages implies it, and anything else is more than a pull needs.
func scopesResult(scopes []string, listed bool, at time.Time) onboarding.CheckResult {
	if !listed {
		return result(checkScopes, onboarding.Fail, at, "GitHub lists no scopes for this "+
			"token, which means it is not a classic personal access token, the only kind "+
			"GitHub Packages accepts. Sign in as the service account and create a classic "+
			"token with only read:packages at %s.", newTokenURL)
	}
	read, write := slices.Contains(scopes, scopeRead), slices.Contains(scopes, scopeWrite)
	extra := slices.DeleteFunc(slices.Clone(scopes), func(s string) bool {
		return s == scopeRead || s == scopeWrite
	})
	switch {
	case read && !write && len(extra) == 0:
		return result(checkScopes, onboarding.Pass, at, "The token has read:packages and "+
			"nothing else, exactly what a pull needs.")
	case read || write:
		return result(checkScopes, onboarding.Warn, at, "%s", tooMuch(read, write, extra))
	}
	return result(checkScopes, onboarding.Fail, at, "The token does not have read:packages, "+
		"so Azure could not pull the image.%s Create a classic token with only "+
		"read:packages at %s, and delete this one.", extraNote(extra), newTokenURL)
}

// tooMuch explains why a token that can pull has more scopes than it needs.
func tooMuch(read, write bool, extra []string) string {
	lead := "The token has read:packages, which a pull needs"
	if write {
		lead = "The token has write:packages, which includes read:packages, so a pull " +
			"works; but it can also publish and overwrite images, more than a pull needs"
		if read {
			lead = "The token has read:packages, which a pull needs, and write:packages, " +
				"which can also publish and overwrite images, more than a pull needs"
		}
	}
	return fmt.Sprintf("%s.%s Create a classic token with only read:packages at %s, use it "+
		"instead and delete this one.", lead, extraNote(extra), newTokenURL)
}

// extraNote lists scopes that a pull does not need, with why repo matters
// most; it is "" when there are none.
func extraNote(extra []string) string {
	if len(extra) == 0 {
		return ""
	}
	note := fmt.Sprintf(" It also has %s, which a pull does not need.", strings.Join(extra, ", "))
	if slices.Contains(extra, "repo") {
		note += " repo in particular gives full control of every private repository the " +
			"account can reach, so a leaked token could change code."
	}
	return note
}

// expiryResult judges when the token expires; present says whether GitHub
// sent an expiry at all.
func expiryResult(r *onboarding.TokenFindings, present bool, at time.Time) onboarding.CheckResult {
	switch {
	case !present:
		return result(checkExpiry, onboarding.Warn, at, "The token never expires, so if it "+
			"leaks it works until someone revokes it. Create a token with an expiry date "+
			"instead, and set a reminder to replace it before that date.")
	case r.ExpiresAt.IsZero():
		return result(checkExpiry, onboarding.Warn, at, "GitHub gave the token's expiry in a "+
			"form the portal cannot read. Check it at https://github.com/settings/tokens and "+
			"set a reminder to replace the token before it expires.")
	}
	date := r.ExpiresAt.Format("2 January 2006 at 15:04 UTC")
	left := r.ExpiresAt.Sub(at)
	if left >= expiryWarning {
		return result(checkExpiry, onboarding.Pass, at, "The token expires on %s. Set a "+
			"reminder to replace it before then.", date)
	}
	return result(checkExpiry, onboarding.Warn, at, "The token expires on %s, %s. Azure "+
		"cannot pull the image after that: create a new token before then, or now with a "+
		"later expiry.", date, daysLeft(left))
}

// daysLeft says how soon something happens, in whole days.
func daysLeft(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	switch {
	case days < 1:
		return "within a day"
	case days == 1:
		return "in 1 day"
	}
	return fmt.Sprintf("in %d days", days)
}
