package handlers_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"ghcrportal/internal/handlers"
	"ghcrportal/internal/onboarding"
)

func TestHealthAndReadiness(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	r := e.get(c, "/healthz")
	wantStatus(t, r, http.StatusOK)
	r = e.get(c, "/readyz")
	wantStatus(t, r, http.StatusOK)

	e.srv.Drain()
	wantStatus(t, e.get(c, "/readyz"), http.StatusServiceUnavailable)
	wantStatus(t, e.get(c, "/healthz"), http.StatusOK)
}

func TestReadinessFailsWhenTheDatabaseDoes(t *testing.T) {
	e := newEnv(t, func(o *options) {
		o.wrapStore = func(s handlers.Store) handlers.Store {
			return &failingStore{Store: s, err: errors.New("dial tcp 10.0.0.5:5432: i/o timeout")}
		}
	})
	c := e.browser()
	wantStatus(t, e.get(c, "/readyz"), http.StatusServiceUnavailable)
	wantStatus(t, e.get(c, "/healthz"), http.StatusOK)
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	e.get(c, "/sign-in")
	e.get(c, "/no/such/page/42")
	r := e.get(c, "/metrics")
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{
		`portal_http_requests_total{method="GET",route="/sign-in",status="200"} 1`,
		`portal_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		"portal_http_request_duration_seconds_bucket",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(r.body, "/no/such/page") {
		t.Error("metrics carry a raw path")
	}
}

// failingStore is a real store whose chosen methods fail, as when the
// database goes away.
type failingStore struct {
	handlers.Store
	err error
}

func (f *failingStore) Ready(context.Context) error { return f.err }

func (f *failingStore) ListOnboardings(context.Context, string) ([]*onboarding.Onboarding, error) {
	return nil, f.err
}

func TestStoreFailuresShowAMessageNotTheError(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantText   string
		wantLog    string
	}{
		{"unexpected", errors.New(`ERROR: relation "onboardings" does not exist (SQLSTATE 42P01)`),
			http.StatusInternalServerError, "Something went wrong on our side", "SQLSTATE 42P01"},
		{"unavailable", onboarding.WrapError(onboarding.EUnavailable,
			"The database is not answering. Try again in a minute.",
			errors.New("dial tcp 10.0.0.5:5432: connect: connection refused")),
			http.StatusServiceUnavailable, "Try again in a minute", "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(o *options) {
				o.wrapStore = func(s handlers.Store) handlers.Store {
					return &failingStore{Store: s, err: tt.err}
				}
			})
			c := e.signedInBrowser()
			r := e.get(c, "/")
			wantStatus(t, r, tt.wantStatus)
			if !strings.Contains(r.body, tt.wantText) {
				t.Errorf("page lacks %q", tt.wantText)
			}
			for _, leak := range []string{"SQLSTATE", "relation", "dial tcp", "5432"} {
				if strings.Contains(r.body, leak) {
					t.Errorf("page shows %q from the raw error", leak)
				}
			}
			if id := r.Header.Get("X-Request-Id"); id == "" || !strings.Contains(r.body, id) {
				t.Error("page does not show the request ID")
			}
			if !strings.Contains(e.logs.String(), tt.wantLog) {
				t.Error("the cause is not in the log")
			}
		})
	}
}
