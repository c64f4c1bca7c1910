package github

import (
	"context"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"ghcrportal/internal/onboarding"
)

// CheckAccount checks step 4: that login is a GitHub user account, rather
// than an organisation, a bot or nothing. It asks as the portal's GitHub App
// when it is configured, and anonymously otherwise.
func (c *Client) CheckAccount(ctx context.Context, login string) []onboarding.CheckResult {
	at := c.now()
	switch {
	case login == "":
		return one(checkAccount, onboarding.Fail, at, "Enter the service account's GitHub login.")
	case strings.HasSuffix(login, "[bot]"):
		return []onboarding.CheckResult{accountType(&gh.User{Login: &login,
			Type: gh.String("Bot")}, login, at)}
	case !loginPattern.MatchString(login):
		return one(checkAccount, onboarding.Fail, at, "That is not a GitHub login: a login "+
			"has only letters, digits and hyphens, and at most 39 characters.")
	}

	client, cred := c.anonymous, asAnonymous
	if c.app != nil {
		client, cred = c.app, asApp
	}
	var u *gh.User
	_, f := c.call(ctx, cred, "get user", "",
		func(ctx context.Context) (resp *gh.Response, err error) {
			u, resp, err = client.Users.Get(ctx, login)
			return resp, err
		})
	if !f.ok() {
		return []onboarding.CheckResult{accountFault(f, cred, login, at)}
	}
	return []onboarding.CheckResult{accountType(u, login, at)}
}

// accountType judges the kind of account GitHub returned for login.
func accountType(u *gh.User, login string, at time.Time) onboarding.CheckResult {
	canonical := u.GetLogin()
	switch u.GetType() {
	case "User":
		if canonical != login {
			return result(checkAccount, onboarding.Pass, at, "%s is a GitHub user account; "+
				"GitHub writes the login as %s.", login, canonical)
		}
		return result(checkAccount, onboarding.Pass, at, "%s is a GitHub user account.", login)
	case "Organization":
		return result(checkAccount, onboarding.Fail, at, "%s is a GitHub organisation, not a "+
			"user account, so it cannot sign in or own a token. Create a user account for "+
			"the service account at https://github.com/signup with its email address, and "+
			"enter that login.", canonical)
	case "Bot":
		return result(checkAccount, onboarding.Fail, at, "%s is a bot account that belongs "+
			"to a GitHub App, so it cannot own a personal access token. Create a user "+
			"account for the service account at https://github.com/signup, and enter that "+
			"login.", canonical)
	}
	return result(checkAccount, onboarding.Fail, at, "%s is not a GitHub user account. "+
		"Create a user account for the service account at https://github.com/signup, and "+
		"enter that login.", canonical)
}

// accountFault is the result of an account call that failed.
func accountFault(f fault, cred credential, login string, at time.Time) onboarding.CheckResult {
	switch {
	case f.kind == faultNotFound:
		return result(checkAccount, onboarding.Fail, at, "GitHub has no account called %s. "+
			"Check the spelling, or create the account at https://github.com/signup.", login)
	case f.kind == faultUnauthorized && cred == asApp:
		f.kind = faultAppAuth
	}
	return result(checkAccount, onboarding.Pending, at, "%s", f.pending("GitHub", cred.who(), at))
}
