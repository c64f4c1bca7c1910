package github

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	gh "github.com/google/go-github/v60/github"
)

// faultKind is what went wrong with an outbound call, as far as a check
// needs to know.
type faultKind int

// The kinds of fault.
const (
	faultNone faultKind = iota
	faultNotFound
	faultUnauthorized
	faultForbidden
	faultSSO
	faultPrimaryLimit
	faultSecondaryLimit
	faultTimeout
	faultCanceled
	faultUnavailable
	faultNetwork
	faultCertificate
	faultEgress
	faultAppAuth
	faultUnexpected
	// faultBadReference is an image reference that is not on the portal's
	// registry; only the pull meets it.
	faultBadReference
)

// faultNames are the kinds' names in log lines.
var faultNames = map[faultKind]string{
	faultNone: "none", faultNotFound: "not_found", faultUnauthorized: "unauthorized",
	faultForbidden: "forbidden", faultSSO: "sso_required", faultPrimaryLimit: "rate_limit",
	faultSecondaryLimit: "secondary_rate_limit", faultTimeout: "timeout",
	faultCanceled: "canceled", faultUnavailable: "unavailable", faultNetwork: "network",
	faultCertificate: "certificate", faultEgress: "egress_refused",
	faultAppAuth: "app_auth", faultUnexpected: "unexpected",
	faultBadReference: "bad_reference",
}

// String names the kind for log lines.
func (k faultKind) String() string { return faultNames[k] }

// fault describes a failed call: its kind, the HTTP status if there was one,
// when a rate limit ends, and the single sign-on link GitHub offered.
type fault struct {
	kind   faultKind
	status int
	until  time.Time
	sso    string
	err    error
}

// ok reports whether the call succeeded.
func (f fault) ok() bool { return f.kind == faultNone }

// rateLimited reports whether the call hit a rate limit of either kind.
func (f fault) rateLimited() bool {
	return f.kind == faultPrimaryLimit || f.kind == faultSecondaryLimit
}

// defaultWait is how long to wait out a rate limit that does not say when it
// ends, as GitHub's documentation advises.
const defaultWait = time.Minute

// apiFault classifies an error from go-github; now dates rate limits that
// give a duration.
func apiFault(err error, now time.Time) fault {
	if err == nil {
		return fault{}
	}
	if f, ok := contextFault(err); ok {
		return f
	}
	var (
		primary   *gh.RateLimitError
		secondary *gh.AbuseRateLimitError
		response  *gh.ErrorResponse
		app       *ghinstallation.HTTPError
	)
	switch {
	case errors.As(err, &primary):
		return fault{kind: faultPrimaryLimit, status: statusOf(primary.Response),
			until: resetOr(primary.Rate.Reset.Time, now), err: err}
	case errors.As(err, &secondary):
		return secondaryFault(secondary.RetryAfter, secondary.Response, now, err)
	case errors.As(err, &app):
		return appFault(app, now, err)
	case errors.As(err, &response):
		return responseFault(response.Response, now, err)
	}
	return transportFault(err)
}

// appFault classifies a failure to get the App's installation token: an
// outage or a rate limit is reported as such, and anything else means the
// App cannot sign in.
func appFault(e *ghinstallation.HTTPError, now time.Time, err error) fault {
	if e.Response == nil {
		if e.RootCause == nil {
			return fault{kind: faultAppAuth, err: err}
		}
		f := transportFault(e.RootCause)
		f.err = err
		return f
	}
	f := responseFault(e.Response, now, err)
	switch f.kind {
	case faultUnavailable, faultPrimaryLimit, faultSecondaryLimit:
		return f
	}
	f.kind = faultAppAuth
	return f
}

// contextFault classifies a call that ran out of time or was cancelled.
func contextFault(err error) (fault, bool) {
	var nerr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fault{kind: faultTimeout, err: err}, true
	case errors.Is(err, context.Canceled):
		return fault{kind: faultCanceled, err: err}, true
	case errors.As(err, &nerr) && nerr.Timeout():
		return fault{kind: faultTimeout, err: err}, true
	}
	return fault{}, false
}

// transportFault classifies an error that came with no HTTP response.
func transportFault(err error) fault {
	switch {
	case errors.Is(err, errEgress):
		return fault{kind: faultEgress, err: err}
	case isCertificateError(err):
		return fault{kind: faultCertificate, err: err}
	}
	return fault{kind: faultNetwork, err: err}
}

// secondaryFault builds a secondary rate limit that ends after retryAfter,
// or as the response's headers say.
func secondaryFault(retryAfter *time.Duration, resp *http.Response, now time.Time,
	err error) fault {
	until := now.Add(defaultWait)
	if retryAfter != nil && *retryAfter > 0 {
		until = now.Add(*retryAfter)
	} else if resp != nil {
		until = headerWait(resp.Header, now)
	}
	return fault{kind: faultSecondaryLimit, status: statusOf(resp), until: until, err: err}
}

// responseFault classifies an HTTP error response by its status and headers.
// go-github v60 recognises rate limits only on 403, so 429 is read here.
func responseFault(resp *http.Response, now time.Time, err error) fault {
	status := statusOf(resp)
	f := fault{status: status, err: err}
	switch {
	case (status == http.StatusForbidden || status == http.StatusTooManyRequests) &&
		resp.Header.Get("X-RateLimit-Remaining") == "0":
		f.kind, f.until = faultPrimaryLimit, headerWait(resp.Header, now)
	case status == http.StatusTooManyRequests ||
		(status == http.StatusForbidden && resp.Header.Get("Retry-After") != ""):
		f.kind, f.until = faultSecondaryLimit, headerWait(resp.Header, now)
	case status == http.StatusForbidden && resp.Header.Get("X-GitHub-SSO") != "":
		f.kind, f.sso = faultSSO, resp.Header.Get("X-GitHub-SSO")
	case status == http.StatusNotFound:
		f.kind = faultNotFound
	case status == http.StatusUnauthorized:
		f.kind = faultUnauthorized
	case status == http.StatusForbidden:
		f.kind = faultForbidden
	case status >= 500:
		f.kind = faultUnavailable
	default:
		f.kind = faultUnexpected
	}
	return f
}

// headerWait reads when a rate limit ends from Retry-After (seconds) or
// X-RateLimit-Reset (Unix time), in that order.
func headerWait(h http.Header, now time.Time) time.Time {
	if s, err := strconv.ParseInt(h.Get("Retry-After"), 10, 64); err == nil && s > 0 {
		return now.Add(time.Duration(s) * time.Second)
	}
	if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil && s > 0 {
		return time.Unix(s, 0)
	}
	return now.Add(defaultWait)
}

// resetOr returns reset, or a minute from now when reset is unknown.
func resetOr(reset, now time.Time) time.Time {
	if reset.IsZero() {
		return now.Add(defaultWait)
	}
	return reset
}

// statusOf returns the response's status, or 0 when there was no response.
func statusOf(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// pending is the message of a check that could not be completed because of
// f, for a call to service ("GitHub" or the registry's host). who names the
// credential whose rate limit ran out. Faults that the user can act on, such
// as a missing account, have their own messages in each check; given one,
// pending says the answer was unexpected.
func (f fault) pending(service, who string, now time.Time) string {
	switch f.kind {
	case faultPrimaryLimit:
		return fmt.Sprintf("%s's rate limit for %s is used up, so the portal could not check. "+
			"Try again after %s.", service, who, whenText(f.until, now))
	case faultSecondaryLimit:
		return fmt.Sprintf("%s asked the portal to slow down, so it could not check. Try again "+
			"after %s.", service, whenText(f.until, now))
	case faultTimeout:
		return service + " did not answer in time; try again in a minute."
	case faultCanceled:
		return "The check was stopped before " + service + " answered; try again."
	case faultUnavailable:
		return fmt.Sprintf("%s is having problems (it answered %d %s); try again in a few "+
			"minutes.", service, f.status, http.StatusText(f.status))
	case faultNetwork:
		return "The portal could not reach " + service + "; try again in a few minutes."
	}
	return f.pendingForOperators(service)
}

// pendingForOperators is the message for faults that only the portal's
// operators can fix.
func (f fault) pendingForOperators(service string) string {
	switch f.kind {
	case faultCertificate:
		return "The portal could not verify " + service + "'s TLS certificate, so it sent " +
			"nothing. Please tell the portal's operators."
	case faultEgress:
		return service + " sent the portal to another address, which it refuses to follow " +
			"with credentials. Please tell the portal's operators."
	case faultAppAuth:
		return "The portal's GitHub App could not sign in to GitHub. Please tell the portal's " +
			"operators to check GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and " +
			"GITHUB_APP_PRIVATE_KEY, and that the App is installed on the organisation."
	}
	status := "no answer"
	if f.status != 0 {
		status = fmt.Sprintf("HTTP %d", f.status)
	}
	return fmt.Sprintf("%s gave an unexpected answer (%s); try again later, and tell the "+
		"portal's operators if it keeps happening.", service, status)
}

// whenText says when t is, in UTC and relative to now, such as
// "14:05 UTC (in about 12 minutes)".
func whenText(t, now time.Time) string {
	t, now = t.UTC(), now.UTC()
	layout := "15:04 UTC"
	if t.YearDay() != now.YearDay() || t.Year() != now.Year() {
		layout = "15:04 UTC on 2 January"
	}
	minutes := int(math.Ceil(t.Sub(now).Minutes()))
	if minutes <= 1 {
		return t.Format(layout) + " (in about a minute)"
	}
	return fmt.Sprintf("%s (in about %d minutes)", t.Format(layout), minutes)
}

// redact removes secret from s, for error texts that go to logs.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[REDACTED]")
}
