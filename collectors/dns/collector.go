// Package dns resolves public hostnames live (the configured public hostnames and the
// Konnect custom domains): it follows each CNAME chain to its end and records every hop,
// the final A/AAAA addresses and the response code, as snapshot.DNSResolution entities,
// so policies can tell a hostname that ends at the customer's edge from one that points
// straight at a Kong gateway.
//
// Resolution fails closed: NXDOMAIN and NODATA are answers, but SERVFAIL, REFUSED, no
// answer, a CNAME loop or a too long chain make the hostname's resolution an error and
// the "dns" scope partial or failed.
package dns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	mdns "github.com/miekg/dns"
	"golang.org/x/sync/errgroup"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// concurrency is how many hostnames are resolved at once.
const concurrency = 8

// Collector resolves hostnames with its Resolver.
type Collector struct {
	Resolver Resolver

	// resolvConf is the resolv.conf read when Resolver.Server is empty; "" means
	// /etc/resolv.conf. Tests set it.
	resolvConf string
}

// Collect resolves hostnames (normalized to lower case without the trailing dot, empty
// ones dropped, duplicates merged) and returns one resolution per hostname, sorted by id,
// with the scope dns/global/resolve that says how it went.
func (c *Collector) Collect(ctx context.Context, hostnames []string) ([]snapshot.DNSResolution, snapshot.Scope) {
	scope := snapshot.Scope{
		Provider:    "dns",
		Region:      "global",
		Service:     "resolve",
		Status:      snapshot.ScopeOK,
		Collections: []string{"dns_resolutions"},
	}
	names := normalize(hostnames)
	if len(names) == 0 {
		return nil, scope
	}
	out := make([]snapshot.DNSResolution, len(names))
	for i, name := range names {
		out[i] = snapshot.DNSResolution{ID: name, Hostname: name}
	}

	path := c.resolvConf
	if path == "" {
		path = resolvConf
	}
	server, err := c.Resolver.server(path)
	if err != nil {
		for i := range out {
			out[i].Error = err.Error()
		}
		scope.Status = snapshot.ScopeFailed
		scope.Errors = []snapshot.ScopeError{{Class: snapshot.ClassOther, Operation: "resolve", Message: err.Error()}}
		return out, scope
	}

	errs := make([]error, len(names))
	var g errgroup.Group
	g.SetLimit(concurrency)
	for i := range out {
		g.Go(func() error {
			out[i], errs[i] = c.resolve(ctx, server, names[i])
			return nil // one hostname's failure does not stop the others
		})
	}
	_ = g.Wait() // the goroutines return nil; failures are in errs

	failed := 0
	for i, err := range errs {
		if err == nil {
			continue
		}
		failed++
		scope.Errors = append(scope.Errors, snapshot.ScopeError{
			Class:     errorClass(err),
			Operation: "resolve",
			Message:   names[i] + ": " + err.Error(),
		})
	}
	switch {
	case failed == len(names):
		scope.Status = snapshot.ScopeFailed
	case failed > 0:
		scope.Status = snapshot.ScopePartial
	}
	return out, scope
}

// resolve follows name's chain for A records, then asks for AAAA records where the chain
// ends (following any further CNAME there too).
func (c *Collector) resolve(ctx context.Context, server, name string) (snapshot.DNSResolution, error) {
	out := snapshot.DNSResolution{ID: name, Hostname: name, Resolver: server}
	fqdn := mdns.Fqdn(name)
	if _, ok := mdns.IsDomainName(fqdn); !ok {
		err := fmt.Errorf("%q is not a valid hostname", name)
		out.Error = err.Error()
		return out, err
	}

	res, err := c.Resolver.follow(ctx, server, fqdn, mdns.TypeA, nil)
	addrs := res.addrs
	if err == nil && res.rcode == mdns.RcodeSuccess {
		var res6 result
		res6, err = c.Resolver.follow(ctx, server, res.last(fqdn), mdns.TypeAAAA, slices.Clone(res.chain))
		addrs = append(addrs, res6.addrs...)
		if res6.rcode >= 0 {
			res = res6
		} else {
			res.chain = res6.chain // no AAAA answer: keep the A answer's rcode
		}
	}

	for _, hop := range res.chain {
		out.Chain = append(out.Chain, strings.ToLower(strings.TrimSuffix(hop, ".")))
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	for _, a := range slices.Compact(addrs) {
		out.Addresses = append(out.Addresses, a.String())
	}
	out.Rcode = rcodeString(res.rcode)
	if err != nil {
		out.Error = err.Error()
	}
	return out, err
}

// normalize lower-cases hostnames, drops the trailing dot and empty names, and returns
// them sorted without duplicates.
func normalize(hostnames []string) []string {
	var names []string
	for _, h := range hostnames {
		h = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(h), "."))
		if h != "" {
			names = append(names, h)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// errorClass is the ScopeError class of a failed resolution: timeout when the resolver
// did not answer in time, other for the rest (error answers, loops, network errors, a
// cancelled collection).
func errorClass(err error) string {
	if isTimeout(err) && !errors.Is(err, context.Canceled) {
		return snapshot.ClassTimeout
	}
	return snapshot.ClassOther
}
