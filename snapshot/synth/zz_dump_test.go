package synth_test

import (
	"os"
	"testing"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
	"github.com/dcgw-scan/dcgw-scan/snapshot/synth"
)

func TestZZDump(t *testing.T) {
	if os.Getenv("SYNTH_DUMP") == "" {
		t.Skip()
	}
	data, _ := snapshot.Marshal(synth.Generate(synth.Options{Networks: 1000, Seed: 1}))
	os.WriteFile("/tmp/synthwork/e1k.json", data, 0o644)
}
