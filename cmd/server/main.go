// Command server runs the GHCR-on-Azure onboarding portal. It reads its
// configuration from the environment, opens the store, wires the sign-in,
// the GitHub clients and the HTTP handlers together, and serves until it is
// told to stop.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/config"
	"ghcrportal/internal/github"
	"ghcrportal/internal/handlers"
	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
	"ghcrportal/internal/store/postgres"
	"ghcrportal/internal/store/sqlite"
)

// Timeouts of the HTTP server and of shutdown. Azure Container Apps sends
// SIGKILL 30 seconds after SIGTERM by default; shutdown finishes before that.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 25 * time.Second
	oidcTimeout       = 10 * time.Second
	sessionSweepEvery = 15 * time.Minute
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "portal: %v\n", err)
		os.Exit(1)
	}
}

// run serves the portal until ctx is cancelled, then shuts down gracefully.
func run(ctx context.Context, stderr io.Writer) error {
	cfg, err := config.FromEnvironment()
	if err != nil {
		return fmt.Errorf("the configuration has problems, so the portal did not start:\n%w", err)
	}
	logger := newLogger(cfg, stderr)
	logger.Info("starting", "config", cfg)
	if cfg.DevSignIn() {
		warnDevSignIn(logger, cfg)
	}

	st, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()

	srv, err := newServer(ctx, cfg, st, logger)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, srv, st, logger)
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func warnDevSignIn(logger *slog.Logger, cfg *config.Config) {
	logger.Warn("*** DEVELOPMENT SIGN-IN IS ON: anyone who can reach " + cfg.Addr +
		" can sign in as anyone, including as an admin. It is allowed only on a loopback " +
		"address. Set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET for real sign-in. ***")
}

// openStore opens Postgres when DATABASE_URL is set and the embedded SQLite
// database in the data directory otherwise. Either applies its migrations.
func openStore(ctx context.Context, cfg *config.Config, logger *slog.Logger) (store.Store, error) {
	if cfg.DatabaseURL != "" {
		st, err := postgres.Open(ctx, cfg.DatabaseURL, logger)
		if err != nil {
			return nil, fmt.Errorf("open the Postgres database: %w", err)
		}
		return st, nil
	}
	logger.Info("using the embedded SQLite database", "data_dir", cfg.DataDir)
	st, err := sqlite.Open(ctx, cfg.DataDir, logger)
	if err != nil {
		return nil, fmt.Errorf("open the SQLite database in %s: %w", cfg.DataDir, err)
	}
	return st, nil
}

// newServer wires sign-in, sessions and metrics into the HTTP handlers.
func newServer(ctx context.Context, cfg *config.Config, st store.Store,
	logger *slog.Logger) (*handlers.Server, error) {
	sessions := auth.NewSessions(st, cfg.SecureCookies(), time.Now)
	var oidc *auth.OIDC
	if cfg.OIDC != nil {
		var err error
		oidc, err = newOIDC(ctx, cfg, st)
		if err != nil {
			return nil, err
		}
	}

	checker, err := newChecker(cfg, logger)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return handlers.New(handlers.Config{
		Store:     st,
		Sessions:  sessions,
		OIDC:      oidc,
		Checker:   checker,
		Logger:    logger,
		Registry:  reg,
		PublicURL: cfg.PublicURL,
		Place:     onboarding.Place{Org: cfg.GitHubOrg, Registry: cfg.RegistryHost},
		Now:       time.Now,
	})
}

// newChecker builds the client that checks steps 3 to 6 against GitHub and
// the registry, with the portal's GitHub App when one is configured.
func newChecker(cfg *config.Config, logger *slog.Logger) (*github.Client, error) {
	gc := github.Config{
		APIURL:   cfg.GitHubAPIURL,
		Org:      cfg.GitHubOrg,
		Registry: cfg.RegistryHost,
		Now:      time.Now,
		Logger:   logger,
	}
	if app := cfg.GitHubApp; app != nil {
		gc.App = &github.AppCredentials{
			AppID:          app.AppID,
			InstallationID: app.InstallationID,
			PrivateKey:     app.PrivateKey,
		}
	} else {
		logger.Warn("no GitHub App is configured: the checks of organisation membership " +
			"(step 3) and repository permission (step 5) will say so; set GITHUB_APP_ID, " +
			"GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY to run them")
	}
	c, err := github.New(gc)
	if err != nil {
		return nil, fmt.Errorf("set up the GitHub client: %w", err)
	}
	return c, nil
}

func newOIDC(ctx context.Context, cfg *config.Config, st store.Store) (*auth.OIDC, error) {
	oc := auth.OIDCConfig{
		IssuerURL:    cfg.OIDC.IssuerURL,
		ClientID:     cfg.OIDC.ClientID,
		ClientSecret: cfg.OIDC.ClientSecret,
		RedirectURL:  cfg.RedirectURL(),
		TenantID:     cfg.OIDC.TenantID,
		Roles:        auth.RolePolicy{AdminRole: cfg.AdminRole, AdminGroups: cfg.AdminGroups},
	}
	client := &http.Client{Timeout: oidcTimeout}
	dctx, cancel := context.WithTimeout(ctx, oidcTimeout)
	defer cancel()
	o, err := auth.NewOIDC(dctx, oc, st, cfg.SecureCookies(), time.Now, client)
	if err != nil {
		return nil, fmt.Errorf("set up sign-in with %s (check OIDC_ISSUER_URL and that "+
			"the provider is reachable): %w", cfg.OIDC.IssuerURL, err)
	}
	return o, nil
}

// serve listens until ctx is cancelled, then stops taking new requests,
// lets those in flight finish, and returns.
func serve(ctx context.Context, cfg *config.Config, srv *handlers.Server, st store.Store,
	logger *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go sweepSessions(ctx, st, logger)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String(), "url", publicURL(cfg, ln))

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	srv.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// publicURL is the address to print for people: the configured public URL,
// or the listener's when the configured port was 0.
func publicURL(cfg *config.Config, ln net.Listener) string {
	if _, port, _ := net.SplitHostPort(cfg.Addr); port == "0" {
		return "http://" + ln.Addr().String()
	}
	return cfg.PublicURL.String()
}

// sweepSessions removes expired sessions now and then. Every replica does
// it; the deletes are idempotent.
func sweepSessions(ctx context.Context, st store.Store, logger *slog.Logger) {
	t := time.NewTicker(sessionSweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		n, err := st.DeleteExpiredSessions(ctx, now, now.Add(-auth.IdleTimeout))
		if err != nil {
			logger.Warn("sweep expired sessions", "error", err.Error())
			continue
		}
		logger.Debug("swept expired sessions", "count", n)
	}
}
