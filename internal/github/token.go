package github

import (
	"context"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v60/github"

	"ghcrportal/internal/onboarding"
)

// tokenWant is what step 6 checks a token against.
type tokenWant struct {
	// Login is the service account's login from step 4, or "" if unknown.
	Login string
	// Image is the image from step 1.
	Image onboarding.Image
}

// newTokenURL pre-selects read:packages, and only it, on GitHub's page for a
// new classic token.
const newTokenURL = "https://github.com/settings/tokens/new?scopes=read:packages"

// CheckToken checks step 6: that token is a classic personal access token of
// login, the service account from step 4, with read:packages and an expiry,
// authorised for the organisation's single sign-on, and that it pulls img as
// Azure will. Only a token in the classic format reaches the network.
func (c *Client) CheckToken(ctx context.Context, token, login string,
	img onboarding.Image) onboarding.TokenFindings {
	return c.checkToken(ctx, token, tokenWant{Login: login, Image: img})
}

func (c *Client) checkToken(ctx context.Context, token string,
	want tokenWant) onboarding.TokenFindings {
	at := c.now()
	classic, message := onboarding.CheckTokenFormat(token)
	if !classic {
		return onboarding.TokenFindings{Results: one(checkTokenKind, onboarding.Fail, at, "%s",
			sentence(message))}
	}
	kind := result(checkTokenKind, onboarding.Pass, at, "%s", sentence(message))
	obs := c.observe(ctx, token, want)
	return c.report(obs, want, kind, at)
}

// sentence ends s with a full stop if it has none.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// observations are the answers of step 6's calls. Each call writes only its
// own fields.
type observations struct {
	user      *gh.User
	userResp  *gh.Response
	userFault fault

	pkg      *gh.Package
	pkgFault fault

	versions      []*gh.PackageVersion
	truncated     bool
	versionsFault fault

	pullLogin string
	digest    string
	pullFault fault
	pullRan   bool
}

// observe makes step 6's calls at the same time, since none needs another's
// answer, except the pull when step 4's login is unknown: it then waits for
// the token's owner. All of them together get the client's timeout.
func (c *Client) observe(ctx context.Context, token string, want tokenWant) *observations {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	o := &observations{}
	// A fresh client, so that no rate limit that go-github noted for the
	// anonymous client holds back the token's own calls.
	api := newAPIClient(c.api, c.apiURL).WithAuthToken(token)
	userDone := make(chan struct{})

	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(userDone)
		c.getTokenUser(ctx, api, token, o)
	})
	wg.Go(func() { c.getPackage(ctx, api, token, want.Image, o) })
	wg.Go(func() { c.listVersions(ctx, api, token, want.Image, o) })
	wg.Go(func() {
		login := want.Login
		if login == "" {
			<-userDone
			login = o.user.GetLogin()
		}
		if login != "" {
			c.pull(ctx, token, login, want.Image, o)
		}
	})
	wg.Wait()
	return o
}

// getTokenUser asks GitHub who owns the token, which also returns its scopes
// and expiry in headers.
func (c *Client) getTokenUser(ctx context.Context, api *gh.Client, token string,
	o *observations) {
	o.userResp, o.userFault = c.call(ctx, asToken, "get authenticated user", token,
		func(ctx context.Context) (resp *gh.Response, err error) {
			o.user, resp, err = api.Users.Get(ctx, "")
			return resp, err
		})
}

// report turns the observations into step 6's results.
func (c *Client) report(o *observations, want tokenWant, kind onboarding.CheckResult,
	at time.Time) onboarding.TokenFindings {
	r := onboarding.TokenFindings{Results: []onboarding.CheckResult{kind}}
	if o.userFault.kind == faultUnauthorized {
		// Every other answer came from the same refused token, so none of
		// them says anything.
		r.Results = append(r.Results, result(checkToken, onboarding.Fail, at, "GitHub does "+
			"not accept this token: it is invalid, has expired or has been revoked. Sign in "+
			"to GitHub as the service account and create a new classic token with only "+
			"read:packages at %s.", newTokenURL))
		return r
	}
	r.Results = append(r.Results, c.tokenResults(o, want, &r, at)...)
	r.Results = append(r.Results, c.ssoResults(o, at)...)
	r.Results = append(r.Results, c.packageResults(o, want, at)...)
	r.Results = append(r.Results, c.pullResult(o, want, at))
	if o.pullRan && o.pullFault.ok() {
		r.Digest = o.digest
	}
	return r
}
