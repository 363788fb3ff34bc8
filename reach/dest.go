package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// dest is a destination with its layers, as the model evaluates it.
type dest struct {
	out      Destination
	subnet   *snapshot.Subnet // nil when the snapshot has no subnet for it
	prefixes []netip.Prefix   // the ranges traffic lands in
	network  string
	target   string
	layers   []*layer
	kongs    []int  // Konnect networks connected to its network (or reaching a resource gateway)
	rgwAtt   string // the Konnect resource endpoint attachment reaching a resource gateway
	edgeOnly bool   // an edge load balancer in a network not connected to Kong: internet only
}

const assumedSubnet = "the snapshot does not say which subnet the members are in: every subnet of the network is considered"

// destinations lists every gateway-facing destination, in a deterministic order: per
// connected network (sorted), its landing points by provider; then the edge load
// balancers and resource gateways outside connected networks.
func (ix *index) destinations() []*dest {
	nets := make([]string, 0, len(ix.conns))
	for nid := range ix.conns {
		nets = append(nets, nid)
	}
	slices.Sort(nets)
	var out []*dest
	for _, nid := range nets {
		n := ix.networks[nid]
		if n == nil {
			continue
		}
		kongs := ix.kongsOf(nid)
		var ds []*dest
		switch n.Kind {
		case "aws-vpc":
			ds = ix.awsDests(nid, false)
		case "azure-vnet":
			ds = ix.azureDests(n)
		case "gcp-vpc":
			ds = ix.gcpDests(nid)
		}
		for _, d := range ds {
			if d.kongs == nil {
				d.kongs = kongs
			}
			d.out.Provider = n.Provider
		}
		out = append(out, ds...)
	}
	// Edge load balancers and resource gateways in networks not connected to Kong.
	var extra []string
	for id := range ix.edge {
		if lb := ix.lbs[id]; lb != nil && len(ix.conns[lb.NetworkID]) == 0 {
			extra = append(extra, lb.NetworkID)
		}
	}
	for id := range ix.rgwKong {
		if rg := ix.rgws[id]; rg != nil && len(ix.conns[rg.NetworkID]) == 0 {
			extra = append(extra, rg.NetworkID)
		}
	}
	slices.Sort(extra)
	for _, nid := range slices.Compact(extra) {
		for _, d := range ix.awsDests(nid, true) {
			d.out.Provider = "aws"
			out = append(out, d)
		}
	}
	return out
}

func (ix *index) kongsOf(nid string) []int {
	var ks []int
	for _, c := range ix.conns[nid] {
		if !slices.Contains(ks, c.kong) {
			ks = append(ks, c.kong)
		}
	}
	slices.Sort(ks)
	return ks
}

// naclLayer is the network ACL of a subnet; without one in the snapshot, the VPC's default
// ACL (which allows all traffic in and out) is assumed.
func (ix *index) naclLayer(s *snapshot.Subnet, anchor string) *layer {
	if s != nil {
		if ids := ix.subnetNACLs[s.ID]; len(ids) > 0 {
			c := ix.rules(ix.firewalls[ids[0]])
			return &layer{kind: layerNACL, ids: ids[:1], rules: c.ingress, egress: c.egress, level: "subnet"}
		}
		anchor = s.ID
	}
	return &layer{kind: layerNone, anchor: anchor, assumed: true,
		note: "no network ACL for the subnet in the snapshot: the default ACL (allow all in and out) is assumed"}
}

// awsDests are the landing points of an AWS network: the members of each distinct set of
// security groups (interfaces and instances per subnet; each load balancer; each resource
// gateway in its own subnets), behind the subnet's network ACL. Only edge load balancers
// and resource gateways reached by Konnect when onlyEdge.
func (ix *index) awsDests(nid string, onlyEdge bool) []*dest {
	sets := map[string][]string{} // member -> its groups
	kinds := map[string]string{}
	for _, c := range ix.fwByNet[nid] {
		if c.fw.Kind != "aws-security-group" {
			continue
		}
		for _, a := range c.fw.AttachedTo {
			sets[a.ID] = append(sets[a.ID], c.fw.ID)
			kinds[a.ID] = a.Kind
		}
	}
	for _, id := range ix.lbsByNet[nid] {
		sets[id] = append(sets[id], ix.lbFirewalls[id]...)
		kinds[id] = "load-balancer"
	}
	for _, id := range ix.rgwsByNet[nid] {
		sets[id] = append(sets[id], ix.rgws[id].FirewallIDs...)
		kinds[id] = "resource-gateway"
	}
	byKey := map[string][]string{} // group set -> interface members
	var lbs, rgs []string
	for id, gs := range sets {
		slices.Sort(gs)
		sets[id] = slices.Compact(gs)
		switch kinds[id] {
		case "load-balancer":
			// A group attached to a load balancer the snapshot does not hold (another
			// account's, or one not collected) guards nothing the model can place.
			if ix.lbs[id] != nil && (!onlyEdge || ix.edge[id]) {
				lbs = append(lbs, id)
			}
		case "resource-gateway":
			if !onlyEdge || len(ix.rgwKong[id]) > 0 {
				rgs = append(rgs, id)
			}
		default:
			if !onlyEdge && len(sets[id]) > 0 {
				k := strings.Join(sets[id], ",")
				byKey[k] = append(byKey[k], id)
			}
		}
	}
	subnets := ix.subnetsByNet[nid]
	var out []*dest
	// The layers of a subnet's network ACL and of a set of security groups, and a
	// subnet's ranges, are the same for every destination that has them.
	nacls := map[*snapshot.Subnet]*layer{}
	sgs := map[string]*layer{}
	pfxs := map[*snapshot.Subnet][]netip.Prefix{}
	mk := func(kind, id string, s *snapshot.Subnet, groups, members []string, assumed []string) *dest {
		d := &dest{network: nid, subnet: s}
		d.out = Destination{Kind: kind, ID: id, NetworkID: nid, Members: members, Assumed: assumed}
		if s != nil {
			d.out.SubnetID = s.ID
			d.out.CIDRs = s.CIDRs
			if d.prefixes = pfxs[s]; d.prefixes == nil {
				d.prefixes = parsePrefixes(s.CIDRs)
				pfxs[s] = d.prefixes
			}
		} else {
			d.prefixes = ix.netRanges[nid]
		}
		nacl := nacls[s]
		if nacl == nil {
			nacl = ix.naclLayer(s, nid)
			nacls[s] = nacl
		}
		if nacl.kind != layerNone {
			d.out.FirewallIDs = append(d.out.FirewallIDs, nacl.ids...)
		}
		k := strings.Join(groups, ",")
		if len(groups) == 0 {
			k = "\x00" + id
		}
		sg := sgs[k]
		if sg == nil {
			sg = &layer{kind: layerSG, ids: groups}
			for _, g := range groups {
				if c := ix.firewalls[g]; c != nil {
					sg.rules = append(sg.rules, ix.rules(c).ingress...)
				}
			}
			if len(groups) == 0 {
				sg.ids = []string{id}
			}
			sgs[k] = sg
		}
		d.layers = []*layer{nacl, sg}
		d.out.FirewallIDs = append(d.out.FirewallIDs, groups...)
		return d
	}
	perSubnet := func(kind, id string, groups, members []string, subnets []*snapshot.Subnet, assumed []string) {
		if len(subnets) == 0 {
			out = append(out, mk(kind, id, nil, groups, members, append(assumed, "the network has no subnets in the snapshot: no network ACL applies")))
			return
		}
		for _, s := range subnets {
			out = append(out, mk(kind, id, s, groups, members, assumed))
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		members := byKey[k]
		slices.Sort(members)
		groups := strings.Split(k, ",")
		if len(subnets) == 0 {
			perSubnet("interfaces", nid, groups, members, nil, nil)
			continue
		}
		for _, s := range subnets {
			out = append(out, mk("interfaces", s.ID, s, groups, members, []string{assumedSubnet}))
		}
	}
	slices.Sort(lbs)
	for _, id := range lbs {
		lb := ix.lbs[id]
		before := len(out)
		perSubnet("load-balancer", id, sets[id], nil, subnets, []string{"the snapshot does not say which subnets the load balancer is in: every subnet of its network is considered"})
		for _, d := range out[before:] {
			d.out.Edge = ix.edge[id]
			for _, l := range lb.Listeners {
				d.out.ListenerPorts = append(d.out.ListenerPorts, l.Port)
			}
			slices.Sort(d.out.ListenerPorts)
			d.out.ListenerPorts = slices.Compact(d.out.ListenerPorts)
			d.edgeOnly = onlyEdge
		}
	}
	slices.Sort(rgs)
	for _, id := range rgs {
		rg := ix.rgws[id]
		var ss []*snapshot.Subnet
		for _, sid := range rg.SubnetIDs {
			if s := ix.subnets[sid]; s != nil {
				ss = append(ss, s)
			}
		}
		before := len(out)
		perSubnet("resource-gateway", id, sets[id], nil, ss, nil)
		for _, d := range out[before:] {
			if ks := ix.rgwKong[id]; len(ks) > 0 {
				d.kongs = ks
				d.rgwAtt = ix.rgwAttach[id]
			} else if onlyEdge {
				d.edgeOnly = true
			}
		}
	}
	return out
}

// azureDests are the subnets of a VNet behind the subnet NSG and, for NICs, a NIC NSG:
// inbound traffic is evaluated by the subnet's NSG first and then the NIC's, and both
// must allow it (learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works).
// A level without an NSG admits. The snapshot does not say which subnet a NIC is in:
// every NIC NSG of the VNet (or, when the NSG names no VNet, of its subscription and
// region) is considered in every subnet, and when there is one, NICs without an NSG are
// not assumed.
func (ix *index) azureDests(n *snapshot.Network) []*dest {
	nics := slices.Clone(ix.nicNSGsByNet[n.ID])
	nicAssumed := len(nics) > 0
	for _, id := range ix.nicNSGsByNet["sub:"+strings.ToLower(n.Account)+"|"+strings.ToLower(n.Region)] {
		if !slices.Contains(nics, id) {
			nics = append(nics, id)
		}
	}
	slices.Sort(nics)
	// A NIC NSG's layer, members and assumption are the same in every subnet.
	type nicLayer struct {
		l       *layer
		members []string
		assumed []string
	}
	nicLayers := map[string]nicLayer{}
	var out []*dest
	for _, s := range ix.subnetsByNet[n.ID] {
		sub := &layer{kind: layerNone, anchor: s.ID, level: "subnet", note: "no NSG on the subnet: the subnet level admits"}
		if ids := ix.subnetNSGs[s.ID]; len(ids) > 0 {
			sub = &layer{kind: layerNSG, ids: ids[:1], rules: ix.rules(ix.firewalls[ids[0]]).ingress, level: "subnet"}
		}
		prefixes := parsePrefixes(s.CIDRs)
		mk := func(nic string) *dest {
			d := &dest{network: n.ID, subnet: s, prefixes: prefixes}
			d.out = Destination{Kind: "interfaces", ID: s.ID, NetworkID: n.ID, SubnetID: s.ID, CIDRs: s.CIDRs}
			if sub.kind != layerNone {
				d.out.FirewallIDs = append(d.out.FirewallIDs, sub.ids...)
			}
			nl := &layer{kind: layerNone, anchor: s.ID, level: "nic", note: "no NSG on the NIC: the NIC level admits"}
			if nic != "" {
				c, ok := nicLayers[nic]
				if !ok {
					fw := ix.rules(ix.firewalls[nic])
					c.l = &layer{kind: layerNSG, ids: []string{nic}, rules: fw.ingress, level: "nic"}
					for _, a := range fw.fw.AttachedTo {
						if a.Kind == "interface" {
							c.members = append(c.members, a.ID)
						}
					}
					if !nicAssumed || fw.fw.NetworkID == "" {
						c.assumed = []string{"the snapshot does not say which subnet (or VNet) the NICs of " + nic + " are in: every subnet is considered"}
					} else {
						c.assumed = []string{"the snapshot does not say which subnet the NICs of " + nic + " are in: every subnet of the VNet is considered"}
					}
					nicLayers[nic] = c
				}
				nl = c.l
				d.out.FirewallIDs = append(d.out.FirewallIDs, nic)
				d.out.Members, d.out.Assumed = c.members, c.assumed
			}
			d.layers = []*layer{sub, nl}
			return d
		}
		if len(nics) == 0 {
			out = append(out, mk(""))
		}
		for _, nic := range nics {
			out = append(out, mk(nic))
		}
	}
	return out
}

// gcpDests are, per subnet of a GCP network, one destination per target of the
// network's ingress rules (instances with that tag or service account) and one for
// instances only untargeted rules apply to. With no instance data, a targeted rule
// applies to "some instances": the destination stands for the instances of that target.
func (ix *index) gcpDests(nid string) []*dest {
	l := &layer{kind: layerGCP}
	targets := map[string]bool{"": true}
	for _, c := range ix.fwByNet[nid] {
		if c.fw.Kind != "gcp-firewall" {
			continue
		}
		c = ix.rules(c)
		l.ids = append(l.ids, c.fw.ID)
		l.rules = append(l.rules, c.ingress...)
		for _, r := range c.ingress {
			for _, t := range r.targets {
				targets[t] = true
			}
		}
	}
	if len(l.ids) == 0 {
		l = &layer{kind: layerGCP, ids: []string{nid}}
	}
	orderRules(l.rules)
	ts := make([]string, 0, len(targets))
	for t := range targets {
		ts = append(ts, t)
	}
	slices.Sort(ts)
	var out []*dest
	for _, s := range ix.subnetsByNet[nid] {
		for _, t := range ts {
			d := &dest{network: nid, subnet: s, prefixes: parsePrefixes(s.CIDRs), target: t, layers: []*layer{l}}
			d.out = Destination{Kind: "interfaces", ID: s.ID, NetworkID: nid, SubnetID: s.ID, CIDRs: s.CIDRs, Target: t, FirewallIDs: l.ids}
			if t != "" {
				d.out.Assumed = []string{"no instance data: the destination stands for the instances with target " + t}
			}
			out = append(out, d)
		}
	}
	return out
}
