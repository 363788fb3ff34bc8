package reach

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// caddr is a compiled rule peer.
type caddr struct {
	kind     string
	value    string
	lower    string
	prefixes []netip.Prefix // cidr, or the entries of a prefix list
	open     bool           // stands for the whole internet
}

// crule is a compiled firewall rule.
type crule struct {
	fwID      string
	fwKind    string
	key       string
	direction string
	allow     bool
	priority  int
	proto     string // normalized: tcp, udp, icmp, icmpv6, all, or an IANA number
	ports     []PortRange
	sources   []caddr
	dests     []caddr
	targets   []string // GCP targets as kind:value
	implicit  bool
	note      string
	// index is the rule's position in the firewall's rules; -1 for an implicit rule.
	index int
}

// cfw is a firewall and, once compiled (rules), its ingress and egress rules in
// evaluation order.
type cfw struct {
	fw       *snapshot.Firewall
	compiled bool
	ingress  []*crule
	egress   []*crule
}

// rules compiles c on first use: only the firewalls in front of a gateway-facing
// destination are compiled. Build calls it while it lays out the destinations; the
// model never compiles afterwards.
func (ix *index) rules(c *cfw) *cfw {
	if c.compiled {
		return c
	}
	c.compiled = true
	fw := c.fw
	for j := range fw.Rules {
		r := &fw.Rules[j]
		if r.Disabled {
			continue // disabled rules do not apply
		}
		cr := ix.compileRule(fw, r)
		cr.index = j
		if r.Direction == "egress" {
			c.egress = append(c.egress, cr)
		} else {
			c.ingress = append(c.ingress, cr)
		}
	}
	switch fw.Kind {
	case "aws-network-acl", "azure-nsg", "gcp-firewall":
		if fw.Kind == "azure-nsg" {
			c.ingress = append(c.ingress, nsgDefaults(fw, c.ingress)...)
		}
		orderRules(c.ingress)
		orderRules(c.egress)
	}
	return c
}

// hasPorts reports whether a protocol carries ports (TCP, UDP, SCTP). A rule on another
// protocol matches every packet of it whatever its range says (EC2: "If you specify a
// protocol number other than 6 (TCP), 17 (UDP) or 1 (ICMP), traffic on all ports is
// allowed", docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html).
func hasPorts(p string) bool { return p == "tcp" || p == "udp" || p == "sctp" || p == "132" }

func (ix *index) compileAddr(a snapshot.Address) caddr {
	c := caddr{kind: a.Kind, value: a.Value, lower: strings.ToLower(a.Value)}
	switch a.Kind {
	case snapshot.AddrAny:
		c.open = true
	case snapshot.AddrCIDR:
		if p, ok := parsePrefix(a.Value); ok {
			c.prefixes = []netip.Prefix{p}
			c.open = isOpen(p)
		} else if c.lower == "*" || c.lower == "any" || c.lower == "internet" {
			c.open = true
		}
	case snapshot.AddrPrefixList:
		c.prefixes = ix.prefixLists[a.Value]
		c.open = ix.openPLs[a.Value]
	case snapshot.AddrServiceTag:
		// Azure service tags: Internet, * and Any stand for the whole internet
		// (learn.microsoft.com/azure/virtual-network/service-tags-overview).
		c.open = c.lower == "internet" || c.lower == "*" || c.lower == "any"
	}
	return c
}

// ruleKey is a stable key of a rule inside its firewall: its id; for a network ACL entry
// (which has none) direction/rule-number; else a description of what it matches, as
// dcgw.lib.edge rule_key writes it.
func ruleKey(fwKind string, r *snapshot.FirewallRule) string {
	if r.ID != "" {
		return r.ID
	}
	if fwKind == "aws-network-acl" {
		if r.Priority == 32767 {
			return r.Direction + "/*"
		}
		return r.Direction + "/" + strconv.Itoa(r.Priority)
	}
	addrs := func(as []snapshot.Address) string {
		ss := make([]string, len(as))
		for i, a := range as {
			ss[i] = a.Kind + ":" + a.Value
		}
		slices.Sort(ss)
		return strings.Join(ss, ",")
	}
	ports := make([]string, len(r.Ports))
	for i, p := range r.Ports {
		ports[i] = strconv.Itoa(p.From) + "-" + strconv.Itoa(p.To)
	}
	return strings.Join([]string{r.Direction, r.Action, strings.ToLower(r.Protocol), strings.Join(ports, ","),
		addrs(r.Sources), addrs(r.Destinations), addrs(r.Targets)}, "|")
}

func (ix *index) compileRule(fw *snapshot.Firewall, r *snapshot.FirewallRule) *crule {
	c := &crule{fwID: fw.ID, fwKind: fw.Kind, key: ruleKey(fw.Kind, r), direction: r.Direction,
		allow: r.Action == "allow", priority: r.Priority, proto: snapshot.NormalizeProtocol(r.Protocol)}
	if hasPorts(c.proto) || c.proto == "all" {
		c.ports = make([]PortRange, 0, len(r.Ports))
		for _, p := range r.Ports {
			c.ports = append(c.ports, PortRange{From: p.From, To: p.To})
		}
		if len(c.ports) == 0 || c.proto == "all" {
			c.ports = []PortRange{{From: 0, To: 65535}}
		}
	}
	for _, a := range r.Sources {
		c.sources = append(c.sources, ix.compileAddr(a))
	}
	for _, a := range r.Destinations {
		c.dests = append(c.dests, ix.compileAddr(a))
	}
	for _, t := range r.Targets {
		c.targets = append(c.targets, t.Kind+":"+t.Value)
	}
	return c
}

// orderRules sorts ordered firewalls: lowest priority (rule number) first, and at equal
// priority deny before allow. NACL: "rules are evaluated starting with the lowest
// numbered rule ... as soon as a rule matches traffic, it's applied"
// (docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html). NSG: "processed in priority
// order, with lower numbers processed before higher numbers ... processing stops" once a
// rule matches (learn.microsoft.com/azure/virtual-network/network-security-groups-overview).
// GCP: lower number wins, and a deny rule takes precedence over an allow rule of the same
// priority (cloud.google.com/firewall/docs/firewalls#priority_order_for_firewall_rules).
func orderRules(rs []*crule) {
	slices.SortStableFunc(rs, func(a, b *crule) int {
		return cmp.Or(cmp.Compare(a.priority, b.priority), cmp.Compare(boolInt(a.allow), boolInt(b.allow)))
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// indexFirewalls indexes every firewall by id and what it guards: network ACLs and
// NSGs by subnet (the subnet's firewall_ids or the firewall's subnet attachment), NIC
// NSGs by network, security groups and GCP firewalls by network.
func (ix *index) indexFirewalls() {
	s := ix.snap
	for i := range s.Firewalls {
		fw := &s.Firewalls[i]
		c := &cfw{fw: fw}
		ix.firewalls[fw.ID] = c
		for _, a := range fw.AttachedTo {
			switch {
			case a.Kind == "subnet" && fw.Kind == "aws-network-acl":
				ix.subnetNACLs[a.ID] = append(ix.subnetNACLs[a.ID], fw.ID)
			case a.Kind == "subnet" && fw.Kind == "azure-nsg":
				ix.subnetNSGs[a.ID] = append(ix.subnetNSGs[a.ID], fw.ID)
			}
		}
		if fw.Kind == "aws-security-group" || fw.Kind == "gcp-firewall" {
			if fw.NetworkID != "" {
				ix.fwByNet[fw.NetworkID] = append(ix.fwByNet[fw.NetworkID], c)
			}
		}
	}
	for i := range s.Subnets {
		sn := &s.Subnets[i]
		for _, id := range sn.FirewallIDs {
			c := ix.firewalls[id]
			if c == nil {
				continue
			}
			switch c.fw.Kind {
			case "aws-network-acl":
				ix.subnetNACLs[sn.ID] = append(ix.subnetNACLs[sn.ID], id)
			case "azure-nsg":
				ix.subnetNSGs[sn.ID] = append(ix.subnetNSGs[sn.ID], id)
			}
		}
	}
	for _, m := range []map[string][]string{ix.subnetNACLs, ix.subnetNSGs} {
		for k := range m {
			slices.Sort(m[k])
			m[k] = slices.Compact(m[k])
		}
	}
	// NIC NSGs: an NSG attached to interfaces guards NICs of its network when it names
	// one; else (the snapshot does not say which VNet a NIC is in) of every VNet of its
	// subscription and region (an assumption the destination records).
	for i := range s.Firewalls {
		fw := &s.Firewalls[i]
		if fw.Kind != "azure-nsg" || !slices.ContainsFunc(fw.AttachedTo, func(a snapshot.Attachment) bool { return a.Kind == "interface" }) {
			continue
		}
		key := fw.NetworkID
		if key == "" {
			key = "sub:" + strings.ToLower(fw.Account) + "|" + strings.ToLower(fw.Region)
		}
		ix.nicNSGsByNet[key] = append(ix.nicNSGsByNet[key], fw.ID)
	}
}

// nsgDefaults are Azure's default inbound rules, applied when the snapshot has none of
// them (the collector records defaultSecurityRules; hand-written estates may not):
// AllowVnetInBound 65000, AllowAzureLoadBalancerInBound 65001, DenyAllInBound 65500
// (learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules).
func nsgDefaults(fw *snapshot.Firewall, ingress []*crule) []*crule {
	for _, r := range ingress {
		if r.priority >= 65000 {
			return nil
		}
	}
	mk := func(name string, prio int, allow bool, src string) *crule {
		kind := snapshot.AddrServiceTag
		if src == "*" {
			kind = snapshot.AddrAny
		}
		c := &crule{fwID: fw.ID, fwKind: fw.Kind, key: name, direction: "ingress", allow: allow, priority: prio, index: -1,
			proto: "all", ports: []PortRange{{From: 0, To: 65535}}, implicit: true,
			note: "Azure default rule (not in the snapshot)"}
		c.sources = []caddr{{kind: kind, value: src, lower: strings.ToLower(src), open: kind == snapshot.AddrAny}}
		return c
	}
	return []*crule{
		mk("AllowVnetInBound", 65000, true, "VirtualNetwork"),
		mk("AllowAzureLoadBalancerInBound", 65001, true, "AzureLoadBalancer"),
		mk("DenyAllInBound", 65500, false, "*"),
	}
}
