package aws

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// edgeManifest holds the recorded responses of the edge and private endpoint services.
const edgeManifest = "testdata/edge/responses.yaml"

// servedCalls are the HTTP requests srv answered (retries included), one
// "Operation k=v …" line each with every request parameter, sorted.
func servedCalls(srv *awstest.Server) []string {
	var out []string
	for _, c := range srv.Calls() {
		keys := make([]string, 0, len(c.Params))
		for k := range c.Params {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		line := c.Region + " " + c.Operation
		for _, k := range keys {
			line += " " + k + "=" + c.Params[k]
		}
		out = append(out, line)
	}
	slices.Sort(out)
	return out
}

// guardCalls are the calls the guard saw (one per SDK call, retries not repeated), as
// "Operation@depth", sorted.
func guardCalls(calls []Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = fmt.Sprintf("%s@%d", c.Operation, c.Depth)
	}
	slices.Sort(out)
	return out
}

// checkActions fails t for a call whose IAM action the service does not list.
func checkActions(t *testing.T, s service, calls []Call) {
	t.Helper()
	for _, c := range calls {
		if !slices.Contains(s.actions, c.Action) {
			t.Errorf("%s called %s, which is not in its actions %v", s.name, c.Action, s.actions)
		}
	}
}

// sortedByID sorts entities by id, for comparison (the collector sorts nothing).
func sortedByID[T any](xs []T, id func(T) string) []T {
	xs = slices.Clone(xs)
	slices.SortFunc(xs, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	return xs
}

func wantScope(service, region string, collections ...string) snapshot.Scope {
	return snapshot.Scope{
		Provider: "aws", Account: "111111111111", Region: region, Service: service,
		Status: snapshot.ScopeOK, Collections: collections,
	}
}

// lines joins a list for a failure message.
func lines(xs []string) string { return "\n\t" + strings.Join(xs, "\n\t") }

func TestRoute53Names(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"example.com.", "example.com"},
		{"Example.COM.", "example.com"},
		{`\052.example.com.`, "*.example.com"},
		{`ledger\100ops.internal.example.com.`, "ledger@ops.internal.example.com"},
		{`a\\b.example.com`, `a\\b.example.com`}, // not an escape: kept
		{`x\05`, `x\05`},                         // too short: kept
		{`x\058.example.com.`, `x\058.example.com`},
		{`\101\102c.`, "abc"},
		{"", ""},
	} {
		if got := normHost(tc.in); got != tc.want {
			t.Errorf("normHost(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRoute53(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, edgeManifest)
	u, calls := runService(t, srv, route53Service, "111111111111", "us-east-1")

	// The throttled first listing of the private zone was retried: the scope is ok.
	if d := gocmp.Diff(wantScope("route53", "global", "dns_records", "dns_zones"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}

	const pub, priv = "Z0482761ABCDEFGHIJK1", "Z0931475LMNOPQRSTUV2"
	entity := func(id, name string) snapshot.Entity {
		return snapshot.Entity{ID: id, Provider: "aws", Account: "111111111111", Region: "global", Name: name}
	}
	wantZones := []snapshot.DNSZone{
		{Entity: entity(pub, "example.com"), DNSName: "example.com"},
		{Entity: entity(priv, "internal.example.com"), DNSName: "internal.example.com", Private: true,
			NetworkIDs: []string{"vpc-0a1b2c3d4e5f60718", "vpc-0f9e8d7c6b5a40312"}},
	}
	if d := gocmp.Diff(wantZones, sortedByID(u.out.DNSZones, func(z snapshot.DNSZone) string { return z.ID })); d != "" {
		t.Errorf("zones (-want +got):\n%s", d)
	}

	weight := func(w int) *int { return &w }
	elb := &snapshot.DNSAlias{DNSName: "dualstack.api-edge-1873264519.us-east-1.elb.amazonaws.com", HostedZoneID: "Z35SXDOTRQ7X7K"}
	rec := func(zone, fqdn, typ, set string, r snapshot.DNSRecord) snapshot.DNSRecord {
		id := zone + "/" + fqdn + "/" + typ
		if set != "" {
			id += "/" + set
		}
		r.Entity = entity(id, "")
		r.ZoneID, r.FQDN, r.Type, r.SetIdentifier = zone, fqdn, typ, set
		return r
	}
	// NS, SOA, MX, TXT and SRV sets are left out on purpose.
	wantRecords := sortedByID([]snapshot.DNSRecord{
		rec(pub, "example.com", "A", "", snapshot.DNSRecord{Alias: elb}),
		rec(pub, "*.example.com", "CNAME", "", snapshot.DNSRecord{TTL: 300, Values: []string{"example.com"}}),
		rec(pub, "_acme-challenge.api.example.com", "CNAME", "", snapshot.DNSRecord{TTL: 300,
			Values: []string{"_acme-challenge.9e454bcfec.acme.gateways.konggateway.com"}}),
		rec(pub, "api.example.com", "A", "", snapshot.DNSRecord{Alias: elb}),
		rec(pub, "api.example.com", "AAAA", "", snapshot.DNSRecord{Alias: elb}),
		rec(pub, "gw.example.com", "CNAME", "edge", snapshot.DNSRecord{TTL: 60, RoutingPolicy: "weighted", Weight: weight(90),
			Values: []string{"api-edge-1873264519.us-east-1.elb.amazonaws.com"}}),
		rec(pub, "gw.example.com", "CNAME", "kong-direct", snapshot.DNSRecord{TTL: 60, RoutingPolicy: "weighted", Weight: weight(0),
			Values: []string{"9e454bcfec.aws-us-east-1.edge.gateways.konggateway.com"}}),
		rec(pub, "partners.example.com", "CNAME", "", snapshot.DNSRecord{TTL: 300, Values: []string{"9e454bcfec.gateways.konggateway.com"}}),
		rec(pub, "status.example.com", "A", "primary", snapshot.DNSRecord{TTL: 60, RoutingPolicy: "failover", Values: []string{"203.0.113.10"}}),
		rec(pub, "status.example.com", "A", "secondary", snapshot.DNSRecord{TTL: 60, RoutingPolicy: "failover", Values: []string{"198.51.100.20"}}),
		rec(pub, "v6.example.com", "AAAA", "use1", snapshot.DNSRecord{TTL: 60, RoutingPolicy: "latency", Values: []string{"2001:db8::10"}}),
		rec(pub, "eu.example.com", "CNAME", "europe", snapshot.DNSRecord{TTL: 60, RoutingPolicy: "geolocation", Values: []string{"eu.gateways.konggateway.com"}}),
		rec(pub, "mv.example.com", "A", "mv-1", snapshot.DNSRecord{TTL: 60, RoutingPolicy: "multivalue", Values: []string{"192.0.2.7"}}),
		rec(pub, "office.example.com", "A", "hq", snapshot.DNSRecord{TTL: 60, RoutingPolicy: "cidr", Values: []string{"192.0.2.8"}}),
		rec(priv, "ledger@ops.internal.example.com", "A", "", snapshot.DNSRecord{TTL: 60, Values: []string{"10.20.1.38", "10.20.2.41"}}),
	}, func(r snapshot.DNSRecord) string { return r.ID })
	if d := gocmp.Diff(wantRecords, sortedByID(u.out.DNSRecords, func(r snapshot.DNSRecord) string { return r.ID })); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}

	// Exactly the pages needed: two zone pages, one GetHostedZone for the private zone
	// only, three record pages for the public zone, and the private zone's listing
	// twice because the first answer was throttled.
	const rr = "us-east-1 ListResourceRecordSets path=/2013-04-01/hostedzone/"
	wantServed := []string{
		"us-east-1 GetHostedZone path=/2013-04-01/hostedzone/" + priv,
		"us-east-1 ListHostedZones path=/2013-04-01/hostedzone",
		"us-east-1 ListHostedZones marker=" + priv + " path=/2013-04-01/hostedzone",
		"us-east-1 ListResourceRecordSets identifier=kong-direct name=gw.example.com. path=/2013-04-01/hostedzone/" + pub + "/rrset type=CNAME",
		"us-east-1 ListResourceRecordSets identifier=secondary name=status.example.com. path=/2013-04-01/hostedzone/" + pub + "/rrset type=A",
		rr + pub + "/rrset",
		rr + priv + "/rrset",
		rr + priv + "/rrset",
	}
	slices.Sort(wantServed)
	if d := gocmp.Diff(wantServed, servedCalls(srv)); d != "" {
		t.Errorf("served calls (-want +got):\n%s", d)
	}
	// Dependent calls are one deeper than what they came from: the longest chain is
	// the zone pages then the public zone's three record pages (5 calls).
	wantGuard := []string{
		"GetHostedZone@2", "ListHostedZones@0", "ListHostedZones@1",
		"ListResourceRecordSets@2", "ListResourceRecordSets@2", "ListResourceRecordSets@3", "ListResourceRecordSets@4",
	}
	if d := gocmp.Diff(wantGuard, guardCalls(calls)); d != "" {
		t.Errorf("calls@depth (-want +got):\n%s", d)
	}
	checkActions(t, route53Service, calls)
}

func TestRoute53TruncatedWithoutNextName(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/edge/route53-truncated.yaml")
	u, _ := runService(t, srv, route53Service, "111111111111", "us-east-1")
	if u.scope.Status != snapshot.ScopePartial {
		t.Fatalf("scope %s, want partial", u.scope.Problem())
	}
	if len(u.scope.Errors) != 1 || u.scope.Errors[0].Class != "truncated" || u.scope.Errors[0].Operation != "ListResourceRecordSets" {
		t.Errorf("errors %+v, want one truncated ListResourceRecordSets", u.scope.Errors)
	}
	// What the truncated page held is kept; the loop did not restart from the top.
	if len(u.out.DNSRecords) != 1 || u.out.DNSRecords[0].FQDN != "api.example.com" {
		t.Errorf("records %+v, want the page's one A record", u.out.DNSRecords)
	}
	if n := len(srv.Calls()); n != 2 {
		t.Errorf("%d calls, want 2 (one zone page, one record page):%s", n, lines(servedCalls(srv)))
	}
}

func TestRoute53ListDenied(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/edge/route53-denied.yaml")
	u, _ := runService(t, srv, route53Service, "111111111111", "us-east-1")
	want := wantScope("route53", "global", "dns_records", "dns_zones")
	want.Status = snapshot.ScopeFailed
	want.Errors = []snapshot.ScopeError{{Class: "denied", Operation: "ListHostedZones",
		Message: "AccessDenied: User: arn:aws:sts::111111111111:assumed-role/dcgw-scan/session is not authorized to perform: route53:ListHostedZones"}}
	if d := gocmp.Diff(want, u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	if len(u.out.DNSZones)+len(u.out.DNSRecords) != 0 {
		t.Errorf("a failed listing gave entities: %+v %+v", u.out.DNSZones, u.out.DNSRecords)
	}
}
