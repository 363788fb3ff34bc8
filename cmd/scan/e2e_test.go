package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files of the example estates")

// estatesDir is the example estates, relative to the repository root (the working
// directory of TestEstates, so that report paths read as a user at the root sees them).
const estatesDir = "testdata/estates"

// estateCase is one example estate: the exit code of `check` with its config and the
// findings and not-evaluated entries the rules must produce. The expectations are
// written out here, not read from the goldens, so that refreshing the goldens with
// -update cannot bless a rule that stopped firing or fires where it should not.
type estateCase struct {
	name string
	exit int
	// findings are "RULE-ID resource-id", sorted, one per finding (a rule may find a
	// resource more than once, under different keys).
	findings []string
	// notEvaluated are "RULE-ID scope-key", sorted.
	notEvaluated []string
	// markdown adds golden.md (the demo is what a CI job summary shows first).
	markdown bool
}

var estateCases = []estateCase{
	{name: "aws-peering-compliant", exit: exitClean},
	{
		name: "aws-peering-violating",
		exit: exitFindings,
		findings: []string{
			"DCGW-CIDR-001 vpc-0a1b2c3d4e5f67890",
			"DCGW-CIDR-003 rtb-02d322f506d1db71f",
			"DCGW-CIDR-004 rtb-0d920a897ae0e1a46",
			"DCGW-CIDR-005 rtb-0f1dab77f36870c14",
			"DCGW-DNS-001 Z04218573GH2KXWQ1BZ3N/gw.northwindtraders.com/CNAME/kong-direct",
			"DCGW-DNS-001 Z04218573GH2KXWQ1BZ3N/partners.northwindtraders.com/CNAME",
			"DCGW-DNS-002 legacy-api.northwindtraders.com",
			"DCGW-DNS-002 partners.northwindtraders.com",
			"DCGW-FW-001 sg-09d8c7b6a5f4e3d21",
			"DCGW-FW-001 sg-0c6a3f9e1b2d48a57",
			"DCGW-FW-002 sg-0c6a3f9e1b2d48a57",
			"DCGW-FW-004 arn:aws:elasticloadbalancing:us-east-2:384920175563:targetgroup/dcgw-private/6d0ecf831eec9f09",
			"DCGW-FW-005 sg-0123a4b5c6d7e8f90",
		},
	},
	{
		// Default network ACLs (allow all) in front of tight security groups, and an
		// intra-VPC ACL entry: no traffic the rules care about is admitted (issue 17).
		name: "aws-reach-compliant",
		exit: exitClean,
	},
	{
		// Exposure that shows only on the path: the edge group's tcp 22, a prefix list
		// holding 0.0.0.0/0 on a spoke that reaches Kong only through its own hub table,
		// a bastion behind the default ACL; no finding on the default ACLs themselves nor
		// on the strict ACL's Konnect-wide entry behind a data-plane-only group.
		name: "aws-reach-violating",
		exit: exitFindings,
		findings: []string{
			"DCGW-FW-001 sg-0845bea36da2bd0e1",
			"DCGW-FW-001 sg-0f58a49307e97de01",
			"DCGW-FW-006 sg-0a08c3f16b9154deb",
			"DCGW-HUB-004 tgw-rtb-0b6fce4d98c2ca67e",
		},
	},
	{name: "aws-tgw-compliant", exit: exitClean},
	{
		name: "aws-tgw-violating",
		exit: exitFindings,
		findings: []string{
			"DCGW-CIDR-001 tgw-rtb-044a136b124c6f0fc",
			"DCGW-CIDR-001 vpc-0c59be6513b890c54",
			"DCGW-CIDR-002 vpc-086eee3f30cef4e64",
			"DCGW-HUB-001 tgw-0c5e8a1f3b7d92e46",
			"DCGW-HUB-001 tgw-0c5e8a1f3b7d92e46",
			"DCGW-HUB-002 tgw-0c5e8a1f3b7d92e46",
			"DCGW-HUB-003 tgw-rtb-044a136b124c6f0fc",
			"DCGW-HUB-004 tgw-rtb-0dd1f834a9386a9e0",
			"DCGW-HUB-005 tgw-rtb-044a136b124c6f0fc",
		},
	},
	{
		name: "azure-vnet-peering",
		exit: exitFindings,
		findings: []string{
			// The peering with Kong is RemoteNotInSync.
			"DCGW-ATT-002 /subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-network-eastus2/providers/Microsoft.Network/virtualNetworks/vnet-app-eastus2/virtualNetworkPeerings/peer-konnect-dcgw",
			"DCGW-CIDR-001 /subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-network-eastus2/providers/Microsoft.Network/virtualNetworks/vnet-app-eastus2",
			// vnet-sandbox uses Kong's 10.0.0.0/16: it could never be peered with Kong.
			"DCGW-CIDR-008 /subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-sandbox/providers/Microsoft.Network/virtualNetworks/vnet-sandbox",
			"DCGW-FW-001 /subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-network-eastus2/providers/Microsoft.Network/networkSecurityGroups/nsg-app-eastus2",
			"DCGW-FW-003 /subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-network-eastus2/providers/Microsoft.Network/networkSecurityGroups/nsg-app-eastus2",
		},
	},
	{
		name: "azure-vwan",
		exit: exitFindings,
		findings: []string{
			"DCGW-HUB-003 /subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-vwan-eastus2/providers/Microsoft.Network/virtualHubs/vhub-eastus2/hubRouteTables/rt-konnect",
			"DCGW-HUB-004 /subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-vwan-eastus2/providers/Microsoft.Network/virtualHubs/vhub-eastus2/hubRouteTables/defaultRouteTable",
		},
	},
	{
		name: "gcp-peering",
		exit: exitFindings,
		findings: []string{
			"DCGW-CIDR-001 projects/globex-shared-vpc-prod/global/networks/prod-vpc",
			"DCGW-FW-001 projects/globex-shared-vpc-prod/global/networks/prod-vpc/firewalls",
		},
	},
	{
		name: "failed-scopes",
		exit: exitIncomplete,
		findings: []string{
			"DCGW-FW-004 arn:aws:elasticloadbalancing:us-east-2:384920175563:targetgroup/dcgw-private/6d0ecf831eec9f09",
		},
		notEvaluated: notEvaluatedIn("aws/384920175563/us-west-2/ec2",
			"DCGW-CIDR-001", "DCGW-CIDR-002", "DCGW-CIDR-003", "DCGW-CIDR-004", "DCGW-CIDR-005",
			"DCGW-EP-005", "DCGW-FW-001", "DCGW-FW-002", "DCGW-FW-003", "DCGW-FW-005", "DCGW-FW-006",
			"DCGW-HUB-001", "DCGW-HUB-002", "DCGW-HUB-003", "DCGW-HUB-004", "DCGW-HUB-005", "DCGW-HUB-006",
		).and("aws/384920175563/global/route53", "DCGW-DNS-001", "DCGW-TLS-001"),
	},
	{
		name:     "demo",
		exit:     exitFindings,
		markdown: true,
		findings: []string{
			"DCGW-ATT-001 c5d2e8a1-3f47-4b9c-9e06-7a1d4c2b8f53",
			"DCGW-CIDR-001 tgw-rtb-0ecbfa3ad1cf2dc43",
			"DCGW-CIDR-001 vpc-0d6d6122fe61f3394",
			"DCGW-CIDR-003 rtb-0746985746a646c8e",
			"DCGW-CIDR-004 rtb-06a9f6c1cfb51c091",
			"DCGW-DNS-001 Z04218573GH2KXWQ1BZ3N/partners.northwindtraders.com/CNAME",
			"DCGW-DNS-002 partners.northwindtraders.com",
			"DCGW-EP-003 rcfg-0d4e6f8a0b2c4d6e8",
			"DCGW-FW-001 sg-0a3584539793c14c6",
			"DCGW-FW-002 sg-042343552e285ab6a",
			"DCGW-FW-002 sg-098d0ecab3f4e4eec",
			"DCGW-FW-003 sg-098d0ecab3f4e4eec",
			"DCGW-FW-004 arn:aws:elasticloadbalancing:us-east-2:384920175563:targetgroup/dcgw-private/6d0ecf831eec9f09",
			"DCGW-FW-005 sg-0123a4b5c6d7e8f90",
			"DCGW-HUB-001 tgw-0c5e8a1f3b7d92e46",
			"DCGW-HUB-003 tgw-rtb-0ecbfa3ad1cf2dc43",
			"DCGW-TLS-002 arn:aws:elasticloadbalancing:us-east-2:384920175563:loadbalancer/app/api-edge/50dc6c495c0c9188",
		},
	},
}

// scopedRules builds the sorted "RULE-ID scope" list of a not-evaluated expectation.
type scopedRules []string

func notEvaluatedIn(scope string, rules ...string) scopedRules {
	return scopedRules(nil).and(scope, rules...)
}

func (s scopedRules) and(scope string, rules ...string) scopedRules {
	out := slices.Clone(s)
	for _, r := range rules {
		out = append(out, r+" "+scope)
	}
	slices.Sort(out)
	return out
}

// TestEstates runs `check` on every example estate in every format, compares the
// reports with the goldens (-update rewrites them) and checks the exit code and the
// findings against estateCases. It runs from the repository root (t.Chdir), so its
// subtests cannot run in parallel.
func TestEstates(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))

	dirs, err := os.ReadDir(estatesDir)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, d := range dirs {
		if d.IsDir() {
			onDisk = append(onDisk, d.Name())
		}
	}
	var inTable []string
	for _, c := range estateCases {
		inTable = append(inTable, c.name)
	}
	slices.Sort(inTable)
	if diff := cmp.Diff(inTable, onDisk); diff != "" {
		t.Errorf("estates on disk and in estateCases differ (-table +disk):\n%s", diff)
	}

	for _, c := range estateCases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(estatesDir, c.name)
			snap := filepath.ToSlash(filepath.Join(dir, "snapshot.json"))
			cfg := filepath.ToSlash(filepath.Join(dir, "dcgw-scan.yaml"))
			formats := []string{"text", "json", "sarif"}
			if c.markdown {
				formats = append(formats, "markdown")
			}
			outputs := map[string][]byte{}
			for _, f := range formats {
				out, stderr, code, _ := runCLI(t, "check", snap, "--config", cfg, "--format", f)
				if code != c.exit {
					t.Errorf("--format %s: exit %d, want %d (stderr: %s)", f, code, c.exit, stderr)
				}
				switch {
				case c.exit == exitIncomplete && !strings.Contains(stderr, "scan incomplete"):
					t.Errorf("--format %s: stderr does not warn that the scan is incomplete: %q", f, stderr)
				case c.exit != exitIncomplete && stderr != "":
					t.Errorf("--format %s: unexpected stderr: %s", f, stderr)
				}
				outputs[f] = out
				checkGolden(t, filepath.Join(dir, "golden."+goldenExt(f)), out)
			}

			gotFindings, gotNotEvaluated := jsonVerdicts(t, outputs["json"])
			if diff := cmp.Diff(c.findings, gotFindings); diff != "" {
				t.Errorf("findings (json) (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string(c.notEvaluated), gotNotEvaluated); diff != "" {
				t.Errorf("not evaluated (json) (-want +got):\n%s", diff)
			}
			validateSARIF(t, outputs["sarif"])
			if diff := cmp.Diff(c.findings, sarifFindings(t, outputs["sarif"])); diff != "" {
				t.Errorf("findings (sarif) (-want +got):\n%s", diff)
			}
		})
	}
}

func goldenExt(format string) string {
	if format == "markdown" {
		return "md"
	}
	if format == "text" {
		return "txt"
	}
	return format
}

// runCLI runs the program with args and returns stdout, stderr, the exit code main
// would return, and the line main would print on stderr for the error.
func runCLI(t *testing.T, args ...string) (stdout []byte, stderr string, code int, errLine string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	code, errLine = exitOf(t, err)
	return out.Bytes(), errb.String(), code, errLine
}

// exitOf passes err through exitCode, as main does, and returns the code and what it printed.
func exitOf(t *testing.T, err error) (int, string) {
	t.Helper()
	var printed bytes.Buffer
	code := exitCode(err, &printed)
	return code, printed.String()
}

// jsonVerdicts reads the findings and not-evaluated entries of a JSON report as
// sorted "RULE-ID resource" and "RULE-ID scope" lines.
func jsonVerdicts(t *testing.T, report []byte) (findings, notEvaluated []string) {
	t.Helper()
	var doc struct {
		Findings []struct {
			RuleID     string `json:"rule_id"`
			ResourceID string `json:"resource_id"`
		} `json:"findings"`
		NotEvaluated []struct {
			RuleID string `json:"rule_id"`
			Scope  string `json:"scope"`
		} `json:"not_evaluated"`
	}
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatalf("json report: %v", err)
	}
	for _, f := range doc.Findings {
		findings = append(findings, f.RuleID+" "+f.ResourceID)
	}
	for _, n := range doc.NotEvaluated {
		notEvaluated = append(notEvaluated, n.RuleID+" "+n.Scope)
	}
	slices.Sort(findings)
	slices.Sort(notEvaluated)
	return findings, notEvaluated
}

// sarifFindings reads the results of a SARIF log as sorted "RULE-ID resource" lines,
// the resource being the first logical location's name.
func sarifFindings(t *testing.T, log []byte) []string {
	t.Helper()
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					LogicalLocations []struct {
						Name string `json:"name"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(log, &doc); err != nil {
		t.Fatalf("sarif report: %v", err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("sarif: %d runs, want 1", len(doc.Runs))
	}
	var out []string
	for _, r := range doc.Runs[0].Results {
		if len(r.Locations) == 0 || len(r.Locations[0].LogicalLocations) == 0 {
			t.Errorf("sarif result of %s has no logical location", r.RuleID)
			continue
		}
		out = append(out, r.RuleID+" "+r.Locations[0].LogicalLocations[0].Name)
	}
	slices.Sort(out)
	return out
}

// TestCheckErrors covers the input and config errors of `check`: exit 2, a one-line
// message naming the file (and line) at fault, and with --output no file left behind.
func TestCheckErrors(t *testing.T) {
	t.Parallel()
	const demo = "../../testdata/estates/demo/"
	tests := []struct {
		name string
		args []string
		// want matches the line main prints.
		want string
	}{
		{
			name: "malformed snapshot JSON",
			args: []string{"check", "testdata/inputs/malformed.json"},
			want: `^dcgw-scan: testdata/inputs/malformed\.json:4:18: invalid character ','`,
		},
		{
			name: "unsupported schema_version",
			args: []string{"check", "testdata/inputs/schema-v2.json"},
			want: `^dcgw-scan: testdata/inputs/schema-v2\.json: unsupported schema_version "2"`,
		},
		{
			name: "missing snapshot",
			args: []string{"check", "testdata/inputs/no-such-snapshot.json"},
			want: `^dcgw-scan: read snapshot: .*no-such-snapshot\.json`,
		},
		{
			name: "unreadable config",
			args: []string{"check", demo + "snapshot.json", "--config", "testdata/inputs/no-such-config.yaml"},
			want: `^dcgw-scan: read config: .*no-such-config\.yaml`,
		},
		{
			name: "malformed config YAML",
			args: []string{"check", demo + "snapshot.json", "--config", "testdata/inputs/malformed.yaml"},
			want: `^dcgw-scan: testdata/inputs/malformed\.yaml: line \d+: `,
		},
		{
			name: "unknown config key",
			args: []string{"check", demo + "snapshot.json", "--config", "testdata/inputs/unknown-key.yaml"},
			want: `^dcgw-scan: testdata/inputs/unknown-key\.yaml: line 2: .*gatway_port`,
		},
		{
			name: "malformed Rego in a policy dir",
			args: []string{"check", demo + "snapshot.json", "--config", demo + "dcgw-scan.yaml", "--policy", "testdata/policies/malformed"},
			want: `^dcgw-scan: load policies: testdata/policies/malformed/broken\.rego:\d+: rego_parse_error`,
		},
		{
			name: "custom rule reusing a built-in id",
			args: []string{"check", demo + "snapshot.json", "--config", demo + "dcgw-scan.yaml", "--policy", "testdata/policies/duplicate"},
			want: `^dcgw-scan: load policies: testdata/policies/duplicate/open_ingress_copy\.rego:1: duplicate rule id DCGW-FW-001`,
		},
		{
			name: "custom rule with an unknown severity",
			args: []string{"check", demo + "snapshot.json", "--config", demo + "dcgw-scan.yaml", "--policy", "testdata/policies/severity"},
			want: `^dcgw-scan: load policies: testdata/policies/severity/untagged\.rego:1: .*unknown severity "urgent"`,
		},
		{
			name: "unknown format",
			args: []string{"check", demo + "snapshot.json", "--format", "xml"},
			want: `^dcgw-scan: --format: "xml" is not`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := regexp.MustCompile(tt.want)
			for _, withOutput := range []bool{false, true} {
				args := slices.Clone(tt.args)
				outDir := t.TempDir()
				if withOutput {
					args = append(args, "--output", filepath.Join(outDir, "report.out"))
				}
				stdout, _, code, line := runCLI(t, args...)
				if code != exitUsage {
					t.Errorf("output=%v: exit %d, want %d", withOutput, code, exitUsage)
				}
				if !want.MatchString(line) {
					t.Errorf("output=%v: stderr %q does not match %s", withOutput, line, tt.want)
				}
				if n := strings.Count(line, "\n"); n != 1 || strings.Contains(line, "goroutine ") {
					t.Errorf("output=%v: want one line on stderr, got %q", withOutput, line)
				}
				if len(stdout) != 0 {
					t.Errorf("output=%v: stdout not empty on error: %q", withOutput, stdout)
				}
				left, err := os.ReadDir(outDir)
				if err != nil {
					t.Fatal(err)
				}
				if len(left) != 0 {
					t.Errorf("output=%v: files left in the output dir: %v", withOutput, dirNames(left))
				}
			}
		})
	}
}

func dirNames(es []os.DirEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// TestCheckOutputFile checks that --output writes exactly the bytes the same run
// prints on stdout without it, leaves no temporary file, and keeps the exit code.
func TestCheckOutputFile(t *testing.T) {
	t.Parallel()
	const demo = "../../testdata/estates/demo/"
	for _, format := range []string{"text", "json", "sarif", "markdown"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			// From cmd/scan the snapshot lies outside the working directory, so SARIF
			// needs the repository-relative URI spelled out.
			args := []string{"check", demo + "snapshot.json", "--config", demo + "dcgw-scan.yaml", "--format", format,
				"--sarif-uri", "testdata/estates/demo/snapshot.json"}
			want, _, wantCode, _ := runCLI(t, args...)
			if wantCode != exitFindings {
				t.Fatalf("stdout run: exit %d, want %d", wantCode, exitFindings)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "report")
			stdout, _, code, _ := runCLI(t, append(args, "--output", path)...)
			if code != wantCode {
				t.Errorf("--output run: exit %d, want %d", code, wantCode)
			}
			if len(stdout) != 0 {
				t.Errorf("--output run wrote %d bytes to stdout", len(stdout))
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("--output file differs from stdout (-stdout +file):\n%s", diff)
			}
			left, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if names := dirNames(left); !slices.Equal(names, []string{"report"}) {
				t.Errorf("files in the output dir: %v, want [report]", names)
			}
		})
	}
}

// TestExitOf pins the helper the other tests rely on to the codes main uses.
func TestExitOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		code int
		line string
	}{
		{nil, exitClean, ""},
		{&exitError{code: exitFindings}, exitFindings, ""},
		{&exitError{code: exitIncomplete}, exitIncomplete, ""},
		{usageError(errors.New("bad flag")), exitUsage, "dcgw-scan: bad flag\n"},
		{errors.New("boom"), exitUsage, "dcgw-scan: boom\n"},
	}
	for _, tt := range tests {
		code, line := exitOf(t, tt.err)
		if code != tt.code || line != tt.line {
			t.Errorf("exitOf(%v) = %d, %q; want %d, %q", tt.err, code, line, tt.code, tt.line)
		}
	}
}

// validateSARIF checks a report against the official SARIF 2.1.0 schema vendored in
// sarif/testdata (paths are relative to the repository root, TestEstates' directory).
func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join("sarif", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("parse SARIF: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}
