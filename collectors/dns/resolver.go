package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	mdns "github.com/miekg/dns"
)

// Defaults of a zero Resolver.
const (
	DefaultTimeout  = 2 * time.Second
	DefaultAttempts = 2
	DefaultMaxHops  = 10

	// resolvConf is where the system's resolvers are configured.
	resolvConf = "/etc/resolv.conf"
	// udpSize is the EDNS(0) buffer size advertised: the DNS Flag Day 2020 value, which
	// avoids IP fragmentation. Larger answers come back truncated and are asked again
	// over TCP.
	udpSize = 1232
)

// ErrTimeout is the error of a query that got no answer in any of its attempts.
var ErrTimeout = errors.New("timed out")

// Resolver asks one recursive resolver, over UDP with retries and over TCP when the UDP
// answer is truncated.
type Resolver struct {
	// Server is the resolver's "host:port"; empty means the first nameserver of
	// /etc/resolv.conf.
	Server string
	// Timeout bounds each query attempt; zero means DefaultTimeout.
	Timeout time.Duration
	// Attempts is how many times a query is sent over UDP before it is given up; zero
	// means DefaultAttempts. A truncated answer is asked once more over TCP.
	Attempts int
	// MaxHops bounds the CNAME chain of one name; zero means DefaultMaxHops.
	MaxHops int
}

func (r Resolver) timeout() time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return DefaultTimeout
}

func (r Resolver) attempts() int {
	if r.Attempts > 0 {
		return r.Attempts
	}
	return DefaultAttempts
}

func (r Resolver) maxHops() int {
	if r.MaxHops > 0 {
		return r.MaxHops
	}
	return DefaultMaxHops
}

// server is the address to query: Server, or the first nameserver of the resolv.conf file
// at path.
func (r Resolver) server(path string) (string, error) {
	if r.Server != "" {
		return r.Server, nil
	}
	return systemServer(path)
}

// systemServer reads the first nameserver of a resolv.conf file.
func systemServer(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read system resolver: %w", err)
	}
	defer f.Close()
	conf, err := mdns.ClientConfigFromReader(f)
	if err != nil {
		return "", fmt.Errorf("read system resolver from %s: %w", path, err)
	}
	if len(conf.Servers) == 0 {
		return "", fmt.Errorf("read system resolver from %s: no nameserver", path)
	}
	return net.JoinHostPort(conf.Servers[0], conf.Port), nil
}

// result is where a name's CNAME chain ends.
type result struct {
	// chain is every CNAME target after the name, fully qualified, in order.
	chain []string
	addrs []netip.Addr
	// rcode is the last answer's response code; -1 when no answer came.
	rcode int
}

// last is the name the chain ends at.
func (res result) last(name string) string {
	if len(res.chain) == 0 {
		return name
	}
	return res.chain[len(res.chain)-1]
}

// follow asks for qtype records of name at server, following the CNAME chain: through
// the CNAMEs of each answer, and by asking again for the target when an answer ends at a
// CNAME without records. prior are hops already followed before name (they count towards
// loops and MaxHops). An NXDOMAIN or NODATA answer is a result; an error answer
// (SERVFAIL, REFUSED, …), no answer, a loop or a too long chain is an error, returned
// with the partial result.
func (r Resolver) follow(ctx context.Context, server, name string, qtype uint16, prior []string) (result, error) {
	res := result{chain: prior, rcode: -1}
	seen := map[string]bool{strings.ToLower(name): true}
	for _, hop := range prior {
		seen[strings.ToLower(hop)] = true
	}
	cur := name
	for {
		resp, err := r.exchange(ctx, server, cur, qtype)
		if err != nil {
			return res, err
		}
		res.rcode = resp.Rcode
		if resp.Rcode != mdns.RcodeSuccess && resp.Rcode != mdns.RcodeNameError {
			return res, fmt.Errorf("query %s %s: server answered %s",
				strings.TrimSuffix(cur, "."), mdns.TypeToString[qtype], rcodeString(resp.Rcode))
		}
		hopped := false
		for {
			target, ok := cnameAt(resp.Answer, cur)
			if !ok {
				break
			}
			key := strings.ToLower(target)
			res.chain = append(res.chain, target)
			if seen[key] {
				return res, fmt.Errorf("CNAME loop: %s is already in the chain", strings.TrimSuffix(key, "."))
			}
			if len(res.chain) > r.maxHops() {
				return res, fmt.Errorf("CNAME chain longer than %d hops", r.maxHops())
			}
			seen[key] = true
			cur = target
			hopped = true
		}
		res.addrs = addrsAt(resp.Answer, cur, qtype)
		if len(res.addrs) > 0 || !hopped || resp.Rcode == mdns.RcodeNameError {
			return res, nil
		}
		// The answer stopped at a CNAME (its target is outside what the server
		// answers for in one go): ask for the target.
	}
}

// cnameAt is the target of the CNAME owned by name in rrs.
func cnameAt(rrs []mdns.RR, name string) (string, bool) {
	for _, rr := range rrs {
		if c, ok := rr.(*mdns.CNAME); ok && strings.EqualFold(c.Hdr.Name, name) {
			return c.Target, true
		}
	}
	return "", false
}

// addrsAt are the A or AAAA addresses owned by name in rrs.
func addrsAt(rrs []mdns.RR, name string, qtype uint16) []netip.Addr {
	var addrs []netip.Addr
	for _, rr := range rrs {
		if !strings.EqualFold(rr.Header().Name, name) || rr.Header().Rrtype != qtype {
			continue
		}
		var ip net.IP
		switch rr := rr.(type) {
		case *mdns.A:
			ip = rr.A
		case *mdns.AAAA:
			ip = rr.AAAA
		}
		if a, ok := netip.AddrFromSlice(ip); ok {
			if qtype == mdns.TypeA {
				a = a.Unmap()
			}
			addrs = append(addrs, a)
		}
	}
	return addrs
}

// exchange sends one question with recursion desired: over UDP up to attempts times,
// then over TCP if the UDP answer was truncated.
func (r Resolver) exchange(ctx context.Context, server, name string, qtype uint16) (*mdns.Msg, error) {
	m := new(mdns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = true
	m.SetEdns0(udpSize, false)
	what := strings.TrimSuffix(name, ".") + " " + mdns.TypeToString[qtype]

	var lastErr error
	for range r.attempts() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("query %s: %w", what, err)
		}
		m.Id = mdns.Id()
		resp, err := r.query(ctx, "udp", server, m)
		if err == nil && resp.Truncated {
			resp, err = r.query(ctx, "tcp", server, m)
			if err != nil {
				return nil, fmt.Errorf("query %s over TCP after a truncated answer: %w", what, err)
			}
		}
		if err == nil {
			return resp, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("query %s: %w", what, ctxErr)
		}
		lastErr = err
	}
	if isTimeout(lastErr) {
		return nil, fmt.Errorf("query %s: %w (%d attempts, %s each)", what, ErrTimeout, r.attempts(), r.timeout())
	}
	return nil, fmt.Errorf("query %s: %w", what, lastErr)
}

// query sends m once over network (udp or tcp). Cancelling ctx closes the connection,
// so a pending read returns at once.
func (r Resolver) query(ctx context.Context, network, server string, m *mdns.Msg) (*mdns.Msg, error) {
	c := &mdns.Client{Net: network, Timeout: r.timeout(), UDPSize: udpSize}
	co, err := c.DialContext(ctx, server)
	if err != nil {
		return nil, err
	}
	defer co.Close()
	stop := context.AfterFunc(ctx, func() { co.Close() })
	defer stop()
	resp, _, err := c.ExchangeWithConnContext(ctx, m, co)
	if err != nil {
		return nil, err
	}
	if len(resp.Question) != 1 || !strings.EqualFold(resp.Question[0].Name, m.Question[0].Name) ||
		resp.Question[0].Qtype != m.Question[0].Qtype {
		return nil, fmt.Errorf("answer is for another question (%v)", resp.Question)
	}
	return resp, nil
}

// isTimeout tells a query that got no answer in time from other failures.
func isTimeout(err error) bool {
	if errors.Is(err, ErrTimeout) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// rcodeString names a response code (NOERROR, NXDOMAIN, SERVFAIL, …); "" for none.
func rcodeString(rcode int) string {
	if rcode < 0 {
		return ""
	}
	if s, ok := mdns.RcodeToString[rcode]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rcode)
}
