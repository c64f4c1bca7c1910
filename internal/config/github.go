package config

import (
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
)

// orgLogin matches letters and digits in runs joined by single hyphens, as a
// GitHub organisation's login is written.
var orgLogin = regexp.MustCompile(`^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$`)

// hostLabel matches one label of a lower-case DNS name.
const hostLabel = `[a-z0-9]([a-z0-9-]*[a-z0-9])?`

// hostName matches a lower-case DNS name.
var hostName = regexp.MustCompile(`^` + hostLabel + `(\.` + hostLabel + `)*$`)

// gitHubAPIURL returns GITHUB_API_URL with a path that ends with "/", so that
// relative references resolve below it.
func (l *loader) gitHubAPIURL() *url.URL {
	u := l.webURL("GITHUB_API_URL", l.getOr("GITHUB_API_URL", "https://api.github.com/"))
	if u == nil {
		return nil
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u
}

// gitHubOrg returns GITHUB_ORG, which must be a valid organisation login.
func (l *loader) gitHubOrg() string {
	org := l.getOr("GITHUB_ORG", "ImperialCollegeLondon")
	if len(org) > 39 || !orgLogin.MatchString(org) {
		l.addf("GITHUB_ORG", "%q is not a GitHub organisation login; a login is 1 to 39 "+
			"letters and digits with single hyphens between them, and does not start or "+
			"end with a hyphen, e.g. ImperialCollegeLondon", org)
	}
	return org
}

// registryHost returns REGISTRY_HOST, or "" when it is not a host with an
// optional port.
func (l *loader) registryHost() string {
	host := l.getOr("REGISTRY_HOST", "ghcr.io")
	if problem := registryHostProblem(host); problem != "" {
		l.addf("REGISTRY_HOST", "%q %s; give only the host and an optional port, "+
			"e.g. ghcr.io or 127.0.0.1:5000", host, problem)
		return ""
	}
	return host
}

// registryHostProblem says what is wrong with a registry host, or returns "".
func registryHostProblem(value string) string {
	switch {
	case strings.Contains(value, "://"):
		return "has a scheme"
	case strings.ContainsAny(value, "/?#@"):
		return "has a path or other URL parts"
	}
	host := value
	if strings.Contains(value, ":") {
		h, port, err := net.SplitHostPort(value)
		if err != nil || port == "0" || !validPort(port) {
			return "is not host:port with a port from 1 to 65535"
		}
		host = h
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	switch {
	case hostName.MatchString(strings.ToLower(host)) && host != strings.ToLower(host):
		return "is not lower case"
	case len(host) > 253 || !hostName.MatchString(host):
		return "is not a host name of letters, digits, hyphens and dots"
	}
	return ""
}
