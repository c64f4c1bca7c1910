package github

import (
	"context"
	"time"

	gh "github.com/google/go-github/v60/github"

	"ghcrportal/internal/onboarding"
)

// CheckMembership checks step 3: that login is an active member of the
// organisation, as the portal's GitHub App sees it.
func (c *Client) CheckMembership(ctx context.Context, login string) []onboarding.CheckResult {
	at := c.now()
	switch {
	case login == "":
		return one(checkMembership, onboarding.Pending, at, needsLogin)
	case !loginPattern.MatchString(login):
		return one(checkMembership, onboarding.Fail, at, invalidLogin)
	case c.app == nil:
		return one(checkMembership, onboarding.Pending, at, "%s", appMissing(c.org))
	}

	var m *gh.Membership
	_, f := c.call(ctx, asApp, "get org membership", "",
		func(ctx context.Context) (resp *gh.Response, err error) {
			m, resp, err = c.app.Organizations.GetOrgMembership(ctx, login, c.org)
			return resp, err
		})
	if !f.ok() {
		return []onboarding.CheckResult{c.membershipFault(f, login, at)}
	}
	return []onboarding.CheckResult{c.membershipState(m.GetState(), login, at)}
}

// membershipState judges the state of a membership that GitHub returned.
func (c *Client) membershipState(state, login string, at time.Time) onboarding.CheckResult {
	switch state {
	case "active":
		return result(checkMembership, onboarding.Pass, at, "%s is a member of %s.", login, c.org)
	case "pending":
		return result(checkMembership, onboarding.Warn, at, "%s has been invited to %s but "+
			"has not accepted yet. Sign in to GitHub as %s and accept the invitation at "+
			"https://github.com/orgs/%s/invitation, then check again.",
			login, c.org, login, c.org)
	}
	return result(checkMembership, onboarding.Pending, at, "GitHub reported a membership "+
		"state the portal does not know; try again later, and tell the portal's operators "+
		"if it keeps happening.")
}

// membershipFault is the result of a membership call that failed.
func (c *Client) membershipFault(f fault, login string, at time.Time) onboarding.CheckResult {
	switch f.kind {
	case faultNotFound:
		return result(checkMembership, onboarding.Fail, at, "%s is not a member of %s. Sign "+
			"in to GitHub as %s, then go to https://github.com/orgs/%s/sso and sign in "+
			"through the organisation's single sign-on page; that adds the account to "+
			"%s. Then check again.", login, c.org, login, c.org, c.org)
	case faultForbidden, faultSSO:
		return result(checkMembership, onboarding.Pending, at, "The portal's GitHub App may "+
			"not read the members of %s: it needs the permission Organization → Members: "+
			"read. Please tell the portal's operators.", c.org)
	case faultUnauthorized:
		f.kind = faultAppAuth
	}
	return result(checkMembership, onboarding.Pending, at, "%s", f.pending("GitHub", asApp.who(), at))
}
