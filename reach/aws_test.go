package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func TestAWSTrapClasses(t *testing.T) {
	t.Parallel()
	dpOnly443 := allow("sgr-dp", 0, "tcp", ports(443, 443), cidr(dp1+"/32"), cidr(dp2+"/32"))
	peer := []string{"pcx-1#pcx-1#active"}
	naclDefault := "acl-1#ingress/100#allow#reply:egress/100"
	// A NACL that admits tcp 443 from each DP IP; its egress side is given per case.
	dpNACL := func(egress ...snapshot.FirewallRule) snapshot.Firewall {
		rules := []snapshot.FirewallRule{
			{Direction: "ingress", Action: "allow", Priority: 100, Protocol: "tcp", Ports: ports(443, 443), Sources: []snapshot.Address{cidr(dp1 + "/32")}},
			{Direction: "ingress", Action: "allow", Priority: 110, Protocol: "tcp", Ports: ports(443, 443), Sources: []snapshot.Address{cidr(dp2 + "/32")}},
			{Direction: "ingress", Action: "deny", Priority: 32767, Protocol: "all", Ports: ports(0, 65535), Sources: []snapshot.Address{cidr("0.0.0.0/0")}},
			out("deny", 32767, "all", ports(0, 65535), cidr("0.0.0.0/0")),
		}
		return nacl("acl-1", "subnet-1", append(rules, egress...)...)
	}
	tests := []struct {
		name  string
		snap  *snapshot.Snapshot
		class string // compare only this class; "" compares every flow
		want  []view
	}{
		{
			name: "default NACL and an SG admitting the DP IPs on 443: the DP flow only",
			snap: awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"}, dpOnly443)),
			want: []view{{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassKongDP, Addrs: []string{dp1, dp2}, Proto: "tcp",
				Ports: []PortRange{{443, 443}}, Hops: append(peer, naclDefault, "sg-1#sgr-dp#allow"), Forward: true, Return: true}},
		},
		{
			name:  "SG tcp 22 from 0.0.0.0/0 behind the default NACL: internet flow with both hops",
			snap:  awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"}, dpOnly443, allow("sgr-ssh", 0, "tcp", ports(22, 22), cidr("0.0.0.0/0")))),
			class: ClassInternet,
			want: []view{{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassInternet, Addrs: []string{"0.0.0.0/0", "::/0"}, Proto: "tcp",
				Ports: []PortRange{{22, 22}}, Hops: []string{naclDefault, "sg-1#sgr-ssh#allow"}, Forward: true, Return: true}},
		},
		{
			name: "NACL admits 443 from the DP IPs but lets only 443 out: the reply is blocked, no flow",
			snap: awsPeering(dpNACL(out("allow", 100, "tcp", ports(443, 443), cidr("0.0.0.0/0"))), sg("sg-1", "vpc-1", []string{"eni-1"}, dpOnly443)),
			want: nil,
		},
		{
			name: "twin: NACL lets the ephemeral ports out to Kong: the DP flow, one per ingress rule",
			snap: awsPeering(dpNACL(out("allow", 100, "tcp", ports(1024, 65535), cidr(kongCIDR))), sg("sg-1", "vpc-1", []string{"eni-1"}, dpOnly443)),
			want: []view{
				{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassKongDP, Addrs: []string{dp1}, Proto: "tcp", Ports: []PortRange{{443, 443}},
					Hops: append(peer, "acl-1#ingress/100#allow#reply:egress/100", "sg-1#sgr-dp#allow"), Forward: true, Return: true},
				{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassKongDP, Addrs: []string{dp2}, Proto: "tcp", Ports: []PortRange{{443, 443}},
					Hops: append(peer, "acl-1#ingress/110#allow#reply:egress/100", "sg-1#sgr-dp#allow"), Forward: true, Return: true},
			},
		},
		{
			name: "prefix list holding 0.0.0.0/0 in an SG: internet admitted",
			snap: withPL(awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"},
				allow("sgr-pl", 0, "tcp", ports(443, 443), snapshot.Address{Kind: snapshot.AddrPrefixList, Value: "pl-1"}))), "pl-1", "0.0.0.0/0"),
			class: ClassInternet,
			want: []view{{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassInternet, Addrs: []string{"0.0.0.0/0", "::/0"}, Proto: "tcp",
				Ports: []PortRange{{443, 443}}, Hops: []string{naclDefault, "sg-1#sgr-pl#allow"}, Forward: true, Return: true}},
		},
		{
			name: "twin: prefix list of a partial public range: no internet flow",
			snap: withPL(awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"},
				allow("sgr-pl", 0, "tcp", ports(443, 443), snapshot.Address{Kind: snapshot.AddrPrefixList, Value: "pl-1"}))), "pl-1", "192.0.2.0/24"),
			class: ClassInternet,
			want:  nil,
		},
		{
			name: "SG reference as source: network of the group only, marked group_ref",
			snap: awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"},
				allow("sgr-ref", 0, "tcp", ports(8080, 8080), snapshot.Address{Kind: snapshot.AddrGroup, Value: "sg-1"}))),
			want: []view{{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassNetwork, Addrs: []string{"10.20.0.0/16"}, Within: true, GroupRef: "sg-1",
				Proto: "tcp", Ports: []PortRange{{8080, 8080}}, Hops: []string{naclDefault, "sg-1#sgr-ref#allow"}, Forward: true, Return: true}},
		},
		{
			name: "twin: reference to a group of another network: nothing admitted",
			snap: awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-2", "vpc-2", nil), sg("sg-1", "vpc-1", []string{"eni-1"},
				allow("sgr-ref", 0, "tcp", ports(8080, 8080), snapshot.Address{Kind: snapshot.AddrGroup, Value: "sg-2"}))),
			want: nil,
		},
		{
			name: "intra-network source, all protocols: within_destination_network",
			snap: awsPeering(nacl("acl-1", "subnet-1",
				allow("", 100, "all", ports(0, 65535), cidr("10.20.0.0/16")),
				deny("", 32767, "all", ports(0, 65535), cidr("0.0.0.0/0")),
				out("allow", 100, "all", ports(0, 65535), cidr("10.20.0.0/16")),
				out("deny", 32767, "all", ports(0, 65535), cidr("0.0.0.0/0"))),
				sg("sg-1", "vpc-1", []string{"eni-1"}, allow("sgr-vpc", 0, "-1", nil, cidr("10.20.0.0/16")))),
			want: []view{{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassNetwork, Addrs: []string{"10.20.0.0/16"}, Within: true,
				Proto: "all", Ports: []PortRange{{0, 65535}}, Hops: []string{naclDefault, "sg-1#sgr-vpc#allow"}, Forward: true, Return: true}},
		},
		{
			name:  "twin: the same rules from 10.0.0.0/8 admit the rest of the Konnect range (not within)",
			class: ClassKongNetwork,
			snap: awsPeering(defaultNACL("acl-1", "subnet-1"),
				sg("sg-1", "vpc-1", []string{"eni-1"}, allow("sgr-wide", 0, "-1", nil, cidr("10.0.0.0/8")))),
			want: []view{{Dest: "subnet-1", FWs: "acl-1,sg-1", Class: ClassKongNetwork, Addrs: []string{kongCIDR},
				Proto: "all", Ports: []PortRange{{0, 65535}}, Hops: append(peer, naclDefault, "sg-1#sgr-wide#allow"), Forward: true, Return: true}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := Build(tc.snap, Options{})
			fs := m.Flows()
			if tc.class != "" {
				fs = only(fs, tc.class)
			}
			if diff := cmp.Diff(tc.want, views(m, fs)); diff != "" {
				t.Errorf("flows (-want +got):\n%s", diff)
			}
		})
	}
}

func withPL(s *snapshot.Snapshot, id string, cidrs ...string) *snapshot.Snapshot {
	s.PrefixLists = append(s.PrefixLists, snapshot.PrefixList{Entity: ent(id, "aws"), CIDRs: cidrs})
	return s
}
