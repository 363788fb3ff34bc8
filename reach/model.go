// Package reach is the reachability model of a DCGW estate: which traffic the routes and
// the filtering layers (network ACLs, security groups, NSGs, GCP firewall rules) of a
// snapshot admit to the gateway-facing destinations, from which source classes, on which
// protocols and ports, and through which hops. Rules decide on admitted flows, not on
// single firewall entries (docs: DESIGN.md, "Verdicts are about traffic, not entries").
//
// Build computes the model once per check from a snapshot it does not modify.
// Destinations lists every gateway-facing destination once, keyed by Destination.Key
// (exposed to Rego as input.reach.destinations); Flows lists the admitted flows, each
// naming its destination by that key (input.reach.flows); Trace answers one "path"
// question hop by hop. The model imports only the snapshot package.
//
// A custom rule joins the two on the key, e.g. "no path from the internet to tcp 22":
//
//	deny contains f if {
//		some flow in input.reach.flows
//		flow.source.class == "internet"
//		flow.protocol in {"tcp", "all"}
//		some r in flow.ports
//		r.from <= 22
//		r.to >= 22
//		dst := input.reach.destinations[flow.destination]
//		f := {"resource": dst.id, "msg": sprintf("%s admits tcp 22 from the internet", [dst.id])}
//	}
package reach

import (
	"cmp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Source classes.
const (
	// ClassInternet is any public address: admitted only by a rule whose source covers
	// the whole internet (0.0.0.0/0, ::/0, any, the Internet/*/Any tags, a prefix list
	// holding a /0).
	ClassInternet = "internet"
	// ClassKongDP is the data plane IPs of one Konnect network.
	ClassKongDP = "kong-dp"
	// ClassKongNetwork is the rest of one Konnect network's CIDR (the DP IPs left out).
	ClassKongNetwork = "kong-network"
	// ClassEdge is one edge load balancer (the addresses of its network).
	ClassEdge = "edge"
	// ClassNetwork is one customer network (its address ranges).
	ClassNetwork = "network"
	// ClassRange is an address range a rule in front of the destination names that is
	// none of the above: not the internet, no Konnect network, no network of the
	// snapshot connected to the destination (an on-premises range behind a VPN, a
	// partner's range). Its routing is not checked (it may arrive over a VPN, a hub or
	// Direct Connect the snapshot does not describe).
	ClassRange = "range"
)

// PortRange is an inclusive port range.
type PortRange struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Options tune Build.
type Options struct {
	// EdgeLoadBalancers are the load balancers that front the gateway (config
	// edge_load_balancers). Empty: every internet-facing load balancer with a data plane
	// IP among the targets of one of its target groups (as dcgw.lib.edge decides).
	EdgeLoadBalancers []string `json:"edge_load_balancers,omitempty"`
	// EphemeralPorts are the client ports a reply goes back to through a stateless ACL.
	// Zero value: 1024-65535, AWS's recommendation for network ACLs
	// (docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html#nacl-ephemeral-ports).
	EphemeralPorts PortRange `json:"ephemeral_ports"`
	// AllowedSourceRanges (config allowed_source_ranges) are only recorded on the model:
	// rules decide what they allow.
	AllowedSourceRanges []string `json:"allowed_source_ranges,omitempty"`
	// CrossNetworkOnly leaves out of Flows the flows from a destination's own network
	// (Source.WithinDestinationNetwork), half the flows of an estate, for a caller that
	// does not read them (the engine: input.reach leaves them out). Trace still answers
	// for them.
	CrossNetworkOnly bool `json:"cross_network_only,omitempty"`
	// TraceOnly builds what Trace reads and no flows (Flows is empty): for a caller that
	// asks one question, such as `dcgw-scan path`.
	TraceOnly bool `json:"trace_only,omitempty"`
}

// Source is where an admitted flow comes from.
type Source struct {
	// Class is internet, kong-dp, kong-network, edge or network.
	Class string `json:"class"`
	// ID is the Konnect network id (kong-dp, kong-network), the load balancer id (edge)
	// or the customer network id (network); empty for internet.
	ID string `json:"id,omitempty"`
	// Addresses are the source addresses the filters admitted: the admitted DP IPs
	// (kong-dp), the Konnect CIDR (kong-network), the network's ranges (edge, network),
	// 0.0.0.0/0 or ::/0 (internet).
	Addresses []string `json:"addresses,omitempty"`
	// WithinDestinationNetwork is true when the source is the destination's own network
	// (or an edge load balancer in it): intra-network traffic, not "wide".
	WithinDestinationNetwork bool `json:"within_destination_network,omitempty"`
	// GroupRef is the security group (or application security group, GCP source tag or
	// service account) a filter admitted the source through, when it did so by reference
	// rather than by address.
	GroupRef string `json:"group_ref,omitempty"`
}

// Destination is what admitted traffic lands on, with the firewalls in front of it. The
// model lists each destination once (Model.Destinations); flows refer to it by Key.
type Destination struct {
	// Key identifies the destination among all of the model's: its id; then "@" and the
	// subnet id when the subnet is not the id itself (a load balancer or resource gateway
	// in one of its subnets); then "#" and the firewall ids, comma-separated; then "~"
	// and the GCP target. It is the same for the same snapshot on every run. Treat it as
	// opaque: read the fields below rather than parsing it.
	Key string `json:"key"`
	// Kind is interfaces (the members of a set of security groups, or the NICs/instances
	// behind an NSG or GCP firewall), load-balancer or resource-gateway.
	Kind string `json:"kind"`
	// ID is the resource traffic lands on: a subnet id (interfaces), a load balancer id, a
	// resource gateway id, or a GCP network id.
	ID        string `json:"id"`
	Provider  string `json:"provider,omitempty"`
	NetworkID string `json:"network_id,omitempty"`
	// SubnetID is the subnet the traffic enters (its route table and subnet-level
	// firewalls apply).
	SubnetID string   `json:"subnet_id,omitempty"`
	CIDRs    []string `json:"cidrs,omitempty"`
	// Members are the resources behind the security groups or NIC NSG (interfaces,
	// instances, load balancers, resource gateways).
	Members []string `json:"members,omitempty"`
	// FirewallIDs are every firewall in front of it, subnet level first.
	FirewallIDs []string `json:"firewall_ids,omitempty"`
	// Target is the GCP target (tag:x, service-account:y) the destination stands for;
	// empty for instances matched only by untargeted rules.
	Target string `json:"target,omitempty"`
	// Edge is true for an edge load balancer; ListenerPorts are its listeners' ports.
	Edge          bool  `json:"edge,omitempty"`
	ListenerPorts []int `json:"listener_ports,omitempty"`
	// Assumed lists what the snapshot does not say and the model assumed (conservatively,
	// towards reporting exposure), e.g. which subnet an interface is in.
	Assumed []string `json:"assumed,omitempty"`
	// InternetRoute is whether the destination subnet's route table sends 0.0.0.0/0 or
	// ::/0 to an internet gateway (evidence for the flows from the internet, not a
	// condition); InternetRouteHop is that route.
	InternetRoute    bool `json:"internet_route,omitempty"`
	InternetRouteHop *Hop `json:"internet_route_hop,omitempty"`
}

// Hop is one step of a path: a route entry, a peering, or a firewall rule. ResourceID is
// an id in the snapshot; Key names the entry inside it.
type Hop struct {
	// Kind is route (VPC/VNet/GCP route table), hub-route (TGW/vHub route table), peering,
	// attachment (a Konnect attachment), filter (a firewall rule) or listener (Trace only:
	// a load balancer with no listener on the port).
	Kind       string `json:"kind"`
	ResourceID string `json:"resource_id"`
	// ResourceKind is the firewall kind (aws-network-acl, aws-security-group, azure-nsg,
	// gcp-firewall) for filter hops.
	ResourceKind string `json:"resource_kind,omitempty"`
	// Key is the entry: a route's destination, a rule id, a NACL "ingress/100", an NSG
	// default rule name.
	Key string `json:"key"`
	// Action is allow or deny (filters), forward, blackhole, drop or missing (routes),
	// active or inactive (peerings, attachments).
	Action    string `json:"action"`
	Direction string `json:"direction,omitempty"`
	// Target is the next hop of a route (peering id, attachment id, gateway id).
	Target string `json:"target,omitempty"`
	// State is the peering's or attachment's own state, as the provider spells it.
	State string `json:"state,omitempty"`
	// ReplyKey is, for a stateless ACL, the egress rule that lets the reply back out, and
	// ReplyPorts the ephemeral ports it admits.
	ReplyKey   string      `json:"reply_key,omitempty"`
	ReplyPorts []PortRange `json:"reply_ports,omitempty"`
	// RuleIndex is, for a filter hop of a rule in the snapshot, the rule's position in
	// its firewall's rules (firewalls[_].rules[rule_index]); absent for implicit rules.
	RuleIndex *int `json:"rule_index,omitempty"`
	// Implicit marks an entry that is not in the snapshot but applies by the provider's
	// documentation (the NACL "*" deny, NSG default rules, GCP's implied deny).
	Implicit bool `json:"implicit,omitempty"`
	// Assumed marks a hop that rests on an assumption (see Note).
	Assumed bool   `json:"assumed,omitempty"`
	Note    string `json:"note,omitempty"`
	// Admits marks, in an admitted flow, the firewall rule that let it in: the last
	// allow among its filter hops that names a firewall (the security group after the
	// network ACL, the NIC's NSG after the subnet's). It is the rule to change. A flow
	// through levels with no firewall only (which admit by default) has none.
	Admits bool `json:"admits,omitempty"`
}

// Flow is traffic the model admits: from a source class, to a destination, on one
// protocol and its merged port ranges, through the hops in order (routing, then the
// filters from the outermost in). A source (class and id) has one flow per protocol and
// distinct path to a destination: ports admitted through the same hops are merged into
// ranges, and the data plane IPs (kong-dp) admitted through the same hops are listed
// together in Source.Addresses.
type Flow struct {
	Source Source `json:"source"`
	// Destination is the Key of the destination (Model.Destinations).
	Destination string `json:"destination"`
	// Protocol is tcp, udp, icmp, icmpv6, an IANA number, other (every protocol not named
	// by a rule in front of the destination) or all (every protocol, every port, through
	// the same hops).
	Protocol string `json:"protocol"`
	// Ports are the admitted destination ports; empty for protocols without ports.
	Ports []PortRange `json:"ports,omitempty"`
	// Hops are shared by the destination's flows through the same path: do not modify.
	Hops []Hop `json:"hops"`
	// ForwardRouted is whether the source's traffic is routed to the destination (Kong
	// sources: over a peering or a hub route table; always true for internet, whose
	// routing is evidence only, and for sources in the destination's network).
	ForwardRouted bool `json:"forward_routed"`
	// ReturnRouted is whether the destination's subnet routes replies back to the source
	// (Kong sources); ReturnHops are the route entries that decide it.
	ReturnRouted bool  `json:"return_routed"`
	ReturnHops   []Hop `json:"return_hops,omitempty"`
}

// destRun is how many destinations (consecutive by key) one goroutine evaluates at a
// time.
const destRun = 256

// Model is the reachability model of one snapshot.
type Model struct {
	opts  Options
	ix    *index
	dests []*dest // as destinations lists them (by network); Trace tries candidates in this order
	byKey map[string]Destination
	flows []Flow
}

// Build computes the model of snap. It reads snap and never modifies it. The model is
// read-only afterwards: Flows, Destinations and Trace are safe for concurrent use.
func Build(snap *snapshot.Snapshot, opts Options) *Model {
	if opts.EphemeralPorts == (PortRange{}) {
		opts.EphemeralPorts = PortRange{From: 1024, To: 65535}
	}
	m := &Model{opts: opts, ix: newIndex(snap, opts)}
	m.dests = m.ix.destinations()
	m.byKey = make(map[string]Destination, len(m.dests))
	for _, d := range m.dests {
		d.out.Key = uniqueKey(destKey(&d.out), m.byKey)
		m.byKey[d.out.Key] = d.out
	}
	// From here on the index is only read: the flows are evaluated concurrently, and
	// Trace calls may come concurrently too.
	m.ix.prepare(m.dests)
	for _, d := range m.dests {
		if d.subnet == nil {
			continue
		}
		if h := m.ix.internetRoute(d.subnet); h != nil {
			d.out.InternetRoute, d.out.InternetRouteHop = true, h
			m.byKey[d.out.Key] = d.out
		}
	}
	order := make([]int, len(m.dests))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(m.dests[a].out.Key, m.dests[b].out.Key) })
	if !opts.TraceOnly {
		m.flows = m.evaluate(order, runtime.GOMAXPROCS(0))
	}
	return m
}

// evaluate computes the flows to the destinations, in the given order, on up to
// workers goroutines: each takes runs of consecutive destinations with its own
// evaluator, and the runs' flows are joined in order.
func (m *Model) evaluate(order []int, workers int) []Flow {
	runs := (len(order) + destRun - 1) / destRun
	out := make([][]Flow, runs)
	run := func(e *evaluator, r int) {
		out[r] = e.flows(m.dests, order[r*destRun:min(len(order), (r+1)*destRun)])
	}
	if workers = min(workers, runs); workers <= 1 {
		e := newEvaluator(m.ix)
		for r := range runs {
			run(e, r)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				e := newEvaluator(m.ix)
				for r := int(next.Add(1) - 1); r < runs; r = int(next.Add(1) - 1) {
					run(e, r)
				}
			})
		}
		wg.Wait()
	}
	return slices.Concat(out...)
}

// flows computes the flows to the destinations of ds at indexes is, each
// destination's sorted, into an exact slice (the evaluator's buffer grows instead).
func (e *evaluator) flows(ds []*dest, is []int) []Flow {
	buf := e.buf[:0]
	for _, i := range is {
		start := len(buf)
		buf = e.flowsTo(ds[i], buf)
		slices.SortStableFunc(buf[start:], compareFlows)
	}
	e.buf = buf
	return slices.Clone(buf)
}

// Flows returns the admitted flows to gateway-facing destinations, sorted by
// destination key, then source (class, id, addresses), protocol, ports and hops. Each
// flow names its destination by key (see Destinations). The slice and everything it
// refers to are the model's: do not modify them.
func (m *Model) Flows() []Flow { return m.flows }

// Destinations returns every gateway-facing destination by Key: those that flows reach
// and those that nothing reaches (a rule may list destinations no flow admits, and the
// engine exposes the map as input.reach.destinations). The map is the model's: do not
// modify it.
func (m *Model) Destinations() map[string]Destination { return m.byKey }

// Options returns the options the model was built with (defaults filled in).
func (m *Model) Options() Options { return m.opts }

// compareFlows orders two flows of one destination: source class, id and addresses,
// protocol, ports, then hops.
func compareFlows(a, b Flow) int {
	if c := strings.Compare(a.Source.Class, b.Source.Class); c != 0 {
		return c
	}
	if c := strings.Compare(a.Source.ID, b.Source.ID); c != 0 {
		return c
	}
	if c := slices.Compare(a.Source.Addresses, b.Source.Addresses); c != 0 {
		return c
	}
	if c := strings.Compare(a.Protocol, b.Protocol); c != 0 {
		return c
	}
	if c := slices.CompareFunc(a.Ports, b.Ports, func(x, y PortRange) int {
		return cmp.Or(cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To))
	}); c != 0 {
		return c
	}
	return slices.CompareFunc(a.Hops, b.Hops, func(x, y Hop) int {
		return cmp.Or(strings.Compare(x.ResourceID, y.ResourceID), strings.Compare(x.Key, y.Key),
			strings.Compare(x.Action, y.Action), strings.Compare(x.ReplyKey, y.ReplyKey))
	})
}

// destKey is the key of a destination, as Destination.Key describes it.
func destKey(d *Destination) string {
	n := len(d.ID) + len(d.SubnetID) + len(d.Target) + 2
	for _, id := range d.FirewallIDs {
		n += len(id) + 1
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(d.ID)
	if d.SubnetID != "" && d.SubnetID != d.ID {
		b.WriteByte('@')
		b.WriteString(d.SubnetID)
	}
	for i, id := range d.FirewallIDs {
		if i == 0 {
			b.WriteByte('#')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(id)
	}
	if d.Target != "" {
		b.WriteByte('~')
		b.WriteString(d.Target)
	}
	return b.String()
}

// uniqueKey returns k, or when an earlier destination has it (ids holding the
// separators), k with the first free suffix "!2", "!3"...; destinations come in a
// deterministic order, so the suffixes are stable too.
func uniqueKey(k string, seen map[string]Destination) string {
	u := k
	for i := 2; ; i++ {
		if _, dup := seen[u]; !dup {
			return u
		}
		u = k + "!" + strconv.Itoa(i)
	}
}
