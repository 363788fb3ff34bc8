package policies_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// benchSizes are the estates rules are measured on. The targets (one run, as ratios):
// Evaluate at 10k <= 5x JSONUnmarshal at 10k, Evaluate at 10k <= 12x Evaluate at 1k.
var benchSizes = []int{1000, 10000}

// estate is a synthetic estate as the scanner sees it: its snapshot file, and the
// snapshot decoded from that file.
type estate struct {
	json []byte
	snap *snapshot.Snapshot
}

var (
	estatesMu sync.Mutex
	estates   = map[int]*estate{}
)

// estateOf generates (once per process) the estate of n networks.
func estateOf(tb testing.TB, n int) *estate {
	tb.Helper()
	estatesMu.Lock()
	defer estatesMu.Unlock()
	if e, ok := estates[n]; ok {
		return e
	}
	data, err := snapshot.Marshal(synth.Generate(synth.Options{Networks: n, Seed: 1}))
	if err != nil {
		tb.Fatalf("marshal estate of %d networks: %v", n, err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		tb.Fatalf("decode estate of %d networks: %v", n, err)
	}
	e := &estate{json: data, snap: &s}
	estates[n] = e
	return e
}

func newEngine(tb testing.TB, builtin fs.FS) *policies.Engine {
	tb.Helper()
	e, err := policies.New(tb.Context(), policies.Options{Params: policies.DefaultParams(), Builtin: builtin})
	if err != nil {
		tb.Fatalf("build engine: %v", err)
	}
	return e
}

// BenchmarkEvaluate is one evaluation of every built-in rule on an estate, input
// conversion included.
func BenchmarkEvaluate(b *testing.B) {
	eng := newEngine(b, nil)
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("networks=%d", n), func(b *testing.B) {
			e := estateOf(b, n)
			b.ReportAllocs()
			var findings int
			cpu := cpuMeter(b)
			for b.Loop() {
				res, err := eng.Evaluate(b.Context(), e.snap)
				if err != nil {
					b.Fatal(err)
				}
				findings = len(res.Findings)
			}
			cpu()
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

// cpuMeter starts measuring the process's CPU time; the function it returns reports
// it per operation as cpu-ns/op. Rule groups evaluate two at a time (Options.
// Parallelism), so ns/op is wall time and cpu-ns/op what the cores spent, garbage
// collection included; compare both with the single-threaded JSON decoding.
func cpuMeter(b *testing.B) func() {
	start, ok := cpuTime()
	return func() {
		if end, ok2 := cpuTime(); ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkJSONUnmarshal is plain encoding/json of the same estate's snapshot file into
// a Snapshot: the "parse its JSON" baseline, here so the ratio comes from one run.
func BenchmarkJSONUnmarshal(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("networks=%d", n), func(b *testing.B) {
			e := estateOf(b, n)
			b.SetBytes(int64(len(e.json)))
			b.ReportAllocs()
			cpu := cpuMeter(b)
			for b.Loop() {
				var s snapshot.Snapshot
				if err := json.Unmarshal(e.json, &s); err != nil {
					b.Fatal(err)
				}
			}
			cpu()
		})
	}
}

// BenchmarkRule evaluates each built-in rule alone (with the shared helpers), to find
// the rule that grows faster than the estate: compare rule=X/networks=10000 with
// rule=X/networks=1000.
func BenchmarkRule(b *testing.B) {
	all := policies.BuiltinFS()
	for _, r := range newEngine(b, nil).Rules() {
		builtin, err := ruleFS(all, strings.TrimPrefix(r.File, "policies/"))
		if err != nil {
			b.Fatal(err)
		}
		eng := newEngine(b, builtin)
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("rule=%s/networks=%d", r.ID, n), func(b *testing.B) {
				e := estateOf(b, n)
				b.ReportAllocs()
				var findings int
				for b.Loop() {
					res, err := eng.Evaluate(b.Context(), e.snap)
					if err != nil {
						b.Fatal(err)
					}
					findings = len(res.Findings)
				}
				b.ReportMetric(float64(findings), "findings")
			})
		}
	}
}

// ruleFS is a rule tree holding the helpers of lib/ and the one rule file.
func ruleFS(all fs.FS, rule string) (fs.FS, error) {
	out := fstest.MapFS{}
	libs, err := fs.Glob(all, "lib/*.rego")
	if err != nil {
		return nil, err
	}
	for _, p := range append(libs, rule) {
		if strings.HasSuffix(p, "_test.rego") {
			continue
		}
		data, err := fs.ReadFile(all, p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		out[p] = &fstest.MapFile{Data: data}
	}
	return out, nil
}
