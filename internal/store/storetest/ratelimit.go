package storetest

import (
	"sync"
	"testing"
	"time"

	"ghcrportal/internal/onboarding"
	"ghcrportal/internal/store"
)

// eventCall is one call of AllowEvent in a story: when it is made, as epoch
// moved by after, and what it should decide.
type eventCall struct {
	after   time.Duration
	allowed bool
	// retryAfter is, for a refused call, its RetryAt as epoch moved by it.
	retryAfter time.Duration
}

// allowedAt is a call at epoch moved by d that is allowed.
func allowedAt(d time.Duration) eventCall {
	return eventCall{after: d, allowed: true}
}

// refusedAt is a call at epoch moved by d that is refused until epoch moved
// by retry.
func refusedAt(d, retry time.Duration) eventCall {
	return eventCall{after: d, retryAfter: retry}
}

// want is the decision that c should get. Events are stored to the
// microsecond, so a time to retry counts from epoch as stored.
func (c eventCall) want() store.RateDecision {
	if c.allowed {
		return store.RateDecision{Allowed: true}
	}
	return store.RateDecision{RetryAt: stored(at(c.retryAfter))}
}

// checkCalls makes each of calls for key in turn, and ends t at the first
// whose decision is not the one wanted.
func checkCalls(t *testing.T, s store.Store, key string, limits []store.RateLimit,
	calls []eventCall) {
	t.Helper()
	for i, c := range calls {
		got, err := s.AllowEvent(t.Context(), key, limits, at(c.after))
		if err != nil {
			t.Fatalf("call %d, at +%s: AllowEvent: %v", i, c.after, err)
		}
		if d := diff(c.want(), got); d != "" {
			t.Fatalf("call %d, at +%s: AllowEvent mismatch (-want +got):\n%s", i, c.after, d)
		}
	}
}

func testAllowEventLimits(t *testing.T, s store.Store) {
	twoPerMinute := store.RateLimit{Max: 2, Window: time.Minute}
	threePerHour := store.RateLimit{Max: 3, Window: time.Hour}
	tests := []struct {
		name   string
		limits []store.RateLimit
		calls  []eventCall
	}{
		{
			name:   "up to max, then until the oldest leaves",
			limits: []store.RateLimit{{Max: 3, Window: time.Minute}},
			calls: []eventCall{
				allowedAt(0),
				allowedAt(10 * time.Second),
				allowedAt(20 * time.Second),
				// Refusals record nothing, or the call at 1m would find four.
				refusedAt(30*time.Second, time.Minute),
				refusedAt(time.Minute-time.Microsecond, time.Minute),
				allowedAt(time.Minute),
				refusedAt(time.Minute+time.Second, time.Minute+10*time.Second),
			},
		},
		{
			name:   "one at a time",
			limits: []store.RateLimit{{Max: 1, Window: time.Hour}},
			calls: []eventCall{
				allowedAt(0),
				refusedAt(0, time.Hour),
				refusedAt(59*time.Minute, time.Hour),
				allowedAt(time.Hour),
			},
		},
		{
			name:   "events outside the window do not count",
			limits: []store.RateLimit{twoPerMinute},
			calls: []eventCall{
				allowedAt(0),
				allowedAt(time.Second),
				refusedAt(2*time.Second, time.Minute),
				allowedAt(5 * time.Minute),
				allowedAt(5 * time.Minute),
				refusedAt(5*time.Minute, 6*time.Minute),
			},
		},
		{
			name:   "two limits, full in turn",
			limits: []store.RateLimit{twoPerMinute, threePerHour},
			calls: []eventCall{
				allowedAt(0),
				allowedAt(time.Second),
				// The minute is full; the hour has room.
				refusedAt(2*time.Second, time.Minute),
				allowedAt(time.Minute),
				// The minute has room; the hour is full.
				refusedAt(2*time.Minute, time.Hour),
				allowedAt(time.Hour),
			},
		},
		{
			name:   "two limits full at once, the hour frees up last",
			limits: []store.RateLimit{twoPerMinute, threePerHour},
			calls: []eventCall{
				allowedAt(0),
				allowedAt(2 * time.Minute),
				allowedAt(2*time.Minute + 10*time.Second),
				refusedAt(2*time.Minute+20*time.Second, time.Hour),
			},
		},
		{
			name:   "two limits full at once, the minute frees up last",
			limits: []store.RateLimit{threePerHour, twoPerMinute},
			calls: []eventCall{
				allowedAt(0),
				allowedAt(59*time.Minute + 30*time.Second),
				allowedAt(59*time.Minute + 40*time.Second),
				// The hour has room from 1h, the minute not before 1h0m30s.
				refusedAt(59*time.Minute+50*time.Second, time.Hour+30*time.Second),
				refusedAt(time.Hour+30*time.Second-time.Microsecond, time.Hour+30*time.Second),
				allowedAt(time.Hour + 30*time.Second),
			},
		},
		{
			// So that a replica whose clock runs behind cannot overrun a limit.
			name:   "events after now count",
			limits: []store.RateLimit{{Max: 1, Window: time.Minute}},
			calls: []eventCall{
				allowedAt(10 * time.Minute),
				refusedAt(0, 11*time.Minute),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCalls(t, s, tt.name, tt.limits, tt.calls)
		})
	}
}

func testAllowEventKeys(t *testing.T, s store.Store) {
	limits := []store.RateLimit{{Max: 1, Window: time.Hour}}
	// Keys that a store comparing by prefix, by case or in hand-built SQL
	// would mix up.
	keys := append([]string{"token-check:1", "token-check:10", "TOKEN-CHECK:1"}, hostileText...)
	for _, key := range keys {
		checkCalls(t, s, key, limits, []eventCall{allowedAt(0)})
	}
	for _, key := range keys {
		checkCalls(t, s, key, limits, []eventCall{refusedAt(time.Minute, time.Hour)})
	}
}

func testAllowEventNoLimits(t *testing.T, s store.Store) {
	for _, limits := range [][]store.RateLimit{nil, {}} {
		checkCalls(t, s, "key", limits, []eventCall{allowedAt(0), allowedAt(0), allowedAt(0)})
	}
	// None of those calls recorded an event.
	checkCalls(t, s, "key", []store.RateLimit{{Max: 1, Window: time.Hour}},
		[]eventCall{allowedAt(0)})
}

func testAllowEventInvalidLimits(t *testing.T, s store.Store) {
	valid := store.RateLimit{Max: 1, Window: time.Hour}
	tests := []struct {
		name   string
		limits []store.RateLimit
	}{
		{"no events", []store.RateLimit{{Max: 0, Window: time.Hour}}},
		{"fewer than no events", []store.RateLimit{{Max: -1, Window: time.Hour}}},
		{"no window", []store.RateLimit{{Max: 1}}},
		{"window before now", []store.RateLimit{{Max: 1, Window: -time.Minute}}},
		{"one bad among good", []store.RateLimit{valid, {Max: 5}}},
	}
	for _, tt := range tests {
		got, err := s.AllowEvent(t.Context(), "key", tt.limits, epoch)
		if err == nil {
			t.Errorf("%s: AllowEvent = %+v, nil; want an error", tt.name, got)
		}
		wantCode(t, err, onboarding.EInternal)
	}
	// None of those calls recorded an event.
	checkCalls(t, s, "key", []store.RateLimit{valid}, []eventCall{allowedAt(0)})
}

func testAllowEventConcurrent(t *testing.T, s store.Store) {
	CheckEventsTogether(t, s)
}

// CheckEventsTogether makes 30 calls of AllowEvent for one key at once, at
// the same time, spread over stores that share one database, and fails t
// unless exactly 5 are allowed under a limit of 5 an hour and the rest are
// refused until an hour after the calls.
func CheckEventsTogether(t *testing.T, stores ...store.Store) {
	t.Helper()
	const callers = 30
	limit := store.RateLimit{Max: 5, Window: time.Hour}
	decisions, errs := allowTogether(t, stores, callers, limit)

	allowed := 0
	refused := store.RateDecision{RetryAt: stored(at(limit.Window))}
	for i, got := range decisions {
		switch {
		case errs[i] != nil:
			t.Errorf("caller %d: AllowEvent: %v", i, errs[i])
		case got.Allowed:
			allowed++
		default:
			if d := diff(refused, got); d != "" {
				t.Errorf("caller %d: AllowEvent mismatch (-want +got):\n%s", i, d)
			}
		}
	}
	if allowed != limit.Max {
		t.Errorf("%d of %d concurrent callers were allowed, want exactly %d",
			allowed, callers, limit.Max)
	}
}

// allowTogether calls AllowEvent for one key at epoch from n goroutines
// released together, the i-th on stores[i % len(stores)], and returns what
// each call returned.
func allowTogether(t *testing.T, stores []store.Store, n int,
	limit store.RateLimit) ([]store.RateDecision, []error) {
	t.Helper()
	limits := []store.RateLimit{limit}
	start := make(chan struct{})
	decisions := make([]store.RateDecision, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		s := stores[i%len(stores)]
		wg.Go(func() {
			<-start
			decisions[i], errs[i] = s.AllowEvent(t.Context(), "token-check:ada", limits, epoch)
		})
	}
	close(start)
	wg.Wait()
	return decisions, errs
}
