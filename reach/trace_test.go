package reach

import (
	"strings"
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
	runTraceCases(t, []traceCase{
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
	})
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

// traceCase is one question about a tiny estate and what its verdict must say.
type traceCase struct {
	name     string
	snap     *snapshot.Snapshot
	q        Query
	admitted bool
	hops     []string // resource#key#action
	dropped  string   // resource#key#action#direction of DroppedAt
	destKind string   // the verdict destination's Kind
	destFWs  []string // and its firewalls
	reason   string   // a part of the reason
	assumed  string   // a part of one of the destination's assumed notes
	noAssume string   // a part no assumed note may hold
	cands    int      // Candidates, when not 0
	class    string   // the source class, when not empty
}

func runTraceCases(t *testing.T, tests []traceCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := Build(tc.snap, Options{}).Trace(tc.q)
			// A model built for Trace alone (no flows) gives the same answer.
			if diff := cmp.Diff(v, Build(tc.snap, Options{TraceOnly: true}).Trace(tc.q)); diff != "" {
				t.Errorf("Trace with TraceOnly differs (-full +trace-only):\n%s", diff)
			}
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
			if !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("reason %q does not say %q", v.Reason, tc.reason)
			}
			if tc.class != "" && v.Source.Class != tc.class {
				t.Errorf("source class %q, want %q", v.Source.Class, tc.class)
			}
			if tc.destKind == "" {
				return
			}
			if v.Destination == nil {
				t.Fatalf("no destination (reason %q)", v.Reason)
			}
			if v.Destination.Kind != tc.destKind {
				t.Errorf("destination kind %q, want %q", v.Destination.Kind, tc.destKind)
			}
			if tc.destFWs != nil {
				if diff := cmp.Diff(tc.destFWs, v.Destination.FirewallIDs); diff != "" {
					t.Errorf("destination firewalls (-want +got):\n%s", diff)
				}
			}
			notes := strings.Join(v.Destination.Assumed, "\n")
			if tc.assumed != "" && !strings.Contains(notes, tc.assumed) {
				t.Errorf("assumed notes %q do not say %q", v.Destination.Assumed, tc.assumed)
			}
			if tc.noAssume != "" && strings.Contains(notes, tc.noAssume) {
				t.Errorf("assumed notes %q say %q", v.Destination.Assumed, tc.noAssume)
			}
			if tc.cands != 0 && v.Candidates != tc.cands {
				t.Errorf("candidates = %d, want %d", v.Candidates, tc.cands)
			}
		})
	}
}

// withLB adds to s the internet-facing ALB lb-1 in vpc-1 behind security group sg-lb
// (tcp 443 and tcp 22 from anywhere), with the given listeners; the snapshot does not
// say which subnets it is in.
func withLB(s *snapshot.Snapshot, listeners ...snapshot.Listener) *snapshot.Snapshot {
	s.Firewalls = append(s.Firewalls, sg("sg-lb", "vpc-1", nil,
		allow("sgr-https", 0, "tcp", ports(443, 443), cidr("0.0.0.0/0")),
		allow("sgr-ssh", 0, "tcp", ports(22, 22), cidr("0.0.0.0/0"))))
	s.LoadBalancers = append(s.LoadBalancers, snapshot.LoadBalancer{Entity: ent("lb-1", "aws"), Kind: "aws-alb",
		Scheme: "internet-facing", NetworkID: "vpc-1", FirewallIDs: []string{"sg-lb"}, Listeners: listeners})
	return s
}

var https443 = snapshot.Listener{ID: "lst-1", Protocol: "HTTPS", Port: 443}

// TestTraceAddressPrefersInterfaces: the load balancer assumed in every subnet of its
// VPC does not stand for an address that interfaces of the subnet may hold.
func TestTraceAddressPrefersInterfaces(t *testing.T) {
	t.Parallel()
	upstream := func() *snapshot.Snapshot {
		return withLB(awsPeering(defaultNACL("acl-1", "subnet-1"),
			sg("sg-1", "vpc-1", []string{"eni-1"}, allow("sgr-dp", 0, "tcp", ports(443, 443), cidr(dp1+"/32"), cidr(dp2+"/32")))), https443)
	}
	lbOnly := withLB(awsPeering(defaultNACL("acl-1", "subnet-1")), https443)
	runTraceCases(t, []traceCase{
		{
			name: "an address of the subnet: the interfaces answer, not the assumed load balancer", snap: upstream(),
			q:        Query{From: "internet", To: "10.20.1.5", Port: 443},
			hops:     []string{"acl-1#ingress/100#allow", "sg-1#no-allow-rule#deny"},
			dropped:  "sg-1#no-allow-rule#deny#ingress",
			destKind: "interfaces", destFWs: []string{"acl-1", "sg-1"}, cands: 1,
			noAssume: "taken to be an address of load balancer",
		},
		{
			name: "twin: Kong to the same address is admitted by the interfaces' group", snap: upstream(),
			q: Query{From: "kong", To: "10.20.1.5", Port: 443}, admitted: true, reason: "admitted",
			hops:     []string{"pcx-1#pcx-1#active", "acl-1#ingress/100#allow", "sg-1#sgr-dp#allow", "rtb-1#10.40.0.0/16#forward"},
			destKind: "interfaces", destFWs: []string{"acl-1", "sg-1"}, cands: 1,
		},
		{
			name: "by interface id: that interface's groups answer", snap: upstream(),
			q:        Query{From: "internet", To: "eni-1", Port: 443},
			hops:     []string{"acl-1#ingress/100#allow", "sg-1#no-allow-rule#deny"},
			dropped:  "sg-1#no-allow-rule#deny#ingress",
			destKind: "interfaces", destFWs: []string{"acl-1", "sg-1"}, cands: 1,
		},
		{
			name: "by load balancer id: the load balancer answers", snap: upstream(),
			q: Query{From: "internet", To: "lb-1", Port: 443}, admitted: true, reason: "admitted",
			hops:     []string{"acl-1#ingress/100#allow", "sg-lb#sgr-https#allow"},
			destKind: "load-balancer", destFWs: []string{"acl-1", "sg-lb"}, cands: 1,
			noAssume: "taken to be an address of load balancer",
		},
		{
			name: "only the assumed load balancer holds the address: admitted, and the verdict says it is assumed", snap: lbOnly,
			q: Query{From: "internet", To: "10.20.1.5", Port: 443}, admitted: true,
			hops:     []string{"acl-1#ingress/100#allow", "sg-lb#sgr-https#allow"},
			destKind: "load-balancer", cands: 1,
			reason:  "assuming 10.20.1.5 is an address of lb-1 in subnet-1",
			assumed: "10.20.1.5 is taken to be an address of load balancer lb-1",
		},
	})
}

// TestTraceUnconnectedNetworks: an address of a customer network that no peering
// connects to the destination's network is not routed there.
func TestTraceUnconnectedNetworks(t *testing.T) {
	t.Parallel()
	// vpc-2 (10.30.0.0/16) is a second customer VPC; sg-1 admits tcp 443 from it and
	// from vpc-1.
	estate := func(peering string, state string, hub bool) *snapshot.Snapshot {
		s := awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"},
			allow("sgr-vpc2", 0, "tcp", ports(443, 443), cidr("10.30.0.0/16")), allow("sgr-vpc1", 0, "tcp", ports(443, 443), cidr("10.20.0.0/16"))))
		s.Networks = append(s.Networks, snapshot.Network{Entity: ent("vpc-2", "aws"), Kind: "aws-vpc", CIDRs: []string{"10.30.0.0/16"}})
		s.Subnets = append(s.Subnets, snapshot.Subnet{Entity: ent("subnet-2", "aws"), NetworkID: "vpc-2", CIDRs: []string{"10.30.1.0/24"}})
		if peering != "" {
			s.Peerings = append(s.Peerings, snapshot.Peering{Entity: ent(peering, "aws"), Kind: snapshot.PeeringAWS, State: state,
				Local:  snapshot.PeeringSide{NetworkID: "vpc-2", CIDRs: []string{"10.30.0.0/16"}},
				Remote: snapshot.PeeringSide{NetworkID: "vpc-1", CIDRs: []string{"10.20.0.0/16"}}})
		}
		if hub {
			s.HubAttachments = append(s.HubAttachments,
				snapshot.HubAttachment{Entity: ent("tgw-attach-1", "aws"), HubID: "tgw-1", Kind: "vpc", NetworkID: "vpc-1", State: "available"},
				snapshot.HubAttachment{Entity: ent("tgw-attach-2", "aws"), HubID: "tgw-1", Kind: "vpc", NetworkID: "vpc-2", State: "available"})
		}
		return s
	}
	q := Query{From: "10.30.1.7", To: "10.20.1.5", Port: 443}
	runTraceCases(t, []traceCase{
		{
			name: "no peering between the networks: not routed, no peering invented", snap: estate("", "", false), q: q,
			hops:     []string{"vpc-2#10.20.1.0/24#missing"},
			dropped:  "vpc-2#10.20.1.0/24#missing#",
			destKind: "interfaces",
			reason:   "not routed: no route between vpc-2 and vpc-1 in the snapshot",
		},
		{
			name: "twin: an active peering connects them: admitted over it (its routes not checked)", snap: estate("pcx-2", "active", false), q: q,
			admitted: true, reason: "admitted",
			hops:     []string{"vpc-2#vpc-2 <-> vpc-1#active", "acl-1#ingress/100#allow", "sg-1#sgr-vpc2#allow"},
			destKind: "interfaces",
		},
		{
			name: "a peering that is not active: not routed, the peering named", snap: estate("pcx-2", "pending-acceptance", false), q: q,
			hops:     []string{"pcx-2#pcx-2#inactive"},
			dropped:  "pcx-2#pcx-2#inactive#",
			destKind: "interfaces",
			reason:   "not routed: peering pcx-2 between vpc-2 and vpc-1 is not active (pending-acceptance)",
		},
		{
			name: "spokes of one hub: not routed, the hub named as unchecked", snap: estate("", "", true), q: q,
			hops:     []string{"vpc-2#10.20.1.0/24#missing"},
			dropped:  "vpc-2#10.20.1.0/24#missing#",
			destKind: "interfaces",
			reason:   "routes between the spokes of hub tgw-1 are not checked",
		},
		{
			name: "an address of the destination's own network: local, admitted", snap: estate("", "", false),
			q: Query{From: "10.20.1.9", To: "10.20.1.5", Port: 443}, admitted: true, reason: "admitted",
			hops:     []string{"acl-1#ingress/100#allow", "sg-1#sgr-vpc1#allow"},
			destKind: "interfaces",
		},
	})
}

// TestTraceListeners: a load balancer takes traffic only on its listeners' ports,
// whatever its security group opens.
func TestTraceListeners(t *testing.T) {
	t.Parallel()
	edge := func(ls ...snapshot.Listener) *snapshot.Snapshot {
		return withLB(awsPeering(defaultNACL("acl-1", "subnet-1")), ls...)
	}
	runTraceCases(t, []traceCase{
		{
			name: "the group admits tcp 22 but no listener uses it: dropped at the load balancer", snap: edge(https443),
			q:        Query{From: "internet", To: "lb-1", Port: 22},
			hops:     []string{"acl-1#ingress/100#allow", "sg-lb#sgr-ssh#allow", "lb-1#22/tcp#missing"},
			dropped:  "lb-1#22/tcp#missing#",
			destKind: "load-balancer", reason: "no listener on 22/tcp",
		},
		{
			name: "twin: a TCP listener on 22: admitted", snap: edge(https443, snapshot.Listener{ID: "lst-2", Protocol: "TCP", Port: 22}),
			q: Query{From: "internet", To: "lb-1", Port: 22}, admitted: true, reason: "admitted",
			hops:     []string{"acl-1#ingress/100#allow", "sg-lb#sgr-ssh#allow"},
			destKind: "load-balancer",
		},
		{
			name: "the listener's port on another protocol: no listener on 443/udp", snap: edge(https443),
			q:        Query{From: "internet", To: "lb-1", Protocol: "udp", Port: 443},
			hops:     []string{"acl-1#ingress/100#allow", "sg-lb#no-allow-rule#deny"},
			dropped:  "sg-lb#no-allow-rule#deny#ingress",
			destKind: "load-balancer", reason: "the load balancer has no listener on 443/udp either",
		},
		{
			name: "a TCP_UDP listener takes udp", snap: edge(snapshot.Listener{ID: "lst-3", Protocol: "TCP_UDP", Port: 22}),
			q: Query{From: "internet", To: "lb-1", Protocol: "udp", Port: 22},
			// sg-lb admits only tcp: the group drops it, the listener would take it.
			hops:     []string{"acl-1#ingress/100#allow", "sg-lb#no-allow-rule#deny"},
			dropped:  "sg-lb#no-allow-rule#deny#ingress",
			destKind: "load-balancer", reason: "dropped by sg-lb no-allow-rule (ingress)",
		},
		{
			name: "by address, the load balancer alone in the subnet: the listener still decides", snap: edge(https443),
			q:        Query{From: "internet", To: "10.20.1.5", Port: 22},
			hops:     []string{"acl-1#ingress/100#allow", "sg-lb#sgr-ssh#allow", "lb-1#22/tcp#missing"},
			dropped:  "lb-1#22/tcp#missing#",
			destKind: "load-balancer", reason: "no listener on 22/tcp",
			assumed: "10.20.1.5 is taken to be an address of load balancer lb-1",
		},
	})
}

// TestTraceListenersKeepFlows: the listeners do not narrow the flows, which show what
// the load balancer's group admits beyond them (DCGW-FW-006 relies on it).
func TestTraceListenersKeepFlows(t *testing.T) {
	t.Parallel()
	m := Build(withLB(awsPeering(defaultNACL("acl-1", "subnet-1")), https443), Options{})
	var got []string
	for _, f := range only(m.Flows(), ClassInternet) {
		if d := m.Destinations()[f.Destination]; d.Kind == "load-balancer" {
			got = append(got, f.Protocol+" "+portsText(f.Ports))
		}
	}
	if diff := cmp.Diff([]string{"tcp 22", "tcp 443"}, got); diff != "" {
		t.Errorf("internet flows to the load balancer (-want +got):\n%s", diff)
	}
}
