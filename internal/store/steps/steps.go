// Package steps holds what both stores share about storing an onboarding's
// steps: the JSON in each step's inputs, results and facts columns, and how
// rows of an onboarding joined to its steps are gathered back into
// onboardings.
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

// Columns are a step's values as written to its JSON columns.
type Columns struct {
	Inputs  string
	Results string
	Facts   string
}

// Encode returns a step's inputs and facts as JSON objects and its results
// as a JSON array of resultJSON. No inputs, facts or results give {}, {} and
// [], never null.
func Encode(step onboarding.Step) (Columns, error) {
	inputs, err := encodeObject(step.Inputs)
	if err != nil {
		return Columns{}, fmt.Errorf("encode inputs: %w", err)
	}
	results, err := encodeResults(step.Results)
	if err != nil {
		return Columns{}, fmt.Errorf("encode results: %w", err)
	}
	facts, err := encodeObject(step.Facts)
	if err != nil {
		return Columns{}, fmt.Errorf("encode facts: %w", err)
	}
	return Columns{Inputs: inputs, Results: results, Facts: facts}, nil
}

// encodeObject returns values as a JSON object; nil gives {}.
func encodeObject(values map[string]string) (string, error) {
	if values == nil {
		values = map[string]string{}
	}
	data, err := json.Marshal(values)
	return string(data), err
}

// encodeResults returns results as a JSON array of resultJSON; nil gives [].
func encodeResults(results []onboarding.CheckResult) (string, error) {
	out := make([]resultJSON, len(results))
	for i, r := range results {
		out[i] = resultJSON{
			Check:     r.Check,
			Outcome:   string(r.Outcome),
			Message:   r.Message,
			CheckedAt: onboarding.Timestamp(r.CheckedAt).Format(jsonTime),
		}
	}
	data, err := json.Marshal(out)
	return string(data), err
}

// DecodeInputs reads a step's inputs column. No inputs give a nil map, as
// onboarding.NewOnboarding makes them.
func DecodeInputs(data string) (map[string]string, error) {
	inputs, err := decodeObject(data)
	if err != nil {
		return nil, fmt.Errorf("decode inputs: %w", err)
	}
	return inputs, nil
}

// DecodeFacts reads a step's facts column. No facts give a nil map, as
// onboarding.NewOnboarding makes them; so does the {} with which the column
// fills the rows of a build that predates it.
func DecodeFacts(data string) (map[string]string, error) {
	facts, err := decodeObject(data)
	if err != nil {
		return nil, fmt.Errorf("decode facts: %w", err)
	}
	return facts, nil
}

// decodeObject reads a JSON object of strings; an empty one gives nil.
func decodeObject(data string) (map[string]string, error) {
	var values map[string]string
	if err := json.Unmarshal([]byte(data), &values); err != nil {
		return nil, err
	}
	if len(values) == 0 {
		return nil, nil
	}
	return values, nil
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
	Facts      string
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
	step, err := r.decode(id)
	if err != nil {
		return fmt.Errorf("step %d of onboarding %s: %w", id, o.ID, err)
	}
	*o.Step(id) = step
	return nil
}

// decode reads the step of r, numbered id, from its columns.
func (r *Row) decode(id onboarding.StepID) (onboarding.Step, error) {
	step := onboarding.Step{
		ID:        id,
		State:     onboarding.StepState(r.State),
		UpdatedAt: r.UpdatedAt,
	}
	var err error
	if step.Inputs, err = DecodeInputs(r.Inputs); err != nil {
		return onboarding.Step{}, err
	}
	if step.Results, err = DecodeResults(r.Results); err != nil {
		return onboarding.Step{}, err
	}
	if step.Facts, err = DecodeFacts(r.Facts); err != nil {
		return onboarding.Step{}, err
	}
	return step, nil
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
