package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store/steps"
)

// upsertStep writes one step of an onboarding. It updates as well as inserts
// because an onboarding created by a build older than the steps table has no
// step rows until its first save.
const upsertStep = `
	INSERT INTO onboarding_steps (
		onboarding_id, step, state, inputs, results, facts, updated_at
	)
	VALUES ($1, $2, $3, $4, $5, $6, $7)
	ON CONFLICT (onboarding_id, step) DO UPDATE
	SET state = excluded.state,
		inputs = excluded.inputs,
		results = excluded.results,
		facts = excluded.facts,
		updated_at = excluded.updated_at`

// writeSteps writes all seven steps of o with one prepared statement.
func writeSteps(ctx context.Context, tx *sql.Tx, o *onboarding.Onboarding) error {
	stmt, err := tx.PrepareContext(ctx, upsertStep)
	if err != nil {
		return fmt.Errorf("prepare step write: %w", err)
	}
	defer stmt.Close()

	for _, step := range o.Steps {
		if err := writeStep(ctx, stmt, o.ID, step); err != nil {
			return fmt.Errorf("write step %d: %w", step.ID, err)
		}
	}
	return nil
}

// writeStep runs upsertStep, prepared as stmt, for one step of onboarding id.
func writeStep(ctx context.Context, stmt *sql.Stmt, id string, step onboarding.Step) error {
	cols, err := steps.Encode(step)
	if err != nil {
		return err
	}
	_, err = stmt.ExecContext(ctx,
		id,
		int(step.ID),
		string(step.State),
		cols.Inputs,
		cols.Results,
		cols.Facts,
		micros(step.UpdatedAt))
	return err
}
