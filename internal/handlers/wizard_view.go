package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/workflow"
	"ghcrportal/web"
)

// timeLayout is how the portal writes times for people.
const timeLayout = "2 January 2006 at 15:04 UTC"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func stateView(s onboarding.StepState) web.StateView {
	return web.StateView{Key: string(s), Label: s.Label()}
}

// stepLinks lists the seven steps of an onboarding, marking current.
func stepLinks(o *onboarding.Onboarding, current onboarding.StepID) []web.StepLink {
	links := make([]web.StepLink, 0, onboarding.StepCount)
	for _, st := range o.Steps {
		links = append(links, web.StepLink{
			Number:  int(st.ID),
			Title:   st.ID.Title(),
			URL:     stepURL(o.ID, st.ID),
			State:   stateView(st.State),
			Current: st.ID == current,
		})
	}
	return links
}

func (s *Server) taskListView(r *http.Request, o *onboarding.Onboarding) web.TaskListView {
	v := web.TaskListView{
		Page:        s.page(r, "Onboarding of "+o.Repository),
		ID:          o.ID,
		Repository:  o.Repository,
		Reference:   s.reference(o),
		Steps:       stepLinks(o, 0),
		ContinueURL: stepURL(o.ID, o.CurrentStep()),
	}
	for _, st := range o.Steps {
		if st.State.Done() {
			v.Completed++
		}
	}
	return v
}

// reference is the image reference to show for an onboarding.
func (s *Server) reference(o *onboarding.Onboarding) string {
	if img, ok := s.image(o); ok {
		return img.Reference()
	}
	return "an image"
}

// stepView builds a step's page from the saved onboarding.
func (s *Server) stepView(r *http.Request, o *onboarding.Onboarding,
	id onboarding.StepID) web.StepView {
	st := o.Step(id)
	v := web.StepView{
		Page:         s.page(r, "Step "+itoa(int(id))+": "+id.Title()),
		OnboardingID: o.ID,
		FormAction:   stepURL(o.ID, id),
		Version:      o.Version,
		Number:       int(id),
		Title:        id.Title(),
		Nav:          stepLinks(o, id),
		State:        stateView(st.State),
		Dependencies: dependencyViews(o, id),
		Values:       st.Inputs,
		Results:      resultViews(st.Results),
		Org:          s.cfg.Place.Org,
		Registry:     s.cfg.Place.Registry,
		Repository:   o.Repository,
	}
	if id > 1 {
		v.PrevURL = stepURL(o.ID, id-1)
	}
	if id < onboarding.StepCount {
		v.NextURL = stepURL(o.ID, id+1)
	}
	s.addStepDetails(&v, o, id)
	return v
}

// addStepDetails fills in what only some steps show.
func (s *Server) addStepDetails(v *web.StepView, o *onboarding.Onboarding, id onboarding.StepID) {
	img, ok := s.image(o)
	if ok {
		v.Reference = img.Reference()
	}
	switch id {
	case onboarding.StepPublish:
		if ok {
			if text, err := workflow.Publish(img); err == nil {
				v.Workflow, v.WorkflowFile = text, workflow.FileName(img)
				v.WorkflowURL = onboardingURL(o.ID) + "/workflow.yml"
			}
		}
	case onboarding.StepToken:
		v.TokenURL = tokenURL(o)
		v.Facts = tokenFacts(o.Step(id).Facts)
	case onboarding.StepConfigure:
		v.Values7 = s.azureValues(o, img, ok)
		v.DigestReference = digestReference(o, img, ok)
	}
	if checkable(id) {
		v.CheckURL = stepURL(o.ID, id) + "/check"
	}
}

// tokenFacts are what step 6's checks recorded about the token and image.
func tokenFacts(facts map[string]string) []web.FactView {
	var views []web.FactView
	add := func(label, key string) {
		if v := facts[key]; v != "" {
			views = append(views, web.FactView{Label: label, Value: v})
		}
	}
	add("Token owner", onboarding.FactTokenLogin)
	add("Token scopes", onboarding.FactTokenScopes)
	if exp := facts[onboarding.FactTokenExpiresAt]; exp != "" {
		views = append(views, web.FactView{Label: "Token expires", Value: expiryWords(exp)})
	}
	add("Image digest", onboarding.FactImageDigest)
	return views
}

// expiryWords writes a recorded expiry for people.
func expiryWords(recorded string) string {
	if recorded == "never" {
		return "Never"
	}
	t, err := time.Parse(time.RFC3339, recorded)
	if err != nil {
		return recorded
	}
	return formatTime(t)
}

// digestReference is IMAGE pinned to the digest step 6's pull check found.
func digestReference(o *onboarding.Onboarding, img onboarding.Image, haveImage bool) string {
	digest := o.Step(onboarding.StepToken).Facts[onboarding.FactImageDigest]
	if !haveImage || digest == "" {
		return ""
	}
	ref, err := img.DigestReference(digest)
	if err != nil {
		return ""
	}
	return ref
}

// tokenURL is GitHub's page for a new classic token with read:packages, and
// only that, selected, and a description that says what the token is for.
func tokenURL(o *onboarding.Onboarding) string {
	q := url.Values{"scopes": {"read:packages"}, "description": {"Azure pull of " + o.Repository}}
	return "https://github.com/settings/tokens/new?" + q.Encode()
}

// azureValues are the four values of step 7, as far as they are known.
func (s *Server) azureValues(o *onboarding.Onboarding, img onboarding.Image,
	haveImage bool) []web.ValueView {
	vals := []web.ValueView{
		{Name: "IMAGE", Value: img.Reference()},
		{Name: "IMAGE_REGISTRY_LOGIN_SERVER", Value: s.cfg.Place.Registry},
		{Name: "IMAGE_REGISTRY_USERNAME",
			Value: o.Step(onboarding.StepGitHubAccount).Inputs[onboarding.FieldGitHubLogin]},
		{Name: "IMAGE_REGISTRY_PASSWORD", Value: "<the token you checked in step 6>"},
	}
	if !haveImage {
		vals[0].Missing = "Save step 1 to see this."
	}
	if vals[2].Value == "" {
		vals[2].Missing = "Save step 4 to see this."
	}
	return vals
}

func dependencyViews(o *onboarding.Onboarding, id onboarding.StepID) []web.DependencyView {
	var deps []web.DependencyView
	for _, d := range id.Dependencies() {
		deps = append(deps, web.DependencyView{
			Number: int(d.Step),
			Title:  d.Step.Title(),
			Why:    d.Why,
			URL:    stepURL(o.ID, d.Step),
			Done:   o.Step(d.Step).State.Done(),
		})
	}
	return deps
}

var outcomeLabels = map[onboarding.Outcome]string{
	onboarding.Pass:    "Passed",
	onboarding.Warn:    "Warning",
	onboarding.Fail:    "Failed",
	onboarding.Pending: "Not checked yet",
}

func resultViews(results []onboarding.CheckResult) []web.ResultView {
	views := make([]web.ResultView, 0, len(results))
	for _, res := range results {
		views = append(views, web.ResultView{
			Check:        res.Check,
			Outcome:      string(res.Outcome),
			OutcomeLabel: outcomeLabels[res.Outcome],
			Message:      res.Message,
			CheckedAt:    formatTime(res.CheckedAt),
		})
	}
	return views
}

func itoa(n int) string { return strconv.Itoa(n) }
