package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestScanDeclaredKonnect scans with a declared Konnect side: no API, the DNS test
// server resolves the configured hostnames and the declared custom domain.
func TestScanDeclaredKonnect(t *testing.T) {
	t.Parallel()
	dnsAddr := startDNS(t)
	// Only the declared network hostnames are Kong's (kong_domains names none of the
	// test zone's), and 10.40.139.9, where the Kong hostname resolves, is not a
	// declared data plane IP: a finding can come only from a declared hostname.
	const base = "kong_domains: [kong.invalid]\n" +
		"sources:\n  dns:\n    server: %D\n    timeout: 1s\n    hostnames: [gw.example.test, www.example.test]\n" +
		"konnect:\n  networks:\n    - id: net-1\n      provider: aws\n      region: us-east-2\n      cidr: 10.40.0.0/16\n" +
		"      data_plane_ips: [10.40.11.23]\n      hostnames: [%H]\n" +
		"  custom_domains:\n    - {id: d1, domain: api.northwindtraders.com}\n"
	tests := []struct {
		name     string
		hostname string
		dns002   []string
	}{
		{name: "declared kong hostname", hostname: "9e454bcfec.gateways.konggateway.com", dns002: []string{"api.northwindtraders.com", "gw.example.test"}},
		{name: "another hostname", hostname: "other.gateways.konggateway.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, "dcgw-scan.yaml")
			cfg := strings.NewReplacer("%D", dnsAddr, "%H", tt.hostname).Replace(base)
			if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			snapPath := filepath.Join(dir, "snapshot.json")
			out, stderr, code, errLine := runCLI(t, "--log-level", "info", "scan", "--config", cfgPath,
				"--snapshot-out", snapPath, "--format", "json", "--fail-on", "none")
			// konnect.availability is not declared: the rules that read it are not evaluated.
			if code != exitIncomplete {
				t.Errorf("exit %d, want %d (error %q, stderr %s)", code, exitIncomplete, errLine, stderr)
			}
			if !strings.Contains(stderr, "using the Konnect side declared in the config") {
				t.Errorf("stderr does not say the declared Konnect side is used: %s", stderr)
			}
			findings, notEvaluated := jsonVerdicts(t, out)
			if diff := cmp.Diff(tt.dns002, resourcesOf(findings, "DCGW-DNS-002")); diff != "" {
				t.Errorf("DCGW-DNS-002 findings (-want +got):\n%s", diff)
			}
			if len(notEvaluated) == 0 {
				t.Errorf("no rule is reported not evaluated, though konnect.availability is not declared")
			}
			for _, n := range notEvaluated {
				if strings.HasPrefix(n, "DCGW-DNS-002 ") {
					t.Errorf("DCGW-DNS-002 not evaluated: %s", n)
				}
			}

			doc, err := snapshot.Load(snapPath)
			if err != nil {
				t.Fatalf("--snapshot-out does not load: %v", err)
			}
			var scopes []string
			for _, s := range doc.Snapshot.Scopes {
				scopes = append(scopes, s.Key()+" "+s.Status+" "+strings.Join(s.Collections, ","))
			}
			wantScopes := []string{
				"dns//global/resolve ok dns_resolutions",
				"konnect//global/config ok konnect.custom_domains,konnect.networks",
			}
			if diff := cmp.Diff(wantScopes, scopes); diff != "" {
				t.Errorf("scopes (-want +got):\n%s", diff)
			}
			var resolved []string
			for _, r := range doc.Snapshot.DNSResolutions {
				resolved = append(resolved, r.Hostname)
			}
			if want := []string{"api.northwindtraders.com", "gw.example.test", "www.example.test"}; !slices.Equal(resolved, want) {
				t.Errorf("resolved %v, want %v (the declared custom domain included)", resolved, want)
			}
			if got := doc.Snapshot.Konnect.Networks; len(got) != 1 || got[0].ID != "net-1" {
				t.Errorf("snapshot Konnect networks %+v, want the declared net-1", got)
			}
		})
	}
}

// TestCheckDeclaredKonnect checks the demo estate with its Konnect side moved from the
// snapshot into the config: the findings are the golden ones.
func TestCheckDeclaredKonnect(t *testing.T) {
	t.Parallel()
	demo := filepath.Join("..", "..", estatesDir, "demo")
	data, err := os.ReadFile(filepath.Join(demo, "snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]json.RawMessage
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	konnectSide := snap["konnect"]
	delete(snap, "konnect")
	var scopes []snapshot.Scope
	if err := json.Unmarshal(snap["scopes"], &scopes); err != nil {
		t.Fatal(err)
	}
	kept := slices.DeleteFunc(slices.Clone(scopes), func(s snapshot.Scope) bool { return s.Provider == "konnect" })
	if len(kept) == len(scopes) {
		t.Fatal("the demo snapshot has no Konnect scope to remove")
	}
	if snap["scopes"], err = json.Marshal(kept); err != nil {
		t.Fatal(err)
	}
	stripped, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	cfgData, err := os.ReadFile(filepath.Join(demo, "dcgw-scan.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join(demo, "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	wantFindings, _ := jsonVerdicts(t, golden)

	// JSON is YAML: the demo's Konnect side goes into the config as it is.
	declared := append(append(slices.Clone(cfgData), "\nkonnect: "...), konnectSide...)
	declared = append(declared, '\n')
	dir := t.TempDir()
	write := func(name string, content []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	snapPath := write("snapshot.json", stripped)
	cfgPath := write("declared.yaml", declared)
	demoSnap := filepath.Join(demo, "snapshot.json")

	t.Run("same findings as the demo", func(t *testing.T) {
		t.Parallel()
		out, stderr, code, errLine := runCLI(t, "--log-level", "info", "check", snapPath, "--config", cfgPath, "--format", "json")
		if code != exitFindings {
			t.Errorf("exit %d, want %d (error %q)", code, exitFindings, errLine)
		}
		if !strings.Contains(stderr, "using the Konnect side declared in the config") {
			t.Errorf("stderr does not say the declared Konnect side is used: %s", stderr)
		}
		got, notEvaluated := jsonVerdicts(t, out)
		if diff := cmp.Diff(wantFindings, got); diff != "" {
			t.Errorf("findings (-demo golden +declared):\n%s", diff)
		}
		if len(notEvaluated) != 0 {
			t.Errorf("not evaluated: %v, want none (the demo declares every Konnect collection)", notEvaluated)
		}
	})
	t.Run("without the declaration the Konnect rules are not evaluated", func(t *testing.T) {
		t.Parallel()
		out, _, code, errLine := runCLI(t, "check", snapPath, "--config", filepath.Join(demo, "dcgw-scan.yaml"), "--format", "json")
		if code != exitIncomplete {
			t.Errorf("exit %d, want %d (error %q)", code, exitIncomplete, errLine)
		}
		if _, notEvaluated := jsonVerdicts(t, out); len(notEvaluated) == 0 {
			t.Error("every rule evaluated without a Konnect side")
		}
	})
	t.Run("a snapshot with a Konnect side and a declaration is ambiguous", func(t *testing.T) {
		t.Parallel()
		out, _, code, errLine := runCLI(t, "check", demoSnap, "--config", cfgPath, "--format", "json")
		if code != exitUsage || !strings.Contains(errLine, "the snapshot has a Konnect side (scope konnect/") ||
			!strings.Contains(errLine, "drop konnect from the config") {
			t.Errorf("exit %d, error %q; want exit 2 naming the snapshot's Konnect scope", code, errLine)
		}
		if len(out) != 0 {
			t.Errorf("a report was written: %s", out)
		}
	})
	t.Run("a bad declared cidr is a usage error naming the key", func(t *testing.T) {
		t.Parallel()
		bad := write("bad.yaml", []byte(strings.Replace(string(declared), `"10.40.0.0/16"`, `"10.40.0.0/33"`, 1)))
		_, _, code, errLine := runCLI(t, "check", snapPath, "--config", bad)
		if code != exitUsage || !strings.Contains(errLine, bad+": line ") ||
			!strings.Contains(errLine, `konnect.networks[0].cidr: "10.40.0.0/33" is not a CIDR`) {
			t.Errorf("exit %d, error %q; want exit 2 with the file, line and key path", code, errLine)
		}
	})
}
