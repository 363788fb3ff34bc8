package reach

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// rentry is one route of a table for one destination prefix (a prefix-list route gives
// one entry per list entry).
type rentry struct {
	prefix netip.Prefix
	key    string // the destination as the snapshot writes it ("pl-x:10.0.0.0/8" for list entries)
	// targetKind and targetIDs are the next hop: a VPC target kind and id, or for hub
	// tables "hub-attachment" and the attachment ids.
	targetKind string
	targetIDs  []string
	drop       bool   // blackhole state, target none, or a hub route without next hop
	dropWhy    string // blackhole or drop
	rank       int    // origin rank: static 0, prefix list 1, propagated 2, system 3
	priority   int
	// derived is true for a hub route made from a propagation the snapshot lists
	// without its route entry (the next hop is the propagating attachment).
	derived bool
}

// rtable is a route table ready for longest prefix match: its entries sorted once,
// longest prefix first, then by priority and origin rank (ties in snapshot order). A
// large table (a hub's) also indexes them by exact prefix, with the prefix lengths
// present, longest first.
type rtable struct {
	id      string
	kind    string // route or hub-route (the hop kind)
	entries []*rentry
	byPfx   map[netip.Prefix][]*rentry // large tables only
	lens4   []int
	lens6   []int
	inet    *Hop // VPC tables: the route of 0.0.0.0/0 or ::/0 to an internet gateway
}

// smallTable is the most entries a table searches one by one rather than by prefix.
const smallTable = 16

func newTable(id, kind string, es []*rentry) *rtable {
	slices.SortStableFunc(es, func(a, b *rentry) int {
		return cmp.Or(cmp.Compare(b.prefix.Bits(), a.prefix.Bits()), cmp.Compare(a.priority, b.priority), cmp.Compare(a.rank, b.rank))
	})
	t := &rtable{id: id, kind: kind, entries: es}
	if len(es) <= smallTable {
		return t
	}
	t.byPfx = make(map[netip.Prefix][]*rentry, len(es))
	for _, e := range es {
		t.byPfx[e.prefix] = append(t.byPfx[e.prefix], e)
		lens := &t.lens4
		if !e.prefix.Addr().Is4() {
			lens = &t.lens6
		}
		if n := len(*lens); n == 0 || (*lens)[n-1] != e.prefix.Bits() {
			*lens = append(*lens, e.prefix.Bits()) // entries come longest first
		}
	}
	return t
}

// lookup is the route that wins for every address of p: the longest prefix that
// contains p, then the lowest priority (GCP), then static before prefix-list before
// propagated before system routes. AWS VPC: docs.aws.amazon.com/vpc/latest/userguide/
// route-tables-priority.html; TGW ("Route evaluation order": most specific route, then
// static over propagated for the same destination): docs.aws.amazon.com/vpc/latest/tgw/
// how-transit-gateways-work.html; Azure (UDR > BGP > system): learn.microsoft.com/azure/
// virtual-network/virtual-networks-udr-overview; GCP (most specific, then priority):
// cloud.google.com/vpc/docs/routes#routeselection. Nil when no route covers p.
func (t *rtable) lookup(p netip.Prefix) *rentry {
	if t == nil {
		return nil
	}
	if t.byPfx == nil {
		for _, e := range t.entries {
			if e.prefix.Bits() <= p.Bits() && e.prefix.Contains(p.Addr()) {
				return e
			}
		}
		return nil
	}
	lens := t.lens4
	if !p.Addr().Is4() {
		lens = t.lens6
	}
	for _, l := range lens {
		if l > p.Bits() {
			continue
		}
		q, err := p.Addr().Prefix(l)
		if err != nil {
			continue
		}
		if es := t.byPfx[q]; len(es) > 0 {
			return es[0]
		}
	}
	return nil
}

// winners are the routes that win for every address of p: lookup's route and those that
// tie with it (same prefix, priority and origin), which a cloud may install side by side
// (equal-cost paths) or of which the snapshot cannot tell the one installed (two
// attachments propagating the same prefix). Nil when no route covers p.
func (t *rtable) winners(p netip.Prefix) []*rentry {
	w := t.lookup(p)
	if w == nil {
		return nil
	}
	var es []*rentry
	if t.byPfx != nil {
		es = t.byPfx[w.prefix]
	} else {
		es = t.entries
	}
	i := slices.Index(es, w)
	j := i + 1
	for j < len(es) && es[j].prefix == w.prefix && es[j].priority == w.priority && es[j].rank == w.rank {
		j++
	}
	return es[i:j]
}

// hop renders the route as a path hop of table t.
func (t *rtable) hop(e *rentry) Hop {
	h := Hop{Kind: t.kind, ResourceID: t.id, Key: e.key, Action: "forward", Target: strings.Join(e.targetIDs, ",")}
	if e.derived {
		h.Note = "propagated by attachment " + h.Target + " (no route entry in the snapshot)"
	}
	if h.Target == "" {
		h.Target = e.targetKind
	}
	if e.drop {
		h.Action = e.dropWhy
	}
	return h
}

// missingHop is the hop of a table with no route for p.
func (t *rtable) missingHop(p netip.Prefix) Hop {
	return Hop{Kind: t.kind, ResourceID: t.id, Key: p.String(), Action: "missing", Note: "no route covers " + p.String()}
}

func originRank(origin string, prefixList bool) int {
	switch {
	case origin == "system":
		return 3
	case origin == "propagated":
		return 2
	case prefixList:
		return 1
	}
	return 0
}

// vpcTable compiles a VPC/VNet/GCP route table; prefix-list routes count each entry.
func (ix *index) vpcTable(rt *snapshot.RouteTable) *rtable {
	n := 0
	for i := range rt.Routes {
		if rt.Routes[i].Destination != "" {
			n++
		} else {
			n += len(ix.prefixLists[rt.Routes[i].PrefixListID])
		}
	}
	block := make([]rentry, 0, n) // one allocation per table
	ids := make([]string, 0, n)
	es := make([]*rentry, 0, n)
	for i := range rt.Routes {
		r := &rt.Routes[i]
		add := func(p netip.Prefix, key string) {
			block = append(block, rentry{prefix: p, key: key, targetKind: r.TargetKind, priority: r.Priority,
				rank: originRank(r.Origin, r.PrefixListID != "")})
			e := &block[len(block)-1]
			if r.TargetID != "" {
				ids = append(ids, r.TargetID)
				e.targetIDs = ids[len(ids)-1 : len(ids) : len(ids)]
			}
			switch {
			case r.State == "blackhole":
				e.drop, e.dropWhy = true, "blackhole"
			case r.TargetKind == snapshot.TargetNone:
				e.drop, e.dropWhy = true, "drop"
			}
			es = append(es, e)
		}
		if r.Destination != "" {
			if p, ok := parsePrefix(r.Destination); ok {
				add(p, r.Destination)
			}
			continue
		}
		for _, p := range ix.prefixLists[r.PrefixListID] {
			add(p, r.PrefixListID+":"+p.String())
		}
	}
	t := newTable(rt.ID, "route", es)
	t.inet = t.internetRoute()
	return t
}

// hubTable compiles a hub route table: its routes (static beats propagated at equal
// prefix; a static blackhole drops) and, for each attachment propagating into it without
// a route entry of that prefix in the snapshot, the ranges of the attachment's network as
// propagated routes (noted as derived from the propagation).
func (ix *index) hubTable(t *snapshot.HubRouteTable, props []string) *rtable {
	var es []*rentry
	have := map[netip.Prefix]bool{}
	for i := range t.Routes {
		r := &t.Routes[i]
		mk := func(p netip.Prefix, key string) {
			e := &rentry{prefix: p, key: key, targetKind: "hub-attachment", targetIDs: r.AttachmentIDs,
				rank: originRank(r.Type, r.PrefixListID != "")}
			if r.Type == "static" && r.PrefixListID == "" {
				e.rank = 0
			}
			if r.State == "blackhole" || len(r.AttachmentIDs) == 0 {
				e.drop, e.dropWhy = true, "blackhole"
			}
			have[p] = true
			es = append(es, e)
		}
		if r.Destination != "" {
			if p, ok := parsePrefix(r.Destination); ok {
				mk(p, r.Destination)
			}
			continue
		}
		for _, p := range ix.prefixLists[r.PrefixListID] {
			mk(p, r.PrefixListID+":"+p.String())
		}
	}
	n := 0
	for _, aid := range props {
		ps, _ := ix.propagatedRanges(aid)
		n += len(ps)
	}
	block := make([]rentry, 0, n) // one allocation for the derived routes
	for _, aid := range props {
		ps, keys := ix.propagatedRanges(aid)
		target := []string{aid}
		for i, p := range ps {
			if have[p] {
				continue
			}
			block = append(block, rentry{prefix: p, key: keys[i], targetKind: "hub-attachment", targetIDs: target, rank: 2, derived: true})
			es = append(es, &block[len(block)-1])
		}
	}
	return newTable(t.ID, "hub-route", es)
}

// propagatedRanges are the prefixes (and their text) an attachment propagates into a hub
// route table, as far as the snapshot tells: a Kong attachment its Konnect network's
// CIDR, a spoke its network's ranges; none for a VPN, Direct Connect or a network the
// snapshot does not describe.
func (ix *index) propagatedRanges(aid string) ([]netip.Prefix, []string) {
	if ki, ok := ix.kongAtts[aid]; ok {
		if k := ix.kong[ki]; k.cidr.IsValid() {
			return []netip.Prefix{k.cidr}, []string{k.cidr.String()}
		}
		return nil, nil
	}
	if a := ix.hubAtts[aid]; a != nil && a.NetworkID != "" {
		return ix.netRanges[a.NetworkID], ix.netAddrs(a.NetworkID)
	}
	return nil, nil
}

// subnetTable is the route table a subnet uses: its route_table_id, else a table that
// lists it (an explicit association), else its network's main table (as dcgw.lib.routes
// subnet_route_table decides; AWS: docs.aws.amazon.com/vpc/latest/userguide/
// RouteTables.html#subnet-route-tables). Only the tables of the destinations' subnets
// are compiled (compileTables); nil when the snapshot has none.
func (ix *index) subnetTable(s *snapshot.Subnet) *rtable {
	return ix.tables[ix.subnetTableID(s)]
}

func (ix *index) subnetTableID(s *snapshot.Subnet) string {
	if s.RouteTableID != "" {
		return s.RouteTableID
	}
	if id, ok := ix.listTable[s.ID]; ok {
		return id
	}
	return ix.mainTable[s.NetworkID]
}

// compileTables compiles the route tables of the destinations' subnets, once each.
func (ix *index) compileTables(ds []*dest) {
	for _, d := range ds {
		if d.subnet == nil {
			continue
		}
		id := ix.subnetTableID(d.subnet)
		if _, done := ix.tables[id]; done {
			continue
		}
		if rt := ix.rawTables[id]; rt != nil {
			ix.tables[id] = ix.vpcTable(rt)
		}
	}
}

// internetRoute finds the route of the subnet's table that sends 0.0.0.0/0 or ::/0 to
// an internet gateway (evidence only: exposure does not depend on it).
func (ix *index) internetRoute(s *snapshot.Subnet) *Hop {
	if t := ix.subnetTable(s); t != nil {
		return t.inet
	}
	return nil
}

// internetRoute is the table's route of 0.0.0.0/0 or ::/0 to an internet gateway.
func (t *rtable) internetRoute() *Hop {
	for _, p := range [...]netip.Prefix{open4, open6} {
		for _, e := range t.entries {
			if e.prefix == p && e.targetKind == snapshot.TargetInternet && !e.drop {
				h := t.hop(e)
				return &h
			}
		}
	}
	return nil
}

// activeState reports whether a provider state means the connection carries traffic
// (AWS peering active, Azure Connected, GCP ACTIVE, Konnect ready, TGW available).
func activeState(s string) bool {
	switch strings.ToLower(s) {
	case "active", "connected", "ready", "available", "succeeded", "":
		return true
	}
	return false
}
