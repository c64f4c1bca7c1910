package handlers

import (
	"fmt"
	"net/http"

	"ghcrportal/internal/auth"
	"ghcrportal/web"
)

// home lists the signed-in person's onboardings, each with where it stands.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	list, err := s.cfg.Store.ListOnboardings(r.Context(), p.User.ID)
	if err != nil {
		return fmt.Errorf("list onboardings of %s: %w", p.User.ID, err)
	}

	v := web.HomeView{Page: s.page(r, "Your onboardings")}
	for _, o := range list {
		current := o.CurrentStep()
		v.Onboardings = append(v.Onboardings, web.OnboardingSummary{
			URL:              onboardingURL(o.ID),
			Repository:       o.Repository,
			Reference:        s.reference(o),
			CurrentStep:      int(current),
			CurrentStepTitle: current.Title(),
			CurrentState:     stateView(o.Step(current).State),
			UpdatedAt:        formatTime(o.UpdatedAt),
		})
	}
	s.render(w, r, http.StatusOK, web.HomePage(v))
	return nil
}
