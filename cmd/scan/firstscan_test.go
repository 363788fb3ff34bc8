package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	awscollector "github.com/dcgw-scan/dcgw-scan/collectors/aws"
	"github.com/dcgw-scan/dcgw-scan/collectors/azure"
	"github.com/dcgw-scan/dcgw-scan/collectors/konnect"
	"github.com/dcgw-scan/dcgw-scan/internal/app"
	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// readmeSection is the text of README.md's "## <title>" section.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "\n## "+title+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", title)
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// fenced are the bodies of the ```lang blocks of text.
func fenced(text, lang string) []string {
	var out []string
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestFirstRealScanDocs follows README's "First real scan" against the bundled fakes:
// its commands run in order in an empty directory, the config written by init is
// edited into the section's example (with the fakes' endpoints: the Konnect URL and a
// DNS server; AWS_ENDPOINT_URL for AWS), and the scan must end as the section says an
// incomplete scan does: every configured source read, exit 3, the report naming what
// was not collected. t.Chdir and t.Setenv rule out t.Parallel.
func TestFirstRealScanDocs(t *testing.T) {
	section := readmeSection(t, "First real scan")
	commands, configs := fenced(section, "sh"), fenced(section, "yaml")
	if len(commands) != 1 || len(configs) != 1 {
		t.Fatalf("want one sh and one yaml block in the section, got %d and %d", len(commands), len(configs))
	}
	srv := awstest.Start(t, awsEstate...) // before t.Chdir: the manifests are relative
	awsEnv(t, srv)
	konnectAPI := fakeKonnect(t, 0)
	dnsAddr := startDNSZone(t, "$TTL 300\napi.example.com. IN A 203.0.113.25\n")
	config := strings.NewReplacer(
		"url: https://global.api.konghq.com", "url: "+konnectAPI.URL,
		"  dns:\n", "  dns:\n    server: "+dnsAddr+"\n",
	).Replace(configs[0])
	if !strings.Contains(config, konnectAPI.URL) || !strings.Contains(config, dnsAddr) {
		t.Fatalf("the example config does not name the Konnect URL and a dns source:\n%s", configs[0])
	}
	dir := t.TempDir()
	t.Chdir(dir)

	ran := map[string]bool{}
	for line := range strings.Lines(commands[0]) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if assign, ok := strings.CutPrefix(line, "export "); ok {
			name, _, _ := strings.Cut(assign, "=")
			if name != app.KonnectTokenEnv {
				t.Fatalf("export of %s: the test knows only %s", name, app.KonnectTokenEnv)
			}
			t.Setenv(name, canaryToken) // the fake's token in place of the placeholder
			continue
		}
		args := strings.Fields(line)
		if args[0] != "dcgw-scan" {
			t.Fatalf("%q: not a dcgw-scan command", line)
		}
		args, redirect := args[1:], ""
		if n := len(args); n >= 2 && args[n-2] == ">" {
			args, redirect = args[:n-2], args[n-1]
		}
		out, stderr, code, errLine := runCLI(t, args...)
		if redirect != "" {
			if err := os.WriteFile(redirect, out, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		ran[args[0]] = true
		switch args[0] {
		case "init":
			if code != exitClean || !strings.Contains(string(out), "dcgw-scan scan --config dcgw-scan.yaml") {
				t.Fatalf("%s: exit %d (%s), stdout %q: want the config written and the next step", line, code, errLine, out)
			}
			// The user keeps the sources they collect: the section's example.
			if err := os.WriteFile("dcgw-scan.yaml", []byte(config), 0o600); err != nil {
				t.Fatal(err)
			}
		case "iam-policy":
			if code != exitClean || !json.Valid(out) || !strings.Contains(string(out), "ec2:DescribeSecurityGroupRules") {
				t.Fatalf("%s: exit %d (%s), want the policy", line, code, errLine)
			}
		case "scan":
			checkFirstScan(t, out, stderr, code, errLine)
		default:
			t.Fatalf("%q: the test does not know what %s should do", line, args[0])
		}
	}
	for _, cmd := range []string{"init", "iam-policy", "scan"} {
		if !ran[cmd] {
			t.Errorf("the section does not run dcgw-scan %s", cmd)
		}
	}

	// The disabled_rules the section suggests load and match rules.
	disabled := regexp.MustCompile("`(disabled_rules: [^`]+)`").FindAllStringSubmatch(section, -1)
	if len(disabled) == 0 {
		t.Fatal("the section shows no disabled_rules")
	}
	for _, d := range disabled {
		if err := os.WriteFile("disabled.yaml", []byte(d[1]+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, code, errLine := runCLI(t, "check", "snapshot.json", "--config", "disabled.yaml"); code == exitUsage {
			t.Errorf("check with %q: %s", d[1], errLine)
		}
	}
}

// checkFirstScan checks the first scan: every configured source read (no failed
// scope), exit 3 because the fake Konnect organization also has networks on Azure and
// GCP, which the example config does not collect, and a report that says so.
func checkFirstScan(t *testing.T, out []byte, stderr string, code int, errLine string) {
	t.Helper()
	if code != exitIncomplete {
		t.Fatalf("scan: exit %d (%s), want 3; stderr:\n%s", code, errLine, stderr)
	}
	data, err := os.ReadFile("snapshot.json")
	if err != nil {
		t.Fatalf("scan --snapshot-out: %v", err)
	}
	var snap snapshot.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	sources := map[string]bool{}
	for _, s := range snap.Scopes {
		sources[s.Provider] = true
		if s.Incomplete() {
			t.Errorf("scope %s %s: %s", s.Key(), s.Status, s.Problem())
		}
	}
	for _, p := range []string{"konnect", "dns", "aws"} {
		if !sources[p] {
			t.Errorf("no %s scope: the example config did not collect it", p)
		}
	}
	// Every "Not evaluated" entry is about the clouds the config does not collect.
	_, notEvaluated, ok := strings.Cut(string(out), "\nNot evaluated (")
	if !ok {
		t.Fatalf("the report has no Not evaluated section:\n%s", out)
	}
	notEvaluated, _, _ = strings.Cut(notEvaluated, "\n\n")
	entries := 0
	for line := range strings.Lines(notEvaluated) {
		if !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "    ") {
			continue // the heading's count, or an entry's rules
		}
		entries++
		if !strings.HasPrefix(line, "  azure:") && !strings.HasPrefix(line, "  gcp:") {
			t.Errorf("not evaluated for another reason than an uncollected cloud: %s", line)
		}
	}
	if entries == 0 {
		t.Errorf("no not-evaluated entry in:\n%s", notEvaluated)
	}
	assertNoCanary(t, out, stderr, errLine, "snapshot.json")
}

// TestScanGuidance: the first mistakes of a first scan get a message that says how to
// go on: no config names init; no Konnect token names both ways (a token, or the
// Konnect side declared in the config). t.Chdir and t.Setenv rule out t.Parallel.
func TestScanGuidance(t *testing.T) {
	t.Setenv(app.KonnectTokenEnv, "")
	t.Chdir(t.TempDir())
	_, _, code, errLine := runCLI(t, "scan")
	if code != exitUsage || !strings.Contains(errLine, "no config dcgw-scan.yaml: dcgw-scan init writes a starting one") {
		t.Errorf("scan without a config: exit %d, %q; want 2 naming init", code, errLine)
	}
	if _, _, code, errLine = runCLI(t, "init"); code != exitClean {
		t.Fatalf("init: exit %d, %q", code, errLine)
	}
	_, _, code, errLine = runCLI(t, "scan")
	for _, want := range []string{"no Konnect token for sources.konnect (line 6)", "set KONNECT_TOKEN", "sources.konnect.token_file",
		"declare the Konnect side under a top-level konnect: key"} {
		if code != exitUsage || !strings.Contains(errLine, want) {
			t.Errorf("scan without a token: exit %d, %q; want 2 saying %q", code, errLine, want)
		}
	}
	if strings.Count(errLine, "\n") > 1 {
		t.Errorf("not one line: %q", errLine)
	}
}

// TestReadmeDefaults keeps the defaults README states equal to the code's: the AWS
// concurrency (once written as 32 while the code said 128), the tries and deadlines,
// and `scan --help` naming every source it collects.
func TestReadmeDefaults(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, want := range []string{
		fmt.Sprintf("units run `--concurrency` at a time (default\n%d)", awscollector.DefaultConcurrency),
		fmt.Sprintf("`regions` (default: enabled regions), `concurrency` (%d)", awscollector.DefaultConcurrency),
		fmt.Sprintf("| `max_attempts` | `%d` |", awscollector.DefaultMaxAttempts),
		fmt.Sprintf("| `timeout` | `%s` |", shortDuration(awscollector.DefaultTimeout)),
		fmt.Sprintf("| `call_timeout` | `%s` |", shortDuration(awscollector.DefaultCallTimeout)),
		fmt.Sprintf("| `azure_default_konnect_cidr` | `%q` (off) |", policies.DefaultParams().AzureDefaultKonnectCIDR),
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not say %q", want)
		}
	}
	for _, d := range [][2]any{
		{awscollector.DefaultMaxAttempts, azure.DefaultMaxAttempts}, {awscollector.DefaultMaxAttempts, konnect.DefaultMaxAttempts},
		{awscollector.DefaultTimeout, azure.DefaultTimeout}, {awscollector.DefaultTimeout, konnect.DefaultTimeout},
		{awscollector.DefaultCallTimeout, azure.DefaultCallTimeout}, {awscollector.DefaultCallTimeout, konnect.DefaultCallTimeout},
	} {
		if d[0] != d[1] {
			t.Errorf("the sources' defaults differ (%v, %v), README gives one value", d[0], d[1])
		}
	}
	out, _, code, _ := runCLI(t, "scan", "--help")
	for _, source := range []string{"konnect", "dns", "aws", "azure"} {
		if code != exitClean || !strings.Contains(string(out), source) {
			t.Errorf("scan --help does not name %s", source)
		}
	}
}

// shortDuration is d as README writes it: 30s, 3m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return strings.TrimSuffix(s, "h0m")
}
