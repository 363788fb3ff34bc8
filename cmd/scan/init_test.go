package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
)

// TestInit checks init writes the starter config (TestStarterConfig loads it),
// refuses to overwrite without --force, and overwrites with it.
func TestInit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "dcgw-scan.yaml")

	out, _, code, errLine := runCLI(t, "init", path)
	if code != exitClean || !strings.HasPrefix(string(out), "wrote "+path+"\n") ||
		!strings.Contains(string(out), "dcgw-scan scan --config "+path+"\n") {
		t.Fatalf("init: exit %d, stdout %q, error %q; want the file and the next step", code, out, errLine)
	}
	if data, _ := os.ReadFile(path); string(data) != app.StarterConfig {
		t.Errorf("init did not write the starter config")
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
	if data, _ := os.ReadFile(path); string(data) != app.StarterConfig {
		t.Errorf("init --force did not write the starter config")
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("files in the dir: %v, want only the config", dirNames(left))
	}
}
