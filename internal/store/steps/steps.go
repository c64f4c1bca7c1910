// Package steps holds what both stores share about storing an onboarding's
// steps: the JSON in each step's inputs and results columns, and how rows of
// an onboarding joined to its steps are gathered back into onboardings.
package steps

import (
	"encoding/json"
	"fmt"
	"time"

	"ghcrportal/internal/onboarding"
)

// jsonTime is how a time is written inside JSON: RFC 3339 in UTC, always
// with six digits of fraction.
const jsonTime = "2006-01-02T15:04:05.000000Z07:00"

// resultJSON is a check result as kept in the results column. The domain
// types carry no JSON tags, so the stored shape is fixed here.
type resultJSON struct {
	Check     string `json:"check"`
	Outcome   string `json:"outcome"`
	Message   string `json:"message"`
	CheckedAt string `json:"checked_at"`
}

// Encode returns a step's inputs as a JSON object and its results as a
// JSON array of resultJSON. No inputs or no results give {} and [], never
// null.
func Encode(step onboarding.Step) (inputs, results string, err error) {
	in := step.Inputs
	if in == nil {
		in = map[string]string{}
	}
	inputJSON, err := json.Marshal(in)
	if err != nil {
		return "", "", fmt.Errorf("encode inputs: %w", err)
	}

	out := make([]resultJSON, len(step.Results))
	for i, r := range step.Results {
		out[i] = resultJSON{
			Check:     r.Check,
			Outcome:   string(r.Outcome),
			Message:   r.Message,
			CheckedAt: onboarding.Timestamp(r.CheckedAt).Format(jsonTime),
		}
	}
	resultsJSON, err := json.Marshal(out)
	if err != nil {
		return "", "", fmt.Errorf("encode results: %w", err)
	}
	return string(inputJSON), string(resultsJSON), nil
}

// DecodeInputs reads a step's inputs column. No inputs give a nil map, as
// onboarding.NewOnboarding makes them.
func DecodeInputs(data string) (map[string]string, error) {
	var inputs map[string]string
	if err := json.Unmarshal([]byte(data), &inputs); err != nil {
		return nil, fmt.Errorf("decode inputs: %w", err)
	}
	if len(inputs) == 0 {
		return nil, nil
	}
	return inputs, nil
}

// DecodeResults reads a step's results column. No results give a nil slice,
// as onboarding.NewOnboarding makes them.
func DecodeResults(data string) ([]onboarding.CheckResult, error) {
	var stored []resultJSON
	if err := json.Unmarshal([]byte(data), &stored); err != nil {
		return nil, fmt.Errorf("decode results: %w", err)
	}
	if len(stored) == 0 {
		return nil, nil
	}
	results := make([]onboarding.CheckResult, len(stored))
	for i, r := range stored {
		checkedAt, err := time.Parse(time.RFC3339, r.CheckedAt)
		if err != nil {
			return nil, fmt.Errorf("decode result %d: %w", i, err)
		}
		results[i] = onboarding.CheckResult{
			Check:     r.Check,
			Outcome:   onboarding.Outcome(r.Outcome),
			Message:   r.Message,
			CheckedAt: checkedAt.UTC(),
		}
	}
	return results, nil
}

// CheckOrder refuses an onboarding whose steps are not numbered by their
// place, 1 to 7, before anything is written.
func CheckOrder(o *onboarding.Onboarding) error {
	for i, step := range o.Steps {
		if want := onboarding.StepID(i + 1); step.ID != want {
			return fmt.Errorf("step %d is numbered %d", want, step.ID)
		}
	}
	return nil
}

// Row is one row of an onboarding joined to one of its steps. Step is 0
// when the onboarding has no step rows, as one written by an older build.
type Row struct {
	Onboarding onboarding.Onboarding
	Step       int
	State      string
	Inputs     string
	Results    string
	UpdatedAt  time.Time
}

// Gather adds a row to a list of onboardings read in order of ID: a row of a
// new onboarding starts it with every step not started, and each row's step
// goes into its onboarding.
func Gather(list []*onboarding.Onboarding, r *Row) ([]*onboarding.Onboarding, error) {
	if len(list) == 0 || list[len(list)-1].ID != r.Onboarding.ID {
		list = append(list, notStarted(r.Onboarding))
	}
	return list, r.setStep(list[len(list)-1])
}

// setStep puts the step of r into o; a row without a step changes nothing.
func (r *Row) setStep(o *onboarding.Onboarding) error {
	if r.Step == 0 {
		return nil
	}
	id := onboarding.StepID(r.Step)
	if !id.Valid() {
		return fmt.Errorf("onboarding %s has a step numbered %d", o.ID, r.Step)
	}
	inputs, err := DecodeInputs(r.Inputs)
	if err != nil {
		return fmt.Errorf("step %d of onboarding %s: %w", id, o.ID, err)
	}
	results, err := DecodeResults(r.Results)
	if err != nil {
		return fmt.Errorf("step %d of onboarding %s: %w", id, o.ID, err)
	}
	*o.Step(id) = onboarding.Step{
		ID:        id,
		State:     onboarding.StepState(r.State),
		Inputs:    inputs,
		Results:   results,
		UpdatedAt: r.UpdatedAt,
	}
	return nil
}

// notStarted returns a copy of row whose steps are all not started since it
// was created: what a step without a row in onboarding_steps reads as.
func notStarted(row onboarding.Onboarding) *onboarding.Onboarding {
	o := row
	for i := range o.Steps {
		o.Steps[i] = onboarding.Step{
			ID:        onboarding.StepID(i + 1),
			State:     onboarding.NotStarted,
			UpdatedAt: o.CreatedAt,
		}
	}
	return &o
}
