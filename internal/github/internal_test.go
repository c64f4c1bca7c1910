package github

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-cmp/cmp"
)

// countingTransport answers every request with status and counts them.
type countingTransport struct {
	status int
	calls  atomic.Int32
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.calls.Add(1)
	return &http.Response{StatusCode: c.status, Body: http.NoBody, Request: req}, nil
}

func TestGuard(t *testing.T) {
	tests := []struct {
		url     string
		allowed bool
	}{
		{"https://api.github.com/user", true},
		{"https://API.GITHUB.COM/user", true},
		{"http://api.github.com/user", false},
		{"https://api.github.com:8443/user", false},
		{"https://github.com/login", false},
		{"https://evil.example/api.github.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			next := &countingTransport{status: http.StatusOK}
			g := newGuard(next, "https", "api.github.com")
			req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
			_, err := g.RoundTrip(req)
			if got := err == nil; got != tt.allowed {
				t.Errorf("allowed = %v, want %v (err %v)", got, tt.allowed, err)
			}
			if !tt.allowed && (next.calls.Load() != 0 || !errors.Is(err, errEgress)) {
				t.Errorf("refused request reached the network or lacks errEgress: %v", err)
			}
		})
	}
}

func TestRetryTransport(t *testing.T) {
	tests := []struct {
		method string
		status int
		calls  int32
	}{
		{http.MethodGet, http.StatusBadGateway, 3},
		{http.MethodGet, http.StatusServiceUnavailable, 3},
		{http.MethodHead, http.StatusGatewayTimeout, 3},
		{http.MethodGet, http.StatusInternalServerError, 1},
		{http.MethodGet, http.StatusTooManyRequests, 1},
		{http.MethodGet, http.StatusUnauthorized, 1},
		{http.MethodPost, http.StatusServiceUnavailable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+http.StatusText(tt.status), func(t *testing.T) {
			next := &countingTransport{status: tt.status}
			r := newRetry(next, newBackoff(time.Millisecond))
			req, _ := http.NewRequest(tt.method, "https://api.github.com/x", nil)
			resp, err := r.RoundTrip(req)
			if err != nil || resp.StatusCode != tt.status {
				t.Fatalf("RoundTrip = %v, %v", resp, err)
			}
			if got := next.calls.Load(); got != tt.calls {
				t.Errorf("calls = %d, want %d", got, tt.calls)
			}
		})
	}
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	b := newBackoff(100 * time.Millisecond)
	for n, limit := range []time.Duration{100, 200, 400} {
		limit *= time.Millisecond
		for range 50 {
			if d := b(n); d < limit/2 || d > limit {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, limit/2, limit)
			}
		}
	}
}

func TestSSOLink(t *testing.T) {
	tests := []struct {
		api, header, want string
	}{
		{"https://api.github.com/",
			"required; url=https://github.com/orgs/ORG/sso?authorization_request=abc",
			"https://github.com/orgs/ORG/sso?authorization_request=abc"},
		{"https://github.example.ac.uk/api/v3/",
			"required; url=https://github.example.ac.uk/orgs/ORG/sso?authorization_request=abc",
			"https://github.example.ac.uk/orgs/ORG/sso?authorization_request=abc"},
		{"https://api.github.com/", "required; url=http://github.com/orgs/ORG/sso", ""},
		{"https://api.github.com/", "required; url=https://evil.example/orgs/ORG/sso", ""},
		{"https://api.github.com/", "required; url=https://github.com.evil.example/x", ""},
		{"https://api.github.com/", "required; url=https://user@github.com/x", ""},
		{"https://api.github.com/", "required", ""},
	}
	for _, tt := range tests {
		api, _ := url.Parse(tt.api)
		c := &Client{apiURL: api}
		if got := c.ssoLink(tt.header); got != tt.want {
			t.Errorf("ssoLink(%q) with API %s = %q, want %q", tt.header, tt.api, got, tt.want)
		}
	}
}

func TestWhenText(t *testing.T) {
	now := time.Date(2030, 1, 2, 23, 50, 0, 0, time.UTC)
	tests := []struct {
		at   time.Time
		want string
	}{
		{now.Add(30 * time.Second), "23:50 UTC (in about a minute)"},
		{now.Add(5 * time.Minute), "23:55 UTC (in about 5 minutes)"},
		{now.Add(20 * time.Minute), "00:10 UTC on 3 January (in about 20 minutes)"},
	}
	for _, tt := range tests {
		if got := whenText(tt.at, now); got != tt.want {
			t.Errorf("whenText(%v) = %q, want %q", tt.at, got, tt.want)
		}
	}
}

func TestParseScopes(t *testing.T) {
	tests := []struct {
		values     []string
		want       []string
		wantListed bool
	}{
		{nil, nil, false},
		{[]string{""}, []string{}, true},
		{[]string{"repo, read:org"}, []string{"repo", "read:org"}, true},
		{[]string{"read:packages"}, []string{"read:packages"}, true},
		{[]string{" write:packages ,repo "}, []string{"write:packages", "repo"}, true},
	}
	for _, tt := range tests {
		got, listed := parseScopes(tt.values)
		if d := cmp.Diff(tt.want, got); d != "" || listed != tt.wantListed {
			t.Errorf("parseScopes(%q) listed %v (-want +got):\n%s", tt.values, listed, d)
		}
	}
}

func TestResponseFault(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	reset := now.Add(time.Hour)
	tests := []struct {
		name   string
		status int
		header map[string]string
		want   faultKind
		until  time.Time
	}{
		{"429 with remaining 0", 429, map[string]string{"X-RateLimit-Remaining": "0",
			"X-RateLimit-Reset": "1893560645"}, faultPrimaryLimit, time.Unix(1893560645, 0)},
		{"429 with Retry-After", 429, map[string]string{"Retry-After": "90"},
			faultSecondaryLimit, now.Add(90 * time.Second)},
		{"403 with Retry-After", 403, map[string]string{"Retry-After": "3600"},
			faultSecondaryLimit, reset},
		{"403 single sign-on", 403, map[string]string{"X-GitHub-SSO": "required; url=x"},
			faultSSO, time.Time{}},
		{"403", 403, nil, faultForbidden, time.Time{}},
		{"404", 404, nil, faultNotFound, time.Time{}},
		{"401", 401, nil, faultUnauthorized, time.Time{}},
		{"502", 502, nil, faultUnavailable, time.Time{}},
		{"302", 302, nil, faultUnexpected, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			for k, v := range tt.header {
				resp.Header.Set(k, v)
			}
			f := responseFault(resp, now, errors.New("x"))
			if f.kind != tt.want || !f.until.Equal(tt.until) {
				t.Errorf("fault = %v until %v, want %v until %v", f.kind, f.until, tt.want,
					tt.until)
			}
		})
	}
}

func TestContextFault(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if f := apiFault(ctx.Err(), time.Now()); f.kind != faultCanceled {
		t.Errorf("cancelled: %v", f.kind)
	}
	if f := apiFault(context.DeadlineExceeded, time.Now()); f.kind != faultTimeout {
		t.Errorf("deadline: %v", f.kind)
	}
	if m := (fault{kind: faultTimeout}).pending("GitHub", "", time.Now()); !strings.Contains(m,
		"try again in a minute") {
		t.Errorf("timeout message %q", m)
	}
}

func TestAppFault(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	response := func(status int) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{}}
	}
	tests := []struct {
		name string
		err  *ghinstallation.HTTPError
		want faultKind
	}{
		{"key refused", &ghinstallation.HTTPError{Response: response(401)}, faultAppAuth},
		{"not installed", &ghinstallation.HTTPError{Response: response(404)}, faultAppAuth},
		{"GitHub down", &ghinstallation.HTTPError{Response: response(503)}, faultUnavailable},
		{"unreachable", &ghinstallation.HTTPError{RootCause: errors.New("dial")}, faultNetwork},
		{"refused destination", &ghinstallation.HTTPError{RootCause: errEgress}, faultEgress},
	}
	for _, tt := range tests {
		wrapped := &url.Error{Op: "Get", URL: "https://api.github.com/x", Err: tt.err}
		if got := apiFault(wrapped, now).kind; got != tt.want {
			t.Errorf("%s: fault %v, want %v", tt.name, got, tt.want)
		}
	}
}
