package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/reach"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// PathOptions are the settings of Path: one question ("can From reach To on Port?")
// about one snapshot.
type PathOptions struct {
	// Config is the config file; empty: the defaults. Its edge_load_balancers and
	// allowed_source_ranges tune the model, and its konnect section (if any) gives a
	// snapshot without a Konnect side one, as for Check.
	Config string
	// From is kong, internet or an IP address.
	From string
	// To is an IP address or a resource id (a subnet, an interface, a load balancer, a
	// resource gateway, or a security group or NSG in front of one).
	To string
	// Port is PORT[/PROTOCOL], PROTOCOL tcp (the default) or udp; empty: 443/tcp.
	Port string
	// Format is text or json.
	Format string
	// Logger gets the warnings; nil discards them.
	Logger *slog.Logger
}

// PathReport is the answer to a path question: the verdict and its rendering.
type PathReport struct {
	Query   reach.Query
	Verdict reach.Verdict
	Data    []byte
}

// DefaultPort is the port a path question asks about unless told otherwise.
const DefaultPort = "443/tcp"

// Path loads the snapshot file at path as Check does (the same errors for a bad
// snapshot or config), builds the reachability model and answers the question of opts
// hop by hop. Every error is the user's to fix: a bad option, config or snapshot, or a
// --to that names no gateway-facing destination of the snapshot. A question the model
// answers with "not admitted" is a verdict, not an error.
func Path(ctx context.Context, path string, opts PathOptions) (*PathReport, error) {
	if opts.Format != "text" && opts.Format != "json" {
		return nil, fmt.Errorf("--format: %q is not text or json", opts.Format)
	}
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	cfg, err := LoadConfig(opts.Config)
	if err != nil {
		return nil, err
	}
	doc, err := snapshot.Load(path)
	if err != nil {
		return nil, oneLine(err)
	}
	if d := cfg.declared; d != nil {
		if err := addDeclaredKonnect(doc.Snapshot, d); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if ctx.Err() != nil {
		return nil, interrupted("path")
	}
	var incomplete []string
	for _, sc := range doc.Snapshot.Scopes {
		if sc.Incomplete() {
			incomplete = append(incomplete, sc.Key())
		}
	}
	if len(incomplete) > 0 {
		orDiscard(opts.Logger).Warn("the snapshot is incomplete: the answer rests on what was read, and what a failed scope holds may change it",
			"snapshot", path, "incomplete_scopes", strings.Join(incomplete, ","))
	}
	v := reach.Build(doc.Snapshot, reachOptions(cfg)).Trace(q)
	if v.Destination == nil {
		return nil, unknownTo(q.To, path, doc, v.Reason)
	}
	var buf bytes.Buffer
	switch opts.Format {
	case "json":
		err = writePathJSON(&buf, v)
	default:
		err = writePathText(&buf, q, v)
	}
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", opts.Format, err)
	}
	return &PathReport{Query: q, Verdict: v, Data: buf.Bytes()}, nil
}

// unknownTo is the error of a --to the model resolved to no destination: an address
// no gateway-facing subnet holds (the model's reason), an id the snapshot does not
// have, or a resource that is not a destination.
func unknownTo(to, path string, doc *snapshot.Document, reason string) error {
	if _, err := netip.ParseAddr(to); err == nil {
		return fmt.Errorf("--to %s: %s", to, reason)
	}
	if _, ok := doc.Span(to); !ok {
		return fmt.Errorf("--to %s: %s has no resource with this id", to, path)
	}
	return fmt.Errorf("--to %s: not a gateway-facing destination: give an IP address, or a subnet, network interface, load balancer, resource gateway, or a security group or NSG in front of one, in a network connected to Kong", to)
}

// reachOptions are the model's options from the config's rule parameters, as the rules
// see them; path asks one question, so the model builds no flows.
func reachOptions(cfg Config) reach.Options {
	o := cfg.Params.ReachOptions()
	o.TraceOnly = true
	return o
}

// query validates the question.
func (o PathOptions) query() (reach.Query, error) {
	from := strings.TrimSpace(o.From)
	switch strings.ToLower(from) {
	case "kong", "internet":
		from = strings.ToLower(from)
	case "":
		return reach.Query{}, errors.New("--from is required: kong, internet or an IP address")
	default:
		ip, err := netip.ParseAddr(from)
		if err != nil {
			return reach.Query{}, fmt.Errorf("--from: %q is not kong, internet or an IP address", o.From)
		}
		from = ip.Unmap().String()
	}
	to := strings.TrimSpace(o.To)
	if to == "" {
		return reach.Query{}, errors.New("--to is required: an IP address or a resource id")
	}
	if ip, err := netip.ParseAddr(to); err == nil {
		to = ip.Unmap().String()
	}
	if a, err := netip.ParseAddr(from); err == nil {
		if b, err := netip.ParseAddr(to); err == nil && a.Is4() != b.Is4() {
			return reach.Query{}, fmt.Errorf("--from %s and --to %s are not of the same address family", from, to)
		}
	}
	proto, port, err := ParsePort(o.Port)
	if err != nil {
		return reach.Query{}, err
	}
	return reach.Query{From: from, To: to, Protocol: proto, Port: port}, nil
}

// ParsePort reads a --port value: PORT[/PROTOCOL], PORT 1-65535 and PROTOCOL tcp (the
// default) or udp, e.g. 443/tcp, 443, 53/udp. Empty is DefaultPort.
func ParsePort(s string) (proto string, port int, err error) {
	if s == "" {
		s = DefaultPort
	}
	num, proto, hasProto := strings.Cut(s, "/")
	proto = strings.ToLower(proto)
	if !hasProto {
		proto = "tcp"
	}
	port, perr := strconv.Atoi(num)
	if perr != nil || (proto != "tcp" && proto != "udp") {
		return "", 0, fmt.Errorf("--port: %q is not PORT[/PROTOCOL] with PROTOCOL tcp or udp (e.g. 443/tcp, 8443, 53/udp)", s)
	}
	if port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("--port: %d is not a port (1-65535)", port)
	}
	return proto, port, nil
}

// writePathJSON writes the verdict as JSON, indented as the reports are.
func writePathJSON(w io.Writer, v reach.Verdict) error {
	if v.Hops == nil {
		v.Hops = []reach.Hop{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writePathText writes the verdict for a person: the question, what it resolved to,
// one line per hop, and the verdict ("admitted", or "dropped at <hop>: <reason>").
func writePathText(w io.Writer, q reach.Query, v reach.Verdict) error {
	var b strings.Builder
	fmt.Fprintf(&b, "path from %s to %s on %d/%s\n", q.From, q.To, q.Port, q.Protocol)
	if s := sourceText(v.Source); s != "" {
		fmt.Fprintf(&b, "source:      %s\n", s)
	}
	d := v.Destination
	fmt.Fprintf(&b, "destination: %s\n", destinationText(d))
	if len(d.FirewallIDs) > 0 {
		fmt.Fprintf(&b, "firewalls:   %s\n", strings.Join(d.FirewallIDs, ", "))
	}
	if v.Candidates > 1 {
		fmt.Fprintf(&b, "candidates:  %s matches %d destinations; shown is the first that admits the traffic, else the first\n", q.To, v.Candidates)
	}
	for _, a := range d.Assumed {
		fmt.Fprintf(&b, "assumed:     %s\n", a)
	}
	if len(v.Hops) > 0 {
		b.WriteString("hops:\n")
		for i, h := range v.Hops {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, h.String())
		}
	}
	switch {
	case v.Admitted:
		b.WriteString("admitted\n")
	case v.DroppedAt != nil:
		fmt.Fprintf(&b, "dropped at %s: %s\n", v.DroppedAt.String(), v.Reason)
	default:
		fmt.Fprintf(&b, "not admitted: %s\n", v.Reason)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sourceText is "kong-dp 10.40.11.23 (Konnect network k1)", "internet 0.0.0.0/0", …
func sourceText(s reach.Source) string {
	if s.Class == "" {
		return ""
	}
	parts := []string{s.Class}
	if len(s.Addresses) > 0 {
		parts = append(parts, strings.Join(s.Addresses, ", "))
	}
	switch {
	case s.ID == "":
	case s.Class == reach.ClassKongDP || s.Class == reach.ClassKongNetwork:
		parts = append(parts, "(Konnect network "+s.ID+")")
	default:
		parts = append(parts, "("+s.ID+")")
	}
	if s.GroupRef != "" {
		parts = append(parts, "as a member of "+s.GroupRef)
	}
	return strings.Join(parts, " ")
}

// destinationText is "interfaces in subnet-1 (10.20.1.0/24) of vpc-1: eni-1, eni-2".
func destinationText(d *reach.Destination) string {
	var b strings.Builder
	b.WriteString(d.Kind)
	if d.ID != d.SubnetID {
		b.WriteString(" " + d.ID)
	}
	if d.SubnetID != "" {
		b.WriteString(" in " + d.SubnetID)
	}
	if len(d.CIDRs) > 0 {
		b.WriteString(" (" + strings.Join(d.CIDRs, ", ") + ")")
	}
	if d.NetworkID != "" {
		b.WriteString(" of " + d.NetworkID)
	}
	if d.Target != "" {
		b.WriteString(", target " + d.Target)
	}
	if len(d.Members) > 0 {
		b.WriteString(": " + strings.Join(d.Members, ", "))
	}
	if d.Edge {
		ports := make([]string, len(d.ListenerPorts))
		for i, p := range d.ListenerPorts {
			ports[i] = strconv.Itoa(p)
		}
		b.WriteString(" (edge; listeners on " + strings.Join(ports, ", ") + ")")
	}
	return b.String()
}
