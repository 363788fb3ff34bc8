package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRulesDoc keeps docs/rules.md equal to `dcgw-scan policy list --format markdown`
// (go test ./cmd/scan -run TestRulesDoc -update rewrites it).
func TestRulesDoc(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(t.Context(), []string{"policy", "list", "--format", "markdown"}, &out, &errb); err != nil {
		t.Fatalf("policy list: %v (stderr %q)", err, errb.String())
	}
	path := filepath.Join("..", "..", "docs", "rules.md")
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/scan -run TestRulesDoc -update)", err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("docs/rules.md is stale; go test ./cmd/scan -run TestRulesDoc -update (-file +generated):\n%s", diff)
	}
}
