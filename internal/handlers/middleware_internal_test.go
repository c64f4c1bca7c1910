package handlers

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"ghcrportal/internal/auth"
)

func TestPanicGivesAnErrorPageAndTheServerGoesOn(t *testing.T) {
	var logs bytes.Buffer
	s, err := New(Config{
		Sessions: auth.NewSessions(nil, false, nil),
		Logger:   slog.New(slog.NewJSONHandler(&logs, nil)),
		Registry: prometheus.NewRegistry(),
	})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "ghp_secretvalueinsidethepanic0000000000"
	h := s.requestID(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom " + secret)
	})))

	for i := 0; i < 2; i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
		body := w.Body.String()
		if w.Code != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500", w.Code)
		}
		for _, leak := range []string{"goroutine", "boom", secret, "panic"} {
			if strings.Contains(body, leak) {
				t.Errorf("the page shows %q", leak)
			}
		}
		if id := w.Header().Get("X-Request-Id"); !strings.Contains(body, id) {
			t.Error("the page does not show the request ID")
		}
	}
	if strings.Contains(logs.String(), secret) {
		t.Error("the panic's value reached the log")
	}
	if !strings.Contains(logs.String(), "handler panicked") {
		t.Error("the panic was not logged")
	}
}
