package azure

import (
	"strings"
	"sync"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Azure resource ids are case-insensitive and the API is not consistent in their casing
// (a subnet's reference to its NSG may spell the resource group in upper case while the
// NSG's own id does not). Every id this collector emits is canonicalized in two steps:
//
//  1. structure: "/subscriptions/{subscription, lower case}/resourceGroups/{group}/providers/
//     {namespace}/{type}/{name}[/{child type}/{child name}]…", with the fixed segments, the
//     namespace (Microsoft.Network, Microsoft.Cdn) and the resource types spelled as the
//     ARM specs spell them (virtualNetworks, hubRouteTables, dnszones, privateDnsZones, …),
//     the way collectors/konnect builds its ids; names are left as they are;
//  2. casing of names: a reference takes the exact spelling of the resource's own id as
//     listed (when the collector listed it), so references and entities join exactly.
//
// The Konnect side names the customer's VNets, hubs and private zones with the names the
// customer typed into Konnect, which may differ in case from Azure's: MatchKonnectIDs
// rewrites those to the spelling of the cloud entity they name, after the merge.

// canonicalTypes spells the namespaces and resource types as the ARM specs do.
var canonicalTypes = func() map[string]string {
	m := map[string]string{}
	for _, t := range []string{
		"Microsoft.Network", "Microsoft.Cdn",
		"virtualNetworks", "subnets", "virtualNetworkPeerings", "routeTables", "routes",
		"networkSecurityGroups", "securityRules", "defaultSecurityRules", "networkInterfaces",
		"ipConfigurations", "applicationSecurityGroups", "virtualWans", "virtualHubs",
		"hubRouteTables", "hubVirtualNetworkConnections", "vpnGateways", "vpnConnections",
		"expressRouteGateways", "expressRouteConnections", "p2sVpnGateways", "azureFirewalls",
		"applicationGateways", "backendAddressPools", "backendHttpSettingsCollection",
		"httpListeners", "frontendPorts", "frontendIPConfigurations", "requestRoutingRules",
		"redirectConfigurations", "sslProfiles", "ApplicationGatewayWebApplicationFirewallPolicies",
		"FrontDoorWebApplicationFirewallPolicies", "publicIPAddresses", "dnszones",
		"privateDnsZones", "virtualNetworkLinks", "profiles", "afdEndpoints", "originGroups",
		"origins", "securityPolicies", "customDomains",
	} {
		m[strings.ToLower(t)] = t
	}
	// Record set types keep the API's upper case (…/dnszones/{zone}/CNAME/{name}).
	for _, t := range []string{"A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT", "CAA"} {
		m[strings.ToLower(t)] = t
	}
	return m
}()

// canonicalID fixes the structure of an Azure resource id (step 1 above). A value that
// is not a resource id is returned trimmed.
func canonicalID(id string) string {
	id = strings.TrimSpace(id)
	if !strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
		return id
	}
	parts := strings.Split(strings.TrimSuffix(id, "/"), "/")
	// parts[0] is "", parts[1] "subscriptions", parts[2] the subscription.
	parts[1] = "subscriptions"
	parts[2] = strings.ToLower(parts[2])
	i := 3
	if len(parts) > 4 && strings.EqualFold(parts[3], "resourceGroups") {
		parts[3] = "resourceGroups"
		i = 5
	}
	if len(parts) > i+1 && strings.EqualFold(parts[i], "providers") {
		parts[i] = "providers"
		if c, ok := canonicalTypes[strings.ToLower(parts[i+1])]; ok {
			parts[i+1] = c
		}
		// Types are at i+2, i+4, …; names follow them.
		for j := i + 2; j < len(parts); j += 2 {
			if c, ok := canonicalTypes[strings.ToLower(parts[j])]; ok {
				parts[j] = c
			}
		}
	}
	return strings.Join(parts, "/")
}

// parentID is the id of the resource that holds a child resource: the VNet of a subnet,
// the hub of a hub route table. It returns "" when id has no parent.
func parentID(id string) string {
	parts := strings.Split(id, "/")
	// /subscriptions/s/resourceGroups/g/providers/ns/type/name = 9 parts.
	if len(parts) < 11 {
		return ""
	}
	return strings.Join(parts[:len(parts)-2], "/")
}

// subscriptionOf is the subscription of an Azure resource id, lower case.
func subscriptionOf(id string) string {
	parts := strings.Split(id, "/")
	if len(parts) > 2 && strings.EqualFold(parts[1], "subscriptions") {
		return strings.ToLower(parts[2])
	}
	return ""
}

// resourceGroupOf is the resource group of an Azure resource id.
func resourceGroupOf(id string) string {
	parts := strings.Split(id, "/")
	if len(parts) > 4 && strings.EqualFold(parts[3], "resourceGroups") {
		return parts[4]
	}
	return ""
}

// lastName is the last segment of an id (the resource's name).
func lastName(id string) string {
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[i+1:]
	}
	return id
}

// registry remembers the spelling of the ids of listed resources (step 2 above).
type registry struct {
	mu  sync.Mutex
	ids map[string]string
}

func newRegistry() *registry { return &registry{ids: map[string]string{}} }

// add records id (already canonical) as the spelling of its resource.
func (r *registry) add(id string) {
	if id == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := strings.ToLower(id)
	if _, ok := r.ids[key]; !ok {
		r.ids[key] = id
	}
}

// resolve returns the listed spelling of id, or its canonical structure.
func (r *registry) resolve(id string) string {
	c := canonicalID(id)
	if c == "" {
		return ""
	}
	if listed, ok := r.ids[strings.ToLower(c)]; ok {
		return listed
	}
	return c
}

// mapIDs applies f to ids and returns them sorted without repeats.
func mapIDs(ids []string, f func(string) string) []string {
	if ids == nil {
		return nil
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, f(id))
	}
	return snapshot.SortedSet(out)
}

// unify gives every reference in s the listed spelling of the id it names; an id that
// no listing returned (Kong's VNet, a resource of another subscription) takes the
// smallest of the spellings it is referred to by, so that it is spelled one way.
func (r *registry) unify(s *snapshot.Snapshot) {
	refs := map[string]string{}
	r.rewrite(s, func(id string) string {
		c := canonicalID(id)
		k := strings.ToLower(c)
		if _, listed := r.ids[k]; !listed && c != "" {
			if cur, ok := refs[k]; !ok || c < cur {
				refs[k] = c
			}
		}
		return id
	})
	for k, v := range refs {
		r.ids[k] = v
	}
	r.rewrite(s, r.resolve)
}

// register adds the own ids of every entity of s.
func (r *registry) register(s *snapshot.Snapshot) {
	for _, x := range s.Networks {
		r.add(x.ID)
	}
	for _, x := range s.Subnets {
		r.add(x.ID)
	}
	for _, x := range s.RouteTables {
		r.add(x.ID)
	}
	for _, x := range s.Peerings {
		r.add(x.ID)
	}
	for _, x := range s.Hubs {
		r.add(x.ID)
	}
	for _, x := range s.HubAttachments {
		r.add(x.ID)
	}
	for _, x := range s.HubRouteTables {
		r.add(x.ID)
	}
	for _, x := range s.Firewalls {
		r.add(x.ID)
	}
	for _, x := range s.LoadBalancers {
		r.add(x.ID)
	}
	for _, x := range s.TargetGroups {
		r.add(x.ID)
	}
	for _, x := range s.DNSZones {
		r.add(x.ID)
	}
	for _, x := range s.DNSRecords {
		r.add(x.ID)
	}
}

// rewrite replaces every reference in s by resolve(reference).
func (r *registry) rewrite(s *snapshot.Snapshot, resolve func(string) string) {
	resolveAll := func(ids []string) []string { return mapIDs(ids, resolve) }
	for i := range s.Subnets {
		x := &s.Subnets[i]
		x.NetworkID = resolve(x.NetworkID)
		x.RouteTableID = resolve(x.RouteTableID)
		x.FirewallIDs = resolveAll(x.FirewallIDs)
	}
	for i := range s.RouteTables {
		x := &s.RouteTables[i]
		x.NetworkID = resolve(x.NetworkID)
		x.SubnetIDs = resolveAll(x.SubnetIDs)
		for j := range x.Routes {
			if strings.HasPrefix(x.Routes[j].TargetID, "/") {
				x.Routes[j].TargetID = resolve(x.Routes[j].TargetID)
			}
		}
	}
	for i := range s.Peerings {
		x := &s.Peerings[i]
		x.Local.NetworkID = resolve(x.Local.NetworkID)
		x.Remote.NetworkID = resolve(x.Remote.NetworkID)
	}
	for i := range s.HubAttachments {
		x := &s.HubAttachments[i]
		x.HubID = resolve(x.HubID)
		x.NetworkID = resolve(x.NetworkID)
		x.AssociatedRouteTableID = resolve(x.AssociatedRouteTableID)
		x.PropagatedRouteTableIDs = resolveAll(x.PropagatedRouteTableIDs)
	}
	for i := range s.HubRouteTables {
		x := &s.HubRouteTables[i]
		x.HubID = resolve(x.HubID)
		x.Associations = resolveAll(x.Associations)
		x.Propagations = resolveAll(x.Propagations)
		for j := range x.Routes {
			x.Routes[j].AttachmentIDs = resolveAll(x.Routes[j].AttachmentIDs)
		}
	}
	for i := range s.Hubs {
		x := &s.Hubs[i]
		x.AssociationDefaultRouteTableID = resolve(x.AssociationDefaultRouteTableID)
		x.PropagationDefaultRouteTableID = resolve(x.PropagationDefaultRouteTableID)
	}
	for i := range s.Firewalls {
		x := &s.Firewalls[i]
		x.NetworkID = resolve(x.NetworkID)
		for j := range x.AttachedTo {
			x.AttachedTo[j].ID = resolve(x.AttachedTo[j].ID)
		}
		for j := range x.Rules {
			for _, peers := range [][]snapshot.Address{x.Rules[j].Sources, x.Rules[j].Destinations} {
				for k := range peers {
					if peers[k].Kind == snapshot.AddrGroup {
						peers[k].Value = resolve(peers[k].Value)
					}
				}
			}
		}
	}
	for i := range s.LoadBalancers {
		x := &s.LoadBalancers[i]
		x.NetworkID = resolve(x.NetworkID)
		x.WAFID = resolve(x.WAFID)
		x.FirewallIDs = resolveAll(x.FirewallIDs)
		x.TargetGroupIDs = resolveAll(x.TargetGroupIDs)
		for j := range x.Listeners {
			x.Listeners[j].DefaultAction.TargetGroupIDs = resolveAll(x.Listeners[j].DefaultAction.TargetGroupIDs)
		}
	}
	for i := range s.TargetGroups {
		x := &s.TargetGroups[i]
		x.NetworkID = resolve(x.NetworkID)
		x.LoadBalancerIDs = resolveAll(x.LoadBalancerIDs)
	}
	for i := range s.DNSZones {
		x := &s.DNSZones[i]
		x.NetworkIDs = resolveAll(x.NetworkIDs)
	}
	for i := range s.DNSRecords {
		x := &s.DNSRecords[i]
		x.ZoneID = resolve(x.ZoneID)
		if x.Alias != nil {
			x.Alias.TargetResource = resolve(x.Alias.TargetResource)
		}
	}
}

// MatchKonnectIDs gives the Azure ids on the Konnect side of a merged snapshot (the
// customer VNet and hub of an attachment, Kong's own VNet, an attached private zone) the
// exact spelling of the Azure entity they name, when the snapshot holds one that differs
// only in case (Konnect builds them from the names the customer typed). Call it after
// merging the Azure and Konnect collections and before evaluating: rules join ids exactly.
func MatchKonnectIDs(s *snapshot.Snapshot) {
	r := newRegistry()
	r.register(s)
	// Ids that only appear as references (Kong's VNet, a peering's remote side).
	for _, p := range s.Peerings {
		r.add(p.Remote.NetworkID)
		r.add(p.Local.NetworkID)
	}
	for _, h := range s.HubAttachments {
		r.add(h.NetworkID)
	}
	match := func(id string) string {
		if !strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
			return id
		}
		if listed, ok := r.ids[strings.ToLower(id)]; ok {
			return listed
		}
		if listed, ok := r.ids[strings.ToLower(canonicalID(id))]; ok {
			return listed
		}
		return id
	}
	for i := range s.Konnect.Networks {
		n := &s.Konnect.Networks[i]
		n.ProviderNetworkID = match(n.ProviderNetworkID)
		for j := range n.Attachments {
			a := &n.Attachments[j]
			a.NetworkID = match(a.NetworkID)
			a.PeeringID = match(a.PeeringID)
			a.HubID = match(a.HubID)
			a.HubAttachmentID = match(a.HubAttachmentID)
		}
		for j := range n.PrivateDNS {
			n.PrivateDNS[j].ZoneID = match(n.PrivateDNS[j].ZoneID)
		}
	}
}
