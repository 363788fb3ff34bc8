package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Query is one "path" question: can From reach To on Protocol/Port?
type Query struct {
	// From is "kong" (the data plane IPs of the Konnect network connected to the
	// destination), "internet", or an IP (classified as a DP IP, the rest of a Konnect
	// CIDR, a customer network, or else the internet).
	From string `json:"from"`
	// To is an IP (resolved to the gateway-facing destinations whose subnet holds it) or a
	// resource id (a subnet, an interface, a load balancer, a resource gateway, a
	// security group or NSG in front of one).
	To string `json:"to"`
	// Protocol is tcp (default), udp, icmp or an IANA number; Port the destination port.
	Protocol string `json:"protocol,omitempty"`
	Port     int    `json:"port,omitempty"`
}

// Verdict answers a Query: every hop checked in order (forward routing, the filters up
// to the one that decides, then the return routing), and the first hop that drops the
// traffic when it is not admitted.
type Verdict struct {
	Admitted    bool         `json:"admitted"`
	Source      Source       `json:"source"`
	Destination *Destination `json:"destination,omitempty"`
	Hops        []Hop        `json:"hops"`
	DroppedAt   *Hop         `json:"dropped_at,omitempty"`
	Reason      string       `json:"reason"`
	// Candidates is the number of destinations To resolved to (several when the snapshot
	// does not say which interface holds an address); the verdict is the first admitted
	// one, else the first. An address resolves to a load balancer, which the model
	// assumes in every subnet of its network, only when no other destination holds it
	// (Destination.Assumed then says so).
	Candidates int `json:"candidates"`
}

// Trace answers q hop by hop.
func (m *Model) Trace(q Query) Verdict {
	proto := snapshot.NormalizeProtocol(q.Protocol)
	if q.Protocol == "" {
		proto = "tcp"
	}
	cands, lbOnly := m.resolveTo(q.To)
	if len(cands) == 0 {
		return Verdict{Reason: fmt.Sprintf("%s is not a gateway-facing destination of the snapshot (no subnet of a network connected to Kong holds it, and no such resource)", q.To)}
	}
	var first *Verdict
	for _, d := range cands {
		v := m.traceOne(q, proto, d)
		v.Candidates = len(cands)
		if lbOnly {
			assumeLBAddress(&v, q.To)
		}
		if v.Admitted {
			return v
		}
		if first == nil {
			first = &v
		}
	}
	return *first
}

// resolveTo finds the destinations an IP lands in or a resource id names. The
// snapshot does not say which subnets a load balancer is in, so the model places it in
// every subnet of its network: an address resolves to a load balancer only when no
// other destination (the interfaces of a set of security groups, a resource gateway)
// holds it, and lbOnly then reports that the candidates are such assumed load
// balancers. A resource id resolves to what it names, load balancers included.
func (m *Model) resolveTo(to string) (out []*dest, lbOnly bool) {
	if ip, err := netip.ParseAddr(to); err == nil {
		var lbs []*dest
		for _, d := range m.dests {
			for _, p := range d.prefixes {
				if p.Contains(ip.Unmap()) {
					if d.out.Kind == kindLB {
						lbs = append(lbs, d)
					} else {
						out = append(out, d)
					}
					break
				}
			}
		}
		if len(out) == 0 && len(lbs) > 0 {
			return lbs, true
		}
		return out, false
	}
	for _, d := range m.dests {
		if d.out.ID == to || d.out.SubnetID == to || slices.Contains(d.out.Members, to) || slices.Contains(d.out.FirewallIDs, to) {
			out = append(out, d)
		}
	}
	return out, false
}

// kindLB is the Destination.Kind of a load balancer.
const kindLB = "load-balancer"

// assumeLBAddress says in v that address to is taken to be a load balancer's: the
// snapshot places nothing else in the subnet, and does not say the load balancer is
// there either.
func assumeLBAddress(v *Verdict, to string) {
	d := v.Destination
	where := d.SubnetID
	if where == "" {
		where = d.NetworkID
	}
	note := fmt.Sprintf("%s is taken to be an address of load balancer %s: no other destination of the snapshot holds it, and the snapshot does not say whether the load balancer is in %s", to, d.ID, where)
	d.Assumed = append(slices.Clone(d.Assumed), note)
	if v.Admitted {
		v.Reason = fmt.Sprintf("admitted, assuming %s is an address of %s in %s (the snapshot does not say which subnets the load balancer is in)", to, d.ID, where)
	}
}

// fromSources turns Query.From into the sources to trace for destination d.
func (m *Model) fromSources(from string, d *dest) ([]*src, string) {
	ix := m.ix
	switch strings.ToLower(from) {
	case "internet":
		return []*src{{class: ClassInternet, prefixes: []netip.Prefix{open4}, kong: -1, out: Source{Class: ClassInternet, Addresses: []string{"0.0.0.0/0"}}}}, ""
	case "kong":
		if len(d.kongs) == 0 {
			return nil, "no Konnect network is connected to " + d.network
		}
		k := ix.kong[d.kongs[0]]
		var out []*src
		for _, ip := range k.dps {
			out = append(out, &src{class: ClassKongDP, id: k.kn.ID, prefixes: []netip.Prefix{ip}, exact: true, kong: d.kongs[0],
				out: Source{Class: ClassKongDP, ID: k.kn.ID, Addresses: []string{ip.Addr().String()}}})
		}
		if len(out) == 0 {
			return nil, "Konnect network " + k.kn.ID + " has no data plane IPs in the snapshot"
		}
		return out, ""
	}
	ip, err := netip.ParseAddr(from)
	if err != nil {
		return nil, fmt.Sprintf("from %q is not kong, internet or an IP", from)
	}
	ip = ip.Unmap()
	host := netip.PrefixFrom(ip, ip.BitLen())
	for ki, k := range ix.kong {
		if slices.Contains(k.dps, host) {
			return []*src{{class: ClassKongDP, id: k.kn.ID, prefixes: []netip.Prefix{host}, exact: true, kong: ki,
				out: Source{Class: ClassKongDP, ID: k.kn.ID, Addresses: []string{ip.String()}}}}, ""
		}
	}
	for ki, k := range ix.kong {
		if k.cidr.IsValid() && k.cidr.Contains(ip) {
			return []*src{{class: ClassKongNetwork, id: k.kn.ID, prefixes: []netip.Prefix{host}, exact: true, kong: ki,
				out: Source{Class: ClassKongNetwork, ID: k.kn.ID, Addresses: []string{ip.String()}}}}, ""
		}
	}
	nets := make([]string, 0, len(ix.netRanges))
	for nid := range ix.netRanges {
		nets = append(nets, nid)
	}
	slices.Sort(nets)
	for _, nid := range nets {
		for _, p := range ix.netRanges[nid] {
			if p.Contains(ip) {
				return []*src{{class: ClassNetwork, id: nid, prefixes: []netip.Prefix{host}, exact: true, network: nid, kong: -1,
					out: Source{Class: ClassNetwork, ID: nid, Addresses: []string{ip.String()}, WithinDestinationNetwork: nid == d.network}}}, ""
			}
		}
	}
	return []*src{{class: ClassInternet, prefixes: []netip.Prefix{host}, exact: true, kong: -1,
		out: Source{Class: ClassInternet, Addresses: []string{ip.String()}}}}, ""
}

func (m *Model) traceOne(q Query, proto string, d *dest) Verdict {
	dst := d.out
	v := Verdict{Destination: &dst}
	srcs, why := m.fromSources(q.From, d)
	if len(srcs) == 0 {
		v.Reason = why
		return v
	}
	// Every DP IP must pass for "kong"; the verdict shows the first that does not.
	var last Verdict
	for _, s := range srcs {
		last = m.traceSrc(v, s, proto, q.Port, d)
		if !last.Admitted {
			return last
		}
	}
	return last
}

func (m *Model) traceSrc(v Verdict, s *src, proto string, port int, d *dest) Verdict {
	ix := m.ix
	v.Source = s.out
	if (s.class == ClassKongDP || s.class == ClassKongNetwork) && !slices.Contains(d.kongs, s.kong) {
		v.Reason = "Konnect network " + s.id + " is not connected to " + d.network
		return v
	}
	if s.class == ClassNetwork && s.network != d.network && !slices.Contains(ix.custPeers[d.network], s.network) {
		h, why := m.unconnected(s.network, d)
		v.Hops = append(v.Hops, h)
		v.DroppedAt = &h
		v.Reason = why
		return v
	}
	rt := ix.routing(d, s, nil)
	v.Hops = append(v.Hops, rt.fwdHops...)
	if !rt.forward {
		v.Reason = "not routed from the source to the destination"
		if n := len(rt.fwdHops); n > 0 {
			h := rt.fwdHops[n-1]
			v.DroppedAt = &h
		}
		return v
	}
	noListener := m.noListener(d, proto, port)
	ok, hops, ref := ix.chain(d, s, proto, port)
	v.Hops = append(v.Hops, hops...)
	v.Source.GroupRef = ref
	if !ok {
		h := hops[len(hops)-1]
		v.DroppedAt = &h
		v.Reason = fmt.Sprintf("dropped by %s %s (%s)", h.ResourceID, h.Key, h.Direction)
		if h.Direction == "egress" {
			v.Reason = fmt.Sprintf("the reply is dropped by %s egress rule %s", h.ResourceID, h.Key)
		}
		if noListener != nil {
			v.Reason += fmt.Sprintf("; the load balancer has no listener on %s either", noListener.Key)
		}
		return v
	}
	if noListener != nil {
		v.Hops = append(v.Hops, *noListener)
		v.DroppedAt = noListener
		v.Reason = "no listener on " + noListener.Key
		return v
	}
	v.Hops = append(v.Hops, rt.retHops...)
	if (s.class == ClassKongDP || s.class == ClassKongNetwork) && !rt.ret {
		if n := len(rt.retHops); n > 0 {
			h := rt.retHops[n-1]
			v.DroppedAt = &h
		}
		v.Reason = "admitted by the filters, but replies are not routed back to Kong"
		return v
	}
	v.Admitted = true
	v.Reason = "admitted"
	return v
}

// unconnected is the routing hop and the reason of traffic from customer network from
// to destination d in another customer network that no active peering connects it to
// (index.custPeers): the model routes one customer network to another only over a
// peering, so nothing routes the traffic. The hop is the peering between them when the
// snapshot has one that is not active; else the route that is missing, noted as
// assumed when both networks are spokes of one hub (routes between spokes are not
// checked).
func (m *Model) unconnected(from string, d *dest) (Hop, string) {
	ix := m.ix
	to := d.network
	var pids []string
	for id, p := range ix.peerings {
		if !activeState(p.State) && ((p.Local.NetworkID == from && p.Remote.NetworkID == to) || (p.Local.NetworkID == to && p.Remote.NetworkID == from)) {
			pids = append(pids, id)
		}
	}
	if len(pids) > 0 {
		slices.Sort(pids)
		p := ix.peerings[pids[0]]
		h := Hop{Kind: "peering", ResourceID: p.ID, Key: p.ID, Action: "inactive", State: p.State}
		return h, fmt.Sprintf("not routed: peering %s between %s and %s is not active (%s)", p.ID, from, to, p.State)
	}
	key := to
	if len(d.prefixes) > 0 {
		key = d.prefixes[0].String()
	}
	h := Hop{Kind: "route", ResourceID: from, Key: key, Action: "missing", Note: "no peering connects the networks in the snapshot"}
	why := fmt.Sprintf("not routed: no route between %s and %s in the snapshot (no peering connects them)", from, to)
	if hub := sharedHub(ix, from, to); hub != "" {
		h.Assumed = true
		h.Note = "no peering connects the networks; both are spokes of hub " + hub + ", whose routes between spokes are not checked"
		why = fmt.Sprintf("not routed: no peering connects %s and %s in the snapshot, and routes between the spokes of hub %s are not checked", from, to, hub)
	}
	return h, why
}

// sharedHub is the first hub (by id) both networks have an attachment on, or "".
func sharedHub(ix *index, a, b string) string {
	hubs := map[string]int{}
	for _, h := range ix.hubAtts {
		switch h.NetworkID {
		case a:
			hubs[h.HubID] |= 1
		case b:
			hubs[h.HubID] |= 2
		}
	}
	best := ""
	for id, sides := range hubs {
		if sides == 3 && id != "" && (best == "" || id < best) {
			best = id
		}
	}
	return best
}

// noListener is, for a load balancer destination and a protocol with ports, the hop of
// the missing listener when none of its listeners takes proto on port (kind listener,
// the load balancer, key PORT/PROTOCOL, action missing, its listeners in the note); nil
// when one does, and for other destinations and protocols. A load balancer receives traffic only
// on its listeners' protocols and ports ("If your load balancer has no listeners, it
// can't receive traffic from clients": docs.aws.amazon.com/elasticloadbalancing/latest/
// application/load-balancer-listeners.html; NLB listeners are TCP, TLS, UDP or TCP_UDP:
// docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html),
// whatever else its security groups open. Flows keep showing what the groups admit
// beyond the listeners (rules judge the groups); only Trace, which answers whether a
// packet gets through, applies the listeners.
func (m *Model) noListener(d *dest, proto string, port int) *Hop {
	if d.out.Kind != kindLB || !hasPorts(proto) {
		return nil
	}
	lb := m.ix.lbs[d.out.ID]
	if lb == nil {
		return nil
	}
	var have []string
	for _, l := range lb.Listeners {
		if l.Port == port && listenerCarries(l.Protocol, proto) {
			return nil
		}
		have = append(have, strconv.Itoa(l.Port)+" ("+l.Protocol+")")
	}
	slices.Sort(have)
	note := "the snapshot lists no listener of the load balancer"
	if len(have) > 0 {
		note = "its listeners: " + strings.Join(slices.Compact(have), ", ")
	}
	return &Hop{Kind: "listener", ResourceID: d.out.ID, Key: strconv.Itoa(port) + "/" + proto, Action: "missing", Note: note}
}

// listenerCarries reports whether a listener of protocol lp (HTTP, HTTPS, TLS, TCP,
// UDP, TCP_UDP, as ELB spells them) takes traffic of IP protocol proto; a listener
// protocol the model does not know is taken to carry it.
func listenerCarries(lp, proto string) bool {
	switch strings.ToUpper(lp) {
	case "HTTP", "HTTPS", "TLS", "TCP":
		return proto == "tcp"
	case "UDP":
		return proto == "udp"
	case "TCP_UDP":
		return proto == "tcp" || proto == "udp"
	}
	return true
}
