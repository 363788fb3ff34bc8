package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// awsTGW is vpc-1 attached to tgw-1 as tgw-attach-1 (associated with tgw-rtb-spoke),
// Kong attached as tgw-attach-kong (associated with tgw-rtb-kong); subnet-1 routes Kong's
// CIDR to the TGW. kongRoutes and spokeRoutes are the two hub tables' routes.
func awsTGW(kongRoutes, spokeRoutes []snapshot.HubRoute, fws ...snapshot.Firewall) *snapshot.Snapshot {
	return &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		Konnect: konnect("aws", snapshot.KonnectAttachment{ID: "att-tgw", Kind: snapshot.AttachAWSTransitGateway, State: "ready",
			HubID: "tgw-1", HubAttachmentID: "tgw-attach-kong"}),
		Networks: []snapshot.Network{{Entity: ent("vpc-1", "aws"), Kind: "aws-vpc", CIDRs: []string{"10.20.0.0/16"}}},
		Subnets:  []snapshot.Subnet{{Entity: ent("subnet-1", "aws"), NetworkID: "vpc-1", CIDRs: []string{"10.20.1.0/24"}, RouteTableID: "rtb-1"}},
		RouteTables: []snapshot.RouteTable{{Entity: ent("rtb-1", "aws"), NetworkID: "vpc-1", Routes: []snapshot.Route{
			{Destination: "10.20.0.0/16", TargetKind: snapshot.TargetLocal, TargetID: "local", State: "active", Origin: "system"},
			{Destination: kongCIDR, TargetKind: snapshot.TargetHub, TargetID: "tgw-1", State: "active", Origin: "static"},
		}}},
		Hubs: []snapshot.Hub{{Entity: ent("tgw-1", "aws"), Kind: "aws-transit-gateway", State: "available"}},
		HubAttachments: []snapshot.HubAttachment{
			{Entity: ent("tgw-attach-kong", "aws"), HubID: "tgw-1", Kind: "vpc", NetworkID: "vpc-kong", OwnerAccount: "999999999999", State: "available", AssociatedRouteTableID: "tgw-rtb-kong"},
			{Entity: ent("tgw-attach-1", "aws"), HubID: "tgw-1", Kind: "vpc", NetworkID: "vpc-1", State: "available", AssociatedRouteTableID: "tgw-rtb-spoke"},
		},
		HubRouteTables: []snapshot.HubRouteTable{
			{Entity: ent("tgw-rtb-kong", "aws"), HubID: "tgw-1", Associations: []string{"tgw-attach-kong"}, Routes: kongRoutes},
			{Entity: ent("tgw-rtb-spoke", "aws"), HubID: "tgw-1", Associations: []string{"tgw-attach-1"}, Routes: spokeRoutes},
		},
		PrefixLists: []snapshot.PrefixList{{Entity: ent("pl-open", "aws"), CIDRs: []string{"0.0.0.0/0"}}},
		Firewalls:   fws,
	}
}

func TestHubSpokeSide(t *testing.T) {
	t.Parallel()
	toKong := []snapshot.HubRoute{{Destination: kongCIDR, AttachmentIDs: []string{"tgw-attach-kong"}, Type: "static", State: "active"}}
	other := []snapshot.HubRoute{{Destination: "10.99.0.0/16", AttachmentIDs: []string{"tgw-attach-x"}, Type: "static", State: "active"}}
	fw := []snapshot.Firewall{
		defaultNACL("acl-1", "subnet-1"),
		sg("sg-1", "vpc-1", []string{"eni-1"}, allow("sgr-pl", 0, "tcp", ports(443, 443), snapshot.Address{Kind: snapshot.AddrPrefixList, Value: "pl-open"})),
	}
	t.Run("spoke routes Kong's CIDR to Kong's attachment: gateway-facing", func(t *testing.T) {
		t.Parallel()
		m := Build(awsTGW(other, toKong, fw...), Options{})
		fs := m.Flows()
		want := []view{{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassInternet, Addrs: []string{"0.0.0.0/0", "::/0"}, Proto: "tcp",
			Ports: []PortRange{{443, 443}}, Hops: []string{"acl-1#ingress/100#allow#reply:egress/100", "sg-1#sgr-pl#allow"}, Forward: true, Return: true}}
		if diff := cmp.Diff(want, views(m, only(fs, ClassInternet))); diff != "" {
			t.Errorf("internet flows (-want +got):\n%s", diff)
		}
		dp := only(fs, ClassKongDP)
		if len(dp) != 1 {
			t.Fatalf("kong-dp flows = %d, want 1", len(dp))
		}
		if dp[0].ForwardRouted || !dp[0].ReturnRouted {
			t.Errorf("kong-dp forward_routed=%v return_routed=%v, want false/true", dp[0].ForwardRouted, dp[0].ReturnRouted)
		}
		wantRet := []string{"rtb-1#10.40.0.0/16#forward", "tgw-rtb-spoke#10.40.0.0/16#forward"}
		var gotRet []string
		for _, h := range dp[0].ReturnHops {
			gotRet = append(gotRet, h.ResourceID+"#"+h.Key+"#"+h.Action)
		}
		if diff := cmp.Diff(wantRet, gotRet); diff != "" {
			t.Errorf("return hops (-want +got):\n%s", diff)
		}
	})
	t.Run("twin: neither table reaches the other side: not gateway-facing", func(t *testing.T) {
		t.Parallel()
		if m := Build(awsTGW(other, other, fw...), Options{}); len(m.Flows()) != 0 {
			t.Errorf("flows = %v, want none", views(m, m.Flows()))
		}
	})
	t.Run("LPM: a more specific static blackhole in Kong's table beats the propagated route", func(t *testing.T) {
		t.Parallel()
		kong := []snapshot.HubRoute{
			{Destination: "10.20.0.0/16", AttachmentIDs: []string{"tgw-attach-1"}, Type: "propagated", State: "active"},
			{Destination: "10.20.1.0/24", Type: "static", State: "blackhole"},
		}
		m := Build(awsTGW(kong, toKong, fw...), Options{})
		fs := only(m.Flows(), ClassKongDP)
		if len(fs) != 1 || fs[0].ForwardRouted || fs[0].Hops[0].Key != "10.20.1.0/24" || fs[0].Hops[0].Action != "blackhole" {
			t.Errorf("kong-dp flows = %+v, want one not forward-routed, first hop the 10.20.1.0/24 blackhole", views(m, fs))
		}
	})
	t.Run("twin: the propagated route alone forwards to the spoke", func(t *testing.T) {
		t.Parallel()
		kong := []snapshot.HubRoute{{Destination: "10.20.0.0/16", AttachmentIDs: []string{"tgw-attach-1"}, Type: "propagated", State: "active"}}
		m := Build(awsTGW(kong, toKong, fw...), Options{})
		fs := only(m.Flows(), ClassKongDP)
		if len(fs) != 1 || !fs[0].ForwardRouted {
			t.Fatalf("kong-dp flows = %+v, want one forward-routed", views(m, fs))
		}
		want := Hop{Kind: "hub-route", ResourceID: "tgw-rtb-kong", Key: "10.20.0.0/16", Action: "forward", Target: "tgw-attach-1"}
		if diff := cmp.Diff(want, fs[0].Hops[0]); diff != "" {
			t.Errorf("first hop (-want +got):\n%s", diff)
		}
	})
}

func TestLookup(t *testing.T) {
	t.Parallel()
	ix := newIndex(&snapshot.Snapshot{PrefixLists: []snapshot.PrefixList{{Entity: ent("pl-1", "aws"), CIDRs: []string{"10.20.2.0/24"}}}}, Options{})
	vpcRoutes := []snapshot.Route{
		{Destination: "10.0.0.0/8", TargetKind: snapshot.TargetHub, TargetID: "tgw-1", State: "active", Origin: "static"},
		{Destination: "10.20.1.0/24", TargetKind: snapshot.TargetPeering, TargetID: "pcx-gone", State: "blackhole", Origin: "static"},
		{PrefixListID: "pl-1", TargetKind: snapshot.TargetPeering, TargetID: "pcx-1", State: "active", Origin: "static"},
		{Destination: "10.30.0.0/16", TargetKind: snapshot.TargetVPN, TargetID: "vgw-1", State: "active", Origin: "propagated"},
		{Destination: "10.30.0.0/16", TargetKind: snapshot.TargetPeering, TargetID: "pcx-2", State: "active", Origin: "static"},
		{Destination: "2600:1f18::/40", TargetKind: snapshot.TargetPeering, TargetID: "pcx-6", State: "active", Origin: "static"},
	}
	hubRoutes := []snapshot.HubRoute{
		{Destination: "10.50.0.0/16", AttachmentIDs: []string{"att-prop"}, Type: "propagated", State: "active"},
		{Destination: "10.50.0.0/16", AttachmentIDs: []string{"att-static"}, Type: "static", State: "active"},
	}
	// Large tables (a hub's) are indexed by prefix: the same routes among many others.
	bigVPC, bigHub := slices.Clone(vpcRoutes), slices.Clone(hubRoutes)
	for i := range 2 * smallTable {
		p := fmt.Sprintf("10.%d.0.0/16", 100+i)
		bigVPC = append(bigVPC, snapshot.Route{Destination: p, TargetKind: snapshot.TargetPeering, TargetID: "pcx-x", State: "active", Origin: "static"})
		bigHub = append(bigHub, snapshot.HubRoute{Destination: p, AttachmentIDs: []string{"att-x"}, Type: "static", State: "active"})
	}
	tables := []struct {
		size     string
		vpc, hub *rtable
	}{
		{"small", ix.vpcTable(&snapshot.RouteTable{Entity: ent("rtb-1", "aws"), Routes: vpcRoutes}),
			ix.hubTable(&snapshot.HubRouteTable{Entity: ent("tgw-rtb", "aws"), Routes: hubRoutes}, nil)},
		{"large", ix.vpcTable(&snapshot.RouteTable{Entity: ent("rtb-1", "aws"), Routes: bigVPC}),
			ix.hubTable(&snapshot.HubRouteTable{Entity: ent("tgw-rtb", "aws"), Routes: bigHub}, nil)},
	}
	if tables[0].vpc.byPfx != nil || tables[1].vpc.byPfx == nil {
		t.Fatalf("small table indexed %v, large table indexed %v; want false, true", tables[0].vpc.byPfx != nil, tables[1].vpc.byPfx != nil)
	}
	for _, tb := range tables {
		tests := []struct {
			name   string
			t      *rtable
			prefix string
			want   string // key#action#target
		}{
			{"more specific blackhole beats the less specific active route", tb.vpc, "10.20.1.0/24", "10.20.1.0/24#blackhole#pcx-gone"},
			{"an address inside the blackhole", tb.vpc, "10.20.1.7/32", "10.20.1.0/24#blackhole#pcx-gone"},
			{"twin: outside the blackhole the /8 forwards", tb.vpc, "10.20.3.0/24", "10.0.0.0/8#forward#tgw-1"},
			{"prefix-list route counts each entry", tb.vpc, "10.20.2.5/32", "pl-1:10.20.2.0/24#forward#pcx-1"},
			{"static beats propagated of the same prefix (VPC)", tb.vpc, "10.30.0.0/16", "10.30.0.0/16#forward#pcx-2"},
			{"static beats propagated of the same prefix (TGW)", tb.hub, "10.50.1.0/24", "10.50.0.0/16#forward#att-static"},
			{"a range wider than every route has no route", tb.vpc, "10.0.0.0/7", ""},
			{"IPv6 matches IPv6 routes only", tb.vpc, "2600:1f18:0:4900::/64", "2600:1f18::/40#forward#pcx-6"},
			{"twin: an IPv6 range outside every route has none", tb.vpc, "2600:1f19::/64", ""},
		}
		for _, tc := range tests {
			t.Run(tb.size+"/"+tc.name, func(t *testing.T) {
				got := ""
				if e := tc.t.lookup(netip.MustParsePrefix(tc.prefix)); e != nil {
					h := tc.t.hop(e)
					got = h.Key + "#" + h.Action + "#" + h.Target
				}
				if got != tc.want {
					t.Errorf("lookup(%s) = %q, want %q", tc.prefix, got, tc.want)
				}
			})
		}
	}
}
