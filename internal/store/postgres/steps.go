package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

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

// writeSteps writes all seven steps of o in one round trip.
func writeSteps(ctx context.Context, tx pgx.Tx, o *onboarding.Onboarding) error {
	batch := &pgx.Batch{}
	for i, step := range o.Steps {
		cols, err := steps.Encode(step)
		if err != nil {
			return fmt.Errorf("encode step %d: %w", i+1, err)
		}
		batch.Queue(upsertStep,
			o.ID,
			int(step.ID),
			string(step.State),
			cols.Inputs,
			cols.Results,
			cols.Facts,
			ts(step.UpdatedAt))
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("write steps: %w", err)
	}
	return nil
}
