package azure

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// securityGroups lists the NSGs with their rules (custom and default) and what they are
// attached to (subnets, network interfaces).
func (u *unit) securityGroups() error {
	const op = "list network security groups"
	client, err := armnetwork.NewSecurityGroupsClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	eachItem(u.ctx, &u.scope, op, client.NewListAllPager(nil),
		func(p armnetwork.SecurityGroupsClientListAllResponse) []*armnetwork.SecurityGroup { return p.Value },
		func(g *armnetwork.SecurityGroup) {
			if g.ID == nil {
				return
			}
			u.out.Firewalls = append(u.out.Firewalls, u.nsg(op, g))
		})
	return nil
}

func (u *unit) nsg(op string, g *armnetwork.SecurityGroup) snapshot.Firewall {
	fw := snapshot.Firewall{Entity: u.entity(g.ID, g.Name, g.Location, g.Tags), Kind: "azure-nsg", Stateful: true}
	p := g.Properties
	if p == nil {
		return fw
	}
	for _, s := range p.Subnets {
		if s != nil && s.ID != nil {
			fw.AttachedTo = append(fw.AttachedTo, snapshot.Attachment{Kind: "subnet", ID: snapshot.CanonicalAzureID(*s.ID)})
		}
	}
	for _, n := range p.NetworkInterfaces {
		if n != nil && n.ID != nil {
			fw.AttachedTo = append(fw.AttachedTo, snapshot.Attachment{Kind: "interface", ID: snapshot.CanonicalAzureID(*n.ID)})
		}
	}
	// An NSG has no VNet of its own; when all its subnets are in one VNet, that is its network.
	nets := map[string]bool{}
	for _, a := range fw.AttachedTo {
		if a.Kind == "subnet" {
			nets[strings.ToLower(parentID(a.ID))] = true
		}
	}
	if len(nets) == 1 {
		for _, a := range fw.AttachedTo {
			if a.Kind == "subnet" {
				fw.NetworkID = parentID(a.ID)
				break
			}
		}
	}
	for _, r := range append(append([]*armnetwork.SecurityRule{}, p.SecurityRules...), p.DefaultSecurityRules...) {
		if rule, ok := u.securityRule(op, fw.ID, r); ok {
			fw.Rules = append(fw.Rules, rule)
		}
	}
	return fw
}

// securityRule maps an NSG rule. Singular and plural prefix and port fields are read
// together; application security groups become group addresses.
func (u *unit) securityRule(op, nsgID string, r *armnetwork.SecurityRule) (snapshot.FirewallRule, bool) {
	if r == nil || r.Properties == nil {
		return snapshot.FirewallRule{}, false
	}
	p := r.Properties
	where := fmt.Sprintf("NSG %s rule %s", nsgID, deref(r.Name))
	rule := snapshot.FirewallRule{
		ID:          snapshot.CanonicalAzureID(deref(r.ID)),
		Priority:    int(deref(p.Priority)),
		Protocol:    nsgProtocol(string(deref(p.Protocol))),
		Description: deref(p.Description),
	}
	switch deref(p.Direction) {
	case armnetwork.SecurityRuleDirectionInbound:
		rule.Direction = "ingress"
	case armnetwork.SecurityRuleDirectionOutbound:
		rule.Direction = "egress"
	default:
		u.scope.Note(snapshot.ClassOther, op, fmt.Sprintf("%s: unknown direction %q; left out", where, deref(p.Direction)))
		return snapshot.FirewallRule{}, false
	}
	switch deref(p.Access) {
	case armnetwork.SecurityRuleAccessAllow:
		rule.Action = "allow"
	case armnetwork.SecurityRuleAccessDeny:
		rule.Action = "deny"
	default:
		u.scope.Note(snapshot.ClassOther, op, fmt.Sprintf("%s: unknown access %q; left out", where, deref(p.Access)))
		return snapshot.FirewallRule{}, false
	}
	if rule.ID == "" {
		rule.ID = nsgID + "/securityRules/" + deref(r.Name)
	}
	for _, pr := range append(derefs([]*string{p.DestinationPortRange}), derefs(p.DestinationPortRanges)...) {
		rng, ok := portRange(pr)
		if !ok {
			u.scope.Note(snapshot.ClassOther, op, fmt.Sprintf("%s: destination port range %q does not parse; rule left out", where, pr))
			return snapshot.FirewallRule{}, false
		}
		rule.Ports = append(rule.Ports, rng)
	}
	rule.Sources = nsgAddresses(append(derefs([]*string{p.SourceAddressPrefix}), derefs(p.SourceAddressPrefixes)...), p.SourceApplicationSecurityGroups)
	rule.Destinations = nsgAddresses(append(derefs([]*string{p.DestinationAddressPrefix}), derefs(p.DestinationAddressPrefixes)...), p.DestinationApplicationSecurityGroups)
	return rule, true
}

// nsgProtocol maps the NSG protocol: "*" is every protocol; ESP and AH are IANA numbers.
func nsgProtocol(p string) string {
	switch strings.ToLower(p) {
	case "*", "", "any":
		return "all"
	case "esp":
		return "50"
	case "ah":
		return "51"
	}
	return strings.ToLower(p)
}

// portRange parses "443", "8000-8100" or "*" (every port).
func portRange(s string) (snapshot.PortRange, bool) {
	s = strings.TrimSpace(s)
	if s == "*" || strings.EqualFold(s, "any") {
		return snapshot.PortRange{From: 0, To: 65535}, true
	}
	lo, hi, isRange := strings.Cut(s, "-")
	from, err := strconv.Atoi(strings.TrimSpace(lo))
	if err != nil {
		return snapshot.PortRange{}, false
	}
	to := from
	if isRange {
		if to, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
			return snapshot.PortRange{}, false
		}
	}
	if from < 0 || to > 65535 || from > to {
		return snapshot.PortRange{}, false
	}
	return snapshot.PortRange{From: from, To: to}, true
}

// nsgAddresses normalizes NSG address prefixes:
//
//	"*", "Any"                   kind any (every address)
//	"0.0.0.0/0", "::/0", a CIDR  kind cidr (a bare IP becomes a /32 or /128)
//	"Internet" and other tags    kind service-tag with the tag as Azure spells it
//	application security groups  kind group with the ASG id
//
// The firewall rules read kind any, a prefix of length 0 and the Internet tag as open
// to the internet (dcgw.lib.edge open_address).
func nsgAddresses(prefixes []string, asgs []*armnetwork.ApplicationSecurityGroup) []snapshot.Address {
	var out []snapshot.Address
	for _, v := range prefixes {
		switch {
		case v == "*" || strings.EqualFold(v, "any"):
			out = append(out, snapshot.Address{Kind: snapshot.AddrAny})
		default:
			if pf, err := netip.ParsePrefix(v); err == nil {
				out = append(out, snapshot.Address{Kind: snapshot.AddrCIDR, Value: pf.String()})
			} else if a, err := netip.ParseAddr(v); err == nil {
				out = append(out, snapshot.Address{Kind: snapshot.AddrCIDR, Value: netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()).String()})
			} else {
				out = append(out, snapshot.Address{Kind: snapshot.AddrServiceTag, Value: v})
			}
		}
	}
	for _, g := range asgs {
		if g != nil && g.ID != nil {
			out = append(out, snapshot.Address{Kind: snapshot.AddrGroup, Value: snapshot.CanonicalAzureID(*g.ID)})
		}
	}
	return out
}
