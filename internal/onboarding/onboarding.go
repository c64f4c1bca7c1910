package onboarding

import "time"

// Onboarding is one person's journey to run one image from one GitHub
// repository on Azure, in seven steps.
type Onboarding struct {
	ID      string
	OwnerID string
	// Repository is owner/name on GitHub, as the person typed it; the owner
	// is the configured organisation, compared case-insensitively.
	Repository string
	// ImageName is the image's name below the repository, lower-case, such
	// as "api" for ghcr.io/org/repo/api; empty when the image is named after
	// the repository alone.
	ImageName string
	// Tag is the tag to deploy.
	Tag string
	// Version counts saves, so that a save made from a stale page is refused
	// rather than overwriting a newer one.
	Version int
	// Steps holds the seven steps, Steps[0] being step 1.
	Steps     [StepCount]Step
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewOnboarding returns an onboarding with its seven steps not started.
func NewOnboarding(id, ownerID string, at time.Time) *Onboarding {
	o := &Onboarding{ID: id, OwnerID: ownerID, Version: 1, CreatedAt: at, UpdatedAt: at}
	for i := range o.Steps {
		o.Steps[i] = Step{ID: StepID(i + 1), State: NotStarted, UpdatedAt: at}
	}
	return o
}

// Step returns the step with the given ID.
func (o *Onboarding) Step(id StepID) *Step {
	return &o.Steps[id-1]
}

// CurrentStep is the first step that is not yet verified: where the person
// should carry on. When all are verified it is the last step.
func (o *Onboarding) CurrentStep() StepID {
	for _, s := range o.Steps {
		if !s.State.Done() {
			return s.ID
		}
	}
	return StepCount
}

// CanView reports whether a person may see and change the onboarding: its
// owner and admins may, nobody else.
func (o *Onboarding) CanView(userID string, isAdmin bool) bool {
	return isAdmin || o.OwnerID == userID
}
