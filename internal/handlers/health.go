package handlers

import (
	"context"
	"net/http"
	"time"

	"ghcrportal/web"
)

// readyTimeout bounds the readiness probe's database check.
const readyTimeout = 2 * time.Second

// healthz says the process is alive. It checks nothing else, so that a slow
// database never gets a healthy process restarted.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeText(w, http.StatusOK, "ok\n")
}

// readyz says whether this replica should get traffic: it is not shutting
// down, the database answers, and its schema is the one this build expects.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeText(w, http.StatusServiceUnavailable, "shutting down\n")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.cfg.Store.Ready(ctx); err != nil {
		s.cfg.Logger.WarnContext(ctx, "not ready", "error", err.Error())
		writeText(w, http.StatusServiceUnavailable, "database not ready\n")
		return
	}
	writeText(w, http.StatusOK, "ready\n")
}

func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func (s *Server) staticAssets() http.Handler {
	return web.StaticHandler(s.handle(s.notFound))
}
