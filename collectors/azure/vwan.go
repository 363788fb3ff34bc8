package azure

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// virtualWANs lists the Virtual WAN hubs of the subscription and, per hub, its route
// tables and virtual network connections. The hub route tables list their associated
// and propagating connections as Azure resolved them (labels included), so the VPN,
// ExpressRoute and P2S connections appear there by id too.
func (u *unit) virtualWANs() error {
	hubs, err := armnetwork.NewVirtualHubsClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	tables, err := armnetwork.NewHubRouteTablesClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	conns, err := armnetwork.NewHubVirtualNetworkConnectionsClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	var listed []snapshot.Hub
	ok := eachItem(u.ctx, &u.scope, "list virtual hubs", hubs.NewListPager(nil),
		func(p armnetwork.VirtualHubsClientListResponse) []*armnetwork.VirtualHub { return p.Value },
		func(h *armnetwork.VirtualHub) {
			if h.ID != nil {
				listed = append(listed, u.hub(h))
			}
		})
	if !ok {
		return nil
	}
	u.out.Hubs = listed
	for _, h := range listed {
		rg := resourceGroupOf(h.ID)
		u.hubRouteTables(tables, h, rg)
		u.hubConnections(conns, h, rg)
	}
	return nil
}

func (u *unit) hub(h *armnetwork.VirtualHub) snapshot.Hub {
	hub := snapshot.Hub{Entity: u.entity(h.ID, h.Name, h.Location, h.Tags), Kind: "azure-virtual-hub"}
	// Connections associate with and propagate to the hub's Default route table unless
	// their routing configuration says otherwise.
	hub.AssociationDefaultRouteTableID = hub.ID + "/hubRouteTables/defaultRouteTable"
	hub.PropagationDefaultRouteTableID = hub.AssociationDefaultRouteTableID
	if p := h.Properties; p != nil {
		hub.State = string(deref(p.ProvisioningState))
		hub.CIDRs = u.prefixes("list virtual hubs", "virtual hub "+hub.ID+" address prefix", derefs([]*string{p.AddressPrefix}))
	}
	return hub
}

func (u *unit) hubRouteTables(client *armnetwork.HubRouteTablesClient, hub snapshot.Hub, rg string) {
	op := "list hub route tables of " + hub.Name
	eachItem(u.ctx, &u.scope, op, client.NewListPager(rg, hub.Name, nil),
		func(p armnetwork.HubRouteTablesClientListResponse) []*armnetwork.HubRouteTable { return p.Value },
		func(t *armnetwork.HubRouteTable) {
			if t.ID == nil {
				return
			}
			rt := snapshot.HubRouteTable{Entity: u.entity(t.ID, t.Name, nil, nil), HubID: hub.ID}
			rt.Region = hub.Region
			rt.Default = strings.EqualFold(lastName(rt.ID), "defaultRouteTable")
			if p := t.Properties; p != nil {
				rt.Labels = snapshot.SortedSet(derefs(p.Labels))
				rt.Associations = canonicalIDs(derefs(p.AssociatedConnections))
				rt.Propagations = canonicalIDs(derefs(p.PropagatingConnections))
				for _, r := range p.Routes {
					rt.Routes = append(rt.Routes, u.hubRoutes(op, rt.ID, r)...)
				}
			}
			u.out.HubRouteTables = append(u.out.HubRouteTables, rt)
		})
}

// hubRoutes maps one static hub route (one per destination CIDR). Routes learned by
// propagation are not part of the resource: the rules derive them from the tables'
// propagating connections.
func (u *unit) hubRoutes(op, tableID string, r *armnetwork.HubRoute) []snapshot.HubRoute {
	if r == nil {
		return nil
	}
	var hops []string
	if r.NextHop != nil && *r.NextHop != "" {
		hops = []string{snapshot.CanonicalAzureID(*r.NextHop)}
	}
	var out []snapshot.HubRoute
	for _, d := range derefs(r.Destinations) {
		pf, err := netip.ParsePrefix(d)
		if err != nil {
			u.scope.Note(snapshot.ClassOther, op, fmt.Sprintf("hub route table %s route %s: destination %q (type %s) is not a CIDR; left out", tableID, deref(r.Name), d, deref(r.DestinationType)))
			continue
		}
		out = append(out, snapshot.HubRoute{Destination: pf.String(), AttachmentIDs: hops, Type: "static", State: "active"})
	}
	return out
}

func (u *unit) hubConnections(client *armnetwork.HubVirtualNetworkConnectionsClient, hub snapshot.Hub, rg string) {
	op := "list hub virtual network connections of " + hub.Name
	eachItem(u.ctx, &u.scope, op, client.NewListPager(rg, hub.Name, nil),
		func(p armnetwork.HubVirtualNetworkConnectionsClientListResponse) []*armnetwork.HubVirtualNetworkConnection {
			return p.Value
		},
		func(c *armnetwork.HubVirtualNetworkConnection) {
			if c.ID == nil {
				return
			}
			u.out.HubAttachments = append(u.out.HubAttachments, u.hubConnection(hub, c))
		})
}

// hubConnection maps a hub virtual network connection with its routing configuration.
// With no routing configuration it associates with the Default route table (Azure's
// default); its propagation is kept as Azure reports it (no labels and no tables means
// the "default" label, which the rules apply; the None table means none).
func (u *unit) hubConnection(hub snapshot.Hub, c *armnetwork.HubVirtualNetworkConnection) snapshot.HubAttachment {
	a := snapshot.HubAttachment{Entity: u.entity(c.ID, c.Name, nil, nil), HubID: hub.ID, Kind: "vnet"}
	a.Region = hub.Region
	a.AssociatedRouteTableID = hub.AssociationDefaultRouteTableID
	p := c.Properties
	if p == nil {
		return a
	}
	a.State = string(deref(p.ProvisioningState))
	if p.RemoteVirtualNetwork != nil && p.RemoteVirtualNetwork.ID != nil {
		a.NetworkID = snapshot.CanonicalAzureID(*p.RemoteVirtualNetwork.ID)
		a.OwnerAccount = subscriptionOf(a.NetworkID)
	}
	if rc := p.RoutingConfiguration; rc != nil {
		if rc.AssociatedRouteTable != nil && rc.AssociatedRouteTable.ID != nil && *rc.AssociatedRouteTable.ID != "" {
			a.AssociatedRouteTableID = snapshot.CanonicalAzureID(*rc.AssociatedRouteTable.ID)
		}
		if pr := rc.PropagatedRouteTables; pr != nil {
			for _, t := range pr.IDs {
				if t != nil && t.ID != nil {
					a.PropagatedRouteTableIDs = append(a.PropagatedRouteTableIDs, snapshot.CanonicalAzureID(*t.ID))
				}
			}
			a.PropagatedRouteTableIDs = snapshot.SortedSet(a.PropagatedRouteTableIDs)
			a.PropagationLabels = snapshot.SortedSet(derefs(pr.Labels))
		}
	}
	return a
}

func canonicalIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, snapshot.CanonicalAzureID(id))
	}
	return snapshot.SortedSet(out)
}
