package github

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// errEgress is why the guard refused a request: its destination is not the
// one host that the client may talk to.
var errEgress = errors.New("destination not allowed")

// guard is a transport that sends requests only to one scheme and host, so
// that no credential can reach another place by a redirect, a token realm or
// a mistake.
type guard struct {
	next   http.RoundTripper
	scheme string
	host   string
}

func newGuard(next http.RoundTripper, scheme, host string) *guard {
	return &guard{next: next, scheme: scheme, host: strings.ToLower(host)}
}

// RoundTrip sends req if it goes to the allowed scheme and host, and refuses
// it otherwise without sending anything.
func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != g.scheme || strings.ToLower(req.URL.Host) != g.host {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("send to %s://%s: %w", req.URL.Scheme, req.URL.Host, errEgress)
	}
	return g.next.RoundTrip(req)
}

// maxRetries is how many times a failed call is tried again.
const maxRetries = 2

// backoff returns how long to wait before retry number n, from 0.
type backoff func(n int) time.Duration

// newBackoff doubles base for each retry and picks a delay between half and
// all of it, so that many clients do not retry in step.
func newBackoff(base time.Duration) backoff {
	return func(n int) time.Duration {
		d := base << n
		return d/2 + rand.N(d/2+1)
	}
}

// retry is a transport that tries idempotent requests again when the network
// fails or the server answers 502, 503 or 504, at most maxRetries times, and
// stops as soon as the request's context ends.
type retry struct {
	next    http.RoundTripper
	backoff backoff
}

func newRetry(next http.RoundTripper, b backoff) *retry {
	return &retry{next: next, backoff: b}
}

// RoundTrip sends req, and again after a delay while the failure is one that
// may pass.
func (r *retry) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return r.next.RoundTrip(req)
	}
	ctx := req.Context()
	for n := 0; ; n++ {
		resp, err := r.next.RoundTrip(req.Clone(ctx))
		if n == maxRetries || ctx.Err() != nil || !retryable(resp, err) {
			return resp, err
		}
		discard(resp)
		if err := sleep(ctx, r.backoff(n)); err != nil {
			return nil, err
		}
	}
}

// retryable reports whether a failure may pass if the request is sent again:
// a gateway error or a network error, but not a refused destination or a
// certificate that does not verify.
func retryable(resp *http.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, errEgress) && !isCertificateError(err) &&
			!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isCertificateError reports whether err is a TLS certificate that failed to
// verify, which no retry will fix.
func isCertificateError(err error) bool {
	var (
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &unknown) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// discard reads what is left of a response that will not be used, so that
// its connection can be reused, and closes it.
func discard(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// sleep waits for d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
