package github

import (
	"context"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"ghcrportal/internal/onboarding"
)

// CheckPermission checks step 5: that login has Read, and no more, on
// repository (owner/name), as the portal's GitHub App sees it.
func (c *Client) CheckPermission(
	ctx context.Context, repository, login string,
) []onboarding.CheckResult {
	at := c.now()
	owner, repo, valid := splitRepository(repository)
	switch {
	case login == "":
		return one(checkPermission, onboarding.Pending, at, needsLogin)
	case !loginPattern.MatchString(login):
		return one(checkPermission, onboarding.Fail, at, invalidLogin)
	case !valid:
		return one(checkPermission, onboarding.Fail, at, "The repository from step 1 is not "+
			"owner/name. Correct it in step 1.")
	case c.app == nil:
		return one(checkPermission, onboarding.Pending, at, "%s", appMissing(c.org))
	}

	var level *gh.RepositoryPermissionLevel
	_, f := c.call(ctx, asApp, "get repository permission", "",
		func(ctx context.Context) (resp *gh.Response, err error) {
			level, resp, err = c.app.Repositories.GetPermissionLevel(ctx, owner, repo, login)
			return resp, err
		})
	if !f.ok() {
		return []onboarding.CheckResult{permissionFault(f, repository, login, at)}
	}
	// go-github v60 has no role_name on the permission level; the user has it.
	role := roleLabel(level.GetPermission(), level.GetUser().GetRoleName())
	return []onboarding.CheckResult{
		permissionLevel(level.GetPermission(), role, repository, login, at),
	}
}

// roleLabel names a role as GitHub's settings page does: the role's own name
// when GitHub gives one, such as Triage or a custom role, and otherwise the
// legacy permission.
func roleLabel(permission, roleName string) string {
	r := roleName
	if r == "" {
		r = permission
	}
	switch strings.ToLower(r) {
	case "read", "pull":
		return "Read"
	case "triage":
		return "Triage"
	case "write", "push":
		return "Write"
	case "maintain":
		return "Maintain"
	case "admin":
		return "Admin"
	}
	return r
}

// permissionLevel judges login's legacy permission on repository, where read
// also covers triage, and write also covers maintain.
func permissionLevel(permission, role, repository, login string,
	at time.Time) onboarding.CheckResult {
	access := "https://github.com/" + repository + "/settings/access"
	switch permission {
	case "read":
		if role == "Read" {
			return result(checkPermission, onboarding.Pass, at, "%s has Read on %s, which is "+
				"all a pull needs.", login, repository)
		}
		return result(checkPermission, onboarding.Pass, at, "%s has %s on %s, which includes "+
			"Read, all a pull needs.", login, role, repository)
	case "write", "admin":
		return result(checkPermission, onboarding.Warn, at, "%s has %s on %s, more than a "+
			"pull needs. Read is enough: change the account's role to Read at %s, so that "+
			"whoever gets hold of the account can only read.", login, role, repository, access)
	case "none":
		return result(checkPermission, onboarding.Fail, at, "%s has no access to %s. Ask an "+
			"admin of the repository to add the account with the Read role at %s, then "+
			"check again.", login, repository, access)
	}
	return result(checkPermission, onboarding.Pending, at, "GitHub reported a permission "+
		"the portal does not know; try again later, and tell the portal's operators if it "+
		"keeps happening.")
}

// permissionFault is the result of a permission call that failed.
func permissionFault(f fault, repository, login string, at time.Time) onboarding.CheckResult {
	switch f.kind {
	case faultNotFound:
		return result(checkPermission, onboarding.Fail, at, "The portal's GitHub App cannot "+
			"find %s. Either the repository does not exist (check the name in step 1), or the "+
			"App is not installed on it (ask the portal's operators to add the repository to "+
			"the App's installation), or there is no GitHub account %s (see step 4).",
			repository, login)
	case faultForbidden, faultSSO:
		return result(checkPermission, onboarding.Pending, at, "The portal's GitHub App may "+
			"not read who has access to %s: it needs the permission Repository → Metadata: "+
			"read. Please tell the portal's operators.", repository)
	case faultUnauthorized:
		f.kind = faultAppAuth
	}
	return result(checkPermission, onboarding.Pending, at, "%s",
		f.pending("GitHub", asApp.who(), at))
}
