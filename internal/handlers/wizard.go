package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/workflow"
	"ghcrportal/web"
)

func (s *Server) wizardRoutes(r chi.Router) {
	r.Get("/onboardings/new", s.handle(s.newOnboarding))
	r.Post("/onboardings", s.handle(s.createOnboarding))
	r.Get("/onboardings/{id}", s.handle(s.taskList))
	r.Get("/onboardings/{id}/steps/{step}", s.handle(s.stepPage))
	r.Post("/onboardings/{id}/steps/{step}", s.handle(s.saveStep))
	r.Post("/onboardings/{id}/steps/{step}/check", s.handle(s.recheckStep))
	r.Get("/onboardings/{id}/workflow.yml", s.handle(s.downloadWorkflow))
}

var errOnboardingNotFound = onboarding.Errorf(onboarding.ENotFound,
	"There is no onboarding at this address, or it is not yours. "+
		"Check the address, or find it in your list of onboardings.")

// idPattern is the shape of onboarding.NewID's identifiers.
var idPattern = regexp.MustCompile(`^[a-z2-7]{26}$`)

// loadOnboarding returns the onboarding the URL names, if the signed-in
// person may see it. Anyone else gets the same not-found answer as for an
// onboarding that does not exist, so that IDs cannot be probed.
func (s *Server) loadOnboarding(r *http.Request) (*onboarding.Onboarding, error) {
	id := chi.URLParam(r, "id")
	if !idPattern.MatchString(id) {
		return nil, errOnboardingNotFound
	}
	o, err := s.cfg.Store.GetOnboarding(r.Context(), id)
	if onboarding.ErrorCode(err) == onboarding.ENotFound {
		return nil, errOnboardingNotFound
	} else if err != nil {
		return nil, fmt.Errorf("get onboarding %s: %w", id, err)
	}
	p := auth.FromContext(r.Context())
	if !o.CanView(p.User.ID, p.IsAdmin) {
		return nil, errOnboardingNotFound
	}
	return o, nil
}

// loadStep returns the onboarding and the step the URL names.
func (s *Server) loadStep(r *http.Request) (*onboarding.Onboarding, onboarding.StepID, error) {
	o, err := s.loadOnboarding(r)
	if err != nil {
		return nil, 0, err
	}
	id, ok := onboarding.ParseStepID(chi.URLParam(r, "step"))
	if !ok {
		return nil, 0, onboarding.Errorf(onboarding.ENotFound,
			"An onboarding has seven steps, numbered 1 to 7; there is no step at this address.")
	}
	return o, id, nil
}

// newOnboarding shows step 1's form for a new onboarding. The form carries
// the new onboarding's ID, so that sending it twice creates one onboarding.
func (s *Server) newOnboarding(w http.ResponseWriter, r *http.Request) error {
	o := onboarding.NewOnboarding(onboarding.NewID(), "", s.cfg.Now())
	v := s.stepView(r, o, onboarding.StepPublish)
	s.asNewForm(&v, o.ID)
	s.render(w, r, http.StatusOK, web.StepPage(v))
	return nil
}

// asNewForm turns a step 1 page into the form that creates an onboarding.
func (s *Server) asNewForm(v *web.StepView, id string) {
	v.Page.Title = "Start an onboarding"
	v.OnboardingID, v.Nav, v.Results = "", nil, nil
	v.FormAction = "/onboardings?id=" + id
}

// createOnboarding creates an onboarding from step 1's inputs.
func (s *Server) createOnboarding(w http.ResponseWriter, r *http.Request) error {
	id := r.URL.Query().Get("id")
	if !idPattern.MatchString(id) {
		return onboarding.Errorf(onboarding.EInvalid,
			"This form is out of date. Start the onboarding again from your list of onboardings.")
	}
	form, err := stepForm(r, onboarding.StepPublish)
	if err != nil {
		return err
	}
	p := auth.FromContext(r.Context())
	now := onboarding.Timestamp(s.cfg.Now())
	o := onboarding.NewOnboarding(id, p.User.ID, now)
	if problems := o.SaveStep(onboarding.StepPublish, form, s.cfg.Place, now); len(problems) > 0 {
		v := s.stepView(r, o, onboarding.StepPublish)
		s.asNewForm(&v, id)
		s.renderProblems(w, r, v, form, problems)
		return nil
	}

	err = s.cfg.Store.CreateOnboarding(r.Context(), o)
	if onboarding.ErrorCode(err) == onboarding.EConflict {
		return s.alreadyCreated(w, r, id)
	} else if err != nil {
		return fmt.Errorf("create onboarding: %w", err)
	}
	redirect(w, r, stepURL(id, onboarding.StepPublish)+"?saved=1")
	return nil
}

// alreadyCreated answers a form sent again after it created its onboarding,
// as a double click does: the person goes to the onboarding it created.
func (s *Server) alreadyCreated(w http.ResponseWriter, r *http.Request, id string) error {
	o, err := s.cfg.Store.GetOnboarding(r.Context(), id)
	if err != nil {
		return fmt.Errorf("get onboarding %s: %w", id, err)
	}
	if o.OwnerID != auth.FromContext(r.Context()).User.ID {
		return errOnboardingNotFound
	}
	redirect(w, r, stepURL(id, onboarding.StepPublish)+"?saved=1")
	return nil
}

func (s *Server) taskList(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOnboarding(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.TaskListPage(s.taskListView(r, o)))
	return nil
}

func (s *Server) stepPage(w http.ResponseWriter, r *http.Request) error {
	o, id, err := s.loadStep(r)
	if err != nil {
		return err
	}
	v := s.stepView(r, o, id)
	if r.URL.Query().Get("saved") == "1" {
		v.Notice = "Saved."
	}
	s.render(w, r, http.StatusOK, web.StepPage(v))
	return nil
}

// saveStep records a step's inputs, and runs the step's checks where it
// has any. A save from a page older than the stored onboarding is refused,
// keeping what the person typed.
func (s *Server) saveStep(w http.ResponseWriter, r *http.Request) error {
	o, id, err := s.loadStep(r)
	if err != nil {
		return err
	}
	if len(id.Fields()) == 0 && id != onboarding.StepToken {
		return onboarding.Errorf(onboarding.EInvalid,
			"This step has nothing to save. Follow its instructions, then go on to the next step.")
	}
	form, err := stepForm(r, id)
	if err != nil {
		return err
	}
	if !sameVersion(r, o) {
		return s.renderConflict(w, r, o, id, form)
	}

	now := onboarding.Timestamp(s.cfg.Now())
	problems, err := s.applyStep(r, o, id, form, now)
	if err != nil {
		return s.renderCheckRefused(w, r, o, id, form, err)
	}
	if len(problems) > 0 {
		s.renderProblems(w, r, s.stepView(r, o, id), form, problems)
		return nil
	}
	return s.saveAndShow(w, r, o, id, form, now)
}

// recheckStep runs a step's checks again, as after fixing something on
// GitHub.
func (s *Server) recheckStep(w http.ResponseWriter, r *http.Request) error {
	o, id, err := s.loadStep(r)
	if err != nil {
		return err
	}
	if !checkable(id) {
		return onboarding.Errorf(onboarding.ENotFound,
			"This step has no check to run again from here.")
	}
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("parse form: %w", err)
	}
	if !sameVersion(r, o) {
		return s.renderConflict(w, r, o, id, nil)
	}
	now := onboarding.Timestamp(s.cfg.Now())
	if err := s.check(r, o, id, now); err != nil {
		return s.renderCheckRefused(w, r, o, id, nil, err)
	}
	return s.saveAndShow(w, r, o, id, nil, now)
}

// sameVersion reports whether the form was built from the stored version.
func sameVersion(r *http.Request, o *onboarding.Onboarding) bool {
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	return err == nil && version == o.Version
}

// saveAndShow stores the onboarding and shows the step again.
func (s *Server) saveAndShow(w http.ResponseWriter, r *http.Request, o *onboarding.Onboarding,
	id onboarding.StepID, form map[string]string, now time.Time) error {
	err := s.cfg.Store.UpdateOnboarding(r.Context(), o, now)
	if onboarding.ErrorCode(err) == onboarding.EConflict {
		return s.renderConflict(w, r, o, id, form)
	} else if err != nil {
		return fmt.Errorf("save step %d of onboarding %s: %w", id, o.ID, err)
	}
	redirect(w, r, stepURL(o.ID, id)+"?saved=1")
	return nil
}

// applyStep applies a step's form to the onboarding and runs the step's
// checks where it has any. The token of step 6 is only used here and never
// kept.
func (s *Server) applyStep(r *http.Request, o *onboarding.Onboarding, id onboarding.StepID,
	form map[string]string, now time.Time) ([]onboarding.FieldProblem, error) {
	if id == onboarding.StepToken {
		return s.applyToken(r, o, now)
	}
	if problems := o.SaveStep(id, form, s.cfg.Place, now); len(problems) > 0 {
		return problems, nil
	}
	if id == onboarding.StepGitHubAccount {
		s.checkOrDefer(r, o, id, now)
	}
	return nil, nil
}

// checkOrDefer runs a step's check after its inputs were saved. If the check
// cannot run now, the inputs are saved all the same and the step waits, with
// when to check again.
func (s *Server) checkOrDefer(r *http.Request, o *onboarding.Onboarding, id onboarding.StepID,
	now time.Time) {
	err := s.check(r, o, id, now)
	if err == nil {
		return
	}
	message := onboarding.ErrorMessage(err)
	var limited *rateLimited
	if errors.As(err, &limited) {
		message = rateLimitMessage(limited, now)
	}
	s.cfg.Logger.WarnContext(r.Context(), "check deferred", "step", int(id),
		"error", err.Error(), "request_id", requestIDFrom(r.Context()))
	o.RecordChecks(id, []onboarding.CheckResult{{Check: "Not checked yet",
		Outcome: onboarding.Pending, Message: "Saved, but not checked yet. " + message,
		CheckedAt: now}}, now)
}

// check runs the check of step 3, 4 or 5, within the person's limits.
func (s *Server) check(r *http.Request, o *onboarding.Onboarding, id onboarding.StepID,
	now time.Time) error {
	if err := s.allowCheck(r, "github", gitHubCheckLimits); err != nil {
		return err
	}
	return s.withCheckSlot(r.Context(), func(ctx context.Context) {
		s.runStepCheck(ctx, o, id, now)
	})
}

// applyToken checks the token of step 6 against GitHub and the registry and
// records what was found, but never the token.
func (s *Server) applyToken(r *http.Request, o *onboarding.Onboarding,
	now time.Time) ([]onboarding.FieldProblem, error) {
	token := r.PostForm.Get("token")
	if ok, msg := onboarding.CheckTokenFormat(token); !ok {
		return []onboarding.FieldProblem{{Field: "token", Message: msg}}, nil
	}
	img, ok := s.image(o)
	if !ok {
		return []onboarding.FieldProblem{{Field: "token", Message: "Save step 1 first: the " +
			"token is tried against the image and tag chosen there."}}, nil
	}
	if err := s.allowCheck(r, "token", tokenCheckLimits); err != nil {
		return nil, err
	}
	login := o.Step(onboarding.StepGitHubAccount).Inputs[onboarding.FieldGitHubLogin]
	return nil, s.withCheckSlot(r.Context(), func(ctx context.Context) {
		o.RecordTokenChecks(s.cfg.Checker.CheckToken(ctx, token, login, img), now)
	})
}

// renderCheckRefused answers a check that was not run: too many checks by
// this person, too many at once on this replica, or the database away. The
// page says so and what was typed stays.
func (s *Server) renderCheckRefused(w http.ResponseWriter, r *http.Request,
	o *onboarding.Onboarding, id onboarding.StepID, form map[string]string, err error) error {
	now := s.cfg.Now()
	status, message := http.StatusServiceUnavailable, onboarding.ErrorMessage(err)
	var limited *rateLimited
	switch {
	case errors.As(err, &limited):
		status, message = http.StatusTooManyRequests, rateLimitMessage(limited, now)
		setRetryAfter(w, limited, now)
	case onboarding.ErrorCode(err) == onboarding.EUnavailable:
		s.cfg.Logger.WarnContext(r.Context(), "check not run", "error", err.Error(),
			"request_id", requestIDFrom(r.Context()))
	default:
		return err
	}
	return s.renderLatest(w, r, o.ID, id, form, status, message)
}

// renderLatest shows a step as stored now, with what the person typed
// still in the form and one step-wide problem at the top: what a refused
// save or check answers.
func (s *Server) renderLatest(w http.ResponseWriter, r *http.Request, onboardingID string,
	id onboarding.StepID, form map[string]string, status int, message string) error {
	latest, err := s.cfg.Store.GetOnboarding(r.Context(), onboardingID)
	if err != nil {
		return fmt.Errorf("reload onboarding %s: %w", onboardingID, err)
	}
	v := s.stepView(r, latest, id)
	if form != nil {
		v.Values = form
	}
	v.Errors = web.FieldErrors{{Field: errorAnchor(id), Message: message}}
	s.render(w, r, status, web.StepPage(v))
	return nil
}

// errorAnchor is the element an error summary links to for a step-wide
// problem: its first field, or its check button.
func errorAnchor(id onboarding.StepID) string {
	if id == onboarding.StepToken {
		return "token"
	}
	if fields := id.Fields(); len(fields) > 0 {
		return fields[0]
	}
	return "check-again"
}

// stepForm reads the fields a step takes, and nothing else, from the form.
func stepForm(r *http.Request, id onboarding.StepID) (map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return nil, fmt.Errorf("parse form: %w", err)
	}
	form := map[string]string{}
	for _, f := range id.Fields() {
		form[f] = r.PostForm.Get(f)
	}
	return form, nil
}

// renderProblems shows a step's page again with what was typed and each
// problem beside its field.
func (s *Server) renderProblems(w http.ResponseWriter, r *http.Request, v web.StepView,
	form map[string]string, problems []onboarding.FieldProblem) {
	v.Values = form
	for _, p := range problems {
		v.Errors = append(v.Errors, web.FieldError{Field: p.Field, Message: p.Message})
	}
	v.Page.Title = "Error: " + v.Page.Title
	s.render(w, r, http.StatusUnprocessableEntity, web.StepPage(v))
}

// renderConflict shows the latest saved onboarding with what the person
// typed still in the form, and says why nothing was saved.
func (s *Server) renderConflict(w http.ResponseWriter, r *http.Request, o *onboarding.Onboarding,
	id onboarding.StepID, form map[string]string) error {
	return s.renderLatest(w, r, o.ID, id, form, http.StatusConflict, "Nothing was saved: this "+
		"onboarding changed in another tab or by someone else since you opened this page. The "+
		"page now shows the latest; what you typed is still in the form. Check it and save again.")
}

// downloadWorkflow offers step 1's workflow as a file.
func (s *Server) downloadWorkflow(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOnboarding(r)
	if err != nil {
		return err
	}
	img, ok := s.image(o)
	if !ok {
		return onboarding.Errorf(onboarding.ENotFound,
			"There is no workflow yet: save step 1 with the repository, image and tag first.")
	}
	text, err := workflow.Publish(img)
	if err != nil {
		return fmt.Errorf("render workflow of onboarding %s: %w", o.ID, err)
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+workflow.FileName(img)+`"`)
	_, _ = w.Write([]byte(text))
	return nil
}

// image is the onboarding's image once step 1 is saved.
func (s *Server) image(o *onboarding.Onboarding) (onboarding.Image, bool) {
	if o.Tag == "" {
		return onboarding.Image{}, false
	}
	img, problems := onboarding.ParseImage(onboarding.ImageInput{
		Repository: o.Repository, ImageName: o.ImageName, Tag: o.Tag,
	}, s.cfg.Place.Org, s.cfg.Place.Registry)
	return img, len(problems) == 0
}

func onboardingURL(id string) string { return "/onboardings/" + id }

func stepURL(id string, step onboarding.StepID) string {
	return fmt.Sprintf("/onboardings/%s/steps/%d", id, step)
}
