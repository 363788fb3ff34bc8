package reach

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
)

// BenchmarkBuild builds the model of synthetic estates of 1k and 10k customer networks;
// the growth from 1k to 10k must stay linear (at most 12x). It reports the flows by
// source class and the destinations too.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		s := synth.Generate(synth.Options{Networks: n, Seed: 1})
		b.Run(fmt.Sprintf("networks=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var m *Model
			for b.Loop() {
				m = Build(s, Options{})
			}
			b.ReportMetric(float64(len(m.Flows())), "flows")
			b.ReportMetric(float64(len(m.Destinations())), "destinations")
			byClass := map[string]int{}
			for _, f := range m.Flows() {
				byClass[f.Source.Class]++
			}
			for _, c := range []string{ClassInternet, ClassKongDP, ClassKongNetwork, ClassEdge, ClassNetwork} {
				b.ReportMetric(float64(byClass[c]), c+"-flows")
			}
		})
	}
}

// TestEvaluateConcurrent evaluates a synthetic estate's destinations on one goroutine
// and on several: the flows are the same, in the same order.
func TestEvaluateConcurrent(t *testing.T) {
	t.Parallel()
	m := Build(synth.Generate(synth.Options{Networks: 400, Seed: 7}), Options{})
	order := make([]int, len(m.dests))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(m.dests[a].out.Key, m.dests[b].out.Key) })
	if len(order) <= 2*destRun {
		t.Fatalf("%d destinations: too few for several runs of %d", len(order), destRun)
	}
	one, four := m.evaluate(order, 1), m.evaluate(order, 4)
	if len(one) == 0 {
		t.Fatal("no flows")
	}
	if diff := cmp.Diff(one, four); diff != "" {
		t.Errorf("flows on 1 and 4 goroutines differ (-one +four):\n%s", diff)
	}
}

// TestCrossNetworkOnly: the option leaves out exactly the flows from a destination's
// own network, and changes nothing else.
func TestCrossNetworkOnly(t *testing.T) {
	t.Parallel()
	s := synth.Generate(synth.Options{Networks: 300, Seed: 3})
	var want []Flow
	within := 0
	for _, f := range Build(s, Options{}).Flows() {
		if f.Source.WithinDestinationNetwork {
			within++
			continue
		}
		want = append(want, f)
	}
	got := Build(s, Options{CrossNetworkOnly: true}).Flows()
	if within == 0 || len(want) == 0 {
		t.Fatalf("the estate has %d within-network and %d other flows: the test would prove nothing", within, len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flows with CrossNetworkOnly (-want +got):\n%s", diff)
	}
}
