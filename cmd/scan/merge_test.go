package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// splitDemo writes the demo estate as three snapshots, as collect would write them
// source by source: Konnect, the AWS accounts, live DNS.
func splitDemo(t *testing.T, dir string) (konnectPath, awsPath, dnsPath string) {
	t.Helper()
	doc, err := snapshot.Load("../../testdata/estates/demo/snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	full := doc.Snapshot
	scopes := func(provider string) []snapshot.Scope {
		var out []snapshot.Scope
		for _, s := range full.Scopes {
			if s.Provider == provider {
				out = append(out, s)
			}
		}
		return out
	}
	kong := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion, Name: "konnect", Konnect: full.Konnect, Scopes: scopes("konnect")}
	dns := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion, Name: "dns", DNSResolutions: full.DNSResolutions, Scopes: scopes("dns")}
	aws := *full
	aws.Name, aws.Konnect, aws.DNSResolutions, aws.Scopes = "aws", snapshot.Konnect{}, nil, scopes("aws")
	konnectPath, awsPath, dnsPath = filepath.Join(dir, "konnect.json"), filepath.Join(dir, "aws.json"), filepath.Join(dir, "dns.json")
	for path, s := range map[string]*snapshot.Snapshot{konnectPath: kong, awsPath: &aws, dnsPath: dns} {
		if err := snapshot.Save(path, s); err != nil {
			t.Fatal(err)
		}
	}
	return konnectPath, awsPath, dnsPath
}

// TestMerge checks that the demo estate collected in three parts, merged, gives the
// findings of the whole, and that each part alone is incomplete.
func TestMerge(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kong, aws, dns := splitDemo(t, dir)
	cfg := "../../testdata/estates/demo/dcgw-scan.yaml"

	out, _, code, errLine := runCLI(t, "check", kong, "--config", cfg, "--format", "json")
	if code != exitIncomplete {
		t.Errorf("check of the Konnect part alone: exit %d (%s), want 3", code, errLine)
	}
	_, notEvaluated := jsonVerdicts(t, out)
	if !slices.ContainsFunc(notEvaluated, func(n string) bool { return strings.HasSuffix(n, "aws:networks") }) {
		t.Errorf("the Konnect part alone does not report the AWS side as uncollected: %v", notEvaluated)
	}

	merged := filepath.Join(dir, "estate.json")
	if _, _, code, errLine := runCLI(t, "merge", kong, aws, dns, "--out", merged); code != exitClean {
		t.Fatalf("merge: exit %d (%s)", code, errLine)
	}
	wholeOut, _, wholeCode, _ := runCLI(t, "check", "../../testdata/estates/demo/snapshot.json", "--config", cfg, "--format", "json")
	mergedOut, _, mergedCode, errLine := runCLI(t, "check", merged, "--config", cfg, "--format", "json")
	if mergedCode != wholeCode {
		t.Errorf("check of the merged parts: exit %d (%s), the whole estate: %d", mergedCode, errLine, wholeCode)
	}
	wantFindings, wantNE := jsonVerdicts(t, wholeOut)
	gotFindings, gotNE := jsonVerdicts(t, mergedOut)
	if d := cmp.Diff(wantFindings, gotFindings); d != "" {
		t.Errorf("findings of the merged parts differ from the whole estate's (-whole +merged):\n%s", d)
	}
	if d := cmp.Diff(wantNE, gotNE); d != "" {
		t.Errorf("not evaluated differs (-whole +merged):\n%s", d)
	}
}

func TestMergeErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kong, aws, dns := splitDemo(t, dir)
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\n  \"schema_version\": \"1\",\n  \"networks\": [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out", "estate.json")
	if err := os.Mkdir(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		errLine string
	}{
		{"Konnect twice", []string{kong, aws, kong}, "Konnect network 020f69e9-173d-4c98-a03c-151cc1f3d4c3 is in both"},
		{"DNS twice", []string{kong, aws, dns, dns}, "the merged snapshot is not valid"},
		{"malformed input", []string{kong, bad}, "bad.json:4"},
		{"no --out", []string{kong}, "--out is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"merge"}, tc.args...)
			if tc.name != "no --out" {
				args = append(args, "--out", out)
			}
			_, _, code, errLine := runCLI(t, args...)
			if code != exitUsage || !strings.Contains(errLine, tc.errLine) {
				t.Errorf("exit %d, %q; want 2 and %q", code, errLine, tc.errLine)
			}
			if left, _ := os.ReadDir(filepath.Dir(out)); len(left) != 0 {
				t.Errorf("files left behind: %v", dirNames(left))
			}
		})
	}
}
