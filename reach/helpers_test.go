package reach

import (
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Tiny estates built in Go. The Konnect network k1 is 10.40.0.0/16 with data plane IPs
// 10.40.1.10 and 10.40.2.10; the customer VPC vpc-1 is 10.20.0.0/16 with subnet-1
// (10.20.1.0/24) on rtb-1, peered with Kong over pcx-1.

const (
	kongCIDR = "10.40.0.0/16"
	dp1      = "10.40.1.10"
	dp2      = "10.40.2.10"
)

func cidr(v string) snapshot.Address { return snapshot.Address{Kind: snapshot.AddrCIDR, Value: v} }

func ports(from, to int) []snapshot.PortRange { return []snapshot.PortRange{{From: from, To: to}} }

func ent(id, provider string) snapshot.Entity {
	return snapshot.Entity{ID: id, Provider: provider, Account: "111111111111", Region: "us-east-2"}
}

// allow and deny build ingress rules; out builds an egress rule (peer in destinations).
func allow(id string, prio int, proto string, pr []snapshot.PortRange, srcs ...snapshot.Address) snapshot.FirewallRule {
	return snapshot.FirewallRule{ID: id, Direction: "ingress", Action: "allow", Priority: prio, Protocol: proto, Ports: pr, Sources: srcs}
}

func deny(id string, prio int, proto string, pr []snapshot.PortRange, srcs ...snapshot.Address) snapshot.FirewallRule {
	r := allow(id, prio, proto, pr, srcs...)
	r.Action = "deny"
	return r
}

func out(action string, prio int, proto string, pr []snapshot.PortRange, dsts ...snapshot.Address) snapshot.FirewallRule {
	return snapshot.FirewallRule{Direction: "egress", Action: action, Priority: prio, Protocol: proto, Ports: pr, Destinations: dsts}
}

// defaultNACL is every VPC's default network ACL: rule 100 allows all traffic from and
// to 0.0.0.0/0 and ::/0, rule * (32767) denies.
func defaultNACL(id, subnet string) snapshot.Firewall {
	in := func(action string, prio int, c string) snapshot.FirewallRule {
		return snapshot.FirewallRule{Direction: "ingress", Action: action, Priority: prio, Protocol: "all", Ports: ports(0, 65535), Sources: []snapshot.Address{cidr(c)}}
	}
	return nacl(id, subnet,
		in("allow", 100, "0.0.0.0/0"), in("allow", 101, "::/0"), in("deny", 32767, "0.0.0.0/0"), in("deny", 32768, "::/0"),
		out("allow", 100, "all", ports(0, 65535), cidr("0.0.0.0/0")), out("allow", 101, "all", ports(0, 65535), cidr("::/0")),
		out("deny", 32767, "all", ports(0, 65535), cidr("0.0.0.0/0")), out("deny", 32768, "all", ports(0, 65535), cidr("::/0")))
}

func nacl(id, subnet string, rules ...snapshot.FirewallRule) snapshot.Firewall {
	return snapshot.Firewall{Entity: ent(id, "aws"), Kind: "aws-network-acl", NetworkID: "vpc-1",
		AttachedTo: []snapshot.Attachment{{Kind: "subnet", ID: subnet}}, Rules: rules}
}

func sg(id, network string, members []string, rules ...snapshot.FirewallRule) snapshot.Firewall {
	fw := snapshot.Firewall{Entity: ent(id, "aws"), Kind: "aws-security-group", NetworkID: network, Stateful: true, Rules: rules}
	for _, m := range members {
		fw.AttachedTo = append(fw.AttachedTo, snapshot.Attachment{Kind: "interface", ID: m})
	}
	return fw
}

func konnect(provider string, atts ...snapshot.KonnectAttachment) snapshot.Konnect {
	return snapshot.Konnect{Networks: []snapshot.KonnectNetwork{{
		Entity: snapshot.Entity{ID: "k1", Provider: "konnect"}, CIDR: kongCIDR, State: "ready",
		ProviderAccountID: "999999999999", ProviderNetworkID: "vpc-kong",
		DataPlaneIPs: []string{dp1, dp2}, Attachments: atts,
	}}}
}

// awsPeering is vpc-1 peered with Kong, subnet-1 routing Kong's CIDR over pcx-1 and
// 0.0.0.0/0 to an internet gateway, with the given firewalls.
func awsPeering(fws ...snapshot.Firewall) *snapshot.Snapshot {
	return &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		Konnect: konnect("aws", snapshot.KonnectAttachment{ID: "att-1", Kind: snapshot.AttachAWSVPCPeering, State: "ready",
			NetworkID: "vpc-1", PeeringID: "pcx-1", CIDRBlocks: []string{"10.20.0.0/16"}}),
		Networks: []snapshot.Network{{Entity: ent("vpc-1", "aws"), Kind: "aws-vpc", CIDRs: []string{"10.20.0.0/16"}}},
		Subnets:  []snapshot.Subnet{{Entity: ent("subnet-1", "aws"), NetworkID: "vpc-1", CIDRs: []string{"10.20.1.0/24"}, RouteTableID: "rtb-1"}},
		RouteTables: []snapshot.RouteTable{{Entity: ent("rtb-1", "aws"), NetworkID: "vpc-1", SubnetIDs: []string{"subnet-1"}, Routes: []snapshot.Route{
			{Destination: "10.20.0.0/16", TargetKind: snapshot.TargetLocal, TargetID: "local", State: "active", Origin: "system"},
			{Destination: kongCIDR, TargetKind: snapshot.TargetPeering, TargetID: "pcx-1", State: "active", Origin: "static"},
			{Destination: "0.0.0.0/0", TargetKind: snapshot.TargetInternet, TargetID: "igw-1", State: "active", Origin: "static"},
		}}},
		Peerings: []snapshot.Peering{{Entity: ent("pcx-1", "aws"), Kind: snapshot.PeeringAWS, State: "active",
			Local:  snapshot.PeeringSide{NetworkID: "vpc-1", CIDRs: []string{"10.20.0.0/16"}},
			Remote: snapshot.PeeringSide{NetworkID: "vpc-kong", Account: "999999999999", CIDRs: []string{kongCIDR}}}},
		Firewalls: fws,
	}
}

// view is what a test compares of a flow: source, protocol, ports and the filter hops.
type view struct {
	Dest     string
	FWs      string
	Class    string
	Addrs    []string
	Within   bool
	GroupRef string
	Proto    string
	Ports    []PortRange
	Hops     []string // resource#key#action[#reply]
	Forward  bool
	Return   bool
}

// views renders flows of m; a flow whose destination key is not among m's destinations
// renders with Dest "missing <key>".
func views(m *Model, fs []Flow) []view {
	var out []view
	for _, f := range fs {
		d, ok := m.Destinations()[f.Destination]
		if !ok {
			d.ID = "missing " + f.Destination
		}
		v := view{Dest: d.ID, Class: f.Source.Class, Addrs: f.Source.Addresses, Within: f.Source.WithinDestinationNetwork,
			GroupRef: f.Source.GroupRef, Proto: f.Protocol, Ports: f.Ports, Forward: f.ForwardRouted, Return: f.ReturnRouted}
		for i, id := range d.FirewallIDs {
			if i > 0 {
				v.FWs += ","
			}
			v.FWs += id
		}
		for _, h := range f.Hops {
			s := h.ResourceID + "#" + h.Key + "#" + h.Action
			if h.ReplyKey != "" {
				s += "#reply:" + h.ReplyKey
			}
			v.Hops = append(v.Hops, s)
		}
		out = append(out, v)
	}
	return out
}

// only keeps the flows of one source class.
func only(fs []Flow, class string) []Flow {
	var out []Flow
	for _, f := range fs {
		if f.Source.Class == class {
			out = append(out, f)
		}
	}
	return out
}
