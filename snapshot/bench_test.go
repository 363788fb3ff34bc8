package snapshot_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// benchSizes are the estates the loader is measured on.
var benchSizes = []int{1000, 10000}

// estateJSON is the snapshot file of a synthetic estate of n networks.
func estateJSON(b *testing.B, n int) []byte {
	b.Helper()
	data, err := snapshot.Marshal(synth.Generate(synth.Options{Networks: n, Seed: 1}))
	if err != nil {
		b.Fatalf("marshal estate of %d networks: %v", n, err)
	}
	return data
}

// BenchmarkParse is the full load: JSON syntax, schema validation, decoding, the
// checks the schema cannot express, and the line spans of every entity.
func BenchmarkParse(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("networks=%d", n), func(b *testing.B) {
			data := estateJSON(b, n)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := snapshot.Parse("synth.json", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJSONUnmarshal is plain encoding/json into a Snapshot: the baseline cost of
// reading the estate's JSON.
func BenchmarkJSONUnmarshal(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("networks=%d", n), func(b *testing.B) {
			data := estateJSON(b, n)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var s snapshot.Snapshot
				if err := json.Unmarshal(data, &s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
