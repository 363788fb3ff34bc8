package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/policies"
)

// TestInit checks init writes a config that loads (with the defaults it claims),
// refuses to overwrite without --force, and overwrites with it.
func TestInit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "dcgw-scan.yaml")

	out, _, code, errLine := runCLI(t, "init", path)
	if code != exitClean || string(out) != "wrote "+path+"\n" {
		t.Fatalf("init: exit %d, stdout %q, error %q", code, out, errLine)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatalf("the written config does not load: %v", err)
	}
	want := config{Params: policies.DefaultParams(), FailOn: "high", dir: dir}
	want.AllowedSpokes, want.AllowedSourceRanges = []string{}, []string{}
	want.UpstreamSubnets, want.EdgeLoadBalancers, want.PolicyDirs, want.DisabledRules = []string{}, []string{}, []string{}, []string{}
	want.Sources.Konnect = &konnectSource{URL: "https://global.api.konghq.com"}
	want.Sources.DNS = &dnsSource{Timeout: "2s", timeout: 2 * time.Second, Hostnames: []string{}}
	if diff := cmp.Diff(want, cfg, configCmp...); diff != "" {
		t.Errorf("written config (-want +got):\n%s", diff)
	}
	if bad := cfg.Sources.unavailable(); len(bad) != 0 {
		t.Errorf("the starter config names sources this version cannot collect: %v", bad)
	}

	if err := os.WriteFile(path, []byte("gateway_port: 8443\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, code, errLine = runCLI(t, "init", path)
	if code != exitUsage || !strings.Contains(errLine, "exists; use --force") {
		t.Errorf("init over a file: exit %d, error %q; want exit 2 and --force", code, errLine)
	}
	if data, _ := os.ReadFile(path); string(data) != "gateway_port: 8443\n" {
		t.Errorf("init without --force changed the file: %q", data)
	}
	if _, _, code, errLine = runCLI(t, "init", "--force", path); code != exitClean {
		t.Fatalf("init --force: exit %d, error %q", code, errLine)
	}
	if data, _ := os.ReadFile(path); string(data) != starterConfig {
		t.Errorf("init --force did not write the starter config")
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("files in the dir: %v, want only the config", dirNames(left))
	}
}
