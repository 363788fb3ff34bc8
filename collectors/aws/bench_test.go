package aws

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// benchManifest is the recorded estate of the collection benchmarks: the EC2 and edge
// test estates with every answer open to any account and region and no failures, and
// an organization of four accounts.
const benchManifest = "testdata/bench/responses.yaml"

// benchRegions are the regions the benchmarks read.
var benchRegions = []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}

// preUnitOps are the calls made before the units start, one chain: who is calling,
// the organization's accounts, the member's credentials, its regions.
var preUnitOps = []string{"GetCallerIdentity", "ListAccounts", "AssumeRole", "DescribeRegions"}

// criticalPath is the number of calls on the longest chain that cannot run in
// parallel: the calls before the units, then the deepest call of any unit (depth is
// the number of calls a call waited for inside its unit).
func criticalPath(calls []Call) int {
	pre := map[string]int{} // operation → calls (ListAccounts pages follow each other)
	deepest := 0
	for _, c := range calls {
		if slices.Contains(preUnitOps, c.Operation) {
			pre[c.Operation]++
			continue
		}
		deepest = max(deepest, c.Depth+1)
	}
	n := deepest
	for op, count := range pre {
		if op == "ListAccounts" {
			n += count
		} else {
			n++ // one per account, but the accounts' calls run side by side
		}
	}
	return n
}

// repeats counts calls identical to an earlier one (same account, region, operation
// and parameters): work a collection did twice.
func repeats(calls []awstest.Call) int {
	seen := map[string]bool{}
	n := 0
	for _, c := range calls {
		key := fmt.Sprint(c.Account, c.Region, c.Operation, c.Params)
		if seen[key] {
			n++
		}
		seen[key] = true
	}
	return n
}

// benchCollect collects accounts × regions of the bench estate with latency per call.
// It reports wall time over the critical-path bound (calls on the longest dependent
// chain × latency) and calls over the calls needed (distinct requests).
func benchCollect(b *testing.B, accounts, regions int, latency time.Duration) {
	srv, err := awstest.New(benchManifest)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	srv.Latency = latency
	var (
		wall  time.Duration // summed over the iterations
		calls []Call
		sent  []awstest.Call
	)
	for b.Loop() {
		srv.Reset()
		var log callLog
		c := &Collector{Config: testConfig(srv, "us-east-1"), Regions: benchRegions[:regions], OnCall: log.record}
		if accounts > 1 {
			c.OrgRoleName = "DcgwScan"
		}
		start := time.Now()
		snap := c.Collect(context.Background())
		wall += time.Since(start)
		calls, sent = log.all(), srv.Calls()
		for _, s := range snap.Scopes {
			// The recorded estate holds one truncated TGW route search (partial).
			if s.Status == snapshot.ScopeFailed {
				b.Fatalf("scope %s: %s", s.Key(), s.Problem())
			}
		}
		globals := 0
		for _, s := range allServices() {
			if s.global {
				globals++
			}
		}
		if got, want := len(snap.Scopes), accounts*(globals+regions*(len(allServices())-globals)); got != want {
			b.Fatalf("%d scopes, want %d (%d accounts × %d regions)", got, want, accounts, regions)
		}
	}
	if u := srv.Unmatched(); len(u) > 0 {
		b.Fatalf("unmatched requests: %v", u)
	}
	bound := time.Duration(criticalPath(calls)) * latency
	b.ReportMetric(float64(len(sent)), "calls")
	b.ReportMetric(float64(len(sent))/float64(len(sent)-repeats(sent)), "calls/needed")
	b.ReportMetric(float64(criticalPath(calls)), "path-calls")
	if latency >= time.Millisecond { // with no latency to hide, the ratio means nothing
		b.ReportMetric(wall.Seconds()/float64(b.N)/bound.Seconds(), "wall/path")
	}
}

// BenchmarkCollect measures a collection of 1 account × 1 region and 4 accounts × 4
// regions with 50 ms per call at the default concurrency (make bench-collect).
func BenchmarkCollect(b *testing.B) {
	for _, tc := range []struct{ accounts, regions int }{{1, 1}, {4, 4}} {
		b.Run(fmt.Sprintf("accounts=%d/regions=%d", tc.accounts, tc.regions), func(b *testing.B) {
			benchCollect(b, tc.accounts, tc.regions, 50*time.Millisecond)
		})
	}
}

// BenchmarkCollectCPU is the 4 × 4 collection with no latency: what the SDK clients
// (and the fake server, in the same process) cost in CPU.
func BenchmarkCollectCPU(b *testing.B) { benchCollect(b, 4, 4, time.Microsecond) }
