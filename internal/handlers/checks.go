package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// Checker checks steps 3 to 6 against GitHub and the registry. Every
// result says what it found in the person's terms; a check that could not
// finish is Pending with the reason.
type Checker interface {
	CheckMembership(ctx context.Context, login string) []onboarding.CheckResult
	CheckAccount(ctx context.Context, login string) []onboarding.CheckResult
	CheckPermission(ctx context.Context, repository, login string) []onboarding.CheckResult
	CheckToken(ctx context.Context, token, login string,
		img onboarding.Image) onboarding.TokenFindings
}

// Limits on checks against GitHub, per person, across every replica. Token
// checks are limited harder: each tries a credential.
var (
	tokenCheckLimits = []store.RateLimit{
		{Max: 5, Window: time.Minute},
		{Max: 30, Window: 24 * time.Hour},
	}
	gitHubCheckLimits = []store.RateLimit{
		{Max: 20, Window: time.Minute},
		{Max: 300, Window: 24 * time.Hour},
	}
)

const (
	// checkTimeout bounds one round of checks, every call included.
	checkTimeout = 20 * time.Second
	// maxConcurrentChecks bounds the checks running at once on a replica,
	// so that a slow GitHub cannot take every connection and goroutine.
	maxConcurrentChecks = 16
	// checkQueueWait is how long a check waits for a free slot.
	checkQueueWait = 5 * time.Second
)

var errChecksBusy = onboarding.Errorf(onboarding.EUnavailable,
	"The portal is running many checks at the moment. Nothing was lost; try again in a minute.")

// withCheckSlot runs fn while holding one of the replica's check slots.
func (s *Server) withCheckSlot(ctx context.Context, fn func(context.Context)) error {
	wait, cancel := context.WithTimeout(ctx, checkQueueWait)
	defer cancel()
	select {
	case s.checkSlots <- struct{}{}:
	case <-wait.Done():
		return errChecksBusy
	}
	defer func() { <-s.checkSlots }()

	ctx, cancel = context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	fn(ctx)
	return nil
}

// rateLimited is a refusal because the person checked too often.
type rateLimited struct{ retryAt time.Time }

func (e *rateLimited) Error() string { return "rate limited until " + e.retryAt.String() }

// allowCheck records one check by the signed-in person under key, or says
// when they may check again.
func (s *Server) allowCheck(r *http.Request, kind string, limits []store.RateLimit) error {
	p := auth.FromContext(r.Context())
	d, err := s.cfg.Store.AllowEvent(r.Context(), kind+":"+p.User.ID, limits, s.cfg.Now())
	if err != nil {
		return fmt.Errorf("count checks: %w", err)
	}
	if !d.Allowed {
		return &rateLimited{retryAt: d.RetryAt}
	}
	return nil
}

// rateLimitMessage says when a person may check again.
func rateLimitMessage(e *rateLimited, now time.Time) string {
	wait := e.retryAt.Sub(now).Round(time.Minute)
	if wait < time.Minute {
		return "You have run these checks several times in the last minute. " +
			"Nothing was lost; try again in a minute."
	}
	return "You have run these checks many times today. Nothing was lost; try again at " +
		e.retryAt.UTC().Format("15:04 UTC on 2 January") + "."
}

// setRetryAfter tells clients when to try again.
func setRetryAfter(w http.ResponseWriter, e *rateLimited, now time.Time) {
	secs := int(e.retryAt.Sub(now).Seconds()) + 1
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
}

// runStepCheck runs the check of step 3, 4 or 5 and records its results.
func (s *Server) runStepCheck(ctx context.Context, o *onboarding.Onboarding,
	id onboarding.StepID, now time.Time) {
	login := o.Step(onboarding.StepGitHubAccount).Inputs[onboarding.FieldGitHubLogin]
	var results []onboarding.CheckResult
	switch id {
	case onboarding.StepJoinOrganisation:
		results = s.cfg.Checker.CheckMembership(ctx, login)
	case onboarding.StepGitHubAccount:
		results = s.cfg.Checker.CheckAccount(ctx, login)
	case onboarding.StepRepositoryAccess:
		results = s.cfg.Checker.CheckPermission(ctx, o.Repository, login)
	}
	o.RecordChecks(id, results, now)
}

// checkable reports whether a step has a check to run again from its page.
func checkable(id onboarding.StepID) bool {
	switch id {
	case onboarding.StepJoinOrganisation, onboarding.StepGitHubAccount,
		onboarding.StepRepositoryAccess:
		return true
	}
	return false
}
