package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestScan runs `scan` end to end: the fake Konnect API and the test DNS server
// collected into one snapshot, evaluated and reported. KONNECT_TOKEN is set with
// t.Setenv, so the cases do not run in parallel.
func TestScan(t *testing.T) {
	t.Setenv(app.KonnectTokenEnv, canaryToken)
	happy := fakeKonnect(t, 0)
	denied := fakeKonnect(t, http.StatusForbidden)
	dnsAddr := startDNS(t)
	malformed, err := filepath.Abs("testdata/policies/malformed")
	if err != nil {
		t.Fatal(err)
	}
	const (
		konnectAndDNS = "  konnect:\n    url: %K\n  dns:\n    server: %D\n    timeout: 1s\n    hostnames: [gw.example.test, www.example.test]\n"
	)
	tests := []struct {
		name    string
		sources string
		api     *httptest.Server
		// saveSnapshot adds --snapshot-out.
		saveSnapshot bool
		args         []string
		code         int
		errLine      string
		// dns002 are the resources of the DCGW-DNS-002 findings, sorted.
		dns002 []string
		// resolved are the hostnames of the saved snapshot's resolutions, sorted.
		resolved []string
		// sarifURI is the artifact every SARIF result points at.
		sarifURI string
	}{
		{
			// The custom domain api.northwindtraders.com comes from Konnect; it reaches Kong.
			name:    "konnect and dns, snapshot saved",
			sources: konnectAndDNS,
			api:     happy,
			args:    []string{"--fail-on", "none"},
			// Kong's networks are on AWS and no AWS scope was collected: the rules about
			// the customer's side are not evaluated, so the scan is incomplete.
			code:         exitIncomplete,
			dns002:       []string{"api.northwindtraders.com", "gw.example.test"},
			resolved:     []string{"api.fabrikam-insurance.com", "api.northwindtraders.com", "gw.example.test", "www.example.test"},
			sarifURI:     "out/snapshot.json",
			saveSnapshot: true,
		},
		{
			name:     "in memory, findings and an incomplete scan",
			sources:  konnectAndDNS,
			api:      happy,
			code:     exitIncomplete, // wins over the findings' 1
			dns002:   []string{"api.northwindtraders.com", "gw.example.test"},
			sarifURI: "snapshot.json",
		},
		{
			name:     "--sarif-uri names the in-memory snapshot",
			sources:  konnectAndDNS,
			api:      happy,
			args:     []string{"--sarif-uri", "scans/prod.json"},
			code:     exitIncomplete,
			dns002:   []string{"api.northwindtraders.com", "gw.example.test"},
			sarifURI: "scans/prod.json",
		},
		{
			name:     "dns only",
			sources:  "  dns:\n    server: %D\n    hostnames: [gw.example.test, www.example.test]\n",
			args:     []string{"--fail-on", "none"},
			code:     exitIncomplete, // the Konnect side was not collected
			dns002:   []string{"gw.example.test"},
			sarifURI: "snapshot.json",
		},
		{
			name:         "konnect denied",
			sources:      konnectAndDNS,
			api:          denied,
			saveSnapshot: true,
			code:         exitIncomplete,
			dns002:       []string{"gw.example.test"},
			resolved:     []string{"gw.example.test", "www.example.test"},
			sarifURI:     "out/snapshot.json",
		},
		{name: "a cloud source", sources: "  dns: {}\n  gcp:\n    projects: [p1]\n", code: exitUsage, errLine: "sources.gcp (line 3): no collector for it is available in this version"},
		{name: "no source", sources: "  {}\n", code: exitUsage, errLine: "nothing to collect"},
		{name: "bad format before collecting", sources: konnectAndDNS, api: happy, args: []string{"--format", "xml"}, code: exitUsage, errLine: `--format: "xml"`},
		{name: "bad policy dir before collecting", sources: konnectAndDNS, api: happy, args: []string{"--policy", malformed}, code: exitUsage, errLine: "load policies:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, cfgPath, _ := configFor(t, tt.api, dnsAddr, tt.sources)
			outDir := filepath.Join(dir, "out")
			if err := os.Mkdir(outDir, 0o755); err != nil {
				t.Fatal(err)
			}
			snapPath := filepath.Join(outDir, "snapshot.json")
			reportPath := filepath.Join(outDir, "report.sarif")
			jsonPath := filepath.Join(outDir, "report.json")
			base := []string{"--log-level", "debug", "scan", "--config", cfgPath}
			if tt.saveSnapshot {
				base = append(base, "--snapshot-out", snapPath)
			}

			// SARIF from the working directory dir, so the saved snapshot's URI is relative.
			t.Chdir(dir)
			stdout, stderr, code, errLine := runCLI(t, slices.Concat(base, []string{"--format", "sarif", "--output", reportPath}, tt.args)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (error %q)", code, tt.code, errLine)
			}
			if !strings.Contains(errLine, tt.errLine) || (tt.errLine == "") != (errLine == "") {
				t.Errorf("error line %q, want one containing %q", errLine, tt.errLine)
			}
			if len(stdout) != 0 {
				t.Errorf("stdout not empty with --output: %q", stdout)
			}
			assertNoCanary(t, stdout, stderr, errLine, snapPath, reportPath)
			if tt.code == exitUsage {
				if left, _ := os.ReadDir(outDir); len(left) != 0 {
					t.Errorf("files left behind: %v", dirNames(left))
				}
				return
			}

			jsonOut, stderr, code, errLine := runCLI(t, slices.Concat(base, []string{"--format", "json"}, tt.args)...)
			if code != tt.code {
				t.Errorf("json: exit %d, want %d", code, tt.code)
			}
			assertNoCanary(t, jsonOut, stderr, errLine)
			if err := os.WriteFile(jsonPath, jsonOut, 0o600); err != nil {
				t.Fatal(err)
			}
			findings, notEvaluated := jsonVerdicts(t, jsonOut)
			if tt.api == happy && !slices.ContainsFunc(notEvaluated, func(n string) bool { return strings.Contains(n, "aws:networks") }) {
				t.Errorf("Kong's AWS networks without an AWS scope: networks not reported as uncollected: %v", notEvaluated)
			}
			if diff := cmp.Diff(tt.dns002, resourcesOf(findings, "DCGW-DNS-002")); diff != "" {
				t.Errorf("DCGW-DNS-002 findings (-want +got):\n%s", diff)
			}

			sarifLog, err := os.ReadFile(reportPath)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(findings, sarifFindings(t, sarifLog)); diff != "" {
				t.Errorf("SARIF and JSON findings differ (-json +sarif):\n%s", diff)
			}
			if uris := sarifURIs(t, sarifLog); !slices.Equal(uris, []string{tt.sarifURI}) {
				t.Errorf("SARIF artifact URIs %v, want [%s]", uris, tt.sarifURI)
			}

			if !tt.saveSnapshot {
				if _, err := os.Stat(snapPath); err == nil {
					t.Errorf("a snapshot was saved without --snapshot-out")
				}
				return
			}
			doc, err := snapshot.Load(snapPath)
			if err != nil {
				t.Fatalf("--snapshot-out does not load: %v", err)
			}
			var resolved []string
			for _, r := range doc.Snapshot.DNSResolutions {
				resolved = append(resolved, r.Hostname)
			}
			if diff := cmp.Diff(tt.resolved, resolved); diff != "" {
				t.Errorf("resolved hostnames (-want +got):\n%s", diff)
			}
		})
	}
}

// sarifURIs are the distinct artifact URIs the results' physical locations name.
func sarifURIs(t *testing.T, log []byte) []string {
	t.Helper()
	var doc struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(log, &doc); err != nil {
		t.Fatalf("sarif report: %v", err)
	}
	var out []string
	for _, run := range doc.Runs {
		for _, r := range run.Results {
			for _, l := range r.Locations {
				out = append(out, l.PhysicalLocation.ArtifactLocation.URI)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
