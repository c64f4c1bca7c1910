package github

import (
	"net/url"
	"strings"
)

// ssoLink returns the URL in an X-GitHub-SSO header, which reads like
// "required; url=https://github.com/orgs/ORG/sso?authorization_request=...",
// when it is an https URL on github.com or on the site of the configured API;
// otherwise it returns "", and the message gives the way through GitHub's
// settings instead.
func (c *Client) ssoLink(header string) string {
	for part := range strings.SplitSeq(header, ";") {
		raw, found := strings.CutPrefix(strings.TrimSpace(part), "url=")
		if !found {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.User != nil || u.Opaque != "" {
			return ""
		}
		if host := strings.ToLower(u.Host); host == "github.com" || host == c.site() {
			return u.String()
		}
		return ""
	}
	return ""
}

// site is the host of the web site that goes with the API: github.com for
// api.github.com, and the host itself for GitHub Enterprise Server.
func (c *Client) site() string {
	return strings.TrimPrefix(strings.ToLower(c.apiURL.Host), "api.")
}
