package handlers

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"ghcrportal/internal/auth"
	"ghcrportal/web"
)

// render writes a page. It renders into a buffer first, so that a failure
// part-way never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.cfg.Logger.ErrorContext(r.Context(), "render page",
			"error", err.Error(), "request_id", requestIDFrom(r.Context()))
		http.Error(w, "Something went wrong on our side. Request ID: "+
			requestIDFrom(r.Context()), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// page returns what every page's layout needs for this request.
func (s *Server) page(r *http.Request, title string) web.Page {
	p := web.Page{Title: title, DevSignIn: s.cfg.OIDC == nil}
	if pr := auth.FromContext(r.Context()); pr != nil {
		p.Viewer = &web.Viewer{Name: pr.User.DisplayName, IsAdmin: pr.IsAdmin}
	}
	return p
}

// redirect answers a form with 303 See Other, so that the browser follows
// with a GET and a reload does not send the form again.
func redirect(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}
