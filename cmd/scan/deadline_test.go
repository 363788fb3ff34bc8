package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/internal/nettest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestScanSilentEndpoints: with AWS_ENDPOINT_URL and the Konnect URL at a socket that
// accepts and never answers, `scan` ends within its call timeouts, exit 3, every scope
// failed as a timeout that says so. It used to wait over 420 s for GetCallerIdentity,
// which ran outside every deadline. t.Setenv rules out t.Parallel.
func TestScanSilentEndpoints(t *testing.T) {
	t.Setenv(app.KonnectTokenEnv, canaryToken)
	silent := "http://" + nettest.Silent(t).Addr
	awsEnv(t, &awstest.Server{URL: silent})
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "  konnect:\n    url: "+silent+"\n    call_timeout: 200ms\n"+
		"  aws:\n    regions: [us-east-1]\n    call_timeout: 200ms\n")
	snapPath := filepath.Join(dir, "snapshot.json")

	start := time.Now()
	out, stderr, code, errLine := runCLI(t, "scan", "--config", cfg, "--snapshot-out", snapPath)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("scan took %v", took)
	}
	if code != exitIncomplete {
		t.Fatalf("exit %d (%s), want 3; stderr:\n%s", code, errLine, stderr)
	}
	data, err := os.ReadFile(snapPath)
	if err != nil {
		t.Fatal(err)
	}
	var snap snapshot.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"aws//global/identity": true, "konnect//global/availability": true,
		"konnect//global/cloud-gateways": true, "konnect//global/custom-domains": true}
	for _, s := range snap.Scopes {
		if !want[s.Key()] {
			t.Errorf("unexpected scope %s", s.Key())
			continue
		}
		delete(want, s.Key())
		if s.Status != snapshot.ScopeFailed || len(s.Errors) == 0 {
			t.Errorf("scope %s %s, want failed", s.Key(), s.Status)
			continue
		}
		for _, e := range s.Errors {
			if e.Class != snapshot.ClassTimeout || !strings.Contains(e.Message, "no answer within the call timeout of 200ms") {
				t.Errorf("scope %s: %s %q, want a timeout that names the call timeout", s.Key(), e.Class, e.Message)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("missing scopes %v", want)
	}
	if !strings.Contains(string(out), "no answer within the call timeout of 200ms") {
		t.Errorf("the report does not say why the scopes failed:\n%s", out)
	}
	assertNoCanary(t, out, stderr, errLine, snapPath)
}

// TestScanInitConfigWithoutNetwork: the config init writes, with a token but no way to
// reach Konnect (here: nothing listens on the URL), ends in seconds with exit 3; it
// took 38 s (5 tries with backoff per request) before. t.Chdir and t.Setenv rule out
// t.Parallel.
func TestScanInitConfigWithoutNetwork(t *testing.T) {
	t.Setenv(app.KonnectTokenEnv, canaryToken)
	t.Chdir(t.TempDir())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	_ = ln.Close() // nothing listens there now: every connection is refused
	if _, _, code, errLine := runCLI(t, "init"); code != exitClean {
		t.Fatalf("init: exit %d, %s", code, errLine)
	}
	start := time.Now()
	out, stderr, code, errLine := runCLI(t, "scan", "--konnect-url", refused)
	took := time.Since(start)
	if code != exitIncomplete {
		t.Fatalf("exit %d (%s), want 3; stderr:\n%s", code, errLine, stderr)
	}
	if took > 15*time.Second {
		t.Errorf("scan took %v, want seconds", took)
	}
	if !strings.Contains(string(out), "connection refused (no answer in 3 tries)") {
		t.Errorf("the report does not say why Konnect could not be read:\n%s", out)
	}
	t.Logf("scan without a reachable Konnect took %v", took.Round(time.Millisecond))
}
