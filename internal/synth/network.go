package synth

import (
	"fmt"
	"net/netip"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// service is the collecting service of a provider's network resources.
func service(provider string) string {
	switch provider {
	case "aws":
		return "ec2"
	case "azure":
		return "network"
	}
	return "compute"
}

// scopeRegion is where a network's resources are collected: GCP networks are global.
func (n *netPlan) scopeRegion() string {
	if n.provider == "gcp" {
		return "global"
	}
	return n.region
}

// emitNetwork writes a network with its subnets, route tables and firewalls.
func (g *gen) emitNetwork(n *netPlan) {
	ent := snapshot.Entity{ID: n.id, Provider: n.provider, Account: n.account, Region: n.region, Name: n.name,
		Tags: map[string]string{"env": []string{"prod", "stage", "dev"}[n.idx%3], "team": fmt.Sprintf("team-%02d", n.idx%40)}}
	if n.provider == "gcp" {
		ent.Region = ""
	}
	net := snapshot.Network{Entity: ent, Kind: map[string]string{"aws": "aws-vpc", "azure": "azure-vnet", "gcp": "gcp-vpc"}[n.provider], CIDRs: n.cidrs}
	if n.provider == "azure" && g.chance(0.1) {
		net.DNSServers = []string{host(n.block, 4), "168.63.129.16"}
	}
	g.s.Networks = append(g.s.Networks, net)
	g.scope(n.provider, n.account, n.scopeRegion(), service(n.provider), "networks", "subnets", "route_tables", "firewalls", "peerings")

	nsub := g.between(2, 6)
	nrt := g.between(1, 3)
	nfw := g.skewed(1, 4)
	if n.provider == "gcp" {
		nrt, nfw = 1, 1
	}
	rtIDs := make([]string, nrt)
	for t := range rtIDs {
		switch n.provider {
		case "aws":
			rtIDs[t] = "rtb-" + g.hex()
		case "azure":
			rtIDs[t] = fmt.Sprintf("/subscriptions/%s/resourceGroups/rg-net-%05d/providers/Microsoft.Network/routeTables/rt-%s-%d", n.account, n.idx, n.name, t)
		default:
			rtIDs[t] = n.id + "/routes"
		}
	}
	fwIDs := make([]string, nfw)
	fwKinds := make([]string, nfw)
	for f := range fwIDs {
		switch n.provider {
		case "aws":
			fwIDs[f], fwKinds[f] = "sg-"+g.hex(), "aws-security-group"
			if f == nfw-1 && f > 0 && g.chance(0.2) {
				fwIDs[f], fwKinds[f] = "acl-"+g.hex(), "aws-network-acl"
			} else {
				n.sgs = append(n.sgs, fwIDs[f])
			}
		case "azure":
			fwIDs[f], fwKinds[f] = fmt.Sprintf("/subscriptions/%s/resourceGroups/rg-net-%05d/providers/Microsoft.Network/networkSecurityGroups/nsg-%s-%d", n.account, n.idx, n.name, f), "azure-nsg"
		default:
			fwIDs[f], fwKinds[f] = n.id+"/firewalls", "gcp-firewall"
		}
	}

	// Subnets: equal slices of the block; GCP keeps slots 6 and 7 for secondary ranges.
	rtSubnets := make([][]string, nrt)
	fwSubnets := make([][]string, nfw)
	for j := range nsub {
		var id string
		sub := snapshot.Subnet{NetworkID: n.id, RouteTableID: rtIDs[j%nrt]}
		p := split(n.block, 3, j)
		sub.CIDRs = []string{p.String()}
		switch n.provider {
		case "aws":
			id = "subnet-" + g.hex()
			sub.Zone = n.region + string(rune('a'+j%3))
			if n.v6 != "" && j < 2 {
				v6 := netip.MustParsePrefix(n.v6).Addr().As16()
				v6[7] = byte(j)
				sub.CIDRs = append(sub.CIDRs, netip.PrefixFrom(netip.AddrFrom16(v6), 64).String())
			}
		case "azure":
			id = fmt.Sprintf("%s/subnets/snet-%d", n.id, j)
			sub.FirewallIDs = []string{fwIDs[j%nfw]}
			fwSubnets[j%nfw] = append(fwSubnets[j%nfw], id)
		default:
			id = fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/regions/%s/subnetworks/%s-s%d", n.account, n.region, n.name, j)
			if j < 2 && g.chance(0.3) {
				sub.CIDRs = append(sub.CIDRs, split(n.block, 3, 6+j).String())
			}
		}
		if j%nrt != 0 {
			rtSubnets[j%nrt] = append(rtSubnets[j%nrt], id)
		}
		sub.Entity = snapshot.Entity{ID: id, Provider: n.provider, Account: n.account, Region: n.region, Name: fmt.Sprintf("%s-sn%d", n.name, j)}
		g.s.Subnets = append(g.s.Subnets, sub)
		n.subnets = append(n.subnets, id)
		n.subnetCIDRs = append(n.subnetCIDRs, sub.CIDRs...)
	}
	if n.provider == "azure" {
		// An Azure route table lists every subnet it is associated with.
		rtSubnets[0] = nil
		for j := 0; j < nsub; j += nrt {
			rtSubnets[0] = append(rtSubnets[0], n.subnets[j])
		}
	}

	for t, id := range rtIDs {
		g.s.RouteTables = append(g.s.RouteTables, snapshot.RouteTable{
			Entity:    snapshot.Entity{ID: id, Provider: n.provider, Account: n.account, Region: n.region, Name: fmt.Sprintf("%s-rt%d", n.name, t)},
			NetworkID: n.id,
			Main:      t == 0 && n.provider != "azure",
			SubnetIDs: rtSubnets[t],
			Routes:    g.routes(n, t),
		})
	}
	for f, id := range fwIDs {
		fw := snapshot.Firewall{
			Entity:    snapshot.Entity{ID: id, Provider: n.provider, Account: n.account, Region: n.region, Name: fmt.Sprintf("%s-fw%d", n.name, f)},
			Kind:      fwKinds[f],
			NetworkID: n.id,
			Stateful:  fwKinds[f] != "aws-network-acl",
		}
		switch fwKinds[f] {
		case "aws-security-group":
			for range g.between(1, 3) {
				fw.AttachedTo = append(fw.AttachedTo, snapshot.Attachment{Kind: "interface", ID: "eni-" + g.hex()})
			}
		case "aws-network-acl":
			for _, s := range n.subnets {
				fw.AttachedTo = append(fw.AttachedTo, snapshot.Attachment{Kind: "subnet", ID: s})
			}
		case "azure-nsg":
			for _, s := range fwSubnets[f] {
				fw.AttachedTo = append(fw.AttachedTo, snapshot.Attachment{Kind: "subnet", ID: s})
			}
		default:
			fw.AttachedTo = []snapshot.Attachment{{Kind: "network", ID: n.id}}
			fw.Region = ""
		}
		fw.Rules = g.firewallRules(n, fw.Kind, id, g.skewed(5, 30))
		g.s.Firewalls = append(g.s.Firewalls, fw)
	}
	for j := range 2 {
		g.privateIPs = append(g.privateIPs, host(split(n.block, 3, j), 10+j))
	}
}

// routes builds table t of network n: local routes, the default route, the return route
// to Konnect when the network is connected, peering and hub routes, and filler (on-prem
// ranges, other networks), with some blackholes and more-specific shadowing routes.
func (g *gen) routes(n *netPlan, t int) []snapshot.Route {
	want := g.skewed(5, 20)
	seen := map[string]bool{}
	var rs []snapshot.Route
	add := func(r snapshot.Route) {
		key := r.Destination + "|" + r.PrefixListID
		if seen[key] {
			return
		}
		seen[key] = true
		if r.State == "" {
			r.State = "active"
		}
		rs = append(rs, r)
	}
	hubTarget := func() (string, string) {
		if n.hub != nil {
			return snapshot.TargetHub, n.hub.id
		}
		return "", ""
	}

	// Local routes.
	switch n.provider {
	case "gcp":
		for _, c := range n.subnetCIDRs {
			add(snapshot.Route{Destination: c, TargetKind: snapshot.TargetLocal, TargetID: "local", Origin: "system"})
		}
	default:
		for _, c := range n.cidrs {
			add(snapshot.Route{Destination: c, TargetKind: snapshot.TargetLocal, TargetID: "local", Origin: "system"})
		}
	}
	// Default route.
	switch {
	case n.provider == "aws" && t == 0:
		add(snapshot.Route{Destination: "0.0.0.0/0", TargetKind: snapshot.TargetInternet, TargetID: "igw-" + g.hex(), Origin: "static"})
	case n.provider == "aws":
		add(snapshot.Route{Destination: "0.0.0.0/0", TargetKind: snapshot.TargetNAT, TargetID: "nat-" + g.hex(), Origin: "static"})
	case n.provider == "azure" && g.chance(0.3):
		add(snapshot.Route{Destination: "0.0.0.0/0", TargetKind: snapshot.TargetAppliance, TargetID: "10.255.0.4", Origin: "static"})
	case n.provider == "azure":
		add(snapshot.Route{Destination: "0.0.0.0/0", TargetKind: snapshot.TargetInternet, TargetID: "Internet", Origin: "system"})
	default:
		add(snapshot.Route{Destination: "0.0.0.0/0", TargetKind: snapshot.TargetInternet, TargetID: "default-internet-gateway", Origin: "static", Priority: 1000})
	}
	// The return route to Konnect; missing in a few tables.
	if k := n.kong; k != nil && g.chance(0.92) {
		r := snapshot.Route{Destination: k.cidr, Origin: "static"}
		if n.kongViaHub {
			r.TargetKind, r.TargetID = hubTarget()
			if n.provider == "azure" {
				r.Origin = "propagated"
			}
		} else {
			r.TargetKind, r.TargetID = snapshot.TargetPeering, n.kongPeering
			if n.provider != "aws" {
				r.Origin = "propagated"
			}
		}
		add(r)
		if g.chance(0.05) {
			// A more-specific route that takes part of the Konnect CIDR elsewhere.
			sub := split(netip.MustParsePrefix(k.cidr), 8, g.r.IntN(256))
			add(snapshot.Route{Destination: sub.String(), TargetKind: snapshot.TargetVPN, TargetID: "vgw-" + g.hex(), Origin: "static"})
		}
	}
	for _, p := range n.peers {
		if p.b == nil {
			continue
		}
		other, id := p.b, p.id
		if other == n {
			other, id = p.a, p.remoteID
			if id == "" {
				id = p.id
			}
		}
		for _, c := range other.block4() {
			add(snapshot.Route{Destination: c, TargetKind: snapshot.TargetPeering, TargetID: id, Origin: "static"})
		}
	}
	if kind, id := hubTarget(); kind != "" && g.chance(0.7) {
		add(snapshot.Route{Destination: "10.0.0.0/8", TargetKind: kind, TargetID: id, Origin: "static"})
		if g.chance(0.05) {
			// A more-specific route shadowing part of the summary.
			other := g.nets[g.r.IntN(len(g.nets))]
			add(snapshot.Route{Destination: split(other.block, 2, 0).String(), TargetKind: snapshot.TargetAppliance, TargetID: "eni-" + g.hex(), Origin: "static"})
		}
	}
	if n.provider == "aws" && g.chance(0.3) {
		add(snapshot.Route{PrefixListID: g.awsManagedPL(n.region)[0], TargetKind: snapshot.TargetEndpoint, TargetID: "vpce-" + g.hex(), Origin: "static"})
	}
	if g.chance(0.05) {
		// A route to a deleted peering or attachment.
		other := g.nets[g.r.IntN(len(g.nets))]
		add(snapshot.Route{Destination: other.block.String(), TargetKind: snapshot.TargetPeering, TargetID: "pcx-" + g.hex(), State: "blackhole", Origin: "static"})
	}
	for tries := 0; len(rs) < want && tries < 3*want; tries++ {
		if kind, id := hubTarget(); kind != "" && g.chance(0.5) {
			other := g.nets[g.r.IntN(len(g.nets))]
			if other != n {
				add(snapshot.Route{Destination: other.block.String(), TargetKind: kind, TargetID: id, Origin: "static"})
			}
			continue
		}
		onprem := netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 168, byte(g.r.IntN(256)), 0}), 24)
		r := snapshot.Route{Destination: onprem.String(), TargetKind: snapshot.TargetVPN, TargetID: "vgw-" + g.hex(), Origin: "propagated"}
		if n.provider == "gcp" {
			r.Priority = 100
			r.TargetID = fmt.Sprintf("%s/vpnTunnels/tun-%d", n.id, g.r.IntN(4))
		}
		add(r)
	}
	return rs
}

// block4 are the IPv4 ranges a network offers to peers.
func (n *netPlan) block4() []string {
	if n.provider == "gcp" {
		return []string{n.block.String()}
	}
	var out []string
	for _, c := range n.cidrs {
		if netip.MustParsePrefix(c).Addr().Is4() {
			out = append(out, c)
		}
	}
	return out
}

func tcp(from, to int) []snapshot.PortRange { return []snapshot.PortRange{{From: from, To: to}} }

func cidrAddr(c string) snapshot.Address { return snapshot.Address{Kind: snapshot.AddrCIDR, Value: c} }

// firewallRules builds count rules of a firewall of the given kind: the usual mix of
// intra-VPC, Kong data plane, on-prem, prefix-list and group rules with a few wide-open
// ones.
func (g *gen) firewallRules(n *netPlan, kind, fwID string, count int) []snapshot.FirewallRule {
	var rs []snapshot.FirewallRule
	prio := 100
	add := func(r snapshot.FirewallRule) {
		switch kind {
		case "aws-security-group":
			r.ID = "sgr-" + g.hex()
		case "aws-network-acl":
			r.ID = fmt.Sprintf("%s/%s/%d", fwID, r.Direction, prio)
			r.Priority = prio
		case "azure-nsg":
			r.ID = fmt.Sprintf("%s/securityRules/r%d", fwID, prio)
			r.Priority = prio
		default:
			r.ID = fmt.Sprintf("fw-%s-%d", n.name, prio)
			r.Priority = 1000
			if r.Action == "deny" {
				r.Priority = 900
			}
		}
		if r.Action == "" {
			r.Action = "allow"
		}
		if r.Direction == "" {
			r.Direction = "ingress"
		}
		if kind == "gcp-firewall" && len(r.Targets) == 0 && g.chance(0.6) {
			r.Targets = []snapshot.Address{{Kind: snapshot.AddrTag, Value: []string{"web", "app", "db"}[g.r.IntN(3)]}}
		}
		prio += 10
		rs = append(rs, r)
	}
	reserved := 0
	if kind == "azure-nsg" {
		reserved = 3 // the default rules, added last
	}
	if kind == "aws-security-group" {
		add(snapshot.FirewallRule{Direction: "egress", Protocol: "all", Ports: tcp(0, 65535), Destinations: []snapshot.Address{cidrAddr("0.0.0.0/0")}})
	}
	if k := n.kong; k != nil {
		var srcs []snapshot.Address
		for _, ip := range k.dpIPs {
			srcs = append(srcs, cidrAddr(ip+"/32"))
		}
		add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(443, 443), Sources: srcs, Description: "Kong DCGW data plane"})
	}
	for len(rs) < count-reserved {
		switch x := g.r.IntN(100); {
		case x < 20:
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(443, 443), Sources: []snapshot.Address{cidrAddr(n.block.String())}})
		case x < 35:
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(22, 22), Sources: []snapshot.Address{cidrAddr("10.0.0.0/8")}})
		case x < 45 && kind == "aws-security-group":
			peer := n.sgs[g.r.IntN(len(n.sgs))]
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(5432, 5432), Sources: []snapshot.Address{{Kind: snapshot.AddrGroup, Value: peer}}})
		case x < 52 && n.provider == "aws":
			pl := g.customerPLs(n.account, n.region)
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(8080, 8090), Sources: []snapshot.Address{{Kind: snapshot.AddrPrefixList, Value: pl[g.r.IntN(len(pl))]}}})
		case x < 52 && n.provider == "azure":
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(8080, 8090), Sources: []snapshot.Address{{Kind: snapshot.AddrServiceTag, Value: "VirtualNetwork"}}})
		case x < 52:
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(8080, 8090), Sources: []snapshot.Address{{Kind: snapshot.AddrTag, Value: "app"}}})
		case x < 55:
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(443, 443), Sources: []snapshot.Address{cidrAddr("0.0.0.0/0")}, Description: "public https"})
		case x < 56:
			add(snapshot.FirewallRule{Protocol: "all", Ports: tcp(0, 65535), Sources: []snapshot.Address{cidrAddr("0.0.0.0/0")}})
		case x < 58 && n.kong != nil:
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(80, 8443), Sources: []snapshot.Address{cidrAddr(n.kong.cidr)}})
		case x < 62:
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(443, 443), Sources: []snapshot.Address{cidrAddr("::/0")}})
		case x < 72:
			other := g.nets[g.r.IntN(len(g.nets))]
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(3306, 3306), Sources: []snapshot.Address{cidrAddr(other.block.String())}})
		case x < 80:
			add(snapshot.FirewallRule{Protocol: "icmp", Sources: []snapshot.Address{cidrAddr("10.0.0.0/8")}})
		case x < 88:
			add(snapshot.FirewallRule{Protocol: "udp", Ports: tcp(53, 53), Sources: []snapshot.Address{cidrAddr(n.block.String())}})
		case x < 94 && kind != "aws-security-group":
			add(snapshot.FirewallRule{Action: "deny", Protocol: "tcp", Ports: tcp(3389, 3389), Sources: []snapshot.Address{cidrAddr("0.0.0.0/0")}})
		case x < 94:
			add(snapshot.FirewallRule{Protocol: "tcp", Ports: tcp(0, 65535)}) // from the group's own members
		default:
			add(snapshot.FirewallRule{Direction: "egress", Protocol: "tcp", Ports: tcp(443, 443), Destinations: []snapshot.Address{cidrAddr("0.0.0.0/0")}})
		}
	}
	if kind == "azure-nsg" {
		prio = 65000
		add(snapshot.FirewallRule{Protocol: "all", Sources: []snapshot.Address{{Kind: snapshot.AddrServiceTag, Value: "VirtualNetwork"}}, Description: "AllowVnetInBound"})
		add(snapshot.FirewallRule{Protocol: "all", Sources: []snapshot.Address{{Kind: snapshot.AddrServiceTag, Value: "AzureLoadBalancer"}}, Description: "AllowAzureLoadBalancerInBound"})
		prio = 65500
		add(snapshot.FirewallRule{Action: "deny", Protocol: "all", Sources: []snapshot.Address{{Kind: snapshot.AddrAny}}, Description: "DenyAllInBound"})
	}
	return rs
}

// customerPLs are an AWS account's own prefix lists in a region: on-prem ranges and
// the Kong data plane IPs.
func (g *gen) customerPLs(account, region string) []string {
	key := account + "/" + region
	if ids, ok := g.prefixLists[key]; ok {
		return ids
	}
	ids := []string{"pl-" + g.hex(), "pl-" + g.hex()}
	g.prefixLists[key] = ids
	return ids
}

// awsManagedPL are the AWS-managed prefix lists of a region (S3, CloudFront).
func (g *gen) awsManagedPL(region string) []string {
	if ids, ok := g.awsPLs[region]; ok {
		return ids
	}
	ids := []string{"pl-" + g.hex()[9:], "pl-" + g.hex()[9:]}
	g.awsPLs[region] = ids
	return ids
}
