package snapshot

import (
	"cmp"
	"slices"
	"strings"
)

// collections is the table of the snapshot's entity collections, in document order.
// Everything that goes over every collection (Collections, Sources, loading, the
// id checks, Merge, Filter, Dedupe, Sort, EachEntity) is driven by it: adding a
// collection is its model field plus one entry here. TestCollectionsTable fails when
// a slice field of Snapshot or Konnect has no entry, or an entry no field.
var collections = []collection{
	{"konnect.networks", []string{"konnect"}, list[KonnectNetwork]{
		get: func(s *Snapshot) *[]KonnectNetwork { return &s.Konnect.Networks },
		id:  func(n KonnectNetwork) string { return n.ID },
		// The attachments and private DNS attachments are entities of their own
		// (findings name them), in their network's place.
		entities: func(n *KonnectNetwork, visit func(Entity)) {
			visit(n.Entity)
			for _, a := range n.Attachments {
				visit(Entity{ID: a.ID, Provider: n.Provider, Account: n.Account, Region: n.Region, Name: a.Name})
			}
			for _, d := range n.PrivateDNS {
				visit(Entity{ID: d.ID, Provider: n.Provider, Account: n.Account, Region: n.Region, Name: d.Name})
			}
		},
		sortElem: func(n *KonnectNetwork) {
			slices.Sort(n.AvailabilityZones)
			slices.SortFunc(n.DataPlaneIPs, compareAddr)
			slices.SortFunc(n.EgressIPs, compareAddr)
			slices.Sort(n.Hostnames)
			sortByID(n.Attachments, func(a KonnectAttachment) string { return a.ID })
			for j := range n.Attachments {
				a := &n.Attachments[j]
				slices.SortFunc(a.CIDRBlocks, comparePrefix)
				sortByID(a.ResourceConfigs, func(r KonnectResourceConfig) string { return r.ID })
			}
			sortByID(n.PrivateDNS, func(d KonnectPrivateDNS) string { return d.ID })
		},
	}},
	{"konnect.custom_domains", []string{"konnect"}, list[CustomDomain]{
		get: func(s *Snapshot) *[]CustomDomain { return &s.Konnect.CustomDomains },
		id:  func(d CustomDomain) string { return d.ID },
	}},
	{"konnect.availability", []string{"konnect"}, list[AvailabilityRegion]{
		get: func(s *Snapshot) *[]AvailabilityRegion { return &s.Konnect.Availability },
		compare: func(a, b AvailabilityRegion) int {
			return cmp.Or(strings.Compare(a.Provider, b.Provider), strings.Compare(a.Region, b.Region))
		},
		sortElem: func(a *AvailabilityRegion) {
			slices.SortFunc(a.AllowedCIDRs, comparePrefix)
			slices.SortFunc(a.ReservedCIDRs, comparePrefix)
		},
	}},
	{"networks", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]Network { return &s.Networks },
		func(n *Network) { slices.SortFunc(n.CIDRs, comparePrefix) },
	)},
	{"subnets", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]Subnet { return &s.Subnets },
		func(n *Subnet) {
			slices.SortFunc(n.CIDRs, comparePrefix)
			slices.Sort(n.FirewallIDs)
		},
	)},
	{"route_tables", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]RouteTable { return &s.RouteTables },
		func(t *RouteTable) {
			slices.Sort(t.SubnetIDs)
			slices.SortStableFunc(t.Routes, compareRoute)
		},
	)},
	{"peerings", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]Peering { return &s.Peerings },
		func(p *Peering) {
			for _, side := range []*PeeringSide{&p.Local, &p.Remote} {
				slices.SortFunc(side.CIDRs, comparePrefix)
				slices.SortFunc(side.PeeredCIDRs, comparePrefix)
			}
		},
	)},
	{"hubs", []string{"aws", "azure"}, cloudList(
		func(s *Snapshot) *[]Hub { return &s.Hubs },
		func(h *Hub) { slices.SortFunc(h.CIDRs, comparePrefix) },
	)},
	{"hub_attachments", []string{"aws", "azure"}, cloudList(
		func(s *Snapshot) *[]HubAttachment { return &s.HubAttachments },
		func(a *HubAttachment) {
			slices.Sort(a.PropagatedRouteTableIDs)
			slices.Sort(a.PropagationLabels)
		},
	)},
	{"hub_route_tables", []string{"aws", "azure"}, cloudList(
		func(s *Snapshot) *[]HubRouteTable { return &s.HubRouteTables },
		func(t *HubRouteTable) {
			slices.Sort(t.Labels)
			slices.Sort(t.Associations)
			slices.Sort(t.Propagations)
			for j := range t.Routes {
				slices.Sort(t.Routes[j].AttachmentIDs)
			}
			slices.SortStableFunc(t.Routes, compareHubRoute)
		},
	)},
	{"firewalls", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]Firewall { return &s.Firewalls },
		func(f *Firewall) {
			slices.SortStableFunc(f.AttachedTo, func(a, b Attachment) int {
				return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.ID, b.ID))
			})
			for j := range f.Rules {
				r := &f.Rules[j]
				slices.SortStableFunc(r.Ports, func(a, b PortRange) int {
					return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
				})
				slices.SortStableFunc(r.Sources, compareAddress)
				slices.SortStableFunc(r.Destinations, compareAddress)
				slices.SortStableFunc(r.Targets, compareAddress)
			}
			if distinctIDs(f.Rules) {
				slices.SortFunc(f.Rules, func(a, b FirewallRule) int { return strings.Compare(a.ID, b.ID) })
			}
		},
	)},
	{"prefix_lists", []string{"aws"}, cloudList(
		func(s *Snapshot) *[]PrefixList { return &s.PrefixLists },
		func(p *PrefixList) { slices.SortFunc(p.CIDRs, comparePrefix) },
	)},
	{"load_balancers", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]LoadBalancer { return &s.LoadBalancers },
		func(lb *LoadBalancer) {
			slices.Sort(lb.FirewallIDs)
			slices.Sort(lb.TargetGroupIDs)
			slices.SortStableFunc(lb.Listeners, func(a, b Listener) int {
				return cmp.Or(cmp.Compare(a.Port, b.Port), strings.Compare(a.Protocol, b.Protocol), strings.Compare(a.ID, b.ID))
			})
		},
	)},
	{"target_groups", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]TargetGroup { return &s.TargetGroups },
		func(g *TargetGroup) {
			slices.Sort(g.LoadBalancerIDs)
			slices.SortStableFunc(g.Targets, func(a, b Target) int {
				return cmp.Or(strings.Compare(a.ID, b.ID), cmp.Compare(a.Port, b.Port))
			})
		},
	)},
	{"dns_zones", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]DNSZone { return &s.DNSZones },
		func(z *DNSZone) { slices.Sort(z.NetworkIDs) },
	)},
	{"dns_records", []string{"aws", "azure", "gcp"}, cloudList(
		func(s *Snapshot) *[]DNSRecord { return &s.DNSRecords },
		func(r *DNSRecord) { slices.Sort(r.Values) }, // a record set is a set
	)},
	{"dns_resolutions", []string{"dns"}, list[DNSResolution]{
		get:      func(s *Snapshot) *[]DNSResolution { return &s.DNSResolutions },
		id:       func(r DNSResolution) string { return r.ID },
		sortElem: func(r *DNSResolution) { slices.SortFunc(r.Addresses, compareAddr) },
	}},
	{"private_endpoints", []string{"aws"}, cloudList(
		func(s *Snapshot) *[]PrivateEndpoint { return &s.PrivateEndpoints },
		func(e *PrivateEndpoint) {
			slices.Sort(e.ChildIDs)
			slices.Sort(e.PortRanges)
			slices.Sort(e.ShareIDs)
		},
	)},
	{"resource_gateways", []string{"aws"}, cloudList(
		func(s *Snapshot) *[]ResourceGateway { return &s.ResourceGateways },
		func(g *ResourceGateway) {
			slices.Sort(g.SubnetIDs)
			slices.Sort(g.FirewallIDs)
		},
	)},
	{"shares", []string{"aws"}, cloudList(
		func(s *Snapshot) *[]Share { return &s.Shares },
		func(sh *Share) {
			sortByID(sh.Principals, func(p SharePrincipal) string { return p.ID })
			slices.Sort(sh.ResourceIDs)
		},
	)},
}

// Collections are the names of the snapshot's entity collections, as they appear in
// the JSON document and in Scope.Collections and rule metadata (custom.inputs).
var Collections = func() []string {
	names := make([]string, len(collections))
	for i, c := range collections {
		names[i] = c.name
	}
	return names
}()

// Sources are the providers whose collectors fill each collection: "konnect" for the
// Konnect API and "dns" for live resolution besides the clouds. A rule that reads a
// collection needs a scope of each of these providers that takes part in the estate.
var Sources = func() map[string][]string {
	m := make(map[string][]string, len(collections))
	for _, c := range collections {
		m[c.name] = c.sources
	}
	return m
}()

// IsCollection reports whether name is one of Collections.
func IsCollection(name string) bool {
	return collectionNamed(name) != nil
}

// collectionNamed is the table entry of the collection called name, or nil.
func collectionNamed(name string) *collection {
	for i := range collections {
		if collections[i].name == name {
			return &collections[i]
		}
	}
	return nil
}

// collection is one entry of the table: the collection's name in the document, the
// providers that fill it, and how generic code reaches its elements.
type collection struct {
	name    string
	sources []string
	list    lister
}

// lister is what generic code does with one collection of a Snapshot. list[T] is
// its only implementation; the interface lets the table hold lists of every type.
type lister interface {
	// merge appends the elements of src to those of dst.
	merge(dst, src *Snapshot)
	// filter sets dst's elements to those of src that keep accepts, for collections
	// of cloud resources; it does nothing for the others.
	filter(dst, src *Snapshot, keep func(Entity) bool)
	// sort puts the elements and their own lists into canonical order (see Sort).
	sort(s *Snapshot)
	// each calls visit with every Entity of the collection (see EachEntity).
	each(s *Snapshot, visit func(Entity))
	// checkIDs reports ids repeated within the collection.
	checkIDs(c *checker, name string, s *Snapshot)
	// decode validates and decodes the elements of the collection for Parse.
	decode(p *loader, name, ptr string, elems []bounds) error
}

// list is a collection whose elements are of type T.
type list[T any] struct {
	// get is the collection's field in a Snapshot.
	get func(*Snapshot) *[]T
	// id is an element's id: the list is sorted by it and its ids must be unique.
	// Nil when the elements have none; compare orders them then.
	id      func(T) string
	compare func(a, b T) int
	// entity is the Entity of a cloud resource, which Filter and Dedupe select on.
	// Nil for the Konnect side and DNS resolutions, which they leave alone.
	entity func(T) Entity
	// entities calls visit with the Entities of an element; nil when it has none.
	entities func(x *T, visit func(Entity))
	// sortElem puts an element's own lists into canonical order; may be nil.
	sortElem func(*T)
}

// based is satisfied by the resource types that embed Entity.
type based interface{ base() Entity }

// base gives generic code the Entity a resource embeds. It has a value receiver so
// that comparing two elements by id needs no pointer to them (which would put every
// compared pair on the heap).
func (e Entity) base() Entity { return e }

// cloudList is a collection of cloud resources: entities selected by Filter and
// Dedupe, sorted by id, with sortElem ordering each element's own lists.
func cloudList[T based](get func(*Snapshot) *[]T, sortElem func(*T)) list[T] {
	return list[T]{
		get:      get,
		id:       func(x T) string { return x.base().ID },
		entity:   func(x T) Entity { return x.base() },
		entities: func(x *T, visit func(Entity)) { visit((*x).base()) },
		sortElem: sortElem,
	}
}

func (l list[T]) merge(dst, src *Snapshot) {
	d := l.get(dst)
	*d = append(*d, *l.get(src)...)
}

func (l list[T]) filter(dst, src *Snapshot, keep func(Entity) bool) {
	if l.entity == nil {
		return
	}
	var out []T
	for _, x := range *l.get(src) {
		if keep(l.entity(x)) {
			out = append(out, x)
		}
	}
	*l.get(dst) = out
}

func (l list[T]) sort(s *Snapshot) {
	xs := *l.get(s)
	if l.id != nil {
		sortByID(xs, l.id)
	} else {
		slices.SortStableFunc(xs, l.compare)
	}
	if l.sortElem != nil {
		for i := range xs {
			l.sortElem(&xs[i])
		}
	}
}

func (l list[T]) each(s *Snapshot, visit func(Entity)) {
	if l.entities == nil {
		return
	}
	xs := *l.get(s)
	for i := range xs {
		l.entities(&xs[i], visit)
	}
}

func (l list[T]) checkIDs(c *checker, name string, s *Snapshot) {
	if l.id == nil {
		return
	}
	xs := *l.get(s)
	c.uniqueIDs(name, len(xs), func(i int) string { return l.id(xs[i]) })
}

func (l list[T]) decode(p *loader, name, ptr string, elems []bounds) error {
	return decodeElements(p, name, ptr, elems, l.get(&p.snap))
}

// EachEntity calls visit with every Entity of s and the name of its collection, in
// the order of Collections and of each collection: every cloud resource, and every
// Konnect network followed by its attachments and private DNS attachments, which are
// entities of collection konnect.networks with their own id and name and their
// network's provider, account and region. Custom domains, availability and DNS
// resolutions are not entities (they live in no account or region).
func (s *Snapshot) EachEntity(visit func(collection string, e Entity)) {
	for _, c := range collections {
		c.list.each(s, func(e Entity) { visit(c.name, e) })
	}
}
