package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/reach"
)

func TestParsePort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		proto   string
		port    int
		wantErr string
	}{
		{in: "", proto: "tcp", port: 443},
		{in: "443/tcp", proto: "tcp", port: 443},
		{in: "8443", proto: "tcp", port: 8443},
		{in: "53/udp", proto: "udp", port: 53},
		{in: "53/UDP", proto: "udp", port: 53},
		{in: "1", proto: "tcp", port: 1},
		{in: "65535/tcp", proto: "tcp", port: 65535},
		{in: "udp/53", wantErr: `"udp/53" is not PORT[/PROTOCOL]`},
		{in: "443/icmp", wantErr: `"443/icmp" is not PORT[/PROTOCOL]`},
		{in: "443/", wantErr: `"443/" is not PORT[/PROTOCOL]`},
		{in: "https", wantErr: `"https" is not PORT[/PROTOCOL]`},
		{in: "0", wantErr: "0 is not a port (1-65535)"},
		{in: "65536/tcp", wantErr: "65536 is not a port (1-65535)"},
		{in: "-1", wantErr: "-1 is not a port (1-65535)"},
	}
	for _, tt := range tests {
		proto, port, err := ParsePort(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "--port: ") {
				t.Errorf("ParsePort(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || proto != tt.proto || port != tt.port {
			t.Errorf("ParsePort(%q) = %q, %d, %v; want %q, %d", tt.in, proto, port, err, tt.proto, tt.port)
		}
	}
}

func TestPathQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    PathOptions
		want    reach.Query
		wantErr string
	}{
		{name: "kong, any case", opts: PathOptions{From: "Kong", To: "10.20.1.5"},
			want: reach.Query{From: "kong", To: "10.20.1.5", Protocol: "tcp", Port: 443}},
		{name: "internet to a resource on udp", opts: PathOptions{From: "internet", To: "eni-1", Port: "53/udp"},
			want: reach.Query{From: "internet", To: "eni-1", Protocol: "udp", Port: 53}},
		{name: "IPv4-mapped addresses unmapped", opts: PathOptions{From: "::ffff:10.40.11.23", To: "::ffff:10.20.1.5", Port: "8443"},
			want: reach.Query{From: "10.40.11.23", To: "10.20.1.5", Protocol: "tcp", Port: 8443}},
		{name: "IPv6", opts: PathOptions{From: "2001:db8::1", To: "2600:1f14:9c3:e601::10"},
			want: reach.Query{From: "2001:db8::1", To: "2600:1f14:9c3:e601::10", Protocol: "tcp", Port: 443}},
		{name: "a CIDR is not a source", opts: PathOptions{From: "10.40.0.0/16", To: "10.20.1.5"}, wantErr: `--from: "10.40.0.0/16" is not kong, internet or an IP address`},
		{name: "no source", opts: PathOptions{To: "10.20.1.5"}, wantErr: "--from is required"},
		{name: "no destination", opts: PathOptions{From: "kong", To: " "}, wantErr: "--to is required"},
		{name: "families differ", opts: PathOptions{From: "10.40.11.23", To: "2001:db8::5"}, wantErr: "not of the same address family"},
		{name: "bad port", opts: PathOptions{From: "kong", To: "10.20.1.5", Port: "tcp"}, wantErr: `--port: "tcp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.opts.query()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPathEdgeLoadBalancers checks that the config's edge_load_balancers reaches the
// model: the ALB of aws-reach-violating is the edge by default (it targets the data
// plane IPs) and is not when the config names another load balancer.
func TestPathEdgeLoadBalancers(t *testing.T) {
	t.Parallel()
	const alb = "arn:aws:elasticloadbalancing:eu-west-1:481516234208:loadbalancer/app/wingtip-edge/b71e04c9a3d25f68"
	snap := filepath.Join("..", "..", "testdata", "estates", "aws-reach-violating", "snapshot.json")
	other := filepath.Join(t.TempDir(), "dcgw-scan.yaml")
	if err := os.WriteFile(other, []byte("edge_load_balancers: [arn:aws:elasticloadbalancing:eu-west-1:481516234208:loadbalancer/app/other/0123456789abcdef]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		config string
		edge   bool
	}{{"", true}, {other, false}} {
		rep, err := Path(t.Context(), snap, PathOptions{Config: tc.config, From: "internet", To: alb, Format: "json"})
		if err != nil {
			t.Fatalf("config %q: %v", tc.config, err)
		}
		d := rep.Verdict.Destination
		if d == nil || d.ID != alb || d.Edge != tc.edge {
			t.Errorf("config %q: destination %+v, want %s with edge %v", tc.config, d, alb, tc.edge)
		}
	}
}
