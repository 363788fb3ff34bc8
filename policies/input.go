package policies

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/dcgw-scan/dcgw-scan/internal/regovalue"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// inputValue turns the snapshot into the policy input document: its JSON form as an
// OPA value (regovalue), converted member by member with one Converter. With release,
// each member is dropped from snap as soon as it is converted, so that the typed
// entities and their policy form are never both whole in memory; snap then holds what
// ReleaseEntities keeps, also when the conversion fails.
func inputValue(snap *snapshot.Snapshot, release bool) (ast.Value, error) {
	members, err := regovalue.Members(snap)
	if err != nil {
		return nil, err
	}
	if release {
		kept := *snap
		kept.ReleaseEntities()
		defer func() { *snap = kept }()
	}
	c := regovalue.NewConverter()
	pairs := make([][2]*ast.Term, 0, len(members))
	for _, m := range members {
		v, err := c.ToValue(m.Field.Interface())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		pairs = append(pairs, [2]*ast.Term{ast.StringTerm(m.Name), ast.NewTerm(v)})
		if release {
			m.Field.SetZero()
		}
	}
	return ast.NewObject(pairs...), nil
}

// location is where an entity lives.
type location struct {
	provider, account, region string
}

// locations indexes every entity of the snapshot by id: every top-level collection,
// the Konnect networks, and their attachments and private DNS attachments (which
// take their network's location). The first entity with an id wins.
func locations(snap *snapshot.Snapshot) map[string]location {
	locs := map[string]location{}
	add := func(e snapshot.Entity) {
		if _, ok := locs[e.ID]; !ok && e.ID != "" {
			locs[e.ID] = location{e.Provider, e.Account, e.Region}
		}
	}
	for _, n := range snap.Konnect.Networks {
		add(n.Entity)
		for _, a := range n.Attachments {
			add(snapshot.Entity{ID: a.ID, Provider: n.Provider, Account: n.Account, Region: n.Region})
		}
		for _, d := range n.PrivateDNS {
			add(snapshot.Entity{ID: d.ID, Provider: n.Provider, Account: n.Account, Region: n.Region})
		}
	}
	each(snap.Networks, func(x snapshot.Network) snapshot.Entity { return x.Entity }, add)
	each(snap.Subnets, func(x snapshot.Subnet) snapshot.Entity { return x.Entity }, add)
	each(snap.RouteTables, func(x snapshot.RouteTable) snapshot.Entity { return x.Entity }, add)
	each(snap.Peerings, func(x snapshot.Peering) snapshot.Entity { return x.Entity }, add)
	each(snap.Hubs, func(x snapshot.Hub) snapshot.Entity { return x.Entity }, add)
	each(snap.HubAttachments, func(x snapshot.HubAttachment) snapshot.Entity { return x.Entity }, add)
	each(snap.HubRouteTables, func(x snapshot.HubRouteTable) snapshot.Entity { return x.Entity }, add)
	each(snap.Firewalls, func(x snapshot.Firewall) snapshot.Entity { return x.Entity }, add)
	each(snap.PrefixLists, func(x snapshot.PrefixList) snapshot.Entity { return x.Entity }, add)
	each(snap.LoadBalancers, func(x snapshot.LoadBalancer) snapshot.Entity { return x.Entity }, add)
	each(snap.TargetGroups, func(x snapshot.TargetGroup) snapshot.Entity { return x.Entity }, add)
	each(snap.DNSZones, func(x snapshot.DNSZone) snapshot.Entity { return x.Entity }, add)
	each(snap.DNSRecords, func(x snapshot.DNSRecord) snapshot.Entity { return x.Entity }, add)
	each(snap.PrivateEndpoints, func(x snapshot.PrivateEndpoint) snapshot.Entity { return x.Entity }, add)
	each(snap.ResourceGateways, func(x snapshot.ResourceGateway) snapshot.Entity { return x.Entity }, add)
	each(snap.Shares, func(x snapshot.Share) snapshot.Entity { return x.Entity }, add)
	// DNS resolutions and custom domains carry no location to look up.
	return locs
}

func each[T any](xs []T, entity func(T) snapshot.Entity, add func(snapshot.Entity)) {
	for _, x := range xs {
		add(entity(x))
	}
}
