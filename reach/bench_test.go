package reach

import (
	"fmt"
	"testing"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
)

// BenchmarkBuild builds the model of synthetic estates of 1k and 10k customer networks;
// the growth from 1k to 10k must stay linear (at most 12x).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		s := synth.Generate(synth.Options{Networks: n, Seed: 1})
		b.Run(fmt.Sprintf("networks=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var flows int
			for b.Loop() {
				flows = len(Build(s, Options{}).Flows())
			}
			b.ReportMetric(float64(flows), "flows")
		})
	}
}
