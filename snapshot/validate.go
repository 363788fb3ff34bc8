package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemas are the embedded schema, compiled: the whole of it, and the part for the
// elements of each array Parse streams (see streamed).
type schemas struct {
	root  *jsonschema.Schema
	items map[string]*jsonschema.Schema // by collection name, e.g. "konnect.networks"
}

// compiledSchemas compiles the embedded schema on first use.
var compiledSchemas = sync.OnceValues(func() (*schemas, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("decode embedded snapshot schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(SchemaID, doc); err != nil {
		return nil, fmt.Errorf("add embedded snapshot schema: %w", err)
	}
	out := &schemas{items: make(map[string]*jsonschema.Schema)}
	if out.root, err = c.Compile(SchemaID); err != nil {
		return nil, fmt.Errorf("compile embedded snapshot schema: %w", err)
	}
	refs, err := itemRefs(schemaJSON)
	if err != nil {
		return nil, err
	}
	for _, name := range streamed() {
		ref, ok := refs[name]
		if !ok {
			return nil, fmt.Errorf("embedded snapshot schema: no element type for %s", name)
		}
		if out.items[name], err = c.Compile(SchemaID + ref); err != nil {
			return nil, fmt.Errorf("compile embedded snapshot schema for %s: %w", name, err)
		}
	}
	return out, nil
})

// itemRefs maps the name of each array of the schema's root and konnect objects
// ("networks", "konnect.networks") to the reference of its element type
// ("#/$defs/Network").
func itemRefs(schema []byte) (map[string]string, error) {
	type properties map[string]struct {
		Ref   string `json:"$ref"`
		Items *struct {
			Ref string `json:"$ref"`
		} `json:"items"`
	}
	var s struct {
		Properties properties `json:"properties"`
		Defs       map[string]struct {
			Properties properties `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(schema, &s); err != nil {
		return nil, fmt.Errorf("decode embedded snapshot schema: %w", err)
	}
	refs := make(map[string]string)
	add := func(prefix string, ps properties) {
		for name, p := range ps {
			if p.Items != nil && p.Items.Ref != "" {
				refs[prefix+name] = p.Items.Ref
			}
		}
	}
	add("", s.Properties)
	if k, ok := s.Properties["konnect"]; ok {
		add("konnect.", s.Defs[strings.TrimPrefix(k.Ref, "#/$defs/")].Properties)
	}
	return refs, nil
}

// validate checks v against sch and returns its violations, at pointers under
// prefix (the pointer of v in the document). Safe for concurrent use.
func (p *loader) validate(sch *jsonschema.Schema, v any, prefix string) ([]problem, error) {
	err := sch.Validate(v)
	if err == nil {
		return nil, nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return nil, fmt.Errorf("%s: validate against the snapshot schema: %w", p.name, err)
	}
	var ps []problem
	printer := message.NewPrinter(language.English)
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		ptr := prefix + pointerOf(e.InstanceLocation)
		// An unknown member is reported where it is, one per member: the likely typo.
		if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok {
			for _, name := range ap.Properties {
				ps = append(ps, problem{ptr: ptr, at: ptr + "/" + escapePointer(name), msg: fmt.Sprintf("unknown member %q", name)})
			}
			return
		}
		msg := e.ErrorKind.LocalizedString(printer)
		// The printer groups digits (65,535), which reads badly for ports.
		switch k := e.ErrorKind.(type) {
		case *kind.Minimum:
			msg = fmt.Sprintf("got %s, want at least %s", k.Got.RatString(), k.Want.RatString())
		case *kind.Maximum:
			msg = fmt.Sprintf("got %s, want at most %s", k.Got.RatString(), k.Want.RatString())
		}
		ps = append(ps, problem{ptr: ptr, msg: msg})
	}
	walk(verr)
	return ps, nil
}

func pointerOf(toks []string) string {
	var sb strings.Builder
	for _, t := range toks {
		sb.WriteByte('/')
		sb.WriteString(escapePointer(t))
	}
	return sb.String()
}

// check finds what the schema cannot express: addresses that do not parse (a
// malformed CIDR would make OPA's net.cidr_* built-ins quietly yield nothing, and a
// rule with them), port ranges out of order, ids repeated within one collection,
// and scopes that name collections that do not exist.
func check(s *Snapshot) []problem {
	var c checker

	for i, n := range s.Konnect.Networks {
		at := func(toks ...any) string { return pointer(append([]any{"konnect", "networks", i}, toks...)...) }
		c.cidr(n.CIDR, at("cidr"))
		c.ips(n.DataPlaneIPs, at, "data_plane_ips")
		c.ips(n.EgressIPs, at, "egress_ips")
		ids := c.ids(func(j int) string { return at("attachments", j, "id") })
		for j, a := range n.Attachments {
			ids.add(a.ID, j)
			c.cidrs(a.CIDRBlocks, func(toks ...any) string { return at(append([]any{"attachments", j}, toks...)...) }, "cidr_blocks")
			for k, d := range a.DNSConfig {
				c.ips(d.RemoteDNSServerIPs, func(toks ...any) string {
					return at(append([]any{"attachments", j, "dns_config", k}, toks...)...)
				}, "remote_dns_server_ips")
			}
		}
		for j, d := range n.PrivateDNS {
			for k, f := range d.DNSConfig {
				c.ips(f.RemoteDNSServerIPs, func(toks ...any) string {
					return at(append([]any{"private_dns", j, "dns_config", k}, toks...)...)
				}, "remote_dns_server_ips")
			}
		}
	}
	for i, a := range s.Konnect.Availability {
		at := func(toks ...any) string {
			return pointer(append([]any{"konnect", "availability", i}, toks...)...)
		}
		c.cidrs(a.AllowedCIDRs, at, "allowed_cidrs")
		c.cidrs(a.ReservedCIDRs, at, "reserved_cidrs")
	}
	for i, n := range s.Networks {
		c.cidrs(n.CIDRs, elem("networks", i), "cidrs")
	}
	for i, n := range s.Subnets {
		c.cidrs(n.CIDRs, elem("subnets", i), "cidrs")
	}
	for i, t := range s.RouteTables {
		for j, r := range t.Routes {
			if r.Destination != "" {
				c.cidr(r.Destination, pointer("route_tables", i, "routes", j, "destination"))
			}
		}
	}
	for i, p := range s.Peerings {
		for _, side := range []struct {
			name string
			s    PeeringSide
		}{{"local", p.Local}, {"remote", p.Remote}} {
			at := func(toks ...any) string { return pointer(append([]any{"peerings", i, side.name}, toks...)...) }
			c.cidrs(side.s.CIDRs, at, "cidrs")
			c.cidrs(side.s.PeeredCIDRs, at, "peered_cidrs")
		}
	}
	for i, h := range s.Hubs {
		c.cidrs(h.CIDRs, elem("hubs", i), "cidrs")
	}
	for i, t := range s.HubRouteTables {
		for j, r := range t.Routes {
			if r.Destination != "" {
				c.cidr(r.Destination, pointer("hub_route_tables", i, "routes", j, "destination"))
			}
		}
	}
	for i, f := range s.Firewalls {
		ids := c.ids(func(j int) string { return pointer("firewalls", i, "rules", j, "id") })
		for j, r := range f.Rules {
			if r.ID != "" {
				ids.add(r.ID, j)
			}
			for k, p := range r.Ports {
				if p.From > p.To {
					c.add(pointer("firewalls", i, "rules", j, "ports", k), fmt.Sprintf("port range %d-%d: from is above to", p.From, p.To))
				}
			}
			for _, list := range []struct {
				name  string
				addrs []Address
			}{{"sources", r.Sources}, {"destinations", r.Destinations}, {"targets", r.Targets}} {
				for k, a := range list.addrs {
					if a.Kind == AddrCIDR {
						c.cidr(a.Value, pointer("firewalls", i, "rules", j, list.name, k, "value"))
					}
				}
			}
		}
	}
	for i, p := range s.PrefixLists {
		c.cidrs(p.CIDRs, elem("prefix_lists", i), "cidrs")
	}
	for i, g := range s.TargetGroups {
		if !strings.EqualFold(g.TargetType, "ip") {
			continue
		}
		for j, t := range g.Targets {
			c.ip(t.ID, pointer("target_groups", i, "targets", j, "id"))
		}
	}
	for i, r := range s.DNSResolutions {
		c.ips(r.Addresses, elem("dns_resolutions", i), "addresses")
	}
	for i, e := range s.PrivateEndpoints {
		if e.Definition != nil && e.Definition.Kind == "ip" {
			c.ip(e.Definition.Value, pointer("private_endpoints", i, "definition", "value"))
		}
		for j, pr := range e.PortRanges {
			if msg := checkPortRange(pr); msg != "" {
				c.add(pointer("private_endpoints", i, "port_ranges", j), msg)
			}
		}
	}
	for i, sc := range s.Scopes {
		for j, name := range sc.Collections {
			if !IsCollection(name) {
				c.add(pointer("scopes", i, "collections", j), fmt.Sprintf("unknown collection %q (want one of %s)", name, strings.Join(Collections, ", ")))
			}
		}
	}

	for _, coll := range collections {
		coll.list.checkIDs(&c, coll.name, s)
	}
	return c.problems
}

// elem returns a pointer builder for the i-th element of a top-level collection.
func elem(collection string, i int) func(toks ...any) string {
	return func(toks ...any) string { return pointer(append([]any{collection, i}, toks...)...) }
}

type checker struct {
	problems []problem
}

func (c *checker) add(ptr, msg string) {
	c.problems = append(c.problems, problem{ptr: ptr, msg: msg})
}

func (c *checker) cidr(v, ptr string) {
	if _, err := netip.ParsePrefix(v); err != nil {
		c.add(ptr, fmt.Sprintf("%q is not a CIDR (want e.g. 10.0.0.0/16)", v))
	}
}

func (c *checker) cidrs(vs []string, at func(...any) string, field string) {
	for i, v := range vs {
		c.cidr(v, at(field, i))
	}
}

func (c *checker) ip(v, ptr string) {
	if _, err := netip.ParseAddr(v); err != nil {
		c.add(ptr, fmt.Sprintf("%q is not an IP address", v))
	}
}

func (c *checker) ips(vs []string, at func(...any) string, field string) {
	for i, v := range vs {
		c.ip(v, at(field, i))
	}
}

// idSet finds repeated ids in one list; the second occurrence is the problem.
type idSet struct {
	c     *checker
	at    func(i int) string // pointer of the i-th element's "id"
	first map[string]int
}

func (c *checker) ids(at func(i int) string) idSet {
	return idSet{c: c, at: at, first: make(map[string]int)}
}

func (s idSet) add(id string, i int) {
	if first, dup := s.first[id]; dup {
		s.c.problems = append(s.c.problems, problem{ptr: s.at(i), msg: fmt.Sprintf("duplicate id %q", id), other: s.at(first)})
		return
	}
	s.first[id] = i
}

func (c *checker) uniqueIDs(collection string, n int, id func(int) string) {
	var toks []any
	for _, t := range strings.Split(collection, ".") {
		toks = append(toks, t)
	}
	ids := c.ids(func(i int) string { return pointer(append(slices.Clone(toks), i, "id")...) })
	for i := range n {
		ids.add(id(i), i)
	}
}

// checkPortRange checks a VPC Lattice port range: "443" or "8000-8100".
func checkPortRange(pr string) string {
	from, to, isRange := strings.Cut(pr, "-")
	if !isRange {
		to = from
	}
	lo, err1 := strconv.Atoi(from)
	hi, err2 := strconv.Atoi(to)
	switch {
	case err1 != nil || err2 != nil || lo < 0 || hi > 65535:
		return fmt.Sprintf("%q is not a port or port range (want e.g. 443 or 8000-8100)", pr)
	case lo > hi:
		return fmt.Sprintf("port range %q: from is above to", pr)
	}
	return ""
}
