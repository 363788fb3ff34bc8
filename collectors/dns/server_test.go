package dns

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	mdns "github.com/miekg/dns"
)

// testZones are the zones the test server answers for, as a zone file. The server is
// authoritative for each $ORIGIN below and follows CNAMEs inside a zone in one answer,
// as an authoritative server does; a CNAME into another zone ends the answer, so the
// collector has to ask for the target itself.
const testZones = `
$TTL 300
$ORIGIN example.test.
@            IN SOA   ns1 hostmaster 1 3600 600 86400 300
@            IN NS    ns1
ns1          IN A     192.0.2.53
; the public hostname ends at the customer's edge (a CDN)
api          IN CNAME d111abcdef8.cdn-edge.test.
; one hop inside the zone, then out of it
www          IN CNAME api
; the public hostname points straight at the Kong gateway
gw           IN CNAME abc123.gateways.konggateway.com.
dangling     IN CNAME gone.example.test.
dangling-ext IN CNAME missing.cdn-edge.test.
loop1        IN CNAME loop2
loop2        IN CNAME loop1
v6only       IN AAAA  2001:db8::10
dual         IN A     192.0.2.100
dual         IN A     192.0.2.9
dual         IN AAAA  2001:db8::20
lame         IN CNAME host.lame.test.
MiXeD        IN A     192.0.2.77

$ORIGIN cdn-edge.test.
@            IN SOA   ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300
d111abcdef8  IN A     203.0.113.11
d111abcdef8  IN A     203.0.113.10
d111abcdef8  IN AAAA  2001:db8:e::10

$ORIGIN gateways.konggateway.com.
@            IN SOA   ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300
abc123       IN A     10.40.1.10
`

// bigAddrs is how many A records big.example.test has: more than fit in the client's
// EDNS(0) buffer, so the UDP answer is truncated and must be asked again over TCP.
const bigAddrs = 120

func bigAddr(i int) string { return fmt.Sprintf("198.51.100.%d", i+1) }

// testServer is a DNS server on 127.0.0.1 (UDP and TCP on one port) serving testZones.
type testServer struct {
	addr    string
	records map[string][]mdns.RR // by lower-case owner name
	zones   []string             // apexes, fully qualified
	// servfail are zones whose every answer is SERVFAIL.
	servfail []string
	// special names: servfail answers SERVFAIL, drop never answers.
	special map[string]string

	mu      sync.Mutex
	queries map[string]int // "udp big.example.test. A" → count
	tcp     atomic.Int64
}

func startTestServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{
		records:  map[string][]mdns.RR{},
		zones:    []string{"example.test.", "cdn-edge.test.", "gateways.konggateway.com.", "lame.test."},
		servfail: []string{"lame.test."},
		special: map[string]string{
			"servfail.example.test.": "servfail",
			"slow.example.test.":     "drop",
		},
		queries: map[string]int{},
	}
	zp := mdns.NewZoneParser(strings.NewReader(testZones), "", "testzones")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		name := strings.ToLower(rr.Header().Name)
		s.records[name] = append(s.records[name], rr)
	}
	if err := zp.Err(); err != nil {
		t.Fatalf("parse test zones: %v", err)
	}
	for i := range bigAddrs {
		rr, err := mdns.NewRR("big.example.test. 300 IN A " + bigAddr(i))
		if err != nil {
			t.Fatalf("big record: %v", err)
		}
		s.records["big.example.test."] = append(s.records["big.example.test."], rr)
	}

	// UDP and TCP on the same port: take a UDP port, then its TCP twin (retry if taken).
	var pc net.PacketConn
	var ln net.Listener
	for try := 0; ; try++ {
		var err error
		pc, err = net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("listen udp: %v", err)
		}
		ln, err = net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			break
		}
		pc.Close()
		if try == 10 {
			t.Fatalf("listen tcp: %v", err)
		}
	}
	s.addr = pc.LocalAddr().String()

	for _, srv := range []*mdns.Server{
		{PacketConn: pc, Handler: s},
		{Listener: ln, Handler: s},
	} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go func() {
			if err := srv.ActivateAndServe(); err != nil {
				t.Logf("dns test server: %v", err)
			}
		}()
		<-started
		t.Cleanup(func() { _ = srv.Shutdown() })
	}
	return s
}

func (s *testServer) count(network, name string, qtype uint16) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[network+" "+name+" "+mdns.TypeToString[qtype]]
}

func (s *testServer) zoneOf(name string) string {
	best := ""
	for _, z := range s.zones {
		if mdns.IsSubDomain(z, name) && len(z) > len(best) {
			best = z
		}
	}
	return best
}

// ServeDNS answers like an authoritative server for s.zones.
func (s *testServer) ServeDNS(w mdns.ResponseWriter, req *mdns.Msg) {
	network := w.LocalAddr().Network()
	if len(req.Question) != 1 {
		resp := new(mdns.Msg)
		_ = w.WriteMsg(resp.SetRcode(req, mdns.RcodeFormatError))
		return
	}
	q := req.Question[0]
	qname := strings.ToLower(q.Name)
	s.mu.Lock()
	s.queries[network+" "+qname+" "+mdns.TypeToString[q.Qtype]]++
	s.mu.Unlock()
	if network == "tcp" {
		s.tcp.Add(1)
	}

	resp := new(mdns.Msg)
	resp.SetReply(req)
	switch s.special[qname] {
	case "drop":
		return // never answers
	case "servfail":
		_ = w.WriteMsg(resp.SetRcode(req, mdns.RcodeServerFailure))
		return
	}
	zone := s.zoneOf(qname)
	if zone == "" {
		_ = w.WriteMsg(resp.SetRcode(req, mdns.RcodeRefused))
		return
	}
	for _, z := range s.servfail {
		if z == zone {
			_ = w.WriteMsg(resp.SetRcode(req, mdns.RcodeServerFailure))
			return
		}
	}
	resp.Authoritative = true

	cur := qname
	seen := map[string]bool{cur: true}
	for {
		rrs, exists := s.records[cur]
		if !exists {
			resp.Rcode = mdns.RcodeNameError
			break
		}
		var cname *mdns.CNAME
		for _, rr := range rrs {
			if c, ok := rr.(*mdns.CNAME); ok && q.Qtype != mdns.TypeCNAME {
				cname = c
			}
			if rr.Header().Rrtype == q.Qtype {
				resp.Answer = append(resp.Answer, rr)
			}
		}
		if cname == nil {
			break
		}
		resp.Answer = append(resp.Answer, cname)
		next := strings.ToLower(cname.Target)
		if seen[next] || s.zoneOf(next) != zone {
			break // a loop, or another zone: the answer ends at the CNAME
		}
		seen[next] = true
		cur = next
	}

	if network == "udp" {
		size := mdns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil {
			size = int(opt.UDPSize())
			resp.SetEdns0(opt.UDPSize(), false)
		}
		resp.Truncate(size)
	}
	_ = w.WriteMsg(resp)
}
