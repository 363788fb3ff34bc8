package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPath asks `path` the questions a DCGW customer asks of the example estates and
// compares the text and JSON answers with the goldens next to each estate
// (path-<name>.golden.txt and .golden.json; -update rewrites them). The verdict, the
// hop that drops the traffic and the source class are written out here, not read from
// the goldens, so that refreshing the goldens cannot bless a wrong answer.
func TestPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		estate, name string
		args         []string // after SNAPSHOT --config CONFIG
		admitted     bool
		// dropped is "resource#key#direction" of the hop that drops the traffic.
		dropped string
		class   string
		// hops are the resource ids of the hops, in order.
		hops []string
	}{
		{
			estate: "aws-reach-violating", name: "kong-to-upstream",
			args:     []string{"--from", "kong", "--to", "10.61.10.25", "--port", "443/tcp"},
			admitted: true, class: "kong-dp",
			// Over the peering, the default NACL both ways, inventory-api's DP rule, and the
			// subnet's return route to the peering.
			hops: []string{"pcx-0e630aa8b434c046e", "acl-0fda3475d079843c4", "sg-0ab1b0c9dfe27e890", "rtb-0ad63aae69bda1cd4"},
		},
		{
			estate: "aws-reach-violating", name: "internet-to-upstream",
			args:    []string{"--from", "internet", "--to", "eni-0ad3d845b0d9569be", "--port", "443"},
			dropped: "sg-0ab1b0c9dfe27e890#no-allow-rule#ingress", class: "internet",
			hops: []string{"acl-0fda3475d079843c4", "sg-0ab1b0c9dfe27e890"},
		},
		{
			// inventory-app-strict admits Kong on 443 but lets only 443 out: the reply to
			// Kong's ephemeral port is dropped by the egress side's "*" entry.
			estate: "aws-reach-violating", name: "reply-blocked-by-nacl",
			args:    []string{"--from", "kong", "--to", "10.61.11.25", "--port", "443/tcp"},
			dropped: "acl-0ed8eec4309fee387#egress/*#egress", class: "kong-dp",
			hops: []string{"pcx-0e630aa8b434c046e", "acl-0ed8eec4309fee387"},
		},
		{
			// Kong's TGW route table has no route to catalog-prod (it only sends to Kong).
			estate: "aws-reach-violating", name: "kong-to-unrouted-spoke",
			args:    []string{"--from", "kong", "--to", "10.62.10.7"},
			dropped: "tgw-rtb-005246e188733a328#10.62.10.0/24#", class: "kong-dp",
			hops: []string{"tgw-rtb-005246e188733a328"},
		},
		{
			// An address of an app subnet is an interface's, not the edge ALB's: the
			// snapshot does not say which subnets the ALB is in, so it does not stand for
			// an address interfaces of the subnet may hold, and inventory-api's group
			// (the first candidate; inventory-bastion's does not admit 443 either) drops it.
			estate: "aws-reach-violating", name: "internet-to-app-address",
			args:    []string{"--from", "internet", "--to", "10.61.10.25", "--port", "443"},
			dropped: "sg-0ab1b0c9dfe27e890#no-allow-rule#ingress", class: "internet",
			hops: []string{"acl-0fda3475d079843c4", "sg-0ab1b0c9dfe27e890"},
		},
		{
			// catalog-prod is a spoke of the transit gateway and inventory-prod is peered
			// with Kong only: no peering connects them, so nothing routes catalog-prod's
			// traffic to inventory-prod (no peering is assumed).
			estate: "aws-reach-violating", name: "spoke-to-unpeered-network",
			args:    []string{"--from", "10.62.10.7", "--to", "10.61.10.9", "--port", "443/tcp"},
			dropped: "vpc-0bb4b137a6458611b#10.61.10.0/24#", class: "network",
			hops: []string{"vpc-0bb4b137a6458611b"},
		},
		{
			// The edge's security group admits tcp 22 from anywhere (DCGW-FW-006), but the
			// ALB has one listener, HTTPS on 443: it takes no traffic on 22.
			estate: "aws-reach-violating", name: "internet-to-edge-no-listener",
			args:    []string{"--from", "internet", "--to", "arn:aws:elasticloadbalancing:eu-west-1:481516234208:loadbalancer/app/wingtip-edge/b71e04c9a3d25f68", "--port", "22"},
			dropped: "arn:aws:elasticloadbalancing:eu-west-1:481516234208:loadbalancer/app/wingtip-edge/b71e04c9a3d25f68#22/tcp#", class: "internet",
			hops: []string{"acl-0fda3475d079843c4", "sg-0a08c3f16b9154deb", "arn:aws:elasticloadbalancing:eu-west-1:481516234208:loadbalancer/app/wingtip-edge/b71e04c9a3d25f68"},
		},
		{
			// The prefix list holding 0.0.0.0/0 opens catalog-api to the internet.
			estate: "aws-reach-violating", name: "internet-to-spoke-via-prefix-list",
			args:     []string{"--from", "internet", "--to", "eni-0e09482263c80f3f4", "--port", "443/tcp"},
			admitted: true, class: "internet",
			hops: []string{"acl-0374700219db00b99", "sg-0845bea36da2bd0e1"},
		},
		{
			estate: "aws-reach-compliant", name: "kong-to-upstream",
			args:     []string{"--from", "kong", "--to", "eni-05901621e19629c60", "--port", "443/tcp"},
			admitted: true, class: "kong-dp",
			hops: []string{"pcx-03a076657a68872e5", "acl-0044303bd0e88f12b", "sg-0bbc7b433f094cf95", "rtb-0a692a84ff5f1a985"},
		},
		{
			// The default NACL admits everything; orders-api admits only the DP IPs.
			estate: "aws-reach-compliant", name: "internet-to-upstream",
			args:    []string{"--from", "internet", "--to", "eni-05901621e19629c60", "--port", "443/tcp"},
			dropped: "sg-0bbc7b433f094cf95#no-allow-rule#ingress", class: "internet",
			hops: []string{"acl-0044303bd0e88f12b", "sg-0bbc7b433f094cf95"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.estate+"/"+tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("..", "..", estatesDir, tt.estate)
			base := append([]string{"path", filepath.Join(dir, "snapshot.json"), "--config", filepath.Join(dir, "dcgw-scan.yaml")}, tt.args...)
			want := exitClean
			if !tt.admitted {
				want = exitNotAdmitted
			}
			for _, format := range []string{"text", "json"} {
				out, stderr, code, line := runCLI(t, append(base, "--format", format)...)
				if code != want {
					t.Errorf("--format %s: exit %d, want %d (%s)", format, code, want, line)
				}
				if stderr != "" || line != "" {
					t.Errorf("--format %s: unexpected stderr %q %q", format, stderr, line)
				}
				ext := map[string]string{"text": "txt", "json": "json"}[format]
				compareGolden(t, filepath.Join(dir, "path-"+tt.name+".golden."+ext), out)
				if format != "json" {
					continue
				}
				var v struct {
					Admitted bool `json:"admitted"`
					Source   struct {
						Class string `json:"class"`
					} `json:"source"`
					Hops []struct {
						ResourceID string `json:"resource_id"`
					} `json:"hops"`
					DroppedAt *struct {
						ResourceID string `json:"resource_id"`
						Key        string `json:"key"`
						Direction  string `json:"direction"`
					} `json:"dropped_at"`
				}
				if err := json.Unmarshal(out, &v); err != nil {
					t.Fatalf("json: %v", err)
				}
				if v.Admitted != tt.admitted {
					t.Errorf("admitted = %v, want %v", v.Admitted, tt.admitted)
				}
				if v.Source.Class != tt.class {
					t.Errorf("source class %q, want %q", v.Source.Class, tt.class)
				}
				var hops []string
				for _, h := range v.Hops {
					hops = append(hops, h.ResourceID)
				}
				if diff := cmp.Diff(tt.hops, hops); diff != "" {
					t.Errorf("hops (-want +got):\n%s", diff)
				}
				dropped := ""
				if d := v.DroppedAt; d != nil {
					dropped = d.ResourceID + "#" + d.Key + "#" + d.Direction
				}
				if dropped != tt.dropped {
					t.Errorf("dropped at %q, want %q", dropped, tt.dropped)
				}
			}
		})
	}
}

// TestPathText pins the shape of the text answer: one line per hop in order, then the
// verdict line naming the dropping hop and the reason.
func TestPathText(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", estatesDir, "aws-reach-violating")
	out, _, code, _ := runCLI(t, "path", filepath.Join(dir, "snapshot.json"), "--from", "kong", "--to", "10.61.11.25")
	if code != exitNotAdmitted {
		t.Fatalf("exit %d, want %d", code, exitNotAdmitted)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	hop := "aws-network-acl acl-0ed8eec4309fee387 egress/*: deny"
	if n := len(lines); n < 2 || !strings.HasPrefix(lines[n-2], "  2. "+hop) {
		t.Errorf("the last hop line is not hop 2, %q:\n%s", hop, out)
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "dropped at "+hop) || !strings.Contains(last, ": the reply is dropped by") {
		t.Errorf("verdict line %q does not name the egress rule and the reason", last)
	}
}

// TestPathErrors covers the usage and input errors of `path`: exit 2, one line on
// stderr that says what is wrong, nothing on stdout.
func TestPathErrors(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", estatesDir, "aws-reach-violating")
	snap := filepath.Join(dir, "snapshot.json")
	tests := []struct {
		name string
		args []string
		want string // matches the line main prints
	}{
		{"port with the protocol first", []string{"path", snap, "--from", "kong", "--to", "10.61.10.25", "--port", "udp/53"},
			`^dcgw-scan: --port: "udp/53" is not PORT\[/PROTOCOL\] with PROTOCOL tcp or udp`},
		{"port out of range", []string{"path", snap, "--from", "kong", "--to", "10.61.10.25", "--port", "70000/tcp"},
			`^dcgw-scan: --port: 70000 is not a port \(1-65535\)`},
		{"unknown protocol", []string{"path", snap, "--from", "kong", "--to", "10.61.10.25", "--port", "443/sctp"},
			`^dcgw-scan: --port: "443/sctp" is not PORT`},
		{"unknown resource id", []string{"path", snap, "--from", "kong", "--to", "sg-0123456789abcdef0"},
			`^dcgw-scan: --to sg-0123456789abcdef0: .*snapshot\.json has no resource with this id`},
		{"resource that is not a destination", []string{"path", snap, "--from", "kong", "--to", "vpc-0a3ace52e697f8d09"},
			`^dcgw-scan: --to vpc-0a3ace52e697f8d09: not a gateway-facing destination`},
		{"address outside the connected estate", []string{"path", snap, "--from", "kong", "--to", "172.31.5.9"},
			`^dcgw-scan: --to 172\.31\.5\.9: 172\.31\.5\.9 is not a gateway-facing destination`},
		{"missing snapshot", []string{"path", "testdata/inputs/no-such-snapshot.json", "--from", "kong", "--to", "10.61.10.25"},
			`^dcgw-scan: read snapshot: .*no-such-snapshot\.json`},
		{"malformed snapshot", []string{"path", "testdata/inputs/malformed.json", "--from", "kong", "--to", "10.61.10.25"},
			`^dcgw-scan: testdata/inputs/malformed\.json:4:18: invalid character ','`},
		{"unreadable config", []string{"path", snap, "--config", "testdata/inputs/no-such-config.yaml", "--from", "kong", "--to", "10.61.10.25"},
			`^dcgw-scan: read config: .*no-such-config\.yaml`},
		{"bad source", []string{"path", snap, "--from", "edge", "--to", "10.61.10.25"},
			`^dcgw-scan: --from: "edge" is not kong, internet or an IP address`},
		{"no source", []string{"path", snap, "--to", "10.61.10.25"},
			`^dcgw-scan: --from is required`},
		{"no destination", []string{"path", snap, "--from", "kong"},
			`^dcgw-scan: --to is required`},
		{"mixed address families", []string{"path", snap, "--from", "2001:db8::1", "--to", "10.61.10.25"},
			`^dcgw-scan: --from 2001:db8::1 and --to 10\.61\.10\.25 are not of the same address family`},
		{"bad format", []string{"path", snap, "--from", "kong", "--to", "10.61.10.25", "--format", "sarif"},
			`^dcgw-scan: --format: "sarif" is not text or json`},
		{"no snapshot", []string{"path", "--from", "kong", "--to", "10.61.10.25"},
			`^dcgw-scan: accepts 1 arg`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, _, code, line := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d (%q)", code, exitUsage, line)
			}
			if !regexp.MustCompile(tt.want).MatchString(line) {
				t.Errorf("stderr %q does not match %s", line, tt.want)
			}
			if strings.Count(line, "\n") != 1 {
				t.Errorf("want one line on stderr, got %q", line)
			}
			if len(stdout) != 0 {
				t.Errorf("stdout not empty on error: %q", stdout)
			}
		})
	}
}
