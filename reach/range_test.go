package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRangeSources checks that an address range a rule names that is none of the other
// sources (an on-premises or partner range) is a source of its own, and that ranges
// other sources stand for (the destination's network, Kong's) are not.
func TestRangeSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sg   []string // the CIDRs sg-1 admits on every tcp port
		want []view
	}{
		{
			name: "on-premises range on every port",
			sg:   []string{"172.16.0.0/12"},
			want: []view{{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassRange, Addrs: []string{"172.16.0.0/12"}, Proto: "tcp",
				Ports: []PortRange{{0, 65535}}, Hops: []string{"acl-1#ingress/100#allow#reply:egress/100", "sg-1#sgr-1#allow"}, Forward: true, Return: true}},
		},
		{
			name: "twin: the network's own range and Kong's are other classes",
			sg:   []string{"10.20.0.0/16", kongCIDR, "0.0.0.0/0"},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rule := allow("sgr-1", 0, "tcp", ports(0, 65535))
			for _, c := range tt.sg {
				rule.Sources = append(rule.Sources, cidr(c))
			}
			m := Build(awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"}, rule)), Options{})
			if diff := cmp.Diff(tt.want, views(m, only(m.Flows(), ClassRange))); diff != "" {
				t.Errorf("range flows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInternetRouteOnDestination checks that the destination carries its subnet's route
// to an internet gateway (evidence for internet flows), and that a subnet without one
// carries none.
func TestInternetRouteOnDestination(t *testing.T) {
	t.Parallel()
	snap := awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"}, allow("sgr-1", 0, "tcp", ports(443, 443), cidr(dp1+"/32"))))
	check := func(want bool) {
		t.Helper()
		m := Build(snap, Options{})
		if len(m.Destinations()) == 0 {
			t.Fatal("no destinations")
		}
		for k, d := range m.Destinations() {
			if d.InternetRoute != want || (d.InternetRouteHop != nil) != want {
				t.Errorf("%s: internet route %v (hop %+v), want %v", k, d.InternetRoute, d.InternetRouteHop, want)
			}
			if want && d.InternetRouteHop.Target != "igw-1" {
				t.Errorf("%s: internet route hop %+v, want the route to igw-1", k, d.InternetRouteHop)
			}
		}
	}
	check(true)
	routes := snap.RouteTables[0].Routes
	snap.RouteTables[0].Routes = routes[:2] // no 0.0.0.0/0
	check(false)
}
