package main

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestCLI covers the commands besides check: help, schema, policy list and policy test.
func TestCLI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		// out and errLine must each contain these (empty: not checked).
		out, errLine string
		// lastLine is the exact last line of stdout, when set.
		lastLine string
	}{
		{name: "help", args: []string{"--help"}, code: exitClean, out: "Usage:"},
		{name: "check help", args: []string{"check", "--help"}, code: exitClean, out: "--fail-on"},
		{name: "policy test help", args: []string{"policy", "test", "--help"}, code: exitClean, out: "Run every *_test.rego"},
		{name: "version", args: []string{"--version"}, code: exitClean, out: version},
		{name: "check without a snapshot", args: []string{"check"}, code: exitUsage, errLine: "accepts 1 arg"},
		{name: "unknown command", args: []string{"scann"}, code: exitUsage, errLine: `unknown command "scann"`},
		{name: "unknown flag", args: []string{"check", "--colour", "x.json"}, code: exitUsage, errLine: "unknown flag: --colour"},
		{name: "bad log format", args: []string{"--log-format", "xml", "schema"}, code: exitUsage, errLine: `--log-format: "xml" is not text or json`},
		{name: "bad report format", args: []string{"check", "x.json", "--format", "html"}, code: exitUsage, errLine: `--format: "html"`},
		{name: "bad fail-on", args: []string{"check", "x.json", "--fail-on", "severe"}, code: exitUsage, errLine: `--fail-on: "severe" is not a severity`},
		{name: "policy list", args: []string{"policy", "list"}, code: exitClean, out: "DCGW-HUB-005"},
		{name: "policy list with a custom rule", args: []string{"policy", "list", "--policy", "testdata/policies/custom-good"}, code: exitClean, out: "ACME-FW-001"},
		{name: "policy test", args: []string{"policy", "test"}, code: exitClean, lastLine: "passed, 0 failed"},
		{name: "policy test with custom tests", args: []string{"policy", "test", "testdata/policies/custom-good", "-v"}, code: exitClean, out: "PASS data.acme.firewall.no_ssh_test.test_ssh_found"},
		{name: "policy test of a rule on paths", args: []string{"policy", "test", "testdata/policies/custom-reach", "-v"}, code: exitClean, out: "PASS data.acme.path.no_ssh_test.test_ssh_from_internet"},
		// The writing-rules example on input.reach finds the bastion's tcp 22, with its path.
		{name: "check with a custom rule on paths", args: []string{"check", "../../testdata/estates/aws-reach-violating/snapshot.json", "--policy", "testdata/policies/custom-reach", "--format", "text"},
			code: exitFindings, out: "ACME-PATH-001 No path from the internet to SSH: tcp 22 is open to the internet on subnet-047c88c508b1733f4\n      path 1: aws-network-acl acl-0fda3475d079843c4 ingress/100: allow (reply egress/100 on 1024-65535)\n      path 2: aws-security-group sg-0f58a49307e97de01 sgr-05cda7dac14379c17: allow"},
		{name: "policy test with a failing test", args: []string{"policy", "test", "testdata/policies/custom-failing"}, code: exitFindings, out: "FAIL data.acme.failing_test.test_that_fails"},
		{name: "policy test with a broken rule", args: []string{"policy", "test", "testdata/policies/malformed"}, code: exitUsage, errLine: "broken.rego:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, _, code, errLine := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr line %q)", code, tt.code, errLine)
			}
			if tt.out != "" && !strings.Contains(string(out), tt.out) {
				t.Errorf("stdout does not contain %q:\n%s", tt.out, out)
			}
			if tt.errLine != "" && !strings.Contains(errLine, tt.errLine) {
				t.Errorf("stderr %q does not contain %q", errLine, tt.errLine)
			}
			if strings.Count(errLine, "\n") > 1 {
				t.Errorf("error is more than one line: %q", errLine)
			}
			if tt.lastLine != "" {
				lines := strings.Split(strings.TrimSpace(string(out)), "\n")
				if last := lines[len(lines)-1]; !strings.HasSuffix(last, tt.lastLine) || strings.HasPrefix(last, "0 passed") {
					t.Errorf("last line %q, want one ending in %q with tests passed", last, tt.lastLine)
				}
			}
		})
	}
}

func TestSchemaCommand(t *testing.T) {
	t.Parallel()
	out, _, code, _ := runCLI(t, "schema")
	if code != exitClean || string(out) != string(snapshot.Schema()) {
		t.Fatalf("schema: exit %d, output differs from snapshot.Schema()", code)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("schema output is not JSON: %v", err)
	}
}

// TestCustomRuleInEveryOutput checks a --policy rule is listed like a built-in in the
// JSON and SARIF reports.
func TestCustomRuleInEveryOutput(t *testing.T) {
	t.Parallel()
	const snap = "../../testdata/estates/demo/snapshot.json"
	for _, format := range []string{"json", "sarif", "text"} {
		out, _, code, errLine := runCLI(t, "check", snap, "--policy", "testdata/policies/custom-good", "--format", format, "--fail-on", "none")
		if code != exitClean {
			t.Fatalf("--format %s: exit %d (%s)", format, code, errLine)
		}
		if format != "text" && !strings.Contains(string(out), `"ACME-FW-001"`) {
			t.Errorf("--format %s: custom rule ACME-FW-001 missing from the report", format)
		}
	}
}

// TestShowsProgress pins which commands show progress on a terminal by default.
func TestShowsProgress(t *testing.T) {
	t.Parallel()
	g := &globals{}
	for _, tt := range []struct {
		cmd  *cobra.Command
		want bool
	}{
		{newScanCmd(g, io.Discard), true},
		{newCollectCmd(g), true},
		{newCheckCmd(g, io.Discard), false},
		{newPolicyCmd(g, io.Discard), false},
	} {
		if got := showsProgress(tt.cmd); got != tt.want {
			t.Errorf("showsProgress(%s) = %v, want %v", tt.cmd.Name(), got, tt.want)
		}
	}
	if isTerminal(io.Discard) {
		t.Error("io.Discard is a terminal")
	}
}

// TestDisabledRulesConfig checks disabled_rules reaches the engine: the rules leave the
// list and the scan, and a pattern that matches nothing is a usage error.
func TestDisabledRulesConfig(t *testing.T) {
	t.Parallel()
	out, _, code, errLine := runCLI(t, "policy", "list", "--config", "testdata/inputs/disabled.yaml")
	if code != exitClean || strings.Contains(string(out), "DCGW-HUB-") || !strings.Contains(string(out), "DCGW-CIDR-001") {
		t.Errorf("policy list with DCGW-HUB-* disabled: exit %d (%s), output:\n%s", code, errLine, out)
	}
	out, _, code, _ = runCLI(t, "check", "../../testdata/estates/demo/snapshot.json", "--config", "testdata/inputs/disabled.yaml", "--format", "json")
	if code != exitFindings || strings.Contains(string(out), `"DCGW-HUB-`) {
		t.Errorf("check with DCGW-HUB-* disabled: exit %d, HUB rules or findings still in the report", code)
	}
	_, _, code, errLine = runCLI(t, "check", "../../testdata/estates/demo/snapshot.json", "--config", "testdata/inputs/disabled-typo.yaml")
	if code != exitUsage || !strings.Contains(errLine, `disabled rule "DCGW-HUB-999" matches no rule`) {
		t.Errorf("check with a typo in disabled_rules: exit %d, %q", code, errLine)
	}
}

// TestSeveritiesConfig checks severities reaches the engine, and a bad one is a usage error.
func TestSeveritiesConfig(t *testing.T) {
	t.Parallel()
	out, _, code, errLine := runCLI(t, "policy", "list", "--config", "testdata/inputs/severities.yaml", "--format", "json")
	if code != exitClean {
		t.Fatalf("policy list: exit %d (%s)", code, errLine)
	}
	var rules []policies.Rule
	if err := json.Unmarshal(out, &rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.ID == "DCGW-HUB-001" && r.Severity != policies.SeverityLow {
			t.Errorf("DCGW-HUB-001 severity %q, want low from the config", r.Severity)
		}
	}
	_, _, code, errLine = runCLI(t, "policy", "list", "--config", "testdata/inputs/severities-bad.yaml")
	if code != exitUsage || !strings.Contains(errLine, `severities: DCGW-HUB-001: "lowish" is not a severity`) {
		t.Errorf("bad severity: exit %d, %q", code, errLine)
	}
}

// TestIAMPolicy checks iam-policy aws prints a policy of read actions only, and that
// other sources are a usage error.
func TestIAMPolicy(t *testing.T) {
	t.Parallel()
	out, _, code, errLine := runCLI(t, "iam-policy", "aws", "--role-name", "DcgwScanReadOnly")
	if code != exitClean {
		t.Fatalf("exit %d (%s)", code, errLine)
	}
	var doc struct {
		Statement []struct {
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not a policy document: %v\n%s", err, out)
	}
	if len(doc.Statement) != 3 || !strings.Contains(string(out), `"ec2:DescribeVpcs"`) ||
		doc.Statement[2].Resource != "arn:*:iam::*:role/DcgwScanReadOnly" {
		t.Errorf("unexpected policy:\n%s", out)
	}
	for _, st := range doc.Statement {
		for _, a := range st.Action {
			_, op, _ := strings.Cut(a, ":")
			if op != "AssumeRole" && !strings.HasPrefix(op, "Describe") && !strings.HasPrefix(op, "List") &&
				!strings.HasPrefix(op, "Get") && !strings.HasPrefix(op, "Search") {
				t.Errorf("action %s is not a read", a)
			}
		}
	}
	if _, _, code, _ := runCLI(t, "iam-policy", "azure"); code != exitUsage {
		t.Errorf("iam-policy azure: exit %d, want 2", code)
	}
}
