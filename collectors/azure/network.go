package azure

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// virtualNetworks lists the VNets with their subnets and peerings (both embedded in the
// VNet resource: one paged call per subscription).
func (u *unit) virtualNetworks() error {
	const op = "list virtual networks"
	client, err := armnetwork.NewVirtualNetworksClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	eachItem(u.ctx, &u.scope, op, client.NewListAllPager(nil),
		func(p armnetwork.VirtualNetworksClientListAllResponse) []*armnetwork.VirtualNetwork { return p.Value },
		func(v *armnetwork.VirtualNetwork) {
			if v.ID == nil {
				return
			}
			u.vnet(op, v)
		})
	return nil
}

func (u *unit) vnet(op string, v *armnetwork.VirtualNetwork) {
	n := snapshot.Network{Entity: u.entity(v.ID, v.Name, v.Location, v.Tags), Kind: "azure-vnet"}
	where := "virtual network " + n.ID
	p := v.Properties
	if p == nil {
		p = &armnetwork.VirtualNetworkPropertiesFormat{}
	}
	n.CIDRs = u.prefixes(op, where+" address prefix", addressSpace(p.AddressSpace))
	if p.DhcpOptions != nil {
		n.DNSServers = u.addrs(op, where+" DNS server", derefs(p.DhcpOptions.DNSServers))
	}
	u.out.Networks = append(u.out.Networks, n)

	for _, s := range p.Subnets {
		if s == nil || s.ID == nil {
			continue
		}
		sn := snapshot.Subnet{Entity: u.entity(s.ID, s.Name, v.Location, nil), NetworkID: n.ID}
		if sp := s.Properties; sp != nil {
			sn.CIDRs = u.prefixes(op, "subnet "+sn.ID+" address prefix", append(derefs([]*string{sp.AddressPrefix}), derefs(sp.AddressPrefixes)...))
			if sp.RouteTable != nil && sp.RouteTable.ID != nil {
				sn.RouteTableID = snapshot.CanonicalAzureID(*sp.RouteTable.ID)
			}
			if sp.NetworkSecurityGroup != nil && sp.NetworkSecurityGroup.ID != nil {
				sn.FirewallIDs = []string{snapshot.CanonicalAzureID(*sp.NetworkSecurityGroup.ID)}
			}
		}
		u.out.Subnets = append(u.out.Subnets, sn)
	}

	for _, pe := range p.VirtualNetworkPeerings {
		if pe == nil || pe.ID == nil {
			continue
		}
		u.out.Peerings = append(u.out.Peerings, u.peering(op, n, pe))
	}
}

// peering maps a VNet peering seen from its local VNet n. Remote.CIDRs is the remote
// VNet's current address space (remoteVirtualNetworkAddressSpace), Remote.PeeredCIDRs
// what was peered (remoteAddressSpace), which lags when the peering is not in sync; the
// local side likewise.
func (u *unit) peering(op string, n snapshot.Network, pe *armnetwork.VirtualNetworkPeering) snapshot.Peering {
	p := snapshot.Peering{Entity: u.entity(pe.ID, pe.Name, nil, nil), Kind: snapshot.PeeringAzure}
	p.Region = n.Region
	p.Local = snapshot.PeeringSide{NetworkID: n.ID, Account: n.Account, Region: n.Region}
	pp := pe.Properties
	if pp == nil {
		return p
	}
	where := "peering " + p.ID
	p.State = string(deref(pp.PeeringState))
	p.SyncLevel = string(deref(pp.PeeringSyncLevel))
	p.AllowForwardedTraffic = deref(pp.AllowForwardedTraffic)
	p.AllowGatewayTransit = deref(pp.AllowGatewayTransit)
	p.UseRemoteGateways = deref(pp.UseRemoteGateways)
	p.Local.CIDRs = u.prefixes(op, where+" local address space", addressSpace(pp.LocalVirtualNetworkAddressSpace))
	if len(p.Local.CIDRs) == 0 {
		p.Local.CIDRs = n.CIDRs
	}
	p.Local.PeeredCIDRs = u.prefixes(op, where+" local peered address space", addressSpace(pp.LocalAddressSpace))
	if pp.RemoteVirtualNetwork != nil && pp.RemoteVirtualNetwork.ID != nil {
		p.Remote.NetworkID = snapshot.CanonicalAzureID(*pp.RemoteVirtualNetwork.ID)
		p.Remote.Account = subscriptionOf(p.Remote.NetworkID)
	}
	p.Remote.CIDRs = u.prefixes(op, where+" remote address space", addressSpace(pp.RemoteVirtualNetworkAddressSpace))
	p.Remote.PeeredCIDRs = u.prefixes(op, where+" remote peered address space", addressSpace(pp.RemoteAddressSpace))
	return p
}

func addressSpace(a *armnetwork.AddressSpace) []string {
	if a == nil {
		return nil
	}
	return derefs(a.AddressPrefixes)
}

// prefixes returns the CIDRs of vals sorted without repeats; one that does not parse
// is left out and noted (the scope becomes partial).
func (u *unit) prefixes(op, what string, vals []string) []string {
	var out []string
	for _, v := range vals {
		pf, err := netip.ParsePrefix(v)
		if err != nil {
			u.scope.Note(snapshot.ClassOther, op, fmt.Sprintf("%s %q does not parse; left out", what, v))
			continue
		}
		out = append(out, pf.String())
	}
	return snapshot.SortedSet(out)
}

// addrs returns the IP addresses of vals sorted without repeats, noting those that do
// not parse.
func (u *unit) addrs(op, what string, vals []string) []string {
	var out []string
	for _, v := range vals {
		a, err := netip.ParseAddr(v)
		if err != nil {
			u.scope.Note(snapshot.ClassOther, op, fmt.Sprintf("%s %q does not parse; left out", what, v))
			continue
		}
		out = append(out, a.Unmap().String())
	}
	return snapshot.SortedSet(out)
}

// routeTables lists the route tables (user-defined routes) with the subnets using them.
// The system routes of their VNet are added once every unit ran (addSystemRoutes).
func (u *unit) routeTables() error {
	const op = "list route tables"
	client, err := armnetwork.NewRouteTablesClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	eachItem(u.ctx, &u.scope, op, client.NewListAllPager(nil),
		func(p armnetwork.RouteTablesClientListAllResponse) []*armnetwork.RouteTable { return p.Value },
		func(t *armnetwork.RouteTable) {
			if t.ID == nil {
				return
			}
			rt := snapshot.RouteTable{Entity: u.entity(t.ID, t.Name, t.Location, t.Tags)}
			if p := t.Properties; p != nil {
				for _, s := range p.Subnets {
					if s != nil && s.ID != nil {
						rt.SubnetIDs = append(rt.SubnetIDs, snapshot.CanonicalAzureID(*s.ID))
					}
				}
				rt.SubnetIDs = snapshot.SortedSet(rt.SubnetIDs)
				for _, r := range p.Routes {
					if route, ok := u.route(op, rt.ID, r); ok {
						rt.Routes = append(rt.Routes, route)
					}
				}
			}
			if len(rt.SubnetIDs) > 0 {
				rt.NetworkID = parentID(rt.SubnetIDs[0])
			}
			u.out.RouteTables = append(u.out.RouteTables, rt)
		})
	return nil
}

// route maps a user-defined route (origin static).
func (u *unit) route(op, tableID string, r *armnetwork.Route) (snapshot.Route, bool) {
	if r == nil || r.Properties == nil {
		return snapshot.Route{}, false
	}
	p := r.Properties
	dest := deref(p.AddressPrefix)
	pf, err := netip.ParsePrefix(dest)
	if err != nil {
		// A service tag destination (e.g. "AzureCloud") has no CIDR in the model.
		u.scope.Note(snapshot.ClassOther, op, fmt.Sprintf("route table %s route %s: destination %q is not a CIDR (service tag routes are not modelled); left out", tableID, deref(r.Name), dest))
		return snapshot.Route{}, false
	}
	route := snapshot.Route{Destination: pf.String(), State: "active", Origin: "static"}
	switch deref(p.NextHopType) {
	case armnetwork.RouteNextHopTypeVnetLocal:
		route.TargetKind = snapshot.TargetLocal
	case armnetwork.RouteNextHopTypeInternet:
		route.TargetKind = snapshot.TargetInternet
	case armnetwork.RouteNextHopTypeVirtualAppliance:
		route.TargetKind = snapshot.TargetAppliance
		route.TargetID = deref(p.NextHopIPAddress)
	case armnetwork.RouteNextHopTypeVirtualNetworkGateway:
		route.TargetKind = snapshot.TargetVPN
	case armnetwork.RouteNextHopTypeNone:
		route.TargetKind = snapshot.TargetNone
	default:
		route.TargetKind = snapshot.TargetOther
		route.TargetID = string(deref(p.NextHopType))
	}
	return route, true
}

// Azure's default system routes that drop private ranges outside the VNet
// (MSDOC virtual-network/virtual-networks-udr-overview#default).
var systemDrops = []string{"10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16"}

// addSystemRoutes adds to every route table the system routes Azure gives the subnets
// of its VNet (user-defined routes beat them for equal prefixes, the rules' lookup does
// that): the VNet's prefixes (local), the peered address space of each Connected
// peering (peering), 0.0.0.0/0 and ::/0 (internet) and the private ranges Azure drops.
// Routes learned from a Virtual WAN hub or a VPN gateway are not readable without the
// effective-routes operations (POST) and are left to the rules. A route table whose
// VNet's subscription could not be read gets no system routes and its scope is partial.
func addSystemRoutes(s *snapshot.Snapshot, units []*unit) {
	nets := map[string]snapshot.Network{}
	for _, n := range s.Networks {
		nets[strings.ToLower(n.ID)] = n
	}
	peerings := map[string][]snapshot.Peering{}
	for _, p := range s.Peerings {
		k := strings.ToLower(p.Local.NetworkID)
		peerings[k] = append(peerings[k], p)
	}
	vnetRead := map[string]bool{}
	for _, u := range units {
		if u.scope.Service == ServiceVirtualNetworks && !u.scope.Incomplete() {
			vnetRead[u.sub] = true
		}
	}
	missing := map[string][]string{} // subscription -> tables left without system routes
	for i := range s.RouteTables {
		rt := &s.RouteTables[i]
		if rt.NetworkID == "" {
			continue
		}
		n, ok := nets[strings.ToLower(rt.NetworkID)]
		if !ok || !vnetRead[subscriptionOf(rt.NetworkID)] {
			missing[rt.Account] = append(missing[rt.Account], rt.ID)
			continue
		}
		rt.NetworkID = n.ID
		v6 := false
		for _, c := range n.CIDRs {
			rt.Routes = append(rt.Routes, snapshot.Route{Destination: c, TargetKind: snapshot.TargetLocal, State: "active", Origin: "system"})
			v6 = v6 || strings.Contains(c, ":")
		}
		for _, p := range peerings[strings.ToLower(n.ID)] {
			if !strings.EqualFold(p.State, "Connected") {
				continue
			}
			// The routes follow what was peered; the current space when none is reported.
			space := p.Remote.PeeredCIDRs
			if len(space) == 0 {
				space = p.Remote.CIDRs
			}
			for _, c := range space {
				rt.Routes = append(rt.Routes, snapshot.Route{Destination: c, TargetKind: snapshot.TargetPeering, TargetID: p.ID, State: "active", Origin: "system"})
			}
		}
		rt.Routes = append(rt.Routes, snapshot.Route{Destination: "0.0.0.0/0", TargetKind: snapshot.TargetInternet, State: "active", Origin: "system"})
		if v6 {
			rt.Routes = append(rt.Routes, snapshot.Route{Destination: "::/0", TargetKind: snapshot.TargetInternet, State: "active", Origin: "system"})
		}
		for _, d := range systemDrops {
			rt.Routes = append(rt.Routes, snapshot.Route{Destination: d, TargetKind: snapshot.TargetNone, State: "active", Origin: "system"})
		}
	}
	for i := range s.Scopes {
		sc := &s.Scopes[i]
		if sc.Provider != providerAzure || sc.Service != ServiceRouteTables || len(missing[sc.Account]) == 0 {
			continue
		}
		sc.Note(snapshot.ClassOther, "list virtual networks", fmt.Sprintf(
			"the virtual networks of route tables %s could not be read, so their system routes (VNet, peerings) are missing",
			strings.Join(snapshot.SortedSet(missing[sc.Account]), ", ")))
	}
}
