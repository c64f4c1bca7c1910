package handlers

import (
	"fmt"
	"net/http"

	"ghcrportal/internal/auth"
	"ghcrportal/web"
)

// home lists the signed-in person's onboardings.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	list, err := s.cfg.Store.ListOnboardings(r.Context(), p.User.ID)
	if err != nil {
		return fmt.Errorf("list onboardings of %s: %w", p.User.ID, err)
	}

	v := web.HomeView{Page: s.page(r, "Your onboardings")}
	for _, o := range list {
		v.Onboardings = append(v.Onboardings, web.OnboardingSummary{
			ID:         o.ID,
			Repository: o.Repository,
			ImageName:  o.ImageName,
			UpdatedAt:  o.UpdatedAt.Format("2 January 2006 at 15:04 UTC"),
		})
	}
	s.render(w, r, http.StatusOK, web.HomePage(v))
	return nil
}
