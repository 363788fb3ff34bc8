package snapshot

import "slices"

// SortedSet returns vals sorted without repeats or empty strings, nil when none remain:
// how collectors write lists whose order and duplicates mean nothing (subnet ids,
// labels, addresses), so two collections of one estate are byte-identical.
func SortedSet(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// entity gives generic code the Entity a resource embeds.
func (e *Entity) entity() *Entity { return e }

type entityPtr[T any] interface {
	*T
	entity() *Entity
}

// Merge appends every collection and the scopes of o to s (no deduplication: see
// Dedupe). Collectors return partial snapshots that the caller merges into one.
func (s *Snapshot) Merge(o *Snapshot) {
	s.Konnect.Networks = append(s.Konnect.Networks, o.Konnect.Networks...)
	s.Konnect.CustomDomains = append(s.Konnect.CustomDomains, o.Konnect.CustomDomains...)
	s.Konnect.Availability = append(s.Konnect.Availability, o.Konnect.Availability...)
	s.Networks = append(s.Networks, o.Networks...)
	s.Subnets = append(s.Subnets, o.Subnets...)
	s.RouteTables = append(s.RouteTables, o.RouteTables...)
	s.Peerings = append(s.Peerings, o.Peerings...)
	s.Hubs = append(s.Hubs, o.Hubs...)
	s.HubAttachments = append(s.HubAttachments, o.HubAttachments...)
	s.HubRouteTables = append(s.HubRouteTables, o.HubRouteTables...)
	s.Firewalls = append(s.Firewalls, o.Firewalls...)
	s.PrefixLists = append(s.PrefixLists, o.PrefixLists...)
	s.LoadBalancers = append(s.LoadBalancers, o.LoadBalancers...)
	s.TargetGroups = append(s.TargetGroups, o.TargetGroups...)
	s.DNSZones = append(s.DNSZones, o.DNSZones...)
	s.DNSRecords = append(s.DNSRecords, o.DNSRecords...)
	s.DNSResolutions = append(s.DNSResolutions, o.DNSResolutions...)
	s.PrivateEndpoints = append(s.PrivateEndpoints, o.PrivateEndpoints...)
	s.ResourceGateways = append(s.ResourceGateways, o.ResourceGateways...)
	s.Shares = append(s.Shares, o.Shares...)
	s.Scopes = append(s.Scopes, o.Scopes...)
}

// Filter is a snapshot with the cloud entities of s that keep accepts (no Konnect
// side, DNS resolutions or scopes).
func (s *Snapshot) Filter(keep func(Entity) bool) *Snapshot {
	return s.filterEach(func() func(Entity) bool { return keep })
}

// Dedupe keeps the first entity of each id in every cloud collection: the same
// resource seen from two accounts or regions (a shared transit gateway, both ends of a
// peering) is one entity.
func (s *Snapshot) Dedupe() {
	d := s.filterEach(func() func(Entity) bool {
		seen := map[string]bool{}
		return func(e Entity) bool {
			if seen[e.ID] {
				return false
			}
			seen[e.ID] = true
			return true
		}
	})
	d.SchemaVersion, d.Name, d.CollectedAt = s.SchemaVersion, s.Name, s.CollectedAt
	d.Konnect, d.DNSResolutions, d.Scopes = s.Konnect, s.DNSResolutions, s.Scopes
	*s = *d
}

// filterEach is Filter with a fresh predicate per collection.
func (s *Snapshot) filterEach(keep func() func(Entity) bool) *Snapshot {
	return &Snapshot{
		Networks:         filter(s.Networks, keep()),
		Subnets:          filter(s.Subnets, keep()),
		RouteTables:      filter(s.RouteTables, keep()),
		Peerings:         filter(s.Peerings, keep()),
		Hubs:             filter(s.Hubs, keep()),
		HubAttachments:   filter(s.HubAttachments, keep()),
		HubRouteTables:   filter(s.HubRouteTables, keep()),
		Firewalls:        filter(s.Firewalls, keep()),
		PrefixLists:      filter(s.PrefixLists, keep()),
		LoadBalancers:    filter(s.LoadBalancers, keep()),
		TargetGroups:     filter(s.TargetGroups, keep()),
		DNSZones:         filter(s.DNSZones, keep()),
		DNSRecords:       filter(s.DNSRecords, keep()),
		PrivateEndpoints: filter(s.PrivateEndpoints, keep()),
		ResourceGateways: filter(s.ResourceGateways, keep()),
		Shares:           filter(s.Shares, keep()),
	}
}

func filter[T any, P entityPtr[T]](xs []T, keep func(Entity) bool) []T {
	var out []T
	for i := range xs {
		if keep(*P(&xs[i]).entity()) {
			out = append(out, xs[i])
		}
	}
	return out
}
