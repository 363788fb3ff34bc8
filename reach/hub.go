package reach

import (
	"cmp"
	"maps"
	"net/netip"
	"slices"
	"strings"
)

// Hub link directions.
const (
	// FromKong is a spoke that Kong's traffic reaches: the hub route table associated
	// with Kong's attachment sends some destination to the spoke's attachment.
	FromKong = "from_kong"
	// ToKong is a spoke that reaches Kong: the hub route table associated with the
	// spoke's attachment sends Kong's range (or a data plane IP) to Kong's attachment.
	ToKong = "to_kong"
)

// HubLink is one attachment on a hub that carries a Kong attachment, connected to Kong
// in one direction by the hub's route tables: the routing half of hub-and-spoke
// isolation (DCGW-HUB-003 and DCGW-HUB-004 read them as input.reach.hub_links). The
// lookup is the one the flows use (longest prefix, static before propagated, blackholes
// drop), so the hub rules and the firewall rules agree on what is routed.
type HubLink struct {
	Direction        string `json:"direction"`
	KonnectNetworkID string `json:"konnect_network_id"`
	KongAttachmentID string `json:"kong_attachment_id"`
	HubID            string `json:"hub_id,omitempty"`
	// RouteTableID is the hub route table that decides: Kong's (from_kong) or the
	// spoke's associated table (to_kong).
	RouteTableID string `json:"route_table_id"`
	// AttachmentID is the spoke's attachment; NetworkID and Kind its network (empty
	// for a VPN or Direct Connect) and kind, as the snapshot has them.
	AttachmentID string `json:"attachment_id"`
	NetworkID    string `json:"network_id,omitempty"`
	Kind         string `json:"kind,omitempty"`
	// Via is how the table learned the routes: "route" (a route entry of the
	// snapshot) and/or "propagation" (the attachment propagates into the table).
	Via []string `json:"via"`
	// Destinations are the routed prefixes, as the route entries write them: the
	// spoke's (from_kong) or Kong's (to_kong). Empty for a propagation whose prefixes
	// the snapshot does not hold (a VPN's BGP routes).
	Destinations []string `json:"destinations"`
	// Path are the route entries that win the lookup, one hop each.
	Path []Hop `json:"path"`
}

// HubLinks are the hub links of the model, sorted by direction, route table, spoke
// attachment and Kong attachment.
func (m *Model) HubLinks() []HubLink { return m.ix.links }

// hubLinks computes the links of every Kong hub attachment. From Kong: each route of
// Kong's table that wins (or ties in) the lookup of its own prefix and does not drop
// reaches its next hop; an attachment that propagates into Kong's table with no prefix the
// snapshot knows (a VPN) reaches it too, since whatever it announces is routed. To
// Kong: every other attachment whose associated table sends Kong's CIDR or a data plane
// IP to Kong's attachment.
func (ix *index) hubLinks() []HubLink {
	out := []HubLink{}
	kongIDs := slices.Sorted(maps.Keys(ix.kongAtts))
	// The spokes by associated table, each table looked up once per Kong attachment.
	spokesOf := map[string][]string{}
	for aid, tid := range ix.assocTable {
		if _, kong := ix.kongAtts[aid]; !kong {
			spokesOf[tid] = append(spokesOf[tid], aid)
		}
	}
	for _, ka := range kongIDs {
		k := ix.kong[ix.kongAtts[ka]]
		if kt := ix.hubTables[ix.assocTable[ka]]; kt != nil {
			out = ix.fromKong(out, k, ka, kt)
		}
		targets := slices.Concat([]netip.Prefix{k.cidr}, k.dps)
		for tid, spokes := range spokesOf {
			st := ix.hubTables[tid]
			if st == nil {
				continue
			}
			var dests []string
			var path []Hop
			via := map[string]bool{}
			for _, p := range targets {
				if !p.IsValid() {
					continue
				}
				ws := st.winners(p)
				i := slices.IndexFunc(ws, func(e *rentry) bool { return !e.drop && slices.Contains(e.targetIDs, ka) })
				if i < 0 {
					continue
				}
				e := ws[i]
				h := st.hop(e)
				if !slices.ContainsFunc(path, func(x Hop) bool { return x.Key == h.Key }) {
					path = append(path, h)
					dests = append(dests, e.key)
				}
				if e.derived || e.rank == 2 {
					via["propagation"] = true
				} else {
					via["route"] = true
				}
			}
			if len(path) == 0 {
				continue
			}
			for _, aid := range spokes {
				out = append(out, ix.link(ToKong, k, ka, tid, aid, slices.Sorted(maps.Keys(via)), dests, path))
			}
		}
	}
	slices.SortFunc(out, func(a, b HubLink) int {
		return cmp.Or(strings.Compare(a.Direction, b.Direction), strings.Compare(a.RouteTableID, b.RouteTableID),
			strings.Compare(a.AttachmentID, b.AttachmentID), strings.Compare(a.KongAttachmentID, b.KongAttachmentID))
	})
	return out
}

// fromKong adds the links of Kong attachment ka whose traffic table kt looks up.
func (ix *index) fromKong(out []HubLink, k *kongNet, ka string, kt *rtable) []HubLink {
	type reached struct {
		via   map[string]bool
		dests []string
		path  []Hop
	}
	by := map[string]*reached{}
	get := func(aid string) *reached {
		r := by[aid]
		if r == nil {
			r = &reached{via: map[string]bool{}}
			by[aid] = r
		}
		return r
	}
	for _, e := range kt.entries {
		if e.drop || !slices.Contains(kt.winners(e.prefix), e) {
			continue // drops, or loses the lookup of its own prefix (a static route of the same prefix wins)
		}
		for _, aid := range e.targetIDs {
			if _, kong := ix.kongAtts[aid]; kong {
				continue
			}
			r := get(aid)
			if !e.derived {
				r.via["route"] = true
			}
			r.dests = append(r.dests, e.key)
			r.path = append(r.path, kt.hop(e))
		}
	}
	for _, aid := range ix.hubProps[kt.id] {
		if _, kong := ix.kongAtts[aid]; kong {
			continue
		}
		if r := by[aid]; r != nil {
			r.via["propagation"] = true
			continue
		}
		if ps, _ := ix.propagatedRanges(aid); len(ps) == 0 {
			r := get(aid)
			r.via["propagation"] = true
			r.path = append(r.path, Hop{Kind: "hub-route", ResourceID: kt.id, Key: aid, Action: "forward", Target: aid,
				Note: "propagated by attachment " + aid + "; its prefixes are not in the snapshot"})
		}
	}
	for aid, r := range by {
		out = append(out, ix.link(FromKong, k, ka, kt.id, aid, slices.Sorted(maps.Keys(r.via)), r.dests, r.path))
	}
	return out
}

func (ix *index) link(dir string, k *kongNet, ka, tid, aid string, via, dests []string, path []Hop) HubLink {
	l := HubLink{Direction: dir, KonnectNetworkID: k.kn.ID, KongAttachmentID: ka, RouteTableID: tid, AttachmentID: aid,
		Via: via, Destinations: dests, Path: path}
	if l.Destinations == nil {
		l.Destinations = []string{}
	}
	if h := ix.hubAtts[ka]; h != nil {
		l.HubID = h.HubID
	}
	if h := ix.hubAtts[aid]; h != nil {
		l.NetworkID, l.Kind = h.NetworkID, h.Kind
		if l.HubID == "" {
			l.HubID = h.HubID
		}
	}
	return l
}
