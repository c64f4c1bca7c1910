package web

// StepLink is one step in a list of the seven: the task list and the
// progress indicator beside each step page.
type StepLink struct {
	Number int
	Title  string
	URL    string
	State  StateView
	// Current marks the step whose page is shown.
	Current bool
}

// StateView is a step's state as the page shows it.
type StateView struct {
	// Key is the state's stable name, used for styling and tests.
	Key   string
	Label string
}

// OnboardingSummary is one row of the home page's list of onboardings.
type OnboardingSummary struct {
	URL        string
	Repository string
	Reference  string
	// CurrentStep is where the person should carry on.
	CurrentStep      int
	CurrentStepTitle string
	CurrentState     StateView
	UpdatedAt        string
}

// TaskListView is an onboarding's overview: its seven steps and their states.
type TaskListView struct {
	Page
	ID         string
	Repository string
	Reference  string
	Steps      []StepLink
	Completed  int
	// ContinueURL is the first step that is not yet verified.
	ContinueURL string
}

// DependencyView is an earlier step that the shown step needs.
type DependencyView struct {
	Number int
	Title  string
	Why    string
	URL    string
	Done   bool
}

// ResultView is one check's result.
type ResultView struct {
	Check string
	// Outcome is pass, warn, fail or pending.
	Outcome      string
	OutcomeLabel string
	Message      string
	CheckedAt    string
}

// ValueView is one of the four values Azure needs.
type ValueView struct {
	Name  string
	Value string
	// Missing says which step provides the value when it is not known yet.
	Missing string
}

// StepView is one step's page. With an empty OnboardingID it is the first
// step of a new onboarding.
type StepView struct {
	Page
	OnboardingID string
	FormAction   string
	Version      int
	Number       int
	Title        string
	Reference    string
	Nav          []StepLink
	State        StateView
	Dependencies []DependencyView
	// Values are the form's fields as typed or as saved, by field name.
	Values  map[string]string
	Errors  FieldErrors
	Results []ResultView
	Notice  string
	// Org and Registry are where the portal works.
	Org      string
	Registry string
	// Repository is owner/name once step 1 is saved.
	Repository string
	// Workflow is step 1's generated workflow, with where to get it.
	Workflow     string
	WorkflowFile string
	WorkflowURL  string
	// TokenURL is GitHub's page for a new classic token with only
	// read:packages selected.
	TokenURL string
	Values7  []ValueView
	// DigestReference is IMAGE pinned to the digest the pull check found.
	DigestReference string
	// CheckURL, when set, is where the step's checks are run again.
	CheckURL string
	// Facts are what the checks learned, such as the token's owner.
	Facts   []FactView
	PrevURL string
	NextURL string
}

// FactView is one thing a check learned, in words.
type FactView struct {
	Label string
	Value string
}

// Value returns a form field's value.
func (v StepView) Value(field string) string {
	return v.Values[field]
}
