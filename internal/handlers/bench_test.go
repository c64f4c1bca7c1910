package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/handlers"
	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
	"ghcrportal/internal/store/storetest"
)

// BenchmarkHomePage measures a signed-in person's home page through the
// whole stack: middleware, a session lookup in the store, the list query
// and rendering. It runs in process, so the figure excludes the network.
func BenchmarkHomePage(b *testing.B) {
	for _, backend := range []struct {
		name string
		open func(testing.TB) store.Store
	}{
		{"postgres", storetest.NewPostgres},
		{"sqlite", storetest.NewSQLite},
	} {
		b.Run(backend.name, func(b *testing.B) {
			benchmarkHomePage(b, backend.open(b))
		})
	}
}

func benchmarkHomePage(b *testing.B, st store.Store) {
	srv, cookie := benchServer(b, st)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(cookie)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// benchServer returns a portal over st and the cookie of a signed-in person
// who has a few onboardings.
func benchServer(b *testing.B, st store.Store) (*handlers.Server, *http.Cookie) {
	b.Helper()
	clock := newTestClock()
	srv := newBenchHandler(b, st, clock)
	req := httptest.NewRequest(http.MethodPost, "/auth/dev/sign-in",
		strings.NewReader("display_name=Ada&role=staff"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	cookie := findCookie(w.Result().Cookies(), "portal_session")
	if cookie == nil {
		b.Fatalf("sign-in: status %d, no cookie", w.Code)
	}
	u, err := st.UpsertUser(b.Context(), auth.DevIdentity("Ada"), "Ada", "", clock.Now())
	if err != nil {
		b.Fatal(err)
	}
	for i := range 5 {
		o := onboarding.NewOnboarding(onboarding.NewID(), u.ID,
			clock.Now().Add(-time.Duration(i)*time.Minute))
		o.SaveStep(onboarding.StepPublish, map[string]string{
			onboarding.FieldRepository: "ImperialCollegeLondon/repo",
			onboarding.FieldImageName:  "image",
			onboarding.FieldTag:        "1.0." + strconv.Itoa(i),
		}, testPlace, o.CreatedAt)
		if err := st.CreateOnboarding(b.Context(), o); err != nil {
			b.Fatal(err)
		}
	}
	return srv, cookie
}

func newBenchHandler(b *testing.B, st handlers.Store, clock *testClock) *handlers.Server {
	b.Helper()
	srv, err := handlers.New(handlers.Config{
		Store:    st,
		Sessions: auth.NewSessions(st, false, clock.Now),
		Logger:   slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(),
		Now:      clock.Now,
	})
	if err != nil {
		b.Fatal(err)
	}
	return srv
}
