package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/policies"
)

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		want    func(*config)
		wantErr string
	}{
		{name: "empty file keeps defaults", yaml: "", want: func(*config) {}},
		{
			name: "overrides replace defaults",
			yaml: "gateway_port: 8443\nallowed_spokes: [tgw-attach-1]\nfail_on: critical\npolicy_dirs: [rules]\ncustom:\n  team: payments\n",
			want: func(c *config) {
				c.GatewayPort = 8443
				c.AllowedSpokes = []string{"tgw-attach-1"}
				c.FailOn = "critical"
				c.PolicyDirs = []string{"rules"}
				c.Custom = map[string]any{"team": "payments"}
			},
		},
		{name: "unknown key names its line", yaml: "gateway_port: 443\ngatway_port: 8443\n", wantErr: "line 2: field gatway_port not found"},
		{name: "wrong type names its line", yaml: "\n\ngateway_port: https\n", wantErr: "line 3: cannot unmarshal"},
		{name: "port out of range", yaml: "gateway_port: 70000\n", wantErr: "gateway_port: 70000 is not a port"},
		{name: "bad source range", yaml: "allowed_source_ranges: [10.0.0.0/33]\n", wantErr: `allowed_source_ranges[0]: "10.0.0.0/33" is not a CIDR`},
		{name: "bad fail_on", yaml: "fail_on: severe\n", wantErr: `fail_on: "severe" is not a severity`},
		{name: "malformed yaml", yaml: "gateway_port: [\n", wantErr: "line "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "dcgw-scan.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := loadConfig(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), path+": ") {
					t.Fatalf("loadConfig() error = %v, want %q prefixed with the file", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("loadConfig() error = %v", err)
			}
			want := config{Params: policies.DefaultParams()}
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("loadConfig() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	t.Parallel()
	_, err := loadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("loadConfig(missing) error = %v, want one naming the file", err)
	}
}

func TestVerdict(t *testing.T) {
	t.Parallel()
	high := policies.Finding{RuleID: "R", Severity: policies.SeverityHigh}
	low := policies.Finding{RuleID: "R", Severity: policies.SeverityLow}
	tests := []struct {
		name   string
		res    policies.Result
		failOn policies.Severity
		want   int
	}{
		{"clean", policies.Result{}, policies.SeverityHigh, exitClean},
		{"below threshold", policies.Result{Findings: []policies.Finding{low}}, policies.SeverityHigh, exitClean},
		{"at threshold", policies.Result{Findings: []policies.Finding{high}}, policies.SeverityHigh, exitFindings},
		{"none never fails on findings", policies.Result{Findings: []policies.Finding{high}}, "", exitClean},
		{"incomplete wins over findings", policies.Result{
			Findings:     []policies.Finding{high},
			NotEvaluated: []policies.NotEvaluated{{RuleID: "R", Scope: "aws/1/us-east-1/ec2"}},
		}, policies.SeverityHigh, exitIncomplete},
		{"incomplete even when failing on none", policies.Result{
			NotEvaluated: []policies.NotEvaluated{{RuleID: "R", Scope: "aws/1/us-east-1/ec2"}},
		}, "", exitIncomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := tt.res
			if got := exitCode(verdict(&res, tt.failOn), io.Discard); got != tt.want {
				t.Errorf("verdict() exit code = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestArtifactURI(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	tests := []struct {
		path   string
		want   string
		inside bool
	}{
		{"snap.json", "snap.json", true},
		{"./estates/../estates/prod.json", "estates/prod.json", true},
		{filepath.Join(wd, "a", "b.json"), "a/b.json", true},
		{"../elsewhere/snap.json", "snap.json", false},
		{"/var/tmp/snap.json", "snap.json", false},
	}
	for _, tt := range tests {
		got, inside := artifactURI(tt.path)
		if got != tt.want || inside != tt.inside {
			t.Errorf("artifactURI(%q) = %q, %v; want %q, %v", tt.path, got, inside, tt.want, tt.inside)
		}
	}
}
