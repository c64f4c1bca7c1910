package github

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// credential is who a call to GitHub is made as, which decides whose rate
// limit it uses.
type credential string

// The credentials the client calls GitHub with.
const (
	asApp       credential = "app"
	asAnonymous credential = "anonymous"
	asToken     credential = "token"
)

// who names the credential's rate limit in a message.
func (c credential) who() string {
	switch c {
	case asApp:
		return "the portal's GitHub App"
	case asAnonymous:
		return "checks the portal makes without signing in (the portal's operators can " +
			"raise it by configuring the portal's GitHub App)"
	}
	return "this token's account"
}

// limiter remembers the rate limits GitHub has reported, so that the client
// waits them out instead of calling again: a secondary limit stops every call
// to GitHub, and a primary limit stops the calls made as the App or
// anonymously. A token's own primary limit concerns one account, and is not
// remembered.
type limiter struct {
	mu    sync.Mutex
	all   time.Time
	until map[credential]time.Time
}

func newLimiter() *limiter {
	return &limiter{until: make(map[credential]time.Time)}
}

// check returns the rate limit that forbids a call as cred at now, if any.
func (l *limiter) check(cred credential, now time.Time) (fault, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.all) {
		return fault{kind: faultSecondaryLimit, until: l.all}, true
	}
	if until := l.until[cred]; now.Before(until) {
		return fault{kind: faultPrimaryLimit, until: until}, true
	}
	return fault{}, false
}

// record remembers the rate limit in f, if any.
func (l *limiter) record(cred credential, f fault) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case f.kind == faultSecondaryLimit && f.until.After(l.all):
		l.all = f.until
	case f.kind == faultPrimaryLimit && cred != asToken && f.until.After(l.until[cred]):
		l.until[cred] = f.until
	}
}

// apiCall is one call to GitHub's API through go-github.
type apiCall func(ctx context.Context) (*gh.Response, error)

// call makes one call to GitHub as cred, within the client's timeout, unless
// a known rate limit forbids it. op names the call in the log line; secret,
// when set, is removed from any error text that is logged.
func (c *Client) call(ctx context.Context, cred credential, op, secret string,
	fn apiCall) (*gh.Response, fault) {
	if f, limited := c.limits.check(cred, c.now()); limited {
		c.log.LogAttrs(ctx, slog.LevelDebug, "github call skipped", slog.String("op", op),
			slog.String("fault", f.kind.String()), slog.Time("until", f.until))
		return nil, f
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	start := time.Now()
	resp, err := fn(ctx)
	f := apiFault(err, c.now())
	c.limits.record(cred, f)
	c.logCall(ctx, op, statusOf(responseOf(resp)), time.Since(start), f, secret)
	return resp, f
}

// responseOf returns the HTTP response inside a go-github response, if any.
func responseOf(resp *gh.Response) *http.Response {
	if resp == nil {
		return nil
	}
	return resp.Response
}

// logCall writes one line about an outbound call: at debug level when it
// worked or failed for a reason the user can act on, and as a warning when it
// could not be completed.
func (c *Client) logCall(ctx context.Context, op string, status int, d time.Duration,
	f fault, secret string) {
	level := slog.LevelDebug
	if !f.ok() && !userFault(f.kind) {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("op", op),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.String("fault", f.kind.String()),
	}
	if f.err != nil {
		attrs = append(attrs, slog.String("error", redact(f.err.Error(), secret)))
	}
	c.log.LogAttrs(ctx, level, "github call", attrs...)
}

// userFault reports whether a fault is an answer about what the user set up,
// such as a missing account, rather than a failure to get an answer.
func userFault(k faultKind) bool {
	switch k {
	case faultNotFound, faultUnauthorized, faultForbidden, faultSSO:
		return true
	}
	return false
}
