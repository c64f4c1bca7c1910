package onboarding

import (
	"fmt"
	"maps"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Form field names of the steps' inputs. A step accepts its own fields and
// no others, so that a form cannot set what the portal derives.
const (
	FieldRepository  = "repository"
	FieldImageName   = "image_name"
	FieldTag         = "tag"
	FieldPurpose     = "purpose"
	FieldDLAddress   = "dl_address"
	FieldAccountName = "account_name"
	FieldGitHubLogin = "github_login"
)

// Limits on free-text inputs, in characters.
const (
	maxPurpose     = 1000
	maxAccountName = 64
	maxGitHubLogin = 39
)

var stepFields = map[StepID][]string{
	StepPublish:        {FieldRepository, FieldImageName, FieldTag},
	StepRequestAccount: {FieldPurpose, FieldDLAddress, FieldAccountName},
	StepGitHubAccount:  {FieldGitHubLogin},
}

// Fields lists the form fields a step takes, in the order of its form.
func (id StepID) Fields() []string {
	return stepFields[id]
}

var (
	gitHubLogin = regexp.MustCompile(`^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$`)
	accountName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// Place records where the portal works: the GitHub organisation whose
// repositories are onboarded and the registry that holds their images.
type Place struct {
	Org      string
	Registry string
}

// SaveStep validates a step's inputs and, when they are valid, records them
// with the results of the checks that need nothing outside the portal. On
// any problem it changes nothing and returns every problem found.
func (o *Onboarding) SaveStep(id StepID, form map[string]string, p Place,
	at time.Time) []FieldProblem {
	inputs := map[string]string{}
	for _, f := range id.Fields() {
		inputs[f] = strings.TrimSpace(form[f])
	}
	if id == StepPublish {
		return o.savePublish(inputs, p, at)
	}
	if problems := validateInputs(id, inputs); len(problems) > 0 {
		return problems
	}
	s := o.Step(id)
	changed := !maps.Equal(s.Inputs, inputs)
	s.Inputs = inputs
	s.Results = []CheckResult{{Check: "Saved", Outcome: Pending,
		Message: pendingMessage(id), CheckedAt: at}}
	s.State = StateFromResults(s.Results)
	s.UpdatedAt = at
	// A new login invalidates what was checked of the old one. The request's
	// details, by contrast, change nothing that later steps checked.
	if changed && id == StepGitHubAccount {
		o.resetDependents(id, at)
	}
	return nil
}

// savePublish records step 1: the repository, image and tag, checked
// against the organisation, the registry's naming rules and the guide's tag
// policy.
func (o *Onboarding) savePublish(inputs map[string]string, p Place, at time.Time) []FieldProblem {
	img, problems := ParseImage(ImageInput{
		Repository: inputs[FieldRepository],
		ImageName:  inputs[FieldImageName],
		Tag:        inputs[FieldTag],
	}, p.Org, p.Registry)
	if len(problems) > 0 {
		return problems
	}
	changed := o.Repository != img.Repository() || o.ImageName != img.Name || o.Tag != img.Tag
	o.Repository, o.ImageName, o.Tag = img.Repository(), img.Name, img.Tag

	s := o.Step(StepPublish)
	s.Inputs = map[string]string{
		FieldRepository: img.Repository(), FieldImageName: img.Name, FieldTag: img.Tag,
	}
	s.Results = publishResults(img, p, at)
	s.State = StateFromResults(s.Results)
	s.UpdatedAt = at
	if changed {
		o.resetDependents(StepPublish, at)
	}
	return nil
}

func publishResults(img Image, p Place, at time.Time) []CheckResult {
	results := []CheckResult{
		{Check: "Repository", Outcome: Pass, CheckedAt: at,
			Message: fmt.Sprintf("%s is in the %s organisation.", img.Repository(), p.Org)},
		{Check: "Image name", Outcome: Pass, CheckedAt: at,
			Message: fmt.Sprintf("The image is %s, a valid name on %s.", img.Reference(), img.Registry)},
	}
	for _, n := range img.Notices {
		results = append(results, CheckResult{Check: "Changed for you", Outcome: Pass,
			Message: n, CheckedAt: at})
	}
	tag := CheckResult{Check: "Tag", Outcome: Pass, CheckedAt: at,
		Message: fmt.Sprintf("%s is %s, as the guide recommends.", img.Tag, img.TagKind.Describe())}
	if w := img.TagWarning(); w != "" {
		tag.Outcome, tag.Message = Warn, w
	}
	return append(results, tag)
}

// resetDependents clears the results of later steps that relied on a step
// whose values changed: what was checked no longer holds.
func (o *Onboarding) resetDependents(changed StepID, at time.Time) {
	for i := range o.Steps {
		s := &o.Steps[i]
		if s.ID == changed || s.State == NotStarted {
			continue
		}
		for _, d := range s.ID.Dependencies() {
			if d.Step == changed {
				s.Results = nil
				s.State = NotStarted
				if len(s.Inputs) > 0 {
					s.State = Waiting
				}
				s.UpdatedAt = at
				break
			}
		}
	}
}

func validateInputs(id StepID, in map[string]string) []FieldProblem {
	switch id {
	case StepRequestAccount:
		return validateRequest(in)
	case StepGitHubAccount:
		if msg := checkGitHubLogin(in[FieldGitHubLogin]); msg != "" {
			return []FieldProblem{{Field: FieldGitHubLogin, Message: msg}}
		}
	}
	return nil
}

func validateRequest(in map[string]string) []FieldProblem {
	var problems []FieldProblem
	add := func(field, msg string) {
		if msg != "" {
			problems = append(problems, FieldProblem{Field: field, Message: msg})
		}
	}
	add(FieldPurpose, checkPurpose(in[FieldPurpose]))
	add(FieldDLAddress, checkDLAddress(in[FieldDLAddress]))
	add(FieldAccountName, checkAccountName(in[FieldAccountName]))
	return problems
}

func checkPurpose(s string) string {
	switch {
	case s == "":
		return "Enter what the service account is for, for example the service it will run"
	case utf8.RuneCountInString(s) > maxPurpose:
		return fmt.Sprintf("Purpose must be %d characters or fewer", maxPurpose)
	case hasControl(s, true):
		return "Purpose must not contain control characters"
	}
	return ""
}

func checkDLAddress(s string) string {
	if s == "" {
		return "Enter the shared mailing list (DL) address, so that GitHub's e-mails reach the team"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "Enter the DL address in the right format, like my-team@example.ac.uk"
	}
	return ""
}

func checkAccountName(s string) string {
	switch {
	case s == "":
		return ""
	case utf8.RuneCountInString(s) > maxAccountName:
		return fmt.Sprintf("Suggested account name must be %d characters or fewer", maxAccountName)
	case !accountName.MatchString(s):
		return "Suggested account name can only have letters, digits, dots, hyphens and " +
			"underscores, and must start with a letter or digit"
	}
	return ""
}

// checkGitHubLogin applies GitHub's rules for user names. GitHub itself is
// the final word on whether the login exists.
func checkGitHubLogin(s string) string {
	switch {
	case s == "":
		return "Enter the service account's GitHub login, for example my-team-svc"
	case strings.HasPrefix(s, "@"):
		return "Enter the GitHub login without the @"
	case len(s) > maxGitHubLogin:
		return fmt.Sprintf("A GitHub login is at most %d characters", maxGitHubLogin)
	case !gitHubLogin.MatchString(s):
		return "A GitHub login has only letters, digits and single hyphens, " +
			"and does not start or end with a hyphen"
	}
	return ""
}

// hasControl reports whether s has control characters; allowNewlines lets
// multi-line text keep its line breaks and tabs.
func hasControl(s string, allowNewlines bool) bool {
	for _, r := range s {
		if allowNewlines && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}

// pendingMessage says what happens next to a step whose inputs are saved
// before any check has run on them.
func pendingMessage(id StepID) string {
	if id == StepRequestAccount {
		return "Saved. The request goes to the admins' queue when service-account requests " +
			"open in the portal; until then, raise it through the service desk with these details."
	}
	return "Saved, not checked yet."
}
