package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// awsEstate is the recorded AWS estate of the end-to-end tests: account 111111111111 in
// us-east-1 with the EC2, Route 53, ELBv2/WAF, Lattice and RAM answers of the collector's
// own tests (see collectors/aws/testdata/e2e/responses.yaml).
var awsEstate = []string{
	"../../collectors/aws/testdata/ec2/responses.yaml",
	"../../collectors/aws/testdata/edge/responses.yaml",
	"../../collectors/aws/testdata/e2e/responses.yaml",
}

// awsE2EConfig declares the Konnect side: a DCGW network attached to the estate's transit
// gateway (Kong's attachment tgw-attach-0827…, owned by Kong's account 764583920147) and
// to the Lattice resource share, mapping the ledger child configuration.
const awsE2EConfig = `allowed_spokes: [tgw-attach-043d80b2676e385e9]
edge_load_balancers:
  - arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/api-edge/50dc6c495c0c9188
  - arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/legacy-edge/7a1f3b9c2d4e6f80
sources:
  aws:
    regions: [us-east-1]
  dns:
    server: %D
    hostnames: [api.example.com, gw.example.com]
konnect:
  networks:
    - id: 5f1a0c2e-7b3d-4c8e-9a61-2d4f6b8e0a13
      provider: aws
      region: us-east-1
      cidr: 10.40.0.0/16
      state: ready
      provider_account_id: "764583920147"
      provider_network_id: vpc-04f3a9c2b1d8e7f60
      data_plane_ips: [10.40.11.23, 10.40.75.141]
      hostnames: [9e454bcfec.gateways.konggateway.com]
      api_access: private
      attachments:
        - id: 0c7e5a91-2b4d-4f6a-8c1e-3d5f7b9a1c20
          kind: aws-transit-gateway-attachment
          state: ready
          cidr_blocks: [10.30.0.0/16]
          hub_id: tgw-0c5e8a1f3b7d92e46
          hub_attachment_id: tgw-attach-0827cccb38ecba7c8
        - id: 9d2b4f6a-8c1e-4a3b-b5d7-e9f1a3c5e7b9
          kind: aws-resource-endpoint-attachment
          state: ready
          share_id: arn:aws:ram:us-east-1:111111111111:resource-share/7c1e9a3b-5d2f-4e08-b6a4-2f8d0c6e4a91
          resource_configs:
            - {id: rcfg-0c1d2e3f4a5b6c7d8, domain_name: ledger.internal.example.com, state: ready}
  custom_domains:
    - {id: 3e8c1a5f-9b2d-4e7a-a0c4-6f8b2d4e6a81, domain: api.example.com, state: ready}
  availability:
    - {provider: aws, region: us-east-1, allowed_cidrs: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16], reserved_cidrs: [10.100.0.0/16]}
`

// awsE2EZone is what public DNS answers for the estate's hostnames: api.example.com
// (a Route 53 alias of the api-edge ALB) at the ALB, gw.example.com (a weighted set whose
// kong-direct member CNAMEs to Kong) at a data plane IP.
const awsE2EZone = `
$TTL 300
api.example.com.                                        IN A     203.0.113.25
gw.example.com.                                         IN CNAME 9e454bcfec.aws-us-east-1.edge.gateways.konggateway.com.
9e454bcfec.aws-us-east-1.edge.gateways.konggateway.com. IN A     10.40.11.23
`

// writeAWSE2EConfig writes the end-to-end config, its DNS source at a server for
// awsE2EZone, into dir.
func writeAWSE2EConfig(t *testing.T, dir string) string {
	t.Helper()
	cfg := filepath.Join(dir, "dcgw-scan.yaml")
	text := strings.ReplaceAll(awsE2EConfig, "%D", startDNSZone(t, awsE2EZone))
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// awsEnv points the AWS SDK at srv with static test credentials and nothing from the
// machine (no shared config files, no instance metadata).
func awsEnv(t *testing.T, srv *awstest.Server) {
	t.Helper()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            srv.URL,
		"AWS_ACCESS_KEY_ID":           "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":       "test-secret-canary",
		"AWS_SESSION_TOKEN":           "",
		"AWS_REGION":                  "us-east-1",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_RETRY_MODE":              "",
		"AWS_MAX_ATTEMPTS":            "",
	} {
		t.Setenv(k, v)
	}
}

// TestCollectAWSEndToEnd runs `scan` on the recorded estate: the real collector and SDK
// clients against recorded answers, then the rules. The findings are written out, with
// why each is right, so a wrong result cannot be blessed by a golden refresh.
func TestCollectAWSEndToEnd(t *testing.T) {
	srv := awstest.Start(t, awsEstate...)
	awsEnv(t, srv)
	dir := t.TempDir()
	cfg := writeAWSE2EConfig(t, dir)
	snapPath := filepath.Join(dir, "snapshot.json")
	out, stderr, code, errLine := runCLI(t, "scan", "--config", cfg, "--snapshot-out", snapPath, "--format", "json")
	if code != exitFindings {
		t.Errorf("exit %d (%s), want 1 (findings, every scope read); stderr:\n%s", code, errLine, stderr)
	}
	var rep struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Resource string `json:"resource_id"`
			Key      string `json:"key"`
		} `json:"findings"`
		NotEvaluated []struct {
			RuleID string `json:"rule_id"`
			Scope  string `json:"scope"`
			Reason string `json:"reason"`
		} `json:"not_evaluated"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.RuleID+" "+f.Resource+" "+f.Key)
	}
	slices.Sort(got)
	const (
		share  = "arn:aws:ram:us-east-1:111111111111:resource-share/7c1e9a3b-5d2f-4e08-b6a4-2f8d0c6e4a91"
		tg     = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/"
		legacy = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/legacy-edge/7a1f3b9c2d4e6f80"
		lsn    = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy-edge/7a1f3b9c2d4e6f80/"
	)
	want := []string{
		// The app subnet's table sends 10.40.0.0/16 to the internet gateway (0.0.0.0/0);
		// another table's 10.40.0.0/16 route goes to a deleted peering (blackhole).
		"DCGW-CIDR-003 rtb-06bb2a4d1b8fecaa5 10.40.0.0/16",
		"DCGW-CIDR-004 rtb-0636055d0dd26ec1a 10.40.0.0/16",
		// Route 53: three CNAMEs straight at Kong (one member of the gw weighted set);
		// live DNS: gw.example.com resolves through Kong's hostname.
		"DCGW-DNS-001 Z0482761ABCDEFGHIJK1/eu.example.com/CNAME/europe eu.example.com|europe",
		"DCGW-DNS-001 Z0482761ABCDEFGHIJK1/gw.example.com/CNAME/kong-direct gw.example.com|kong-direct",
		"DCGW-DNS-001 Z0482761ABCDEFGHIJK1/partners.example.com/CNAME partners.example.com|",
		"DCGW-DNS-002 gw.example.com ",
		// RAM: the share Konnect uses also names two external accounts.
		"DCGW-EP-001 " + share + " 444455556666",
		"DCGW-EP-001 " + share + " 999999999999",
		// Lattice: the mapped ledger child exposes 8000-8100, the unmapped billing child
		// of the shared group every port, and billing reaches Konnect unmapped.
		"DCGW-EP-003 rcfg-0c1d2e3f4a5b6c7d8 ports:8000-8100",
		"DCGW-EP-003 rcfg-0e1f2a3b4c5d6e7f8 ports:1-65535",
		"DCGW-EP-006 rcfg-0a1b2c3d4e5f6a7b8 rcfg-0e1f2a3b4c5d6e7f8",
		// The spoke VPC's NACL allows everything from anywhere (v4 and v6); payments-app
		// takes 8443 from a prefix list holding 0.0.0.0/0 and ICMP from 10.0.0.0/8.
		"DCGW-FW-001 sg-09d8c7b6a5f4e3d21 sgr-0fd68ae0ab741fa51",
		"DCGW-FW-002 sg-09d8c7b6a5f4e3d21 sgr-0c3d5e7f9a1b2c4d6",
		// Edge target groups that are not exactly the data plane IPs on 443 (the canary
		// targets 10.40.139.9; legacy-http an instance on 8000); api-edge's SG egress is open.
		"DCGW-FW-004 " + tg + "dcgw-canary/1a2b3c4d5e6f7a8b " + tg + "dcgw-canary/1a2b3c4d5e6f7a8b",
		"DCGW-FW-004 " + tg + "legacy-http/9f8e7d6c5b4a3921 " + tg + "legacy-http/9f8e7d6c5b4a3921",
		"DCGW-FW-005 sg-0123a4b5c6d7e8f90 sgr-034b6c7005f1e1832",
		// core-tgw-use1 has default association, propagation and auto-accept on, and
		// Kong propagates into the default table, which the VPN attachment uses.
		"DCGW-HUB-001 tgw-0c5e8a1f3b7d92e46 default_route_table_association",
		"DCGW-HUB-001 tgw-0c5e8a1f3b7d92e46 default_route_table_propagation",
		"DCGW-HUB-002 tgw-0c5e8a1f3b7d92e46 ",
		"DCGW-HUB-004 tgw-rtb-0dd1f834a9386a9e0 tgw-attach-0827cccb38ecba7c8",
		// legacy-edge (declared an edge): HTTP forwards without redirecting, HTTPS uses
		// ELBSecurityPolicy-2016-08 (TLS 1.0), and no WAF. api-edge passes all three.
		"DCGW-TLS-002 " + legacy + " " + lsn + "1b3d5f7a9c0e2a4b",
		"DCGW-TLS-003 " + legacy + " " + lsn + "2c4e6a8b0d1f3a5c",
		"DCGW-TLS-005 " + legacy + " ",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	if len(rep.NotEvaluated) != 0 {
		t.Errorf("not evaluated: %+v", rep.NotEvaluated)
	}
	doc, err := snapshot.Load(snapPath)
	if err != nil {
		t.Fatalf("the saved snapshot does not load: %v", err)
	}
	for _, s := range doc.Snapshot.Scopes {
		if s.Incomplete() {
			t.Errorf("scope %s: %s", s.Key(), s.Problem())
		}
	}
	for what, data := range map[string][]byte{"report": out, "stderr": []byte(stderr)} {
		if bytes.Contains(data, []byte("test-secret-canary")) {
			t.Errorf("the secret key leaked into the %s", what)
		}
	}
	raw, _ := os.ReadFile(snapPath)
	if bytes.Contains(raw, []byte("test-secret-canary")) || bytes.Contains(raw, []byte("AKIDEXAMPLE")) {
		t.Errorf("a credential leaked into the snapshot")
	}
}

// TestCollectAWSInterrupted stops a collection half-way: nothing is written, exit 130.
func TestCollectAWSInterrupted(t *testing.T) {
	srv := awstest.Start(t, awsEstate...)
	srv.Latency = 200 * time.Millisecond
	awsEnv(t, srv)
	dir := t.TempDir()
	cfg := writeAWSE2EConfig(t, dir)
	out := filepath.Join(dir, "aws.json")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"collect", "aws", "--config", cfg, "--out", out}, &stdout, &stderr)
	code, errLine := exitOf(t, err)
	if code != exitInterrupted || !strings.Contains(errLine, "interrupted: nothing written") {
		t.Errorf("exit %d (%q), want 130 and 'nothing written'", code, errLine)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files in the output dir: %v, want only the config", entries)
	}
}
