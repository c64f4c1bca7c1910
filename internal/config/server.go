package config

import (
	"errors"
	"net"
	"net/url"
	"path/filepath"
	"strings"
)

// devSignInRule says why the development sign-in is refused anywhere but on a
// loopback address.
const devSignInRule = "the development sign-in lets anyone choose who they are, " +
	"so it runs only on a loopback address"

// addr returns PORTAL_ADDR, or "" when it is not a valid host:port.
func (l *loader) addr() string {
	addr := l.getOr("PORTAL_ADDR", "127.0.0.1:8080")
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		l.addf("PORTAL_ADDR", "%q is not host:port (%v); "+
			"use e.g. 127.0.0.1:8080, or :8080 for every interface", addr, addrReason(err))
		return ""
	}
	if !validPort(port) {
		l.addf("PORTAL_ADDR", "%q has port %q; the port must be a number from 0 to 65535",
			addr, port)
		return ""
	}
	return addr
}

// addrReason returns why an address did not split without the address itself,
// which a net.AddrError repeats.
func addrReason(err error) string {
	var addrErr *net.AddrError
	if errors.As(err, &addrErr) {
		return addrErr.Err
	}
	return err.Error()
}

// publicURL returns PORTAL_PUBLIC_URL without a trailing slash. OIDC sign-in
// requires it; the development sign-in checks that both it and addr are on a
// loopback address, and derives it from addr when it is unset.
func (l *loader) publicURL(addr string, oidcWanted bool) *url.URL {
	raw := l.get("PORTAL_PUBLIC_URL")
	switch {
	case raw == "" && oidcWanted:
		l.addf("PORTAL_PUBLIC_URL", "is required with OIDC sign-in: the sign-in redirect "+
			"URI is this URL followed by /auth/callback, and it must exactly match the "+
			"redirect URI registered with the provider; set it to the portal's address, "+
			"e.g. https://portal.example.ac.uk")
		return nil
	case raw == "":
		l.checkDevSignIn(addr, nil)
		return devPublicURL(addr)
	}

	u := l.webURL("PORTAL_PUBLIC_URL", raw)
	if !oidcWanted {
		l.checkDevSignIn(addr, u)
	}
	if u != nil {
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = strings.TrimRight(u.RawPath, "/")
	}
	return u
}

// checkDevSignIn reports addr and public, when they are given, if they are not
// on a loopback address, as the development sign-in requires.
func (l *loader) checkDevSignIn(addr string, public *url.URL) {
	if host, _, err := net.SplitHostPort(addr); err == nil && !isLoopback(host) {
		where := host
		if host == "" {
			where = "every interface"
		}
		l.addf("PORTAL_ADDR", "%q listens on %s, which is not a loopback address, and OIDC "+
			"is not configured; %s. Set OIDC_ISSUER_URL, OIDC_CLIENT_ID and "+
			"OIDC_CLIENT_SECRET (and PORTAL_PUBLIC_URL), or listen on 127.0.0.1",
			addr, where, devSignInRule)
	}
	if public != nil && !isLoopback(public.Hostname()) {
		l.addf("PORTAL_PUBLIC_URL", "%q has the host %s, which is not a loopback address, "+
			"and OIDC is not configured; %s. Set OIDC_ISSUER_URL, OIDC_CLIENT_ID and "+
			"OIDC_CLIENT_SECRET, or use a loopback URL such as http://127.0.0.1:8080",
			public.String(), public.Hostname(), devSignInRule)
	}
}

// devPublicURL returns http://addr, with 127.0.0.1 for an empty host, or nil
// when addr is not valid.
func devPublicURL(addr string) *url.URL {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return &url.URL{Scheme: "http", Host: net.JoinHostPort(host, port)}
}

// dataDir returns PORTAL_DATA_DIR as an absolute path.
func (l *loader) dataDir() string {
	dir := l.getOr("PORTAL_DATA_DIR", "data")
	abs, err := filepath.Abs(dir)
	if err != nil {
		l.addf("PORTAL_DATA_DIR", "cannot make %q absolute (%v); give an absolute path",
			dir, err)
		return ""
	}
	return abs
}

// databaseURL returns the Postgres URL from DATABASE_URL or DATABASE_URL_FILE,
// or "" for the embedded SQLite database. Its value may hold a password, so no
// message quotes it.
func (l *loader) databaseURL() string {
	db := l.secret("DATABASE_URL")
	if db.value == "" {
		return ""
	}
	if problem := databaseURLProblem(db.value); problem != "" {
		l.addf(db.source, "%s (the value is not shown, as it may hold a password); use "+
			"postgres://user:password@host:5432/dbname, or unset it for embedded SQLite",
			problem)
		return ""
	}
	return db.value
}

// databaseURLProblem says what is wrong with a Postgres URL, or returns "".
func databaseURLProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "is not a valid URL"
	case u.Scheme != "postgres" && u.Scheme != "postgresql":
		return "is not a postgres:// or postgresql:// URL " +
			"(the keyword=value form is not accepted)"
	case u.Hostname() == "":
		return "has no host"
	}
	return ""
}
