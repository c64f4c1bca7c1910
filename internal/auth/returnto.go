package auth

import (
	"net/url"
	"strings"
)

// maxReturnTo bounds the length of a return path kept during sign-in.
const maxReturnTo = 1024

// SafeReturnTo returns target if it is a path on this portal that is safe to
// redirect to after sign-in, and "/" otherwise. It refuses anything that a
// browser could read as another host: scheme-relative "//host", "/\host",
// control characters, and the sign-in routes themselves.
func SafeReturnTo(target string) string {
	if target == "" || len(target) > maxReturnTo || target[0] != '/' {
		return "/"
	}
	if strings.ContainsAny(target, "\\") || strings.HasPrefix(target, "//") {
		return "/"
	}
	for _, r := range target {
		if r < 0x20 || r == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	if strings.HasPrefix(u.Path, "//") || strings.HasPrefix(u.Path, "/auth/") {
		return "/"
	}
	return target
}
