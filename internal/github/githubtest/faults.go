package githubtest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Faults make a fake misbehave. The zero value is a healthy fake. FakeGitHub
// applies them to every endpoint except the App's token exchange, so that a
// test of an outage is not also a test of the App signing in; FakeRegistry
// applies all but PrimaryRateLimit.
type Faults struct {
	// Latency delays every answer, the token exchange included.
	Latency time.Duration
	// Hang holds every request until the client gives up or the fake closes.
	Hang bool
	// Unavailable answers the next N requests with 503 Service Unavailable.
	Unavailable int
	// PrimaryRateLimit answers as GitHub does when a rate limit is used up.
	PrimaryRateLimit *PrimaryRateLimit
	// SecondaryRateLimit answers as GitHub does when it asks a client to slow
	// down; the registry answers 429 TOOMANYREQUESTS instead.
	SecondaryRateLimit *SecondaryRateLimit
	// RedirectTo answers every request with a redirect (302 Found from
	// GitHub, 307 from the registry) to this base URL followed by the
	// request's path.
	RedirectTo string
}

// PrimaryRateLimit is a used-up rate limit: the status is 403 (or 429) with
// X-RateLimit-Remaining: 0 and X-RateLimit-Reset at Reset.
type PrimaryRateLimit struct {
	// Status is 403 when zero.
	Status int
	Reset  time.Time
}

// SecondaryRateLimit is GitHub asking a client to slow down: 403 (or 429)
// with Retry-After and the secondary-limit message.
type SecondaryRateLimit struct {
	// Status is 403 when zero.
	Status     int
	RetryAfter time.Duration
}

// faultState holds a fake's faults and counts down Unavailable.
type faultState struct {
	mu      sync.Mutex
	f       Faults
	closing chan struct{}
}

func newFaultState() *faultState {
	return &faultState{closing: make(chan struct{})}
}

func (s *faultState) set(f Faults) {
	s.mu.Lock()
	s.f = f
	s.mu.Unlock()
}

// latency returns the current latency without counting a request.
func (s *faultState) latency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f.Latency
}

// take returns the faults for one request, counting it against Unavailable;
// unavailable reports whether this request is one of those.
func (s *faultState) take() (f Faults, unavailable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f.Unavailable > 0 {
		s.f.Unavailable--
		unavailable = true
	}
	return s.f, unavailable
}

// wait sleeps for d, or until the request ends or the fake closes; it
// reports whether the request should still be answered.
func (s *faultState) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.closing:
	}
	return false
}

// hang holds a request until it ends or the fake closes.
func (s *faultState) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.closing:
	}
}

// seconds formats a duration as whole seconds, rounded up, for Retry-After.
func seconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}
