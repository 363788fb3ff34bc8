package snapshot

import (
	"slices"
	"strings"
)

// Azure resource ids are case-insensitive and the API is not consistent in their casing
// (a subnet's reference to its NSG may spell the resource group in upper case while the
// NSG's own id does not). The Azure collector canonicalizes every id it emits in two
// steps:
//
//  1. structure (CanonicalAzureID): "/subscriptions/{subscription, lower case}/
//     resourceGroups/{group}/providers/{namespace}/{type}/{name}[/{child type}/{child
//     name}]…", with the fixed segments, the namespace (Microsoft.Network,
//     Microsoft.Cdn) and the resource types spelled as the ARM specs spell them
//     (virtualNetworks, hubRouteTables, dnszones, privateDnsZones, …), the way
//     collectors/konnect builds its ids; names are left as they are;
//  2. casing of names: a reference takes the exact spelling of the resource's own id as
//     listed (when the collector listed it), so references and entities join exactly.
//
// The Konnect side names the customer's VNets, hubs and private zones with the names the
// customer typed into Konnect, which may differ in case from Azure's: NormalizeIDs
// rewrites those to the spelling of the cloud entity they name, after the merge.

// azureTypes spells the namespaces and resource types as the ARM specs do, by their
// lower case.
var azureTypes = func() map[string]string {
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

// CanonicalAzureID fixes the structure of an Azure resource id (step 1 above). A value
// that is not a resource id is returned trimmed.
func CanonicalAzureID(id string) string {
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
		if c, ok := azureTypes[strings.ToLower(parts[i+1])]; ok {
			parts[i+1] = c
		}
		// Types are at i+2, i+4, …; names follow them.
		for j := i + 2; j < len(parts); j += 2 {
			if c, ok := azureTypes[strings.ToLower(parts[j])]; ok {
				parts[j] = c
			}
		}
	}
	return strings.Join(parts, "/")
}

// NormalizeIDs gives the Azure ids on the Konnect side of a merged snapshot (the
// customer VNet and hub of an attachment, Kong's own VNet, an attached private zone) the
// exact spelling of the Azure entity they name, when the snapshot holds one that differs
// only in case (Konnect builds them from the names the customer typed). Other ids are
// left as they are. Call it after merging the Azure and Konnect collections and before
// evaluating: rules join ids exactly.
func (s *Snapshot) NormalizeIDs() {
	listed := map[string]string{} // lower case → the first spelling seen
	add := func(id string) {
		if id == "" {
			return
		}
		k := strings.ToLower(id)
		if _, ok := listed[k]; !ok {
			listed[k] = id
		}
	}
	for _, c := range collections {
		if slices.Contains(c.sources, "azure") {
			c.list.each(s, func(e Entity) { add(e.ID) })
		}
	}
	// Ids that only appear as references (Kong's VNet, a peering's remote side).
	for _, p := range s.Peerings {
		add(p.Remote.NetworkID)
		add(p.Local.NetworkID)
	}
	for _, h := range s.HubAttachments {
		add(h.NetworkID)
	}
	match := func(id string) string {
		if !strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
			return id
		}
		if l, ok := listed[strings.ToLower(id)]; ok {
			return l
		}
		if l, ok := listed[strings.ToLower(CanonicalAzureID(id))]; ok {
			return l
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
