package handlers

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/onboarding"
)

type requestInfoKey struct{}

// requestInfo is what the request's log line says about it beyond the
// request itself. Middleware further in fills it in.
type requestInfo struct {
	id     string
	userID string
}

// requestID gives every request a random ID, returned in X-Request-Id and
// shown on error pages, so that a person can quote it and an operator can
// find the request's log line. An incoming ID is not trusted.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := &requestInfo{id: base64.RawURLEncoding.EncodeToString(onboarding.RandomBytes(12))}
		w.Header().Set("X-Request-Id", info.id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
	})
}

// requestIDFrom returns the request's ID.
func requestIDFrom(ctx context.Context) string {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// noteUser records who the request is from for its log line.
func noteUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo)
		if p := auth.FromContext(r.Context()); ok && p != nil {
			info.userID = p.User.ID
		}
		next.ServeHTTP(w, r)
	})
}

// observe writes one log line and the metrics for every request. It logs the
// route pattern, never the raw path or query, which may carry anything.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info, _ := r.Context().Value(requestInfoKey{}).(*requestInfo)
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)

		elapsed := time.Since(start)
		route := routePattern(r)
		s.metrics.observe(r.Method, route, ww.Status(), elapsed)
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", ww.Status()),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.Int("bytes", ww.BytesWritten()),
			slog.String("request_id", info.id),
		}
		if info.userID != "" {
			attrs = append(attrs, slog.String("user_id", info.userID))
		}
		s.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// routePattern is the matched route, or "unmatched", so that metrics and
// logs stay bounded whatever paths are requested.
func routePattern(r *http.Request) string {
	rc := chi.RouteContext(r.Context())
	if rc == nil {
		return "unmatched"
	}
	p := rc.RoutePattern()
	if p == "" || strings.HasSuffix(p, "/*") && p != "/static/*" {
		return "unmatched"
	}
	return p
}

// recoverPanics turns a panic in a handler into a 500 page. The panic's value
// is not logged, since it could hold anything; its type and stack are.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.Logger.ErrorContext(r.Context(), "handler panicked",
				"panic_type", fmt.Sprintf("%T", v),
				"stack", string(debug.Stack()),
				"request_id", requestIDFrom(r.Context()))
			s.renderError(w, r, errors.New("handler panicked"))
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries: a content
// security policy with a nonce for this request, framing and sniffing
// refused, a referrer policy, HSTS over https, and no caching of pages.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce := base64.StdEncoding.EncodeToString(onboarding.RandomBytes(16))
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy(nonce))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cache-Control", "no-store")
		if s.secure() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r.WithContext(templ.WithNonce(r.Context(), nonce)))
	})
}

func contentSecurityPolicy(nonce string) string {
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self' 'nonce-" + nonce + "'",
		"style-src 'self'",
		"img-src 'self' data:",
		"font-src 'self'",
		"connect-src 'self'",
		"form-action 'self'",
		"base-uri 'none'",
		"object-src 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

// limitBody caps request bodies; reading past the cap fails with
// *http.MaxBytesError, which the error adapter answers with 413.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// requireUser sends anonymous requests to sign in: a page view is redirected
// to the sign-in page and comes back afterwards; anything else is refused.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth.FromContext(r.Context()) != nil {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.renderError(w, r, errSignInNeeded)
			return
		}
		http.Redirect(w, r, signInPath(r.URL.RequestURI(), auth.SessionEnded(r.Context())),
			http.StatusSeeOther)
	})
}

var errSignInNeeded = onboarding.Errorf(onboarding.EUnauthorized,
	"You need to sign in to do that. Your changes were not saved.")

// tokenInURL matches what looks like a GitHub token: a known prefix and the
// start of a token's body.
var tokenInURL = regexp.MustCompile(`(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{8}|github_pat_[A-Za-z0-9_]{8}`)

var errTokenInURL = onboarding.Errorf(onboarding.EInvalid,
	"A token must never be put in a web address: addresses are kept in browser history and "+
		"in logs along the way. The portal did nothing with it. Revoke that token on GitHub, "+
		"create a new one, and paste it into the form on step 6.")

// refuseTokensInURL refuses any request whose address carries a token or a
// parameter named like one, before anything else can keep the address.
func (s *Server) refuseTokensInURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Has("token") || q.Has("pat") || q.Has("password") ||
			tokenInURL.MatchString(r.URL.RawQuery) || tokenInURL.MatchString(r.URL.Path) {
			s.renderError(w, r, errTokenInURL)
			return
		}
		next.ServeHTTP(w, r)
	})
}
