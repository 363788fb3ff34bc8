package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// src is a source class as the filters see it.
type src struct {
	class    string
	id       string
	prefixes []netip.Prefix // the addresses the class stands for
	except   []netip.Prefix // kong-network: the DP IPs, left out
	network  string         // network: its id; edge: the load balancer's network
	groups   []string       // edge: the load balancer's security groups
	exact    bool           // one address (a DP IP, a traced IP): rules match by containment
	kong     int            // Konnect network index for Kong classes, else -1
	rt       *route         // customer sources: the routing towards their destinations' network
	out      Source
}

// matchPeer reports whether a rule peer matches the source, and the reference it matched
// by. Allow rules admit a class when the peer overlaps it (one admitted address is
// exposure); a deny blocks a class only when the peer covers all of it, so a partial
// deny never hides exposure. Internet is one representative public address: only a peer
// standing for the whole internet matches it.
func (ix *index) matchPeer(a *caddr, s *src, deny bool, d *dest) (bool, string) {
	switch a.kind {
	case snapshot.AddrAny:
		return true, ""
	case snapshot.AddrCIDR, snapshot.AddrPrefixList:
		if a.open && len(a.prefixes) == 0 {
			return true, ""
		}
		if s.exact {
			ip := s.prefixes[0].Addr()
			for _, p := range a.prefixes {
				if p.Contains(ip) {
					return true, ""
				}
			}
			return false, ""
		}
		if s.class == ClassInternet {
			return a.open, ""
		}
		for _, p := range a.prefixes {
			if deny {
				if allWithin(s.prefixes, p) {
					return true, ""
				}
			} else if overlapsOutside(p, s.prefixes, s.except) {
				return true, ""
			}
		}
		return false, ""
	case snapshot.AddrServiceTag:
		switch a.lower {
		case "internet":
			return s.class == ClassInternet, ""
		case "*", "any":
			return true, ""
		case "virtualnetwork":
			// The VNet's address space plus peered and hub-connected address space
			// (learn.microsoft.com/azure/virtual-network/service-tags-overview): every
			// non-internet source the model evaluates is connected to the destination.
			return s.class != ClassInternet, ""
		}
		return false, ""
	case snapshot.AddrGroup:
		if deny || s.class == ClassInternet || s.class == ClassKongDP || s.class == ClassKongNetwork {
			return false, ""
		}
		if g := ix.firewalls[a.value]; g != nil && g.fw.Kind == "aws-security-group" {
			// A referenced security group stands for its members' private IPs
			// (docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html#security-group-referencing).
			if s.class == ClassNetwork && s.network == g.fw.NetworkID {
				return true, a.value
			}
			if s.class == ClassEdge && slices.Contains(s.groups, a.value) {
				return true, a.value
			}
			return false, ""
		}
		// An application security group (or a group not in the snapshot): its members are
		// assumed to be in the destination's network.
		if s.class == ClassNetwork && s.network == d.network {
			return true, a.value
		}
	case snapshot.AddrTag, snapshot.AddrServiceAccount:
		// GCP source tags and service accounts: instances of the same network.
		if !deny && s.class == ClassNetwork && s.network == d.network {
			return true, a.kind + ":" + a.value
		}
	}
	return false, ""
}

func allWithin(ps []netip.Prefix, outer netip.Prefix) bool {
	if len(ps) == 0 {
		return false
	}
	for _, p := range ps {
		if !within(p, outer) {
			return false
		}
	}
	return true
}

// matchSources matches a rule's sources (an empty list is the attached resources
// themselves: members of the same network, by reference to the firewall).
func (ix *index) matchSources(r *crule, peers []caddr, s *src, d *dest) (bool, string) {
	if len(peers) == 0 {
		if !r.allow || s.class != ClassNetwork || s.network != d.network {
			return false, ""
		}
		return true, r.fwID
	}
	for i := range peers {
		if ok, ref := ix.matchPeer(&peers[i], s, !r.allow, d); ok {
			return true, ref
		}
	}
	return false, ""
}

// matchDest matches an ingress rule's destinations against the destination's ranges.
func matchDest(r *crule, d *dest) bool {
	if len(r.dests) == 0 {
		return true
	}
	for _, a := range r.dests {
		switch a.kind {
		case snapshot.AddrAny, snapshot.AddrGroup:
			return true
		case snapshot.AddrServiceTag:
			if a.lower == "virtualnetwork" || a.lower == "*" || a.lower == "any" {
				return true
			}
		case snapshot.AddrCIDR, snapshot.AddrPrefixList:
			if a.open {
				return true
			}
			for _, p := range a.prefixes {
				if !r.allow {
					if allWithin(d.prefixes, p) {
						return true
					}
				} else if overlapsAny(p, d.prefixes) || len(d.prefixes) == 0 {
					return true
				}
			}
		}
	}
	return false
}

func matchProtoPort(r *crule, proto string, port int) bool {
	if r.proto != "all" && r.proto != proto {
		return false
	}
	if !hasPorts(proto) {
		return true
	}
	for _, p := range r.ports {
		if p.From <= port && port <= p.To {
			return true
		}
	}
	return false
}

func matchTarget(r *crule, d *dest) bool {
	return len(r.targets) == 0 || (d.target != "" && slices.Contains(r.targets, d.target))
}

// Layer kinds.
const (
	layerNACL = "aws-network-acl"
	layerSG   = "aws-security-group"
	layerNSG  = "azure-nsg"
	layerGCP  = "gcp-firewall"
	layerNone = "none"
)

// layer is one filtering layer in front of a destination, in the order traffic meets them.
type layer struct {
	kind    string
	ids     []string
	rules   []*crule // ingress, in evaluation order (security groups: any order)
	egress  []*crule // network ACL egress, for the reply
	level   string   // subnet or nic (NSG)
	anchor  string   // resource a hop names when there is no firewall
	note    string   // why a missing layer admits
	assumed bool
	deny    *Hop // the implicit deny hop, built once
	protos  *[]string
}

// protocols are the protocols the layer's rules name besides tcp, udp, icmp and all;
// listed once (index.prepare).
func (l *layer) protocols() []string {
	if l.protos == nil {
		var ps []string
		for _, r := range l.rules {
			switch r.proto {
			case "all", "tcp", "udp", "icmp":
			default:
				if !slices.Contains(ps, r.proto) {
					ps = append(ps, r.proto)
				}
			}
		}
		l.protos = &ps
	}
	return *l.protos
}

// implicitDeny is the hop of traffic no rule of the layer matched.
func (l *layer) implicitDeny() Hop {
	if l.deny == nil {
		h := l.buildImplicitDeny()
		l.deny = &h
	}
	return *l.deny
}

func (l *layer) buildImplicitDeny() Hop {
	h := Hop{Kind: "filter", ResourceID: l.ids[0], ResourceKind: l.kind, Direction: "ingress", Action: "deny", Implicit: true}
	switch l.kind {
	case layerNACL:
		// Every NACL ends with the "*" rule that denies what no numbered rule matched
		// (docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).
		h.Key = "ingress/*"
	case layerGCP:
		// Implied deny-all ingress rule at priority 65535
		// (cloud.google.com/firewall/docs/firewalls#default_firewall_rules).
		h.Key = "implied-deny-ingress"
	case layerNSG:
		h.Key = "DenyAllInBound"
	default:
		// Security groups allow only: traffic no rule allows is denied
		// (docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).
		h.Key = "no-allow-rule"
		h.Note = "no rule of " + strings.Join(l.ids, ", ") + " admits it"
	}
	return h
}

func ruleHop(r *crule, action string) Hop {
	h := Hop{Kind: "filter", ResourceID: r.fwID, ResourceKind: r.fwKind, Key: r.key, Direction: r.direction,
		Action: action, Implicit: r.implicit, Note: r.note}
	if r.index >= 0 {
		h.RuleIndex = &r.index
	}
	return h
}

// noneHop is the hop of a level without a firewall, which admits.
func (l *layer) noneHop() Hop {
	return Hop{Kind: "filter", ResourceID: l.anchor, Key: "none", Action: "allow", Assumed: l.assumed, Note: l.note}
}

// evaluator decides the packets of one source at one destination. source keeps, per
// layer, the rules that match the source, the destination and the target, in evaluation
// order; protocol narrows them to one protocol, so that deciding a port only reads
// their port ranges; a network ACL's reply is decided once per source and protocol.
// Across destinations it shares the hops of routes (memo) and, within one destination,
// equal paths. It reuses its buffers from call to call: it is not safe for concurrent
// use (Build runs one per goroutine).
type evaluator struct {
	ix    *index
	d     *dest
	s     *src
	proto string
	views []lview
	pick  []int // per layer: the index in views[i].rules of the rule that decided, or -1
	cuts  []int
	segs  []PortRange
	hops  []Hop

	out    []admittedFlow    // evaluate's result
	picks  []int             // the picks of out's paths
	paths  [][]Hop           // the destination's distinct filter paths
	full   map[pathKey][]Hop // the destination's distinct paths, routing then filters
	routes [][]Hop           // the destination's distinct Kong route hops
	groups []dpGroup         // dpFlows' groups
	srcs   []*src            // sourcesFor's result
	memo   routeMemo         // route hops by route entry
	buf    []Flow            // flows: a run's flows
}

// lview is a layer as one source sees it: the rules that match the source, the
// destination and the target (all), and of those, the ones on the protocol being
// evaluated (rules).
type lview struct {
	l     *layer
	all   []lrule
	rules []lrule
	reply *replyVerdict // network ACL: the reply's verdict on the protocol, once decided
}

// lrule is a rule that matches the source, and the reference it matched by.
type lrule struct {
	r   *crule
	ref string
}

// replyVerdict is whether a network ACL lets the reply back out, and the hop that says so.
type replyVerdict struct {
	ok  bool
	hop Hop
}

func newEvaluator(ix *index) *evaluator {
	return &evaluator{ix: ix, full: map[pathKey][]Hop{},
		memo: routeMemo{entries: map[[2]hopRef][]Hop{}, conns: map[*conn][]Hop{}, assumed: map[assumedKey][]Hop{}}}
}

// source sets the evaluator to source s at destination d: it keeps, per layer, the
// rules that can match s in evaluation order.
func (e *evaluator) source(d *dest, s *src) {
	e.d, e.s, e.proto = d, s, ""
	if cap(e.views) < len(d.layers) {
		e.views = make([]lview, len(d.layers))
		e.pick = make([]int, len(d.layers))
	}
	e.views = e.views[:len(d.layers)]
	e.pick = e.pick[:len(d.layers)]
	for i, l := range d.layers {
		v := &e.views[i]
		v.l, v.all, v.rules, v.reply = l, v.all[:0], v.rules[:0], nil
		if l.kind == layerNone {
			continue
		}
		for _, r := range l.rules {
			if l.kind != layerSG && !matchTarget(r, d) {
				continue
			}
			if !matchDest(r, d) {
				continue
			}
			if ok, ref := e.ix.matchSources(r, r.sources, s, d); ok {
				v.all = append(v.all, lrule{r: r, ref: ref})
			}
		}
	}
}

// protocol narrows the source's rules to those on proto.
func (e *evaluator) protocol(proto string) {
	e.proto = proto
	for i := range e.views {
		v := &e.views[i]
		v.rules, v.reply = v.rules[:0], nil
		for _, lr := range v.all {
			if lr.r.proto == "all" || lr.r.proto == proto {
				v.rules = append(v.rules, lr)
			}
		}
	}
}

// decide evaluates port through the layers in order and stops at the first that drops
// it. It records the deciding rule of each layer in e.pick and returns whether the
// packet passes and how many layers it met. Security groups are stateful and additive
// (the first rule of the union that allows it); ordered firewalls apply their first
// matching rule; a network ACL that allows the request must also let the reply out.
func (e *evaluator) decide(port int) (bool, int) {
	ports := hasPorts(e.proto)
	for i := range e.views {
		v := &e.views[i]
		e.pick[i] = -1
		if v.l.kind == layerNone {
			continue
		}
		for j := range v.rules {
			if !ports || inRanges(v.rules[j].r.ports, port) {
				e.pick[i] = j
				break
			}
		}
		j := e.pick[i]
		if j < 0 || !v.rules[j].r.allow {
			return false, i + 1
		}
		if v.l.kind == layerNACL && !e.replyOf(v).ok {
			return false, i + 1
		}
	}
	return true, len(e.views)
}

func inRanges(rs []PortRange, port int) bool {
	for _, p := range rs {
		if p.From <= port && port <= p.To {
			return true
		}
	}
	return false
}

func (e *evaluator) replyOf(v *lview) *replyVerdict {
	if v.reply == nil {
		ok, h := e.ix.reply(v.l, e.s, e.proto, e.d, e.ix.opts.EphemeralPorts)
		v.reply = &replyVerdict{ok: ok, hop: h}
	}
	return v.reply
}

// hopsOf appends to buf the hops of the first n layers as pick decided them.
func (e *evaluator) hopsOf(buf []Hop, pick []int, n int) []Hop {
	for i := 0; i < n; i++ {
		v := &e.views[i]
		switch {
		case v.l.kind == layerNone:
			buf = append(buf, v.l.noneHop())
		case pick[i] < 0:
			buf = append(buf, v.l.implicitDeny())
		case !v.rules[pick[i]].r.allow:
			buf = append(buf, ruleHop(v.rules[pick[i]].r, "deny"))
		case v.l.kind == layerNACL:
			r, rep := v.rules[pick[i]].r, e.replyOf(v)
			if !rep.ok {
				h := rep.hop
				h.Note = "the request is admitted by " + r.key + "; the reply to the source is not allowed out on the ephemeral ports"
				buf = append(buf, h)
				continue
			}
			h := ruleHop(r, "allow")
			h.ReplyKey, h.ReplyPorts = rep.hop.Key, rep.hop.ReplyPorts
			buf = append(buf, h)
		default:
			buf = append(buf, ruleHop(v.rules[pick[i]].r, "allow"))
		}
	}
	return buf
}

// refOf is the reference the last layer that admitted by reference matched by.
func (e *evaluator) refOf(pick []int) string {
	ref := ""
	for i, j := range pick {
		if j >= 0 && e.views[i].rules[j].ref != "" {
			ref = e.views[i].rules[j].ref
		}
	}
	return ref
}

// samePath reports whether two picks name the same rules (firewall, key and action):
// the same hops.
func (e *evaluator) samePath(a, b []int) bool {
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		if a[i] < 0 || b[i] < 0 {
			return false
		}
		ra, rb := e.views[i].rules[a[i]].r, e.views[i].rules[b[i]].r
		if ra.fwID != rb.fwID || ra.key != rb.key || ra.allow != rb.allow {
			return false
		}
	}
	return true
}

// segments splits the port space at every boundary of the rules that can match: the
// ports of one segment meet the same rules, so one representative port decides for all.
func (e *evaluator) segments() []PortRange {
	cuts := append(e.cuts[:0], 0, 65536)
	for i := range e.views {
		for _, lr := range e.views[i].rules {
			for _, p := range lr.r.ports {
				if p.From > 0 && p.From <= 65535 {
					cuts = append(cuts, p.From)
				}
				if p.To+1 > 0 && p.To+1 <= 65535 {
					cuts = append(cuts, p.To+1)
				}
			}
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	segs := e.segs[:0]
	for i := 0; i+1 < len(cuts); i++ {
		segs = append(segs, PortRange{From: cuts[i], To: cuts[i+1] - 1})
	}
	e.cuts, e.segs = cuts, segs
	return segs
}

// reply checks a network ACL's egress side for the reply to the source: NACLs are
// stateless, so the response leaves on the client's ephemeral ports and must be allowed
// by an outbound rule (docs.aws.amazon.com/vpc/latest/userguide/
// custom-network-acl.html#nacl-ephemeral-ports). The reply passes when the egress side
// admits at least one port of the ephemeral range; the hop records the first rule that
// admits it and the admitted ranges. ICMP and other protocols without ports are checked
// once. When nothing passes, the hop is the rule (or the "*" entry) that drops the
// first ephemeral port.
func (ix *index) reply(l *layer, s *src, proto string, d *dest, eph PortRange) (bool, Hop) {
	first := func(port int) (*crule, bool) {
		for _, r := range l.egress {
			if !matchProtoPort(r, proto, port) {
				continue
			}
			if ok, _ := ix.matchSources(r, r.dests, s, d); ok {
				return r, r.allow
			}
		}
		return nil, false
	}
	deny := func(r *crule) Hop {
		if r == nil {
			return Hop{Kind: "filter", ResourceID: l.ids[0], ResourceKind: l.kind, Key: "egress/*", Direction: "egress",
				Action: "deny", Implicit: true, Note: "the reply to the source is not allowed out"}
		}
		h := ruleHop(r, "deny")
		h.Note = "the reply to the source is not allowed out"
		return h
	}
	if !hasPorts(proto) {
		r, ok := first(0)
		if !ok {
			return false, deny(r)
		}
		return true, Hop{Key: r.key}
	}
	var segs []PortRange
	var allowKey string
	var firstDeny *crule
	for _, seg := range segments(eph, l.egress, proto) {
		r, ok := first(seg.From)
		if !ok {
			if firstDeny == nil && len(segs) == 0 {
				firstDeny = r
			}
			continue
		}
		if allowKey == "" {
			allowKey = r.key
		}
		segs = appendRange(segs, seg)
	}
	if len(segs) == 0 {
		return false, deny(firstDeny)
	}
	return true, Hop{Key: allowKey, ReplyPorts: segs}
}

// segments splits the range span at every boundary of the rules on proto: ports of one
// segment meet the same rules, so one representative port decides for all.
func segments(span PortRange, rules []*crule, proto string) []PortRange {
	cuts := []int{span.From, span.To + 1}
	for _, r := range rules {
		if r.proto != "all" && r.proto != proto {
			continue
		}
		for _, p := range r.ports {
			if p.From > span.From && p.From <= span.To {
				cuts = append(cuts, p.From)
			}
			if p.To+1 > span.From && p.To+1 <= span.To {
				cuts = append(cuts, p.To+1)
			}
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	out := make([]PortRange, 0, len(cuts)-1)
	for i := 0; i+1 < len(cuts); i++ {
		out = append(out, PortRange{From: cuts[i], To: cuts[i+1] - 1})
	}
	return out
}

// appendRange appends r, merging it with the last range when adjacent.
func appendRange(rs []PortRange, r PortRange) []PortRange {
	if n := len(rs); n > 0 && rs[n-1].To+1 >= r.From {
		rs[n-1].To = max(rs[n-1].To, r.To)
		return rs
	}
	return append(rs, r)
}
