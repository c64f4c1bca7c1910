// Package handlers is the portal's HTTP layer: the chi router, one file per
// area, the middleware every request passes through, and the adapter that
// turns a handler's error into a status, a log line and a page.
package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// Store is what the handlers read and write directly; sign-in and sessions go
// through auth.
type Store interface {
	auth.Store
	CreateOnboarding(ctx context.Context, o *onboarding.Onboarding) error
	GetOnboarding(ctx context.Context, id string) (*onboarding.Onboarding, error)
	UpdateOnboarding(ctx context.Context, o *onboarding.Onboarding, at time.Time) error
	ListOnboardings(ctx context.Context, ownerID string) ([]*onboarding.Onboarding, error)
	AllowEvent(ctx context.Context, key string, limits []store.RateLimit,
		now time.Time) (store.RateDecision, error)
	Ready(ctx context.Context) error
}

// Config is everything the HTTP layer is built from. cmd/server fills it in.
type Config struct {
	Store    Store
	Sessions *auth.Sessions
	// OIDC signs people in; nil selects the development sign-in.
	OIDC *auth.OIDC
	// Checker checks steps 3 to 6 against GitHub and the registry.
	Checker Checker
	Logger  *slog.Logger
	// Registry collects the portal's metrics and serves them at /metrics.
	Registry *prometheus.Registry
	// PublicURL is where people reach the portal. With https, responses
	// carry HSTS; its origin is trusted for cross-origin checks.
	PublicURL *url.URL
	// Place is the GitHub organisation and the registry the portal serves.
	Place onboarding.Place
	Now   func() time.Time
}

// Server serves the portal.
type Server struct {
	cfg      Config
	router   chi.Router
	metrics  *metrics
	csrf     *http.CrossOriginProtection
	draining atomic.Bool
	// checkSlots bounds the checks against GitHub running at once.
	checkSlots chan struct{}
}

// maxBodyBytes caps every request body; forms are far smaller.
const maxBodyBytes = 1 << 20

// New builds the portal's handler from cfg.
func New(cfg Config) (*Server, error) {
	m, err := newMetrics(cfg.Registry)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, metrics: m, checkSlots: make(chan struct{}, maxConcurrentChecks)}
	if s.csrf, err = s.crossOriginProtection(); err != nil {
		return nil, err
	}
	cfg.Sessions.OnError = s.renderError
	s.router = s.routes()
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// Router returns the route tree, so that tests can walk every route.
func (s *Server) Router() chi.Routes { return s.router }

// Drain makes /readyz fail so that load balancers stop sending new requests
// while the server shuts down.
func (s *Server) Drain() { s.draining.Store(true) }

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(s.requestID, s.observe, s.recoverPanics, s.securityHeaders, s.refuseTokensInURL,
		limitBody, s.csrf.Handler, s.cfg.Sessions.Load, noteUser)
	r.NotFound(s.handle(s.notFound))
	r.MethodNotAllowed(s.methodNotAllowed)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/metrics", s.metrics.handler())
	r.Method(http.MethodGet, "/static/*", s.staticAssets())

	s.authRoutes(r)
	r.Group(func(r chi.Router) {
		r.Use(s.requireUser)
		r.Get("/", s.handle(s.home))
		s.wizardRoutes(r)
	})
	return r
}

// crossOriginProtection refuses state-changing requests that a browser
// marks as cross-origin. The public URL's origin is trusted in case a proxy
// in front rewrites the Host header.
func (s *Server) crossOriginProtection() (*http.CrossOriginProtection, error) {
	cop := http.NewCrossOriginProtection()
	if s.cfg.PublicURL != nil {
		origin := s.cfg.PublicURL.Scheme + "://" + s.cfg.PublicURL.Host
		if err := cop.AddTrustedOrigin(origin); err != nil {
			return nil, fmt.Errorf("trust origin %s: %w", origin, err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, errCrossOrigin)
	}))
	return cop, nil
}

var errCrossOrigin = onboarding.Errorf(onboarding.EForbidden,
	"This form was sent from another site, so the portal did not act on it. "+
		"Go back to the portal's page and send it from there.")

// secure reports whether the portal is served over https.
func (s *Server) secure() bool {
	return s.cfg.PublicURL != nil && s.cfg.PublicURL.Scheme == "https"
}
