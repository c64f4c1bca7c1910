package onboarding

import (
	"strconv"
	"time"
)

// StepID numbers the seven steps of the guide, from 1.
type StepID int

// The seven steps, in the guide's order.
const (
	StepPublish StepID = iota + 1
	StepRequestAccount
	StepJoinOrganisation
	StepGitHubAccount
	StepRepositoryAccess
	StepToken
	StepConfigure
)

// StepCount is how many steps an onboarding has.
const StepCount = 7

// Valid reports whether id names one of the seven steps.
func (id StepID) Valid() bool { return id >= 1 && id <= StepCount }

// ParseStepID reads a step number as it appears in a URL.
func ParseStepID(s string) (StepID, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || len(s) > 1 {
		return 0, false
	}
	id := StepID(n)
	return id, id.Valid()
}

// Title is the step's short name.
func (id StepID) Title() string {
	return stepTitles[id]
}

var stepTitles = map[StepID]string{
	StepPublish:          "Publish the image to GitHub Container Registry",
	StepRequestAccount:   "Request a service account",
	StepJoinOrganisation: "Sign in to the GitHub organisation as the service account",
	StepGitHubAccount:    "Create the service account's GitHub account",
	StepRepositoryAccess: "Give the service account Read on the repository",
	StepToken:            "Create a classic token with read:packages",
	StepConfigure:        "Use the values in your Azure service",
}

// Dependency is an earlier step that a step needs, and why.
type Dependency struct {
	Step StepID
	Why  string
}

// Dependencies lists what a step needs from earlier steps.
func (id StepID) Dependencies() []Dependency {
	return stepDependencies[id]
}

var stepDependencies = map[StepID][]Dependency{
	StepJoinOrganisation: {
		{StepRequestAccount, "the service account must exist before it can sign in"},
		{StepGitHubAccount, "the portal checks membership by the account's GitHub login"},
	},
	StepGitHubAccount: {
		{StepRequestAccount, "the GitHub account belongs to the approved service account"},
	},
	StepRepositoryAccess: {
		{StepPublish, "the repository comes from step 1"},
		{StepGitHubAccount, "the portal checks the permission of the account's GitHub login"},
	},
	StepToken: {
		{StepPublish, "the token is tried against the image and tag from step 1"},
		{StepGitHubAccount, "the token must belong to the service account's GitHub login"},
	},
	StepConfigure: {
		{StepPublish, "IMAGE is built from the repository, image name and tag"},
		{StepGitHubAccount, "IMAGE_REGISTRY_USERNAME is the account's GitHub login"},
		{StepToken, "IMAGE_REGISTRY_PASSWORD is the token checked in step 6"},
	},
}

// StepState is where a step stands.
type StepState string

// The states of a step.
const (
	NotStarted           StepState = "not_started"
	Waiting              StepState = "waiting"
	Verified             StepState = "verified"
	VerifiedWithWarnings StepState = "verified_with_warnings"
	Failed               StepState = "failed"
)

// Valid reports whether s is one of the states.
func (s StepState) Valid() bool {
	switch s {
	case NotStarted, Waiting, Verified, VerifiedWithWarnings, Failed:
		return true
	}
	return false
}

// Done reports whether the step needs nothing more: it is verified, with or
// without warnings.
func (s StepState) Done() bool {
	return s == Verified || s == VerifiedWithWarnings
}

// Label is the state in words.
func (s StepState) Label() string {
	return stateLabels[s]
}

var stateLabels = map[StepState]string{
	NotStarted:           "Not started",
	Waiting:              "Waiting",
	Verified:             "Verified",
	VerifiedWithWarnings: "Verified with warnings",
	Failed:               "Failed",
}

// Step is one step of an onboarding: what the person entered for it, and
// what the portal found when it checked.
type Step struct {
	ID    StepID
	State StepState
	// Inputs are the step's form values by field name. A secret, such as
	// the token of step 6, is never among them.
	Inputs  map[string]string
	Results []CheckResult
	// Facts are what the checks learned that later steps and pages use, by
	// name: for step 6 the token's owner, scopes and expiry, and the image's
	// digest. Never a secret.
	Facts     map[string]string
	UpdatedAt time.Time
}

// Names of the facts that step 6's checks record.
const (
	FactTokenLogin     = "token_login"
	FactTokenScopes    = "token_scopes"
	FactTokenExpiresAt = "token_expires_at"
	FactImageDigest    = "image_digest"
)

// Outcome is the result of one check.
type Outcome string

// The outcomes of a check.
const (
	Pass Outcome = "pass"
	Warn Outcome = "warn"
	Fail Outcome = "fail"
	// Pending is a check that has not run, with the reason in its message.
	Pending Outcome = "pending"
)

// CheckResult is what one check of a step found, and when.
type CheckResult struct {
	// Check names what was checked, in a few words.
	Check     string
	Outcome   Outcome
	Message   string
	CheckedAt time.Time
}

// StateFromResults is the state a step's check results put it in: failed
// if any failed, waiting if any is pending, verified with warnings if any
// warned, and verified otherwise. No results leave it not started.
func StateFromResults(results []CheckResult) StepState {
	if len(results) == 0 {
		return NotStarted
	}
	state := Verified
	for _, r := range results {
		switch r.Outcome {
		case Fail:
			return Failed
		case Pending:
			state = Waiting
		case Warn:
			if state == Verified {
				state = VerifiedWithWarnings
			}
		}
	}
	return state
}
