package azure

import (
	"strings"
	"sync"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Every id this collector emits is canonicalized in the two steps described in
// snapshot/azureid.go: its structure by snapshot.CanonicalAzureID, then the casing of
// its names by the registry below: a reference takes the exact spelling of the
// resource's own id as listed (when the collector listed it).

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
	c := snapshot.CanonicalAzureID(id)
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
		c := snapshot.CanonicalAzureID(id)
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
	s.EachEntity(func(_ string, e snapshot.Entity) { r.add(e.ID) })
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
