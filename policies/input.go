package policies

import (
	"fmt"
	"reflect"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/dcgw-scan/dcgw-scan/internal/regovalue"
	"github.com/dcgw-scan/dcgw-scan/reach"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// ReachMember is the member of the input document that holds the reachability model:
// input.reach.flows, the admitted flows (reach.Flow), input.reach.destinations, the
// gateway-facing destinations they land on, and input.reach.hub_links, the spokes a hub
// connects to Kong in either direction (reach.HubLink). It is derived from the snapshot, never read
// from a snapshot file.
const ReachMember = "reach"

// reachInput is the JSON form of input.reach.
type reachInput struct {
	Destinations map[string]reach.Destination `json:"destinations"`
	Flows        []reach.Flow                 `json:"flows"`
	HubLinks     []reach.HubLink              `json:"hub_links"`
	// FlowsByClass are the indexes into Flows of each source class's flows, and
	// AllPortFlows those of the flows of every protocol, or of a port protocol on every
	// port: a rule about one class iterates its list, not every flow.
	FlowsByClass map[string][]int `json:"flows_by_class"`
	AllPortFlows []int            `json:"all_port_flows"`
}

// engineReachOptions are the model's options for input.reach: the parameters', and
// no flows from a destination's own network, which newReachInput leaves out anyway.
func engineReachOptions(p Params) reach.Options {
	o := p.ReachOptions()
	o.CrossNetworkOnly = true
	return o
}

// newReachInput is what input.reach shows of model m: every destination, and the flows
// that cross a network's boundary. Traffic from a destination's own network (its own
// address space, its own members by reference) is no finding by itself (DESIGN.md,
// "Verdicts are about traffic, not entries") and is most of the flows of an estate, so it
// is left out; `dcgw-scan path` still answers for it.
func newReachInput(m *reach.Model) reachInput {
	all := m.Flows()
	in := reachInput{Destinations: m.Destinations(), Flows: make([]reach.Flow, 0, len(all)), HubLinks: m.HubLinks(),
		FlowsByClass: map[string][]int{}, AllPortFlows: []int{}}
	for _, f := range all {
		if f.Source.WithinDestinationNetwork {
			continue
		}
		i := len(in.Flows)
		in.Flows = append(in.Flows, f)
		in.FlowsByClass[f.Source.Class] = append(in.FlowsByClass[f.Source.Class], i)
		if allPorts(f) {
			in.AllPortFlows = append(in.AllPortFlows, i)
		}
	}
	return in
}

// allPorts reports whether f is of every protocol, or of a port protocol on every port
// (0-65535 or 1-65535).
func allPorts(f reach.Flow) bool {
	switch f.Protocol {
	case "all", "other":
		return true
	case "tcp", "udp", "sctp", "6", "17", "132":
		for _, p := range f.Ports {
			if p.From <= 1 && p.To == 65535 {
				return true
			}
		}
	}
	return false
}

// sharedSlices are the slice types the flows of the reachability model share between
// them (the hops of one path, the addresses of one source).
var sharedSlices = []reflect.Type{reflect.TypeFor[[]reach.Hop](), reflect.TypeFor[[]string]()}

// sharedValues are the types whose values repeat by content across the flows of the
// reachability model, though each flow has its own copy: a few hundred sources and a
// few dozen port lists among tens of thousands of flows, and the same firewall rule
// in the paths to many destinations.
var sharedValues = []reflect.Type{reflect.TypeFor[reach.Source](), reflect.TypeFor[[]reach.PortRange](), reflect.TypeFor[reach.Hop]()}

// snapshotSharedValues are the snapshot's types whose values repeat by content across
// its entities: firewall rules' addresses and port lists (0.0.0.0/0, tcp 443 in
// thousands of rules) and route entries (the local route of every VPC). One term each
// saves a fifth of the firewalls' and route tables' policy form at 10k networks.
var snapshotSharedValues = []reflect.Type{
	reflect.TypeFor[snapshot.Address](), reflect.TypeFor[[]snapshot.Address](),
	reflect.TypeFor[[]snapshot.PortRange](), reflect.TypeFor[snapshot.Route](),
}

// inputValue turns the snapshot into the policy input document: its JSON form as an
// OPA value (regovalue), converted member by member with one Converter, and derived
// as the reach member. With release, each member is dropped from snap as soon as it is
// converted, so that the typed entities and their policy form are never both whole in
// memory; snap then holds what ReleaseEntities keeps, also when the conversion fails.
func inputValue(snap *snapshot.Snapshot, derived reachInput, release bool) (ast.Value, error) {
	members, err := regovalue.Members(snap)
	if err != nil {
		return nil, err
	}
	if release {
		kept := *snap
		kept.ReleaseEntities()
		defer func() { *snap = kept }()
	}
	c := regovalue.NewConverter()
	for _, t := range snapshotSharedValues {
		c.ShareValues(t)
	}
	pairs := make([][2]*ast.Term, 0, len(members)+1)
	// The derived member first, so the model is garbage before the entities are
	// converted, with a converter of its own that converts the slices flows share (the
	// hops of one path, the addresses of one source) once.
	rc := regovalue.NewConverter()
	for _, t := range sharedSlices {
		rc.ShareSlices(t)
	}
	for _, t := range sharedValues {
		rc.ShareValues(t)
	}
	rv, err := rc.ToValue(derived)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ReachMember, err)
	}
	pairs = append(pairs, [2]*ast.Term{ast.StringTerm(ReachMember), ast.NewTerm(rv)})
	for _, f := range members {
		v, err := c.ToValue(f.Field.Interface())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		pairs = append(pairs, [2]*ast.Term{ast.StringTerm(f.Name), ast.NewTerm(v)})
		if release {
			f.Field.SetZero()
		}
	}
	return ast.NewObject(pairs...), nil
}

// location is where an entity lives.
type location struct {
	provider, account, region string
}

// locationIndex is where each entity lives: each id maps to one of the few distinct
// locations of the snapshot, so that the index of a large estate (hundreds of
// thousands of ids) holds a small number per id rather than three strings.
type locationIndex struct {
	ids  map[string]uint32
	locs []location
}

// of is the location of the entity id.
func (x locationIndex) of(id string) (location, bool) {
	i, ok := x.ids[id]
	if !ok {
		return location{}, false
	}
	return x.locs[i], true
}

// locations indexes every entity of the snapshot by id (see Snapshot.EachEntity): the
// cloud resources, the Konnect networks, and their attachments and private DNS
// attachments (which take their network's location). The first entity with an id wins.
func locations(snap *snapshot.Snapshot) locationIndex {
	x := locationIndex{ids: map[string]uint32{}}
	known := map[location]uint32{}
	snap.EachEntity(func(_ string, e snapshot.Entity) {
		if _, ok := x.ids[e.ID]; ok || e.ID == "" {
			return
		}
		l := location{e.Provider, e.Account, e.Region}
		i, ok := known[l]
		if !ok {
			i = uint32(len(x.locs))
			known[l] = i
			x.locs = append(x.locs, l)
		}
		x.ids[e.ID] = i
	})
	return x
}
