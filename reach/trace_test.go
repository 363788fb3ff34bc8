package reach

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func TestTrace(t *testing.T) {
	t.Parallel()
	dpOnly443 := allow("sgr-dp", 0, "tcp", ports(443, 443), cidr(dp1+"/32"), cidr(dp2+"/32"))
	partner := allow("sgr-partner", 0, "tcp", ports(22, 22), cidr("203.0.113.0/24"))
	upstream := awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"}, dpOnly443, partner))
	dpNACL := func(egress ...snapshot.FirewallRule) snapshot.Firewall {
		return nacl("acl-1", "subnet-1", append([]snapshot.FirewallRule{
			allow("", 100, "tcp", ports(443, 443), cidr(kongCIDR)),
			deny("", 32767, "all", ports(0, 65535), cidr("0.0.0.0/0")),
			out("deny", 32767, "all", ports(0, 65535), cidr("0.0.0.0/0")),
		}, egress...)...)
	}
	only443Out := awsPeering(dpNACL(out("allow", 100, "tcp", ports(443, 443), cidr("0.0.0.0/0"))), sg("sg-1", "vpc-1", []string{"eni-1"}, dpOnly443))
	denyEph := awsPeering(dpNACL(out("deny", 90, "tcp", ports(1024, 65535), cidr(kongCIDR)), out("allow", 100, "all", ports(0, 65535), cidr("0.0.0.0/0"))),
		sg("sg-1", "vpc-1", []string{"eni-1"}, dpOnly443))
	tests := []struct {
		name     string
		snap     *snapshot.Snapshot
		q        Query
		admitted bool
		hops     []string // resource#key#action
		dropped  string   // resource#key#action#direction of DroppedAt
		class    string
	}{
		{
			name: "Kong to an upstream on its port: admitted, path shown", snap: upstream,
			q: Query{From: "kong", To: "10.20.1.5", Protocol: "tcp", Port: 443}, admitted: true, class: ClassKongDP,
			hops: []string{"pcx-1#pcx-1#active", "acl-1#ingress/100#allow", "sg-1#sgr-dp#allow", "rtb-1#10.40.0.0/16#forward"},
		},
		{
			name: "Kong to the same upstream on another port: dropped at the security group", snap: upstream,
			q: Query{From: "kong", To: "eni-1", Protocol: "tcp", Port: 8080}, class: ClassKongDP,
			hops:    []string{"pcx-1#pcx-1#active", "acl-1#ingress/100#allow", "sg-1#no-allow-rule#deny"},
			dropped: "sg-1#no-allow-rule#deny#ingress",
		},
		{
			name: "internet to an upstream: dropped at the security group (no rule admits it)", snap: upstream,
			q: Query{From: "internet", To: "10.20.1.5", Protocol: "tcp", Port: 443}, class: ClassInternet,
			hops:    []string{"acl-1#ingress/100#allow", "sg-1#no-allow-rule#deny"},
			dropped: "sg-1#no-allow-rule#deny#ingress",
		},
		{
			name: "a public IP inside a partner range: admitted by that rule", snap: upstream,
			q: Query{From: "203.0.113.9", To: "10.20.1.5", Port: 22}, admitted: true, class: ClassInternet,
			hops: []string{"acl-1#ingress/100#allow", "sg-1#sgr-partner#allow"},
		},
		{
			name: "a DP IP as From is classified kong-dp", snap: upstream,
			q: Query{From: dp2, To: "subnet-1", Protocol: "tcp", Port: 443}, admitted: true, class: ClassKongDP,
			hops: []string{"pcx-1#pcx-1#active", "acl-1#ingress/100#allow", "sg-1#sgr-dp#allow", "rtb-1#10.40.0.0/16#forward"},
		},
		{
			name: "a reply blocked by the NACL's egress side: the * entry named", snap: only443Out,
			q: Query{From: "kong", To: "10.20.1.5", Protocol: "tcp", Port: 443}, class: ClassKongDP,
			hops:    []string{"pcx-1#pcx-1#active", "acl-1#egress/*#deny"},
			dropped: "acl-1#egress/*#deny#egress",
		},
		{
			name: "a reply blocked by an explicit egress deny: its rule number named", snap: denyEph,
			q: Query{From: "kong", To: "10.20.1.5", Protocol: "tcp", Port: 443}, class: ClassKongDP,
			hops:    []string{"pcx-1#pcx-1#active", "acl-1#egress/90#deny"},
			dropped: "acl-1#egress/90#deny#egress",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := Build(tc.snap, Options{}).Trace(tc.q)
			if v.Admitted != tc.admitted {
				t.Errorf("admitted = %v, want %v (reason %q)", v.Admitted, tc.admitted, v.Reason)
			}
			var hops []string
			for _, h := range v.Hops {
				hops = append(hops, h.ResourceID+"#"+h.Key+"#"+h.Action)
			}
			if diff := cmp.Diff(tc.hops, hops); diff != "" {
				t.Errorf("hops (-want +got):\n%s", diff)
			}
			dropped := ""
			if v.DroppedAt != nil {
				dropped = v.DroppedAt.ResourceID + "#" + v.DroppedAt.Key + "#" + v.DroppedAt.Action + "#" + v.DroppedAt.Direction
			}
			if dropped != tc.dropped {
				t.Errorf("dropped at %q, want %q", dropped, tc.dropped)
			}
			if v.Source.Class != tc.class {
				t.Errorf("source class %q, want %q", v.Source.Class, tc.class)
			}
		})
	}
}

// TestTraceConcurrent asks one model several questions at once (run with -race): Trace
// only reads the model.
func TestTraceConcurrent(t *testing.T) {
	t.Parallel()
	m := Build(awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"},
		allow("sgr-dp", 0, "tcp", ports(443, 443), cidr(dp1+"/32"), cidr(dp2+"/32")))), Options{})
	qs := []Query{
		{From: "kong", To: "10.20.1.5", Port: 443},
		{From: "internet", To: "10.20.1.5", Port: 443},
		{From: dp2, To: "eni-1", Port: 8080},
		{From: "10.20.3.4", To: "subnet-1", Protocol: "udp", Port: 53},
	}
	want := make([]Verdict, len(qs))
	for i, q := range qs {
		want[i] = m.Trace(q)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i, q := range qs {
				if diff := cmp.Diff(want[i], m.Trace(q)); diff != "" {
					t.Errorf("Trace(%+v) differs when concurrent (-first +now):\n%s", q, diff)
				}
			}
		})
	}
	wg.Wait()
}
