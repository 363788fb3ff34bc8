package dns

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mdns "github.com/miekg/dns"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func wantScope(status string, errs ...snapshot.ScopeError) snapshot.Scope {
	return snapshot.Scope{
		Provider:    "dns",
		Region:      "global",
		Service:     "resolve",
		Status:      status,
		Collections: []string{"dns_resolutions"},
		Errors:      errs,
	}
}

func TestCollectOneHostname(t *testing.T) {
	t.Parallel()
	srv := startTestServer(t)
	edge := []string{"203.0.113.10", "203.0.113.11", "2001:db8:e::10"}
	var big []string
	for i := range bigAddrs {
		big = append(big, bigAddr(i))
	}

	tests := []struct {
		name     string
		hostname string
		timeout  time.Duration
		want     snapshot.DNSResolution
		// wantClass is the scope error class; "" when the resolution succeeds.
		wantClass string
	}{
		{
			name:     "chain ends at the edge",
			hostname: "api.example.test",
			want: snapshot.DNSResolution{
				Chain:     []string{"d111abcdef8.cdn-edge.test"},
				Addresses: edge,
				Rcode:     "NOERROR",
			},
		},
		{
			name:     "in-zone hop then out of zone",
			hostname: "www.example.test",
			want: snapshot.DNSResolution{
				Chain:     []string{"api.example.test", "d111abcdef8.cdn-edge.test"},
				Addresses: edge,
				Rcode:     "NOERROR",
			},
		},
		{
			name:     "chain ends at the Kong gateway",
			hostname: "gw.example.test",
			want: snapshot.DNSResolution{
				Chain:     []string{"abc123.gateways.konggateway.com"},
				Addresses: []string{"10.40.1.10"},
				Rcode:     "NOERROR",
			},
		},
		{
			name:     "dangling CNAME inside the zone",
			hostname: "dangling.example.test",
			want:     snapshot.DNSResolution{Chain: []string{"gone.example.test"}, Rcode: "NXDOMAIN"},
		},
		{
			name:     "dangling CNAME into another zone",
			hostname: "dangling-ext.example.test",
			want:     snapshot.DNSResolution{Chain: []string{"missing.cdn-edge.test"}, Rcode: "NXDOMAIN"},
		},
		{
			name:     "NXDOMAIN",
			hostname: "nx.example.test",
			want:     snapshot.DNSResolution{Rcode: "NXDOMAIN"},
		},
		{
			name:     "NODATA",
			hostname: "example.test",
			want:     snapshot.DNSResolution{Rcode: "NOERROR"},
		},
		{
			name:     "AAAA only",
			hostname: "v6only.example.test",
			want:     snapshot.DNSResolution{Addresses: []string{"2001:db8::10"}, Rcode: "NOERROR"},
		},
		{
			name:     "addresses sorted numerically, IPv4 first",
			hostname: "dual.example.test",
			want: snapshot.DNSResolution{
				Addresses: []string{"192.0.2.9", "192.0.2.100", "2001:db8::20"},
				Rcode:     "NOERROR",
			},
		},
		{
			name:     "case and trailing dot normalized",
			hostname: "MIXED.Example.Test.",
			want:     snapshot.DNSResolution{ID: "mixed.example.test", Addresses: []string{"192.0.2.77"}, Rcode: "NOERROR"},
		},
		{
			name:     "truncated UDP answer asked again over TCP",
			hostname: "big.example.test",
			want:     snapshot.DNSResolution{Addresses: big, Rcode: "NOERROR"},
		},
		{
			name:     "CNAME loop",
			hostname: "loop1.example.test",
			want: snapshot.DNSResolution{
				Chain: []string{"loop2.example.test", "loop1.example.test"},
				Rcode: "NOERROR",
				Error: "CNAME loop: loop1.example.test is already in the chain",
			},
			wantClass: "other",
		},
		{
			name:     "SERVFAIL",
			hostname: "servfail.example.test",
			want: snapshot.DNSResolution{
				Rcode: "SERVFAIL",
				Error: "query servfail.example.test A: server answered SERVFAIL",
			},
			wantClass: "other",
		},
		{
			name:     "SERVFAIL in the middle of the chain",
			hostname: "lame.example.test",
			want: snapshot.DNSResolution{
				Chain: []string{"host.lame.test"},
				Rcode: "SERVFAIL",
				Error: "query host.lame.test A: server answered SERVFAIL",
			},
			wantClass: "other",
		},
		{
			name:     "REFUSED",
			hostname: "other.invalid",
			want: snapshot.DNSResolution{
				Rcode: "REFUSED",
				Error: "query other.invalid A: server answered REFUSED",
			},
			wantClass: "other",
		},
		{
			name:      "no answer",
			hostname:  "slow.example.test",
			timeout:   150 * time.Millisecond,
			want:      snapshot.DNSResolution{Error: "query slow.example.test A: timed out (2 attempts, 150ms each)"},
			wantClass: "timeout",
		},
		{
			name:      "invalid hostname",
			hostname:  "a..example.test",
			want:      snapshot.DNSResolution{Error: `"a..example.test" is not a valid hostname`},
			wantClass: "other",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := &Collector{Resolver: Resolver{Server: srv.addr, Timeout: tc.timeout}}
			got, scope := c.Collect(t.Context(), []string{tc.hostname})

			want := tc.want
			if want.ID == "" {
				want.ID = tc.hostname
			}
			want.Hostname = want.ID
			want.Resolver = srv.addr
			if diff := cmp.Diff([]snapshot.DNSResolution{want}, got); diff != "" {
				t.Errorf("resolutions (-want +got):\n%s", diff)
			}
			ws := wantScope(snapshot.ScopeOK)
			if tc.wantClass != "" {
				ws = wantScope(snapshot.ScopeFailed, snapshot.ScopeError{
					Class: tc.wantClass, Operation: "resolve", Message: want.ID + ": " + want.Error,
				})
			}
			if diff := cmp.Diff(ws, scope); diff != "" {
				t.Errorf("scope (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTruncatedAnswerUsesTCP(t *testing.T) {
	t.Parallel()
	srv := startTestServer(t)
	c := &Collector{Resolver: Resolver{Server: srv.addr}}
	got, scope := c.Collect(t.Context(), []string{"big.example.test", "api.example.test"})
	if scope.Status != snapshot.ScopeOK {
		t.Fatalf("scope = %s", scope.Problem())
	}
	if len(got) != 2 || len(got[1].Addresses) != bigAddrs {
		t.Fatalf("got %d resolutions, big has %d addresses; want 2 and %d", len(got), len(got[1].Addresses), bigAddrs)
	}
	counts := map[string]int{
		"udp big A":    srv.count("udp", "big.example.test.", mdns.TypeA),
		"tcp big A":    srv.count("tcp", "big.example.test.", mdns.TypeA),
		"udp big AAAA": srv.count("udp", "big.example.test.", mdns.TypeAAAA),
		"tcp big AAAA": srv.count("tcp", "big.example.test.", mdns.TypeAAAA),
		"tcp total":    int(srv.tcp.Load()),
	}
	want := map[string]int{"udp big A": 1, "tcp big A": 1, "udp big AAAA": 1, "tcp big AAAA": 0, "tcp total": 1}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
}

func TestCollectManyHostnames(t *testing.T) {
	t.Parallel()
	srv := startTestServer(t)
	c := &Collector{Resolver: Resolver{Server: srv.addr, Timeout: 200 * time.Millisecond, Attempts: 1}}
	in := []string{
		"gw.example.test", "API.example.test.", "", "  ", "api.example.test", "slow.example.test",
		"servfail.example.test", "nx.example.test", "gw.example.test.",
	}
	got, scope := c.Collect(t.Context(), in)

	want := []snapshot.DNSResolution{
		{ID: "api.example.test", Hostname: "api.example.test", Resolver: srv.addr,
			Chain: []string{"d111abcdef8.cdn-edge.test"}, Addresses: []string{"203.0.113.10", "203.0.113.11", "2001:db8:e::10"}, Rcode: "NOERROR"},
		{ID: "gw.example.test", Hostname: "gw.example.test", Resolver: srv.addr,
			Chain: []string{"abc123.gateways.konggateway.com"}, Addresses: []string{"10.40.1.10"}, Rcode: "NOERROR"},
		{ID: "nx.example.test", Hostname: "nx.example.test", Resolver: srv.addr, Rcode: "NXDOMAIN"},
		{ID: "servfail.example.test", Hostname: "servfail.example.test", Resolver: srv.addr, Rcode: "SERVFAIL",
			Error: "query servfail.example.test A: server answered SERVFAIL"},
		{ID: "slow.example.test", Hostname: "slow.example.test", Resolver: srv.addr,
			Error: "query slow.example.test A: timed out (1 attempts, 200ms each)"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resolutions (-want +got):\n%s", diff)
	}
	ws := wantScope(snapshot.ScopePartial,
		snapshot.ScopeError{Class: "other", Operation: "resolve",
			Message: "servfail.example.test: query servfail.example.test A: server answered SERVFAIL"},
		snapshot.ScopeError{Class: "timeout", Operation: "resolve",
			Message: "slow.example.test: query slow.example.test A: timed out (1 attempts, 200ms each)"},
	)
	if diff := cmp.Diff(ws, scope); diff != "" {
		t.Errorf("scope (-want +got):\n%s", diff)
	}
}

func TestCollectMaxHops(t *testing.T) {
	t.Parallel()
	srv := startTestServer(t)
	tests := []struct {
		maxHops int
		want    snapshot.DNSResolution
	}{
		{maxHops: 2, want: snapshot.DNSResolution{
			Chain:     []string{"api.example.test", "d111abcdef8.cdn-edge.test"},
			Addresses: []string{"203.0.113.10", "203.0.113.11", "2001:db8:e::10"},
			Rcode:     "NOERROR",
		}},
		{maxHops: 1, want: snapshot.DNSResolution{
			Chain: []string{"api.example.test", "d111abcdef8.cdn-edge.test"},
			Rcode: "NOERROR",
			Error: "CNAME chain longer than 1 hops",
		}},
	}
	for _, tc := range tests {
		c := &Collector{Resolver: Resolver{Server: srv.addr, MaxHops: tc.maxHops}}
		got, scope := c.Collect(t.Context(), []string{"www.example.test"})
		want := tc.want
		want.ID, want.Hostname, want.Resolver = "www.example.test", "www.example.test", srv.addr
		if diff := cmp.Diff([]snapshot.DNSResolution{want}, got); diff != "" {
			t.Errorf("MaxHops %d: resolutions (-want +got):\n%s", tc.maxHops, diff)
		}
		wantStatus := snapshot.ScopeOK
		if want.Error != "" {
			wantStatus = snapshot.ScopeFailed
		}
		if scope.Status != wantStatus {
			t.Errorf("MaxHops %d: scope %s, want %s", tc.maxHops, scope.Problem(), wantStatus)
		}
	}
}

func TestCollectCancel(t *testing.T) {
	t.Parallel()
	srv := startTestServer(t)
	// A long timeout: only the cancellation can end the queries early.
	c := &Collector{Resolver: Resolver{Server: srv.addr, Timeout: 30 * time.Second, Attempts: 3}}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)

	start := time.Now()
	got, scope := c.Collect(ctx, []string{"slow.example.test", "api.example.test"})
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Collect took %s after cancel; want it to stop promptly", took)
	}
	if len(got) != 2 {
		t.Fatalf("got %d resolutions, want 2", len(got))
	}
	if diff := cmp.Diff("query slow.example.test A: context canceled", got[1].Error); diff != "" {
		t.Errorf("slow error (-want +got):\n%s", diff)
	}
	if got[0].Error != "" || len(got[0].Addresses) != 3 {
		t.Errorf("api resolution = %+v; want it resolved before the cancel", got[0])
	}
	ws := wantScope(snapshot.ScopePartial, snapshot.ScopeError{
		Class: "other", Operation: "resolve", Message: "slow.example.test: query slow.example.test A: context canceled",
	})
	if diff := cmp.Diff(ws, scope); diff != "" {
		t.Errorf("scope (-want +got):\n%s", diff)
	}
}

func TestCollectCancelledBeforeStart(t *testing.T) {
	t.Parallel()
	srv := startTestServer(t)
	c := &Collector{Resolver: Resolver{Server: srv.addr}}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	got, scope := c.Collect(ctx, []string{"api.example.test", "gw.example.test"})
	for _, r := range got {
		if !strings.HasSuffix(r.Error, "context canceled") {
			t.Errorf("%s: error %q, want context canceled", r.ID, r.Error)
		}
	}
	if scope.Status != snapshot.ScopeFailed || len(scope.Errors) != 2 {
		t.Errorf("scope = %s; want failed with 2 errors", scope.Problem())
	}
	if n := srv.count("udp", "api.example.test.", mdns.TypeA); n != 0 {
		t.Errorf("%d queries sent after the cancel; want 0", n)
	}
}

func TestCollectUnreachableResolver(t *testing.T) {
	t.Parallel()
	// A UDP port with nothing behind it: take one and give it back.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()

	c := &Collector{Resolver: Resolver{Server: addr, Timeout: 200 * time.Millisecond}}
	got, scope := c.Collect(t.Context(), []string{"api.example.test", "gw.example.test"})
	if scope.Status != snapshot.ScopeFailed || len(scope.Errors) != 2 {
		t.Fatalf("scope = %s; want failed with 2 errors", scope.Problem())
	}
	for i, r := range got {
		if r.Error == "" || r.Rcode != "" || r.Resolver != addr {
			t.Errorf("resolution %+v; want an error, no rcode, resolver %s", r, addr)
		}
		if !strings.HasPrefix(scope.Errors[i].Message, r.ID+": ") {
			t.Errorf("scope error %q does not name %s", scope.Errors[i].Message, r.ID)
		}
	}
}

func TestCollectSystemResolver(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		path    string
		want    string
		wantErr string
	}{
		{name: "first of two", path: write("two", "search example.test\nnameserver 10.0.0.53\nnameserver 10.0.0.54\n"),
			want: "10.0.0.53:53"},
		{name: "IPv6", path: write("v6", "nameserver 2001:db8::53\n"), want: "[2001:db8::53]:53"},
		{name: "no nameserver", path: write("empty", "search example.test\n"),
			wantErr: "read system resolver from " + filepath.Join(dir, "empty") + ": no nameserver"},
		{name: "missing file", path: filepath.Join(dir, "missing"),
			wantErr: "read system resolver: open " + filepath.Join(dir, "missing") + ": no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Resolver{}.server(tc.path)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tc.want || gotErr != tc.wantErr {
				t.Errorf("server = %q, %q; want %q, %q", got, gotErr, tc.want, tc.wantErr)
			}
			if tc.wantErr == "" {
				return
			}
			// Collect fails the whole scope when there is no resolver to ask.
			c := &Collector{resolvConf: tc.path}
			res, scope := c.Collect(t.Context(), []string{"api.example.test"})
			want := []snapshot.DNSResolution{{ID: "api.example.test", Hostname: "api.example.test", Error: tc.wantErr}}
			if diff := cmp.Diff(want, res); diff != "" {
				t.Errorf("resolutions (-want +got):\n%s", diff)
			}
			ws := wantScope(snapshot.ScopeFailed, snapshot.ScopeError{Class: "other", Operation: "resolve", Message: tc.wantErr})
			if diff := cmp.Diff(ws, scope); diff != "" {
				t.Errorf("scope (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCollectNothing(t *testing.T) {
	t.Parallel()
	// No hostnames: nothing is asked, not even the system configuration.
	c := &Collector{resolvConf: filepath.Join(t.TempDir(), "missing")}
	got, scope := c.Collect(t.Context(), []string{"", " ."})
	if got != nil {
		t.Errorf("resolutions = %v, want none", got)
	}
	if diff := cmp.Diff(wantScope(snapshot.ScopeOK), scope); diff != "" {
		t.Errorf("scope (-want +got):\n%s", diff)
	}
}
