package github

import (
	"context"
	"slices"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"ghcrportal/internal/onboarding"
)

// Listing of a package's versions: a full page at a time, and a bound on
// pages so that a package with thousands of versions does not hold the check.
const (
	versionsPerPage = 100
	maxVersionPages = 5
)

// packageType is GitHub's package type for images on the container registry.
const packageType = "container"

// getPackage asks GitHub for the image's package, as the token's account.
// go-github escapes the name, so repo/api is sent as repo%2Fapi.
func (c *Client) getPackage(ctx context.Context, api *gh.Client, token string,
	img onboarding.Image, o *observations) {
	_, o.pkgFault = c.call(ctx, asToken, "get package", token,
		func(ctx context.Context) (resp *gh.Response, err error) {
			o.pkg, resp, err = api.Organizations.GetPackage(ctx, c.org, packageType,
				img.PackageName())
			return resp, err
		})
}

// listVersions lists the package's versions, newest first, up to a bound.
func (c *Client) listVersions(ctx context.Context, api *gh.Client, token string,
	img onboarding.Image, o *observations) {
	opts := &gh.PackageListOptions{ListOptions: gh.ListOptions{PerPage: versionsPerPage}}
	for page := 1; page <= maxVersionPages; page++ {
		opts.Page = page
		var versions []*gh.PackageVersion
		resp, f := c.call(ctx, asToken, "list package versions", token,
			func(ctx context.Context) (resp *gh.Response, err error) {
				versions, resp, err = api.Organizations.PackageGetAllVersions(ctx, c.org,
					packageType, img.PackageName(), opts)
				return resp, err
			})
		if !f.ok() {
			o.versionsFault = f
			return
		}
		o.versions = append(o.versions, versions...)
		if resp.NextPage == 0 {
			return
		}
	}
	o.truncated = true
}

// ssoResults says whether the token may reach the organisation's resources:
// a 403 with X-GitHub-SSO on any call means it is not authorised for the
// organisation's single sign-on.
func (c *Client) ssoResults(o *observations, at time.Time) []onboarding.CheckResult {
	for _, f := range []fault{o.userFault, o.pkgFault, o.versionsFault} {
		if f.kind == faultSSO {
			return one(checkSingleSignOn, onboarding.Fail, at, "%s", c.ssoMessage(f))
		}
	}
	if o.pkgFault.ok() || o.pkgFault.kind == faultNotFound {
		return one(checkSingleSignOn, onboarding.Pass, at, "GitHub accepts the token for %s's "+
			"resources, so its single sign-on is authorised or not required.", c.org)
	}
	return nil
}

// ssoMessage tells the user how to authorise the token, with GitHub's own
// link when it is one the portal trusts.
func (c *Client) ssoMessage(f fault) string {
	how := "sign in to GitHub as the service account, open https://github.com/settings/" +
		"tokens, choose Configure SSO next to the token and then Authorize next to " + c.org
	if link := c.ssoLink(f.sso); link != "" {
		how = "sign in to GitHub as the service account and open " + link +
			" (or, at https://github.com/settings/tokens, choose Configure SSO next to the " +
			"token and then Authorize next to " + c.org + ")"
	}
	return "The token is not authorised for " + c.org + "'s single sign-on, so GitHub " +
		"refuses it for the organisation's packages. To authorise it, " + how +
		". Then check again."
}

// packageResults judges the package and the tag.
func (c *Client) packageResults(o *observations, want tokenWant,
	at time.Time) []onboarding.CheckResult {
	img := want.Image
	pkg := c.packageResult(o, img, at)
	if o.pkgFault.kind == faultNotFound {
		return []onboarding.CheckResult{pkg}
	}
	return []onboarding.CheckResult{pkg, c.tagResult(o, img, at)}
}

// packageResult judges whether the package exists and whether it is linked
// to the image's repository.
func (c *Client) packageResult(o *observations, img onboarding.Image,
	at time.Time) onboarding.CheckResult {
	name := c.org + "/" + img.PackageName()
	if !o.pkgFault.ok() {
		return c.packageFault(o.pkgFault, name, img, at)
	}
	linked := o.pkg.GetRepository().GetFullName()
	switch {
	case o.pkg.Repository == nil:
		return result(checkPackage, onboarding.Warn, at, "The package %s is not linked to a "+
			"repository, so it does not take its access from %s: only people and teams "+
			"given access on the package itself can pull it. Link it on the package's page "+
			"(Package settings → Connect repository), or build the image with the label "+
			"org.opencontainers.image.source=https://github.com/%s so that GitHub links it "+
			"when it is published.", name, img.Repository(), img.Repository())
	case !strings.EqualFold(linked, img.Repository()):
		return result(checkPackage, onboarding.Warn, at, "The package %s is linked to %s, not "+
			"to %s, so it takes its access from %s and Read on %s does not let the service "+
			"account pull it. Check the repository in step 1, or connect the package to %s "+
			"in its settings.", name, linked, img.Repository(), linked, img.Repository(),
			img.Repository())
	}
	return result(checkPackage, onboarding.Pass, at, "The package %s exists and is linked to "+
		"%s.", name, linked)
}

// packageFault is the result of a package call that failed.
func (c *Client) packageFault(f fault, name string, img onboarding.Image,
	at time.Time) onboarding.CheckResult {
	switch f.kind {
	case faultNotFound:
		return result(checkPackage, onboarding.Fail, at, "GitHub found no package %s that "+
			"this token can see: either it does not exist or the service account cannot see "+
			"it. Check the image name in step 1, that the image has been published, and that "+
			"the service account has access: Read on %s if the package takes its access "+
			"from the repository, or access in the package's own settings.", name,
			img.Repository())
	case faultSSO:
		return result(checkPackage, onboarding.Pending, at, "The package can be checked once "+
			"the token is authorised for single sign-on.")
	case faultForbidden:
		return result(checkPackage, onboarding.Fail, at, "GitHub refused to show the package "+
			"%s to this token. Usually the token lacks read:packages (see Scopes), or %s does "+
			"not allow classic personal access tokens; its owners can say which.", name, c.org)
	}
	return result(checkPackage, onboarding.Pending, at, "%s",
		f.pending("GitHub", asToken.who(), at))
}

// maxTagsShown is how many of a package's tags a message names.
const maxTagsShown = 5

// tagResult judges whether the image's tag is among the package's versions.
func (c *Client) tagResult(o *observations, img onboarding.Image,
	at time.Time) onboarding.CheckResult {
	f := o.versionsFault
	switch {
	case f.kind == faultSSO:
		return result(checkTag, onboarding.Pending, at, "The tag can be checked once the token "+
			"is authorised for single sign-on.")
	case f.kind == faultNotFound || f.kind == faultForbidden:
		return result(checkTag, onboarding.Fail, at, "GitHub would not list the package's "+
			"versions for this token, so the tag could not be found; see Package.")
	case !f.ok():
		return result(checkTag, onboarding.Pending, at, "%s",
			f.pending("GitHub", asToken.who(), at))
	}
	tags := packageTags(o.versions)
	if slices.Contains(tags, img.Tag) {
		return foundTag(img.Tag, at)
	}
	return c.missingTag(img.Tag, tags, o.truncated, at)
}

// foundTag is the result for a tag that the package has.
func foundTag(tag string, at time.Time) onboarding.CheckResult {
	if tag == "latest" {
		return result(checkTag, onboarding.Warn, at, "The package has the tag latest, but "+
			"latest moves to each new image, so you could not tell which version Azure runs. "+
			"Publish the image with a fixed tag, such as a version, and use that.")
	}
	return result(checkTag, onboarding.Pass, at, "The package has the tag %s.", tag)
}

// missingTag is the result for a tag that the package's versions lack.
func (c *Client) missingTag(tag string, tags []string, truncated bool,
	at time.Time) onboarding.CheckResult {
	switch {
	case truncated:
		return result(checkTag, onboarding.Warn, at, "The tag %s is not among the package's "+
			"newest %d versions; the pull check shows whether it exists.", tag,
			versionsPerPage*maxVersionPages)
	case len(tags) == 0:
		return result(checkTag, onboarding.Fail, at, "The package has no tagged versions, so "+
			"it has no tag %s. Publish the image with that tag, then check again.", tag)
	case len(tags) == 1 && tags[0] == "latest":
		return result(checkTag, onboarding.Fail, at, "The package has no tag %s: its only tag "+
			"is latest, which moves to each new image. Publish the image with a fixed tag, "+
			"such as a version (with docker/metadata-action, set flavor latest=false), and "+
			"enter that tag in step 1.", tag)
	}
	shown := tags[:min(len(tags), maxTagsShown)]
	return result(checkTag, onboarding.Fail, at, "The package has no tag %s. Its newest tags "+
		"are %s. Check the tag in step 1 (tags are case-sensitive), or publish the image with "+
		"this tag.", tag, strings.Join(shown, ", "))
}

// packageTags lists the tags of versions, newest version first, each once.
func packageTags(versions []*gh.PackageVersion) []string {
	var tags []string
	for _, v := range versions {
		for _, t := range v.GetMetadata().GetContainer().Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	return tags
}
