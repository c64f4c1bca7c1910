package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"ghcrportal/internal/onboarding"
	"ghcrportal/web"
)

// handlerFunc is the shape of every page handler: it returns an error rather
// than writing one, and handle turns that into a response.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}

// errorKind is how one error code is answered.
type errorKind struct {
	status  int
	heading string
	level   slog.Level
}

// errorKinds maps the domain's error codes to HTTP, in one place.
var errorKinds = map[string]errorKind{
	onboarding.ENotFound:     {http.StatusNotFound, "Page not found", slog.LevelInfo},
	onboarding.EInvalid:      {http.StatusBadRequest, "There is a problem with the request", slog.LevelInfo},
	onboarding.EUnauthorized: {http.StatusUnauthorized, "You are not signed in", slog.LevelWarn},
	onboarding.EForbidden:    {http.StatusForbidden, "You do not have access to this", slog.LevelWarn},
	onboarding.EConflict:     {http.StatusConflict, "This changed while you were working", slog.LevelInfo},
	onboarding.EUnavailable: {http.StatusServiceUnavailable,
		"A service the portal depends on is not answering", slog.LevelError},
	onboarding.EInternal: {http.StatusInternalServerError, "Sorry, something went wrong", slog.LevelError},
}

var errTooLarge = onboarding.Errorf(onboarding.EInvalid,
	"What you sent is larger than the portal accepts. Shorten it and try again.")

// renderError answers a failed request: a status from the error's code, one
// log line with the cause, and a page with a message that is safe to show.
// An internal error shows only that something went wrong, and the request ID.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	kind := errorKinds[onboarding.ErrorCode(err)]
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		kind, err = errorKind{http.StatusRequestEntityTooLarge, "Too much was sent", slog.LevelInfo},
			errTooLarge
	}
	s.cfg.Logger.Log(r.Context(), kind.level, "request failed",
		"status", kind.status,
		"error", err.Error(),
		"request_id", requestIDFrom(r.Context()))
	s.renderErrorPage(w, r, kind, onboarding.ErrorMessage(err))
}

func (s *Server) renderErrorPage(w http.ResponseWriter, r *http.Request, kind errorKind,
	message string) {
	v := web.ErrorView{
		Page:      s.page(r, kind.heading),
		Status:    kind.status,
		Heading:   kind.heading,
		Message:   message,
		RequestID: requestIDFrom(r.Context()),
	}
	addErrorAction(&v)
	s.render(w, r, kind.status, web.ErrorPage(v))
}

// addErrorAction offers the obvious next step for some errors.
func addErrorAction(v *web.ErrorView) {
	switch v.Status {
	case http.StatusUnauthorized:
		v.ActionURL, v.ActionText = "/sign-in", "Go to the sign-in page"
	case http.StatusNotFound, http.StatusForbidden:
		v.ActionURL, v.ActionText = "/", "Go to your onboardings"
	case http.StatusInternalServerError:
		v.Message = "Something went wrong on our side and nothing was changed. " +
			"Try again; if it keeps happening, contact the service desk."
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return onboarding.Errorf(onboarding.ENotFound,
		"There is nothing at this address. If you typed it, check it; "+
			"if you followed a link, it may be out of date.")
}

// methodNotAllowed answers a request whose path exists but not for its
// method, such as a GET of a form's target.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete} {
		if s.router.Match(chi.NewRouteContext(), m, r.URL.Path) {
			allowed = append(allowed, m)
		}
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	kind := errorKind{http.StatusMethodNotAllowed, "This address does not accept that request",
		slog.LevelInfo}
	s.renderErrorPage(w, r, kind, "Use the links and buttons on the portal's pages to get here.")
}
