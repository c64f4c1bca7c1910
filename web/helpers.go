package web

import (
	"net/url"
	"strconv"
	"strings"
)

// signInURL is where the OIDC sign-in starts, carrying the page to return to.
func signInURL(returnTo string) string {
	if returnTo == "" || returnTo == "/" {
		return "/auth/login"
	}
	return "/auth/login?" + url.Values{"return_to": {returnTo}}.Encode()
}

// describedBy names the hint and, when there is one, the error message that
// describe a field, for aria-describedby.
func describedBy(field string, errs FieldErrors) string {
	ids := field + "-hint"
	if errs.For(field) != "" {
		ids += " " + field + "-error"
	}
	return ids
}

func itoa(n int) string { return strconv.Itoa(n) }

func lower(s string) string { return strings.ToLower(s) }

// tokenButton labels step 6's button: the token must be pasted again to
// check it again, since the portal does not keep it.
func tokenButton(v StepView) string {
	if len(v.Results) > 0 {
		return "Check again with the token"
	}
	return "Check the token"
}
