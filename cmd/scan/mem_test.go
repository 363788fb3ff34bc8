package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestPeakMemory10k measures the peak memory of `dcgw-scan check` on a synthetic
// 10k-network estate (internal/synth): load, evaluation of every built-in rule, SARIF
// report. The estate is generated here and written to a file; the check runs in a
// child process (this test binary, running run()) so the generator's memory does not
// count, and it fails when the child's peak RSS reaches 1 GiB. Run with
// DCGW_BENCH_MEM=1 (make bench-mem); it takes a minute or two.
func TestPeakMemory10k(t *testing.T) {
	if path := os.Getenv("DCGW_BENCH_MEM_CHILD"); path != "" {
		checkForMemory(t, path)
		return
	}
	if os.Getenv("DCGW_BENCH_MEM") != "1" {
		t.Skip("set DCGW_BENCH_MEM=1 to measure the peak memory of a 10k-network check")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "estate-10k.json")
	data, err := snapshot.Marshal(synth.Generate(synth.Options{Networks: 10000, Seed: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("estate: 10000 networks, %.1f MiB of JSON", float64(len(data))/(1<<20))
	data = nil

	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestPeakMemory10k$", "-test.v")
	cmd.Env = append(os.Environ(), "DCGW_BENCH_MEM_CHILD="+path)
	out, err := cmd.CombinedOutput()
	t.Logf("check:\n%s", out)
	if err != nil {
		t.Fatalf("check of the 10k estate: %v", err)
	}
}

// checkForMemory is the child: one check as the CLI runs it, then the peak RSS
// (VmHWM of /proc/self/status: Getrusage's Maxrss would count the parent, whose
// memory the child shared until exec).
func checkForMemory(t *testing.T, path string) {
	outFile := filepath.Join(filepath.Dir(path), "report.sarif")
	_, stderr, code, errLine := runCLI(t, "check", path, "--format", "sarif", "--output", outFile, "--fail-on", "none", "--sarif-uri", "estate-10k.json")
	if code != exitClean {
		t.Fatalf("check: exit %d: %s %s", code, errLine, stderr)
	}
	hwm, err := peakRSS()
	if err != nil {
		t.Skipf("no peak RSS on this system: %v", err)
	}
	t.Logf("check peak RSS (VmHWM): %.0f MiB (GOMEMLIMIT=%q)", float64(hwm)/(1<<20), os.Getenv("GOMEMLIMIT"))
	if hwm >= 1<<30 {
		t.Errorf("check of the 10k estate: peak RSS %.0f MiB, want < 1024 MiB", float64(hwm)/(1<<20))
	}
}

// peakRSS is the process's peak resident set size in bytes (Linux VmHWM).
func peakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err != nil {
				return 0, fmt.Errorf("parse VmHWM %q: %w", v, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}
