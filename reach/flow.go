package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

var (
	open4 = netip.MustParsePrefix("0.0.0.0/0")
	open6 = netip.MustParsePrefix("::/0")
)

// sourcesFor lists the source classes evaluated against a destination: the internet;
// each connected Konnect network's data plane IPs and the rest of its CIDR; each edge
// load balancer of the destination's network or a network peered with it; the
// destination's own network and the networks peered with it. An edge load balancer
// outside the connected estate is evaluated for the internet only.
func (ix *index) sourcesFor(d *dest) []*src {
	out := []*src{{class: ClassInternet, prefixes: []netip.Prefix{open4}, kong: -1,
		out: Source{Class: ClassInternet, Addresses: []string{"0.0.0.0/0", "::/0"}}}}
	if d.edgeOnly {
		return out
	}
	for _, ki := range d.kongs {
		k := ix.kong[ki]
		if !k.cidr.IsValid() {
			continue
		}
		if len(k.dps) > 0 {
			out = append(out, &src{class: ClassKongDP, id: k.kn.ID, prefixes: k.dps, kong: ki,
				out: Source{Class: ClassKongDP, ID: k.kn.ID}})
		}
		out = append(out, &src{class: ClassKongNetwork, id: k.kn.ID, prefixes: []netip.Prefix{k.cidr}, except: k.dps, kong: ki,
			out: Source{Class: ClassKongNetwork, ID: k.kn.ID, Addresses: []string{k.cidr.String()}}})
	}
	nets := append([]string{d.network}, ix.custPeers[d.network]...)
	for _, nid := range nets {
		for _, lbID := range ix.edgeByNet[nid] {
			lb := ix.lbs[lbID]
			out = append(out, &src{class: ClassEdge, id: lbID, prefixes: ix.netRanges[lb.NetworkID], network: lb.NetworkID,
				groups: ix.lbFirewalls[lbID], kong: -1,
				out: Source{Class: ClassEdge, ID: lbID, Addresses: prefixStrings(ix.netRanges[lb.NetworkID]), WithinDestinationNetwork: nid == d.network}})
		}
	}
	for _, nid := range nets {
		if len(ix.netRanges[nid]) == 0 {
			continue
		}
		out = append(out, &src{class: ClassNetwork, id: nid, prefixes: ix.netRanges[nid], network: nid, kong: -1,
			out: Source{Class: ClassNetwork, ID: nid, Addresses: prefixStrings(ix.netRanges[nid]), WithinDestinationNetwork: nid == d.network}})
	}
	return out
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// route is the routing verdict of one source to one destination.
type route struct {
	forward   bool
	fwdHops   []Hop
	ret       bool
	retHops   []Hop
	evaluated bool // false when the source is not routed at all (no flows)
}

// routing decides how a source's traffic reaches the destination and how replies go
// back. Internet: routing is evidence only (forward true). Sources in the destination's
// network: local. Peered customer networks and edges: forward and return assumed over
// the peering (not computed). Kong: over its peering (state recorded) or through a hub
// (Kong's table must route the destination subnet to the spoke's attachment); replies by
// the destination subnet's table to the peering or the hub, and then the spoke's hub
// table to Kong's attachment.
func (ix *index) routing(d *dest, s *src) route {
	switch s.class {
	case ClassInternet:
		return route{forward: true, evaluated: true}
	case ClassEdge, ClassNetwork:
		if s.network == d.network {
			return route{forward: true, ret: true, evaluated: true}
		}
		h := Hop{Kind: "peering", ResourceID: s.network, Key: s.network + " <-> " + d.network, Action: "active", Assumed: true,
			Note: "routes between peered customer networks are not checked"}
		return route{forward: true, ret: true, fwdHops: []Hop{h}, evaluated: true}
	}
	target := ix.kong[s.kong].cidr
	if s.class == ClassKongDP && s.exact {
		target = s.prefixes[0]
	}
	if d.rgwAtt != "" {
		h := Hop{Kind: "attachment", ResourceID: d.rgwAtt, Key: "aws-resource-endpoint-attachment", Action: "active",
			Note: "Kong reaches the resource gateway through its VPC Lattice resource endpoint"}
		return route{forward: true, ret: true, fwdHops: []Hop{h}, evaluated: true}
	}
	var best route
	for _, c := range ix.conns[d.network] {
		if c.kong != s.kong {
			continue
		}
		var r route
		switch c.via {
		case "peering":
			r = ix.peeringRoute(d, c, target)
		case "hub":
			r = ix.hubRoute(d, c, target)
		}
		if r.forward && r.ret {
			return r
		}
		if !best.evaluated || (r.forward || r.ret) && !(best.forward || best.ret) {
			best = r
		}
	}
	return best
}

func (ix *index) peeringRoute(d *dest, c *conn, target netip.Prefix) route {
	var h Hop
	if c.peeringID != "" && ix.peerings[c.peeringID] != nil {
		h = Hop{Kind: "peering", ResourceID: c.peeringID, Key: c.peeringID, State: c.state}
	} else {
		h = Hop{Kind: "attachment", ResourceID: c.attachmentID, Key: c.peeringID, State: c.state,
			Note: "the peering entity is not in the snapshot; the Konnect attachment's state is used"}
	}
	h.Action = "active"
	if !c.active {
		h.Action = "inactive"
	}
	r := route{evaluated: true, forward: c.active, fwdHops: []Hop{h}}
	// Replies: the destination subnet's table must send Kong's address to this peering
	// (AWS peering routes are explicit; docs.aws.amazon.com/vpc/latest/peering/
	// vpc-peering-routing.html). Azure and GCP add peering routes as system routes
	// (learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#default;
	// cloud.google.com/vpc/docs/vpc-peering#route-exchange): with no covering route in
	// the snapshot they are assumed.
	t := ix.subnetTable(d.subnet)
	prov := ix.provider(d.network)
	var e *rentry
	if d.subnet != nil {
		e = t.lookup(target)
	}
	switch {
	case e == nil && prov != "aws":
		r.ret = c.active
		r.retHops = []Hop{{Kind: "route", ResourceID: tableOr(t, d.out.SubnetID), Key: target.String(), Action: "forward",
			Target: c.peeringID, Assumed: true, Note: "peering system route (not in the snapshot)"}}
	case e == nil:
		r.retHops = []Hop{missingOr(t, d, target)}
	default:
		h := t.hop(e)
		r.retHops = []Hop{h}
		r.ret = c.active && !e.drop && (e.targetKind == "peering" && (slices.Contains(e.targetIDs, c.peeringID) || c.peeringID == ""))
	}
	return r
}

func (ix *index) hubRoute(d *dest, c *conn, target netip.Prefix) route {
	r := route{evaluated: true}
	k := ix.kong[c.kong]
	// Forward: Kong's hub route table, longest prefix match on the destination subnet.
	if len(d.prefixes) > 0 && len(k.tables) > 0 {
		kt := ix.hubTables[ix.assocTable[c.kongAtt]]
		if kt == nil {
			kt = k.tables[0]
		}
		if e := kt.lookup(d.prefixes[0]); e != nil {
			r.fwdHops = []Hop{kt.hop(e)}
			r.forward = !e.drop && slices.Contains(e.targetIDs, c.attachmentID)
		} else {
			r.fwdHops = []Hop{kt.missingHop(d.prefixes[0])}
		}
	}
	// Return: the subnet's table sends Kong's address to the hub, and the spoke's
	// associated hub table sends it to Kong's attachment.
	t := ix.subnetTable(d.subnet)
	var e *rentry
	if d.subnet != nil {
		e = t.lookup(target)
	}
	if e == nil {
		r.retHops = []Hop{missingOr(t, d, target)}
		return r
	}
	r.retHops = []Hop{t.hop(e)}
	if e.drop || e.targetKind != "hub" || (len(e.targetIDs) > 0 && !slices.Contains(e.targetIDs, c.hubID)) {
		return r
	}
	st := ix.hubTables[ix.assocTable[c.attachmentID]]
	if st == nil {
		r.retHops = append(r.retHops, Hop{Kind: "attachment", ResourceID: c.attachmentID, Key: "associated_route_table_id", Action: "missing",
			Note: "the spoke attachment has no associated hub route table"})
		return r
	}
	he := st.lookup(target)
	if he == nil {
		r.retHops = append(r.retHops, st.missingHop(target))
		return r
	}
	r.retHops = append(r.retHops, st.hop(he))
	r.ret = !he.drop && slices.Contains(he.targetIDs, c.kongAtt)
	return r
}

func tableOr(t *rtable, fallback string) string {
	if t != nil {
		return t.id
	}
	return fallback
}

func missingOr(t *rtable, d *dest, target netip.Prefix) Hop {
	if t != nil {
		return t.missingHop(target)
	}
	id := d.out.SubnetID
	if id == "" {
		id = d.network
	}
	return Hop{Kind: "route", ResourceID: id, Key: target.String(), Action: "missing", Note: "no route table for the subnet in the snapshot"}
}

func (ix *index) provider(nid string) string {
	if n := ix.networks[nid]; n != nil {
		return n.Provider
	}
	return ""
}

// protocols are the protocols evaluated at a destination: tcp, udp, icmp, every other
// protocol a rule in front of it names, and "other" for the rest.
func protocols(d *dest) []string {
	ps := []string{"tcp", "udp", "icmp"}
	for _, l := range d.layers {
		for _, r := range l.rules {
			if r.proto != "all" && !slices.Contains(ps, r.proto) {
				ps = append(ps, r.proto)
			}
		}
	}
	slices.Sort(ps)
	return append(ps, "other")
}

// chain evaluates a packet through every layer in order; it stops at the first layer
// that drops it.
func (ix *index) chain(d *dest, s *src, proto string, port int, buf []Hop) (bool, []Hop, string) {
	hops := buf[:0]
	ref := ""
	for _, l := range d.layers {
		ok, h, r := ix.eval(l, s, proto, port, d, ix.opts.EphemeralPorts)
		hops = append(hops, h)
		if !ok {
			return false, hops, ""
		}
		if r != "" {
			ref = r
		}
	}
	return true, hops, ref
}

// evaluate lists what the layers admit from s: per protocol, each segment of the port
// space split at every rule boundary (ports of a segment meet the same rules) is decided
// by one representative port; admitted segments through the same path and reference are
// merged into port ranges, and everything collapses to protocol "all" when every
// protocol is admitted on every port through one path.
func (ix *index) evaluate(d *dest, s *src) []admittedFlow {
	var out []admittedFlow
	buf := make([]Hop, 0, len(d.layers))
	add := func(proto string, from int, seg *PortRange, hops []Hop, ref string) {
		for i := len(out) - 1; i >= 0 && out[i].proto == proto; i-- {
			if out[i].ref == ref && hopsEqual(out[i].hops, hops) {
				if seg != nil {
					out[i].ports = appendRange(out[i].ports, *seg)
				}
				return
			}
		}
		f := admittedFlow{proto: proto, hops: slices.Clone(hops), ref: ref}
		if seg != nil {
			f.ports = []PortRange{*seg}
		}
		out = append(out, f)
	}
	var rules []*crule
	for _, l := range d.layers {
		rules = append(rules, l.rules...)
	}
	protos := protocols(d)
	complete := 0
	for _, proto := range protos {
		if !hasPorts(proto) {
			if ok, hops, ref := ix.chain(d, s, proto, 0, buf); ok {
				add(proto, 0, nil, hops, ref)
				complete++
			}
			continue
		}
		all := true
		for _, seg := range segments(PortRange{From: 0, To: 65535}, rules, proto) {
			if ok, hops, ref := ix.chain(d, s, proto, seg.From, buf); ok {
				add(proto, seg.From, &seg, hops, ref)
			} else {
				all = false
			}
		}
		if all {
			complete++
		}
	}
	if complete == len(protos) && len(out) == len(protos) {
		for _, f := range out[1:] {
			if f.ref != out[0].ref || !hopsEqual(f.hops, out[0].hops) {
				return out
			}
		}
		return []admittedFlow{{proto: "all", ports: []PortRange{{From: 0, To: 65535}}, hops: out[0].hops, ref: out[0].ref}}
	}
	return out
}

func hopsEqual(a, b []Hop) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ResourceID != b[i].ResourceID || a[i].Key != b[i].Key || a[i].Action != b[i].Action || a[i].ReplyKey != b[i].ReplyKey {
			return false
		}
	}
	return true
}

// flowsTo computes the admitted flows to one destination.
func (ix *index) flowsTo(d *dest) []Flow {
	var out []Flow
	var ihop *Hop
	if d.subnet != nil {
		ihop = ix.internetRoute(d.subnet)
	}
	for _, s := range ix.sourcesFor(d) {
		if s.class == ClassKongDP {
			// One evaluation per data plane IP: a rule admits the class if it admits any
			// of them, and the flow records which.
			type group struct {
				a   admittedFlow
				ips []string
				rt  route
			}
			var groups []*group
			byKey := map[string]*group{}
			for _, ip := range s.prefixes {
				one := &src{class: s.class, id: s.id, prefixes: []netip.Prefix{ip}, exact: true, kong: s.kong, out: s.out}
				rt := ix.routing(d, one)
				if !rt.forward && !rt.ret {
					continue
				}
				for _, a := range ix.evaluate(d, one) {
					k := a.proto + "|" + portsKey(a) + "|" + hopsKey(a.hops) + "|" + hopsKey(rt.fwdHops) + "|" + hopsKey(rt.retHops)
					g := byKey[k]
					if g == nil {
						g = &group{a: a, rt: rt}
						byKey[k] = g
						groups = append(groups, g)
					}
					g.ips = append(g.ips, ip.Addr().String())
				}
			}
			for _, g := range groups {
				f := ix.flow(d, s.out, g.a, g.rt, ihop)
				f.Source.Addresses = g.ips
				out = append(out, f)
			}
			continue
		}
		rt := ix.routing(d, s)
		if !rt.forward && !rt.ret {
			continue
		}
		for _, a := range ix.evaluate(d, s) {
			out = append(out, ix.flow(d, s.out, a, rt, ihop))
		}
	}
	return out
}

func (ix *index) flow(d *dest, so Source, a admittedFlow, rt route, ihop *Hop) Flow {
	f := Flow{Source: so, Destination: d.out.Key, Protocol: a.proto, Ports: a.ports,
		ForwardRouted: rt.forward, ReturnRouted: rt.ret, ReturnHops: rt.retHops,
		InternetRoute: ihop != nil, InternetRouteHop: ihop}
	f.Source.GroupRef = a.ref
	f.Hops = append(append(make([]Hop, 0, len(rt.fwdHops)+len(a.hops)), rt.fwdHops...), a.hops...)
	if so.Class == ClassInternet {
		f.ReturnRouted = true // stateful filters and the internet: replies are not modelled
	}
	return f
}

// admittedFlow is a protocol's admitted ports through one path.
type admittedFlow struct {
	proto string
	ports []PortRange
	hops  []Hop
	ref   string
}

func portsKey(a admittedFlow) string {
	var b strings.Builder
	for _, p := range a.ports {
		b.WriteString(strconv.Itoa(p.From))
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(p.To))
		b.WriteByte(',')
	}
	return b.String()
}

// hopsKey identifies a path: the resource, entry and action of each hop.
func hopsKey(hs []Hop) string {
	var b strings.Builder
	n := 0
	for _, h := range hs {
		n += len(h.ResourceID) + len(h.Key) + len(h.Action) + len(h.ReplyKey) + 4
	}
	b.Grow(n)
	for _, h := range hs {
		b.WriteString(h.ResourceID)
		b.WriteByte('#')
		b.WriteString(h.Key)
		b.WriteByte('#')
		b.WriteString(h.Action)
		b.WriteByte('#')
		b.WriteString(h.ReplyKey)
		b.WriteByte(';')
	}
	return b.String()
}
