package reach

import (
	"net/netip"
	"slices"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

var (
	open4 = netip.MustParsePrefix("0.0.0.0/0")
	open6 = netip.MustParsePrefix("::/0")
)

// internetAddrs are the addresses of the internet source class.
var internetAddrs = []string{"0.0.0.0/0", "::/0"}

// sourcesFor lists the source classes evaluated against a destination: the internet;
// each connected Konnect network's data plane IPs and the rest of its CIDR; each edge
// load balancer of the destination's network or a network peered with it; the
// destination's own network and the networks peered with it. An edge load balancer
// outside the connected estate is evaluated for the internet only. The slice is reused
// by the next call.
func (e *evaluator) sourcesFor(d *dest) []*src {
	ix := e.ix
	out := append(e.srcs[:0], ix.internet)
	if d.edgeOnly {
		e.srcs = out
		return out
	}
	for _, ki := range d.kongs {
		k := ix.kong[ki]
		if !k.cidr.IsValid() {
			continue
		}
		if k.dpSrc != nil {
			out = append(out, k.dpSrc)
		}
		out = append(out, k.netSrc)
	}
	out = append(out, ix.custSrcs[d.network]...)
	out = append(out, rangeSources(ix, d, out)...)
	if ix.opts.CrossNetworkOnly {
		// After rangeSources, which must see the destination's own network.
		out = slices.DeleteFunc(out, func(s *src) bool { return s.out.WithinDestinationNetwork })
	}
	e.srcs = out
	return out
}

// rangeRoute is the routing of a range source: assumed, as the snapshot does not say
// how the range arrives.
var rangeRoute = &route{forward: true, ret: true, evaluated: true}

// rangeSources are the address ranges that allow rules in front of d name and that the
// snapshot does not describe: not internet-wide, not overlapping a source already listed
// (the Konnect networks, the customer networks routed to d) nor any other network of the
// snapshot (whose traffic the model routes, and does not route to d); one source per
// distinct range, sorted.
func rangeSources(ix *index, d *dest, known []*src) []*src {
	seen := map[netip.Prefix]bool{}
	var ps []netip.Prefix
	for _, l := range d.layers {
		for _, r := range l.rules {
			if !r.allow {
				continue
			}
			for i := range r.sources {
				a := &r.sources[i]
				if a.open || (a.kind != snapshot.AddrCIDR && a.kind != snapshot.AddrPrefixList) {
					continue
				}
				for _, p := range a.prefixes {
					if p.Bits() == 0 || seen[p] || ix.described.overlaps(p) || coveredBySource(p, known) {
						continue
					}
					seen[p] = true
					ps = append(ps, p)
				}
			}
		}
	}
	slices.SortFunc(ps, func(a, b netip.Prefix) int { return a.Compare(b) })
	out := make([]*src, len(ps))
	for i, p := range ps {
		out[i] = &src{class: ClassRange, id: p.String(), prefixes: []netip.Prefix{p}, kong: -1, rt: rangeRoute,
			out: Source{Class: ClassRange, ID: p.String(), Addresses: []string{p.String()}}}
	}
	return out
}

// coveredBySource reports whether p overlaps the addresses of a source other than the
// internet.
func coveredBySource(p netip.Prefix, srcs []*src) bool {
	for _, s := range srcs {
		if s.class != ClassInternet && overlapsAny(p, s.prefixes) {
			return true
		}
	}
	return false
}

// customerSources are the edge load balancers and the networks of network nid and of
// the networks peered with it, as sources towards a destination in nid, with their
// routing (local, or over the peering); built once per network (prepare).
func (ix *index) customerSources(nid string) []*src {
	if out, ok := ix.custSrcs[nid]; ok {
		return out
	}
	var out []*src
	nets := append([]string{nid}, ix.custPeers[nid]...)
	rt := func(from string) *route {
		if from == nid {
			return &route{forward: true, ret: true, evaluated: true}
		}
		h := Hop{Kind: "peering", ResourceID: from, Key: from + " <-> " + nid, Action: "active", Assumed: true,
			Note: "routes between peered customer networks are not checked"}
		return &route{forward: true, ret: true, fwdHops: []Hop{h}, evaluated: true}
	}
	for _, n := range nets {
		for _, lbID := range ix.edgeByNet[n] {
			lb := ix.lbs[lbID]
			out = append(out, &src{class: ClassEdge, id: lbID, prefixes: ix.netRanges[lb.NetworkID], network: lb.NetworkID,
				groups: ix.lbFirewalls[lbID], kong: -1, rt: rt(lb.NetworkID),
				out: Source{Class: ClassEdge, ID: lbID, Addresses: ix.netAddrs(lb.NetworkID), WithinDestinationNetwork: n == nid}})
		}
	}
	for _, n := range nets {
		if len(ix.netRanges[n]) == 0 {
			continue
		}
		out = append(out, &src{class: ClassNetwork, id: n, prefixes: ix.netRanges[n], network: n, kong: -1, rt: rt(n),
			out: Source{Class: ClassNetwork, ID: n, Addresses: ix.netAddrs(n), WithinDestinationNetwork: n == nid}})
	}
	ix.custSrcs[nid] = out
	return out
}

// prepare builds what evaluating the destinations reads: the route tables of their
// subnets, their layers' implicit deny hops and protocols, and the customer sources of
// their networks. Afterwards the evaluation and Trace only read the index.
func (ix *index) prepare(ds []*dest) {
	ix.compileTables(ds)
	for _, d := range ds {
		for _, l := range d.layers {
			if l.kind != layerNone {
				l.implicitDeny()
			}
			l.protocols()
		}
		if !d.edgeOnly {
			ix.customerSources(d.network)
		}
	}
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
// table to Kong's attachment. A non-nil memo shares the hops between calls.
func (ix *index) routing(d *dest, s *src, memo *routeMemo) route {
	if s.rt != nil {
		return *s.rt
	}
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
			r = ix.peeringRoute(d, c, target, memo)
		case "hub":
			r = ix.hubRoute(d, c, target, memo)
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

// hopRef is a route hop to render: entry e of table t, or, without e, t's "no route
// covers miss" hop.
type hopRef struct {
	t    *rtable
	e    *rentry
	miss netip.Prefix
}

// ref is the hop of the route of table t for p: entry e, or no route covers p.
func ref(t *rtable, e *rentry, p netip.Prefix) hopRef {
	if e != nil {
		return hopRef{t: t, e: e}
	}
	return hopRef{t: t, miss: p}
}

func (r hopRef) hop() Hop {
	if r.e != nil {
		return r.t.hop(r.e)
	}
	return r.t.missingHop(r.miss)
}

// routeMemo shares the hops of routes between the destinations and sources of one
// Build: every route entry (or pair of entries) a route goes through is rendered once.
// A nil memo renders every time (Trace, which must not write to the model).
type routeMemo struct {
	entries map[[2]hopRef][]Hop
	conns   map[*conn][]Hop
	assumed map[assumedKey][]Hop
	// The forward hub routes of one destination by connection: the same for every
	// Kong source (each DP IP and the rest of the CIDR).
	dest *dest
	fwd  []fwdRoute
}

type fwdRoute struct {
	c       *conn
	hops    []Hop
	forward bool
}

// forward is the forward route of c to d already decided, or nil.
func (m *routeMemo) forward(d *dest, c *conn) *fwdRoute {
	if m == nil || m.dest != d {
		return nil
	}
	for i := range m.fwd {
		if m.fwd[i].c == c {
			return &m.fwd[i]
		}
	}
	return nil
}

func (m *routeMemo) keepForward(d *dest, c *conn, hops []Hop, forward bool) {
	if m == nil {
		return
	}
	if m.dest != d {
		m.dest, m.fwd = d, m.fwd[:0]
	}
	m.fwd = append(m.fwd, fwdRoute{c: c, hops: hops, forward: forward})
}

// hops are the hops of a and, when b.t is set, b.
func (m *routeMemo) hops(a, b hopRef) []Hop {
	k := [2]hopRef{a, b}
	if m != nil {
		if hs, ok := m.entries[k]; ok {
			return hs
		}
	}
	n := 1
	if b.t != nil {
		n = 2
	}
	hs := append(make([]Hop, 0, n), a.hop())
	if b.t != nil {
		hs = append(hs, b.hop())
	}
	if m != nil {
		m.entries[k] = hs
	}
	return hs
}

// assumedKey names an assumed peering system route: where, to what, over which peering.
type assumedKey struct {
	at      string
	target  netip.Prefix
	peering string
}

// assumedRoute is the hop of a peering system route the snapshot does not hold.
func (m *routeMemo) assumedRoute(k assumedKey) []Hop {
	if m != nil {
		if hs, ok := m.assumed[k]; ok {
			return hs
		}
	}
	hs := []Hop{{Kind: "route", ResourceID: k.at, Key: k.target.String(), Action: "forward",
		Target: k.peering, Assumed: true, Note: "peering system route (not in the snapshot)"}}
	if m != nil {
		m.assumed[k] = hs
	}
	return hs
}

// conn is the hop of a connection, made by mk.
func (m *routeMemo) conn(c *conn, mk func() Hop) []Hop {
	if m != nil {
		if hs, ok := m.conns[c]; ok {
			return hs
		}
	}
	hs := []Hop{mk()}
	if m != nil {
		m.conns[c] = hs
	}
	return hs
}

func (ix *index) peeringRoute(d *dest, c *conn, target netip.Prefix, memo *routeMemo) route {
	r := route{evaluated: true, forward: c.active, fwdHops: memo.conn(c, func() Hop {
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
		return h
	})}
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
		r.retHops = memo.assumedRoute(assumedKey{at: tableOr(t, d.out.SubnetID), target: target, peering: c.peeringID})
	case e == nil:
		r.retHops = missingOr(t, d, target, memo)
	default:
		r.retHops = memo.hops(hopRef{t: t, e: e}, hopRef{})
		r.ret = c.active && !e.drop && (e.targetKind == "peering" && (slices.Contains(e.targetIDs, c.peeringID) || c.peeringID == ""))
	}
	return r
}

func (ix *index) hubRoute(d *dest, c *conn, target netip.Prefix, memo *routeMemo) route {
	r := route{evaluated: true}
	k := ix.kong[c.kong]
	// Forward: Kong's hub route table, longest prefix match on the destination subnet.
	if f := memo.forward(d, c); f != nil {
		r.fwdHops, r.forward = f.hops, f.forward
	} else if len(d.prefixes) > 0 && len(k.tables) > 0 {
		kt := ix.hubTables[ix.assocTable[c.kongAtt]]
		if kt == nil {
			kt = k.tables[0]
		}
		e := kt.lookup(d.prefixes[0])
		r.fwdHops = memo.hops(ref(kt, e, d.prefixes[0]), hopRef{})
		r.forward = e != nil && !e.drop && slices.Contains(e.targetIDs, c.attachmentID)
		memo.keepForward(d, c, r.fwdHops, r.forward)
	}
	// Return: the subnet's table sends Kong's address to the hub, and the spoke's
	// associated hub table sends it to Kong's attachment.
	t := ix.subnetTable(d.subnet)
	var e *rentry
	if d.subnet != nil {
		e = t.lookup(target)
	}
	if e == nil {
		r.retHops = missingOr(t, d, target, memo)
		return r
	}
	first := hopRef{t: t, e: e}
	if e.drop || e.targetKind != "hub" || (len(e.targetIDs) > 0 && !slices.Contains(e.targetIDs, c.hubID)) {
		r.retHops = memo.hops(first, hopRef{})
		return r
	}
	st := ix.hubTables[ix.assocTable[c.attachmentID]]
	if st == nil {
		r.retHops = []Hop{t.hop(e), {Kind: "attachment", ResourceID: c.attachmentID, Key: "associated_route_table_id", Action: "missing",
			Note: "the spoke attachment has no associated hub route table"}}
		return r
	}
	he := st.lookup(target)
	r.retHops = memo.hops(first, ref(st, he, target))
	r.ret = he != nil && !he.drop && slices.Contains(he.targetIDs, c.kongAtt)
	return r
}

func tableOr(t *rtable, fallback string) string {
	if t != nil {
		return t.id
	}
	return fallback
}

// missingOr is the hop of no route for target: in table t, or, without a table, at the
// destination's subnet (or network).
func missingOr(t *rtable, d *dest, target netip.Prefix, memo *routeMemo) []Hop {
	if t != nil {
		return memo.hops(hopRef{t: t, miss: target}, hopRef{})
	}
	id := d.out.SubnetID
	if id == "" {
		id = d.network
	}
	return []Hop{{Kind: "route", ResourceID: id, Key: target.String(), Action: "missing", Note: "no route table for the subnet in the snapshot"}}
}

func (ix *index) provider(nid string) string {
	if n := ix.networks[nid]; n != nil {
		return n.Provider
	}
	return ""
}

// defaultProtocols are the protocols evaluated where no rule names another.
var defaultProtocols = []string{"icmp", "tcp", "udp", "other"}

// protocols are the protocols evaluated at a destination, sorted: tcp, udp, icmp, every
// other protocol a rule in front of it names, and "other" for the rest. The slice may
// be shared: do not modify it.
func protocols(d *dest) []string {
	var ps []string
	for _, l := range d.layers {
		for _, p := range l.protocols() {
			if !slices.Contains(ps, p) {
				ps = append(ps, p)
			}
		}
	}
	if len(ps) == 0 {
		return defaultProtocols
	}
	ps = append(ps, "tcp", "udp", "icmp")
	slices.Sort(ps)
	return append(ps, "other")
}

// chain evaluates one packet through every layer in order; it stops at the first layer
// that drops it. It returns the hops met and the reference the source was admitted by.
func (ix *index) chain(d *dest, s *src, proto string, port int) (bool, []Hop, string) {
	e := &evaluator{ix: ix}
	e.source(d, s)
	e.protocol(proto)
	ok, n := e.decide(port)
	ref := ""
	if ok {
		ref = e.refOf(e.pick)
	}
	return ok, e.hopsOf(nil, e.pick, n), ref
}

// admittedFlow is a protocol's admitted ports through one path.
type admittedFlow struct {
	proto string
	ports []PortRange
	hops  []Hop // the filter hops, shared by the destination's flows through them
	ref   string
	pick  int // offset of the path's picks in evaluator.picks
}

// evaluate lists what the layers admit from s: per protocol, each segment of the port
// space split at every rule boundary (ports of a segment meet the same rules) is decided
// by one representative port; admitted segments through the same path and reference are
// merged into port ranges, and everything collapses to protocol "all" when every
// protocol is admitted on every port through one path. The result is reused by the next
// call.
func (e *evaluator) evaluate(d *dest, s *src, protos []string) []admittedFlow {
	e.out, e.picks = e.out[:0], e.picks[:0]
	n := len(d.layers)
	// add records an admitted segment (nil for protocols without ports), merged into the
	// flow of the same protocol through the same path when there is one.
	add := func(first int, proto string, seg *PortRange) {
		ref := e.refOf(e.pick)
		for i := len(e.out) - 1; i >= first; i-- {
			f := &e.out[i]
			if f.ref == ref && e.samePath(e.picks[f.pick:f.pick+n], e.pick) {
				if seg != nil {
					f.ports = appendRange(f.ports, *seg)
				}
				return
			}
		}
		f := admittedFlow{proto: proto, ref: ref, pick: len(e.picks)}
		e.picks = append(e.picks, e.pick...)
		if seg != nil {
			f.ports = []PortRange{*seg}
		}
		e.out = append(e.out, f)
	}
	complete := 0
	e.source(d, s)
	for _, proto := range protos {
		e.protocol(proto)
		first := len(e.out)
		if !hasPorts(proto) {
			if ok, _ := e.decide(0); ok {
				add(first, proto, nil)
				complete++
			}
		} else {
			all := true
			for _, seg := range e.segments() {
				if ok, _ := e.decide(seg.From); ok {
					add(first, proto, &seg)
				} else {
					all = false
				}
			}
			if all {
				complete++
			}
		}
		// The views are this protocol's: render the paths now.
		for i := first; i < len(e.out); i++ {
			f := &e.out[i]
			e.hops = markAdmitting(e.hopsOf(e.hops[:0], e.picks[f.pick:f.pick+n], n))
			f.hops = e.internPath(e.hops)
		}
	}
	if complete == len(protos) && len(e.out) == len(protos) {
		for _, f := range e.out[1:] {
			if f.ref != e.out[0].ref || !hopsEqual(f.hops, e.out[0].hops) {
				return e.out
			}
		}
		e.out = append(e.out[:0], admittedFlow{proto: "all", ports: []PortRange{{From: 0, To: 65535}}, hops: e.out[0].hops, ref: e.out[0].ref})
	}
	return e.out
}

// markAdmitting marks the filter hop that let an admitted flow in (Hop.Admits): the
// last allow that names a firewall. A level with no firewall admits by default and
// names none; with no such hop, none is marked.
func markAdmitting(hs []Hop) []Hop {
	for i := len(hs) - 1; i >= 0; i-- {
		if h := &hs[i]; h.Kind == "filter" && h.Action == "allow" && h.ResourceKind != "" {
			h.Admits = true
			break
		}
	}
	return hs
}

// hopsEqual reports whether two paths name the same entries with the same actions.
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

// hopsSame reports whether two paths are equal in every field.
func hopsSame(a, b []Hop) bool {
	return slices.EqualFunc(a, b, func(x, y Hop) bool {
		return x.Kind == y.Kind && x.ResourceID == y.ResourceID && x.ResourceKind == y.ResourceKind && x.Key == y.Key &&
			x.Action == y.Action && x.Direction == y.Direction && x.Target == y.Target && x.State == y.State &&
			x.ReplyKey == y.ReplyKey && slices.Equal(x.ReplyPorts, y.ReplyPorts) && x.Implicit == y.Implicit &&
			x.Assumed == y.Assumed && x.Note == y.Note && x.Admits == y.Admits
	})
}

// internPath returns the destination's copy of a filter path equal to hs, making one
// when there is none; the distinct filter paths of a destination are few (bounded by
// its rules).
func (e *evaluator) internPath(hs []Hop) []Hop {
	for _, p := range e.paths {
		if hopsSame(p, hs) {
			return p
		}
	}
	p := slices.Clone(hs)
	e.paths = append(e.paths, p)
	return p
}

// internRoute returns the destination's copy of a route's hops equal to hs.
func (e *evaluator) internRoute(hs []Hop) []Hop {
	if len(hs) == 0 {
		return hs
	}
	for _, p := range e.routes {
		if hopsSame(p, hs) {
			return p
		}
	}
	e.routes = append(e.routes, hs)
	return hs
}

// pathKey identifies a flow's path: its routing hops and its filter hops, both shared.
type pathKey struct {
	route, filter *Hop
	nr, nf        int
}

// path is the flow's path, routing then filters, shared by every flow of the
// destination through the same hops.
func (e *evaluator) path(route, filter []Hop) []Hop {
	if len(route) == 0 {
		return filter
	}
	k := pathKey{route: &route[0], nr: len(route), nf: len(filter)}
	if len(filter) > 0 {
		k.filter = &filter[0]
	}
	if p, ok := e.full[k]; ok {
		return p
	}
	p := append(append(make([]Hop, 0, len(route)+len(filter)), route...), filter...)
	e.full[k] = p
	return p
}

// dpGroup is the data plane IPs admitted through one path on one protocol.
type dpGroup struct {
	a   admittedFlow
	rt  route
	ips []string
}

// flowsTo appends the admitted flows to one destination.
func (e *evaluator) flowsTo(d *dest, dst []Flow) []Flow {
	ix := e.ix
	e.paths, e.routes = e.paths[:0], e.routes[:0]
	clear(e.full)
	protos := protocols(d)
	for _, s := range e.sourcesFor(d) {
		if s.class == ClassKongDP {
			dst = e.dpFlows(d, s, protos, dst)
			continue
		}
		rt := ix.routing(d, s, &e.memo)
		if !rt.forward && !rt.ret {
			continue
		}
		if s.rt == nil { // a customer source's route is already shared
			rt.fwdHops, rt.retHops = e.internRoute(rt.fwdHops), e.internRoute(rt.retHops)
		}
		for _, a := range e.evaluate(d, s, protos) {
			dst = append(dst, e.flow(d, s.out, a, rt))
		}
	}
	return dst
}

// dpFlows evaluates each data plane IP of a Konnect network on its own (a rule admits
// the class if it admits any of them) and appends one flow per protocol and path, with
// the IPs admitted through it.
func (e *evaluator) dpFlows(d *dest, s *src, protos []string, dst []Flow) []Flow {
	k := e.ix.kong[s.kong]
	groups := e.groups[:0]
	for i, one := range k.dpOne {
		rt := e.ix.routing(d, one, &e.memo)
		if !rt.forward && !rt.ret {
			continue
		}
		rt.fwdHops, rt.retHops = e.internRoute(rt.fwdHops), e.internRoute(rt.retHops)
		for _, a := range e.evaluate(d, one, protos) {
			j := slices.IndexFunc(groups, func(g dpGroup) bool { return g.sameAs(a, rt) })
			if j < 0 {
				a.pick = 0
				groups = append(groups, dpGroup{a: a, rt: rt})
				j = len(groups) - 1
			}
			groups[j].ips = append(groups[j].ips, k.dpStrs[i])
		}
	}
	for _, g := range groups {
		f := e.flow(d, s.out, g.a, g.rt)
		f.Source.Addresses = g.ips
		dst = append(dst, f)
	}
	clear(groups)
	e.groups = groups[:0]
	return dst
}

// sameAs reports whether a and rt take the group's path: the same protocol, ports,
// reference and (shared) hops, routed the same way.
func (g *dpGroup) sameAs(a admittedFlow, rt route) bool {
	return g.a.proto == a.proto && g.a.ref == a.ref && slices.Equal(g.a.ports, a.ports) && sameSlice(g.a.hops, a.hops) &&
		g.rt.forward == rt.forward && g.rt.ret == rt.ret && sameSlice(g.rt.fwdHops, rt.fwdHops) && sameSlice(g.rt.retHops, rt.retHops)
}

// sameSlice reports whether a and b are the same shared slice.
func sameSlice(a, b []Hop) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func (e *evaluator) flow(d *dest, so Source, a admittedFlow, rt route) Flow {
	f := Flow{Source: so, Destination: d.out.Key, Protocol: a.proto, Ports: a.ports, Hops: e.path(rt.fwdHops, a.hops),
		ForwardRouted: rt.forward, ReturnRouted: rt.ret, ReturnHops: rt.retHops}
	f.Source.GroupRef = a.ref
	if so.Class == ClassInternet {
		f.ReturnRouted = true // stateful filters and the internet: replies are not modelled
	}
	return f
}
