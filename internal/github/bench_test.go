package github_test

import (
	"context"
	"testing"
	"time"

	"ghcrportal/internal/github/githubtest"
)

// BenchmarkCheckTokenConcurrency delays every answer of both fakes by the
// same latency and reports how CheckToken's wall time compares with the sum
// of its upstream calls' latencies: a ratio well under 1 shows that the calls
// overlap. The registry's token exchange is sequential by nature (ping,
// token, manifest), so it sets the floor.
func BenchmarkCheckTokenConcurrency(b *testing.B) {
	const latency = 20 * time.Millisecond
	e := newEnv(b)
	e.gh.SetFaults(githubtest.Faults{Latency: latency})
	e.reg.SetFaults(githubtest.Faults{Latency: latency})
	token := e.addToken(nil)
	want := e.want()

	var wall time.Duration
	calls := 0
	for b.Loop() {
		before := len(e.gh.Requests()) + len(e.reg.Requests())
		start := time.Now()
		report := checkToken(e.client, context.Background(), token, want)
		wall += time.Since(start)
		calls += len(e.gh.Requests()) + len(e.reg.Requests()) - before
		if report.Digest == "" {
			b.Fatalf("the pull failed: %v", report.Results)
		}
	}
	serial := time.Duration(calls) * latency
	b.ReportMetric(float64(wall)/float64(serial), "wall/serial")
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
}
