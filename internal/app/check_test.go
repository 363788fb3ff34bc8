package app

import (
	"path/filepath"
	"testing"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func TestVerdict(t *testing.T) {
	t.Parallel()
	high := policies.Finding{RuleID: "R", Severity: policies.SeverityHigh}
	low := policies.Finding{RuleID: "R", Severity: policies.SeverityLow}
	tests := []struct {
		name   string
		res    policies.Result
		failOn policies.Severity
		want   Verdict
	}{
		{"clean", policies.Result{}, policies.SeverityHigh, Clean},
		{"below threshold", policies.Result{Findings: []policies.Finding{low}}, policies.SeverityHigh, Clean},
		{"at threshold", policies.Result{Findings: []policies.Finding{high}}, policies.SeverityHigh, Findings},
		{"none never fails on findings", policies.Result{Findings: []policies.Finding{high}}, "", Clean},
		{"incomplete wins over findings", policies.Result{
			Findings:     []policies.Finding{high},
			NotEvaluated: []policies.NotEvaluated{{RuleID: "R", Scope: "aws/1/us-east-1/ec2"}},
		}, policies.SeverityHigh, Incomplete},
		{"incomplete even when failing on none", policies.Result{
			NotEvaluated: []policies.NotEvaluated{{RuleID: "R", Scope: "aws/1/us-east-1/ec2"}},
		}, "", Incomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := tt.res
			if got := verdict(&res, tt.failOn); got != tt.want {
				t.Errorf("verdict() = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestSARIFURI checks what SARIF results name a snapshot by: the explicit URI, else
// nothing (the SARIF writer derives it from the path), else, for a snapshot outside the
// working directory, its base name.
func TestSARIFURI(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	tests := []struct {
		explicit, path string
		want           string
		outside        bool
	}{
		{path: "snap.json"},
		{path: "./estates/../estates/prod.json"},
		{path: filepath.Join(wd, "a", "b.json")},
		{path: "../elsewhere/snap.json", want: "snap.json", outside: true},
		{path: "/var/tmp/snap.json", want: "snap.json", outside: true},
		{explicit: "infra/snap.json", path: "/var/tmp/snap.json", want: "infra/snap.json"},
	}
	for _, tt := range tests {
		got, outside := sarifURI(tt.explicit, &snapshot.Document{Path: tt.path})
		if got != tt.want || outside != tt.outside {
			t.Errorf("sarifURI(%q, %q) = %q, %v; want %q, %v", tt.explicit, tt.path, got, outside, tt.want, tt.outside)
		}
	}
}
