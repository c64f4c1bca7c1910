package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/onboarding"
	"ghcrportal/web"
)

// maxDisplayName bounds a development sign-in's display name, in characters.
const maxDisplayName = 80

func (s *Server) authRoutes(r chi.Router) {
	r.Get("/sign-in", s.handle(s.signInPage))
	r.Post("/auth/sign-out", s.handle(s.signOut))
	if s.cfg.OIDC != nil {
		r.Get("/auth/login", s.handle(s.oidcBegin))
		r.Get("/auth/callback", s.oidcCallback)
	} else {
		r.Post("/auth/dev/sign-in", s.handle(s.devSignIn))
	}
}

// signInPath is the sign-in page, remembering where to go afterwards.
func signInPath(returnTo string, sessionEnded bool) string {
	q := url.Values{}
	if rt := auth.SafeReturnTo(returnTo); rt != "/" {
		q.Set("return_to", rt)
	}
	if sessionEnded {
		q.Set("ended", "1")
	}
	if len(q) == 0 {
		return "/sign-in"
	}
	return "/sign-in?" + q.Encode()
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	returnTo := auth.SafeReturnTo(q.Get("return_to"))
	if auth.FromContext(r.Context()) != nil {
		redirect(w, r, returnTo)
		return nil
	}
	v := web.SignInView{Page: s.page(r, "Sign in"), ReturnTo: returnTo, Role: "staff"}
	switch {
	case q.Get("signed_out") == "1":
		v.Notice = "You have signed out."
	case q.Get("ended") == "1" || auth.SessionEnded(r.Context()):
		v.Notice = "Your session has ended, so you need to sign in again. " +
			"Everything you saved is still there."
	}
	s.render(w, r, http.StatusOK, web.SignInPage(v))
	return nil
}

// oidcBegin sends the browser to the identity provider.
func (s *Server) oidcBegin(w http.ResponseWriter, r *http.Request) error {
	target, err := s.cfg.OIDC.Begin(w, r, r.URL.Query().Get("return_to"))
	if err != nil {
		return fmt.Errorf("begin sign-in: %w", err)
	}
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}

// oidcCallback completes a sign-in when the identity provider sends the
// browser back. Every refusal is logged as a failed sign-in.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	in, err := s.cfg.OIDC.Complete(r)
	if err != nil {
		if onboarding.ErrorCode(err) != onboarding.EUnauthorized {
			s.renderError(w, r, err)
			return
		}
		s.logSignIn(r, "failure", slog.String("method", "oidc"), slog.String("reason", err.Error()))
		s.renderErrorPage(w, r, errorKinds[onboarding.EUnauthorized], onboarding.ErrorMessage(err))
		return
	}
	if in.GroupsOverage {
		s.cfg.Logger.WarnContext(r.Context(), "groups left out of the ID token (overage); "+
			"admin by group was not granted: assign the admin app role instead",
			"request_id", requestIDFrom(r.Context()))
	}
	err = s.completeSignIn(w, r, in, "oidc")
	if err != nil {
		s.renderError(w, r, err)
	}
}

// devSignIn signs in with a chosen name and role. It exists only when OIDC is
// not configured, which configuration allows only on a loopback address.
func (s *Server) devSignIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("parse sign-in form: %w", err)
	}
	v := web.SignInView{
		Page:        s.page(r, "Sign in"),
		ReturnTo:    auth.SafeReturnTo(r.PostForm.Get("return_to")),
		DisplayName: r.PostForm.Get("display_name"),
		Role:        r.PostForm.Get("role"),
	}
	name := strings.Join(strings.Fields(v.DisplayName), " ")
	v.Errors = validateDevSignIn(name, v.Role)
	if len(v.Errors) > 0 {
		v.Page.Title = "Error: Sign in"
		s.render(w, r, http.StatusUnprocessableEntity, web.SignInPage(v))
		return nil
	}
	in := &auth.SignIn{
		Identity:    auth.DevIdentity(name),
		DisplayName: name,
		IsAdmin:     v.Role == "admin",
		ReturnTo:    v.ReturnTo,
	}
	return s.completeSignIn(w, r, in, "development")
}

func validateDevSignIn(name, role string) web.FieldErrors {
	var errs web.FieldErrors
	switch {
	case name == "":
		errs = append(errs, web.FieldError{Field: "display_name", Message: "Enter a display name"})
	case utf8.RuneCountInString(name) > maxDisplayName:
		errs = append(errs, web.FieldError{Field: "display_name",
			Message: fmt.Sprintf("Display name must be %d characters or fewer", maxDisplayName)})
	case strings.IndexFunc(name, unicode.IsControl) >= 0 || !utf8.ValidString(name):
		errs = append(errs, web.FieldError{Field: "display_name",
			Message: "Display name must contain only letters, numbers, spaces and punctuation"})
	}
	if role != "staff" && role != "admin" {
		errs = append(errs, web.FieldError{Field: "role", Message: "Select staff or admin"})
	}
	return errs
}

// completeSignIn records the person, starts a fresh session and returns them
// to where they were going.
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, in *auth.SignIn,
	method string) error {
	u, err := s.cfg.Store.UpsertUser(r.Context(), in.Identity, in.DisplayName, in.Email,
		onboarding.Timestamp(s.cfg.Now()))
	if err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	if err := s.cfg.Sessions.SignIn(w, r, u, in.IsAdmin); err != nil {
		return err
	}
	s.logSignIn(r, "success",
		slog.String("method", method),
		slog.String("user_id", u.ID),
		slog.String("tenant_id", u.Identity.TenantID),
		slog.String("object_id", u.Identity.ObjectID),
		slog.Bool("is_admin", in.IsAdmin))
	redirect(w, r, auth.SafeReturnTo(in.ReturnTo))
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.Sessions.SignOut(w, r); err != nil {
		return err
	}
	if p := auth.FromContext(r.Context()); p != nil {
		s.cfg.Logger.InfoContext(r.Context(), "signed out", "event", "sign_out",
			"user_id", p.User.ID, "request_id", requestIDFrom(r.Context()))
	}
	redirect(w, r, "/sign-in?signed_out=1")
	return nil
}

// logSignIn writes the security event for a sign-in attempt.
func (s *Server) logSignIn(r *http.Request, outcome string, attrs ...slog.Attr) {
	level := slog.LevelInfo
	if outcome != "success" {
		level = slog.LevelWarn
	}
	attrs = append(attrs,
		slog.String("event", "sign_in"),
		slog.String("outcome", outcome),
		slog.String("request_id", requestIDFrom(r.Context())))
	s.cfg.Logger.LogAttrs(r.Context(), level, "sign-in "+outcome, attrs...)
}
