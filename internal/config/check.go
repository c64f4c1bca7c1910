package config

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// webURL parses raw as an absolute http or https URL with no user information,
// query or fragment, where http is allowed only for a loopback host. When raw
// is not one, it records a problem with variable and returns nil.
func (l *loader) webURL(variable, raw string) *url.URL {
	u, problem := parseWebURL(raw)
	if problem != "" {
		l.addf(variable, "%s", problem)
		return nil
	}
	return u
}

// parseWebURL does the work of webURL, returning a message instead of
// recording it. Messages about user information do not quote the URL, which
// may hold a password.
func parseWebURL(raw string) (*url.URL, string) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Sprintf("is not a valid URL (%v); "+
			"give an absolute URL such as https://host.example.ac.uk", urlReason(err))
	}
	switch {
	case u.User != nil:
		return nil, "holds a user name or password, which does not belong there; remove it"
	case u.Scheme != "http" && u.Scheme != "https", u.Hostname() == "":
		return nil, fmt.Sprintf("%q is not an absolute http or https URL; "+
			"give the scheme and the host, as in https://host.example.ac.uk", raw)
	case u.Port() != "" && !validPort(u.Port()):
		return nil, fmt.Sprintf("%q has port %s; a port is a number from 0 to 65535",
			raw, u.Port())
	case strings.Contains(raw, "?"):
		return nil, fmt.Sprintf("%q has a query (?...); remove it", raw)
	case strings.Contains(raw, "#"):
		return nil, fmt.Sprintf("%q has a fragment (#...); remove it", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Sprintf("%q uses http, which is allowed only for a loopback host "+
			"such as 127.0.0.1 or localhost; use https", raw)
	}
	return u, ""
}

// urlReason returns why a URL did not parse without the URL itself, which a
// url.Error repeats.
func urlReason(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

// isLoopback reports whether host is "localhost" or a loopback IP address
// (127.0.0.0/8 or ::1). An empty host, meaning every interface, is not.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// validPort reports whether port is a decimal number from 0 to 65535.
func validPort(port string) bool {
	_, err := strconv.ParseUint(port, 10, 16)
	return err == nil
}

// isGUID reports whether s is a GUID written as 8-4-4-4-12 hexadecimal digits.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
