package azure

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// collectMain collects subMain (listed), subOther (403 on every read) and skips the
// disabled subscription; the first NSG listing of subMain is throttled once.
func collectMain(t *testing.T) (*snapshot.Snapshot, *fakeAzure) {
	t.Helper()
	f := &fakeAzure{
		t: t, subs: subscriptionList(),
		estates:  map[string]*estate{subMain: mainEstate(t)},
		denied:   map[string]bool{subOther: true},
		throttle: map[string]int{strings.ToLower("/subscriptions/" + subMain + "/providers/Microsoft.Network/networkSecurityGroups"): 1},
	}
	c := f.collector()
	var mu sync.Mutex
	var progress []int
	c.Progress = func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != 2*len(services) {
			t.Errorf("progress total = %d, want %d", total, 2*len(services))
		}
		progress = append(progress, done)
	}
	snap := c.Collect(context.Background())
	if len(progress) != 2*len(services) || progress[len(progress)-1] != 2*len(services) {
		t.Errorf("progress calls = %v", progress)
	}
	return snap, f
}

func TestCollectScopes(t *testing.T) {
	t.Parallel()
	snap, _ := collectMain(t)
	type got struct {
		Key, Status string
		Classes     []string
		Collections []string
	}
	var scopes []got
	for _, s := range snap.Scopes {
		var classes []string
		for _, e := range s.Errors {
			classes = append(classes, e.Class)
		}
		scopes = append(scopes, got{s.Key(), s.Status, snapshot.SortedSet(classes), s.Collections})
	}
	want := []got{{"azure//global/subscriptions", "ok", nil, allCollections()}}
	for _, sub := range []string{subMain, subOther} {
		for _, svc := range services {
			g := got{Key: "azure/" + sub + "/global/" + svc.name, Status: "ok", Collections: svc.collections}
			if sub == subOther {
				g.Status, g.Classes = "failed", []string{"denied"}
			}
			want = append(want, g)
		}
	}
	slices.SortFunc(want, func(a, b got) int { return strings.Compare(a.Key, b.Key) })
	if diff := cmp.Diff(want, scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	// Nothing of the denied subscription is reported as if it were empty.
	for _, n := range snap.Networks {
		if n.Account != subMain {
			t.Errorf("network %s of %s", n.ID, n.Account)
		}
	}
	for _, s := range snap.Scopes {
		if s.Account == subOther && !strings.Contains(s.Errors[0].Message, "Reader role") {
			t.Errorf("denied message %q gives no hint", s.Errors[0].Message)
		}
	}
}

func TestCollectReadOnlyPagedThrottled(t *testing.T) {
	t.Parallel()
	_, f := collectMain(t)
	log := f.log()
	count := map[string]int{}
	for _, r := range log {
		if !strings.HasPrefix(r, "GET ") {
			t.Errorf("non-GET request %q", r)
		}
		count[strings.ToLower(fakePage.ReplaceAllString(strings.TrimPrefix(r, "GET "), ""))]++
	}
	// Every request matches an operation of Operations (which are all GETs).
	var patterns []*regexp.Regexp
	for _, op := range Operations() {
		if op.Method != "GET" {
			t.Errorf("operation %s is %s", op.Name, op.Method)
		}
		p := regexp.QuoteMeta(strings.ToLower(op.Path))
		p = regexp.MustCompile(`\\\{[a-z]+\\\}`).ReplaceAllString(p, `[^/]+`)
		patterns = append(patterns, regexp.MustCompile("^"+p+"$"))
	}
	for path := range count {
		if !slices.ContainsFunc(patterns, func(re *regexp.Regexp) bool { return re.MatchString(path) }) {
			t.Errorf("request %s is not in Operations()", path)
		}
	}
	base := "/subscriptions/" + subMain + "/providers/microsoft.network/"
	// 4 VNets, 2 a page: the pager reads both pages (and the NSG listing was retried).
	if n := count[base+"virtualnetworks"]; n != 2 {
		t.Errorf("virtual network listing requests = %d, want 2 pages", n)
	}
	if n := count[base+"networksecuritygroups"]; n != 3 {
		t.Errorf("NSG listing requests = %d, want 3 (a 429, then 2 pages)", n)
	}
	if n := count["/subscriptions"]; n != 2 {
		t.Errorf("subscription listing requests = %d, want 2 pages", n)
	}
	for path := range count {
		if strings.Contains(path, "33333333") {
			t.Errorf("disabled subscription read: %s", path)
		}
	}
}

func TestCollectNoCredentialInOutput(t *testing.T) {
	t.Parallel()
	snap, _ := collectMain(t)
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"fake_token", "Bearer "} {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("snapshot contains %q", secret)
		}
	}
}

func TestCollectEntities(t *testing.T) {
	t.Parallel()
	snap, _ := collectMain(t)
	byID := func(id string) any {
		for _, xs := range []any{snap.Networks, snap.Subnets, snap.RouteTables, snap.Peerings, snap.Hubs, snap.HubAttachments, snap.HubRouteTables, snap.Firewalls, snap.LoadBalancers, snap.TargetGroups, snap.DNSZones, snap.DNSRecords} {
			b, _ := json.Marshal(xs)
			var items []map[string]any
			_ = json.Unmarshal(b, &items)
			for _, it := range items {
				if it["id"] == id {
					return it
				}
			}
		}
		t.Fatalf("no entity %s", id)
		return nil
	}
	// The wanted entities are written in the provider's order; Collect returns every
	// list in the canonical order of snapshot.Sort.
	sorted := func(v any) any {
		var s snapshot.Snapshot
		fields := reflect.ValueOf(&s).Elem()
		for i := range fields.NumField() {
			if f := fields.Field(i); f.Kind() == reflect.Slice && f.Type().Elem() == reflect.TypeOf(v) {
				f.Set(reflect.Append(f, reflect.ValueOf(v)))
				s.Sort()
				return f.Index(0).Interface()
			}
		}
		t.Fatalf("no collection of %T", v)
		return nil
	}
	asJSON := func(v any) any {
		b, _ := json.Marshal(sorted(v))
		var out any
		_ = json.Unmarshal(b, &out)
		return out
	}
	ent := func(id, region string) snapshot.Entity {
		return snapshot.Entity{ID: id, Provider: "azure", Account: subMain, Region: region, Name: lastName(id)}
	}
	tests := []struct {
		name string
		want any
	}{
		{"vnet with IPv6 and DNS servers", snapshot.Network{
			Entity: snapshot.Entity{ID: vnetApp, Provider: "azure", Account: subMain, Region: loc, Name: "vnet-app", Tags: map[string]string{"env": "prod"}},
			Kind:   "azure-vnet", CIDRs: []string{"10.0.200.0/24", "10.10.0.0/16", "fd00:10::/48"}, DNSServers: []string{"10.10.0.4"},
		}},
		{"subnet with NSG and route table spelled as listed", snapshot.Subnet{
			Entity: ent(snetAPI, loc), NetworkID: vnetApp, CIDRs: []string{"10.10.1.0/24"}, RouteTableID: rtApp, FirewallIDs: []string{nsgApp},
		}},
		{"peering: current and peered spaces", snapshot.Peering{
			Entity: ent(peerKong, loc), Kind: "azure-vnet-peering", State: "Connected", SyncLevel: "LocalNotInSync",
			Local: snapshot.PeeringSide{NetworkID: vnetApp, Account: subMain, Region: loc, CIDRs: []string{"10.0.200.0/24", "10.10.0.0/16"}, PeeredCIDRs: []string{"10.10.0.0/16"}},
			// Kong's VNet is not listed: it takes the smallest spelling it is referred to by.
			Remote:                snapshot.PeeringSide{NetworkID: upper(kongVNet), Account: subKong, CIDRs: []string{"10.0.0.0/16"}, PeeredCIDRs: []string{"10.0.0.0/16"}},
			AllowForwardedTraffic: true,
		}},
		{"route table with user and system routes", snapshot.RouteTable{
			Entity: ent(rtApp, loc), NetworkID: vnetApp, SubnetIDs: []string{snetAPI},
			Routes: []snapshot.Route{
				{Destination: "0.0.0.0/0", TargetKind: "virtual-appliance", TargetID: "10.10.0.4", State: "active", Origin: "static"},
				{Destination: "10.0.200.0/24", TargetKind: "local", State: "active", Origin: "system"},
				{Destination: "10.10.0.0/16", TargetKind: "local", State: "active", Origin: "system"},
				{Destination: "fd00:10::/48", TargetKind: "local", State: "active", Origin: "system"},
				{Destination: "10.0.0.0/16", TargetKind: "peering", TargetID: peerKong, State: "active", Origin: "system"},
				{Destination: "0.0.0.0/0", TargetKind: "internet-gateway", State: "active", Origin: "system"},
				{Destination: "::/0", TargetKind: "internet-gateway", State: "active", Origin: "system"},
				{Destination: "10.0.0.0/8", TargetKind: "none", State: "active", Origin: "system"},
				{Destination: "100.64.0.0/10", TargetKind: "none", State: "active", Origin: "system"},
				{Destination: "172.16.0.0/12", TargetKind: "none", State: "active", Origin: "system"},
				{Destination: "192.168.0.0/16", TargetKind: "none", State: "active", Origin: "system"},
			},
		}},
		{"hub", snapshot.Hub{
			Entity: ent(hubID, loc), Kind: "azure-virtual-hub", State: "Succeeded", CIDRs: []string{"10.250.0.0/23"},
			AssociationDefaultRouteTableID: rtDefault, PropagationDefaultRouteTableID: rtDefault,
		}},
		{"Kong's hub route table", snapshot.HubRouteTable{
			Entity: ent(rtKonnect, loc), HubID: hubID, Labels: []string{"konnect"},
			Associations: []string{connKong}, Propagations: []string{connHR, connPayments},
		}},
		{"default hub route table with a VPN connection", snapshot.HubRouteTable{
			Entity: ent(rtDefault, loc), HubID: hubID, Default: true, Labels: []string{"default"},
			Associations: []string{connHR, connSandbox, vpnConn}, Propagations: []string{connHR, connSandbox, vpnConn},
		}},
		{"hub connection with labels", snapshot.HubAttachment{
			Entity: ent(connHR, loc), HubID: hubID, Kind: "vnet", NetworkID: vnetHR, OwnerAccount: subMain, State: "Succeeded",
			AssociatedRouteTableID: rtDefault, PropagatedRouteTableIDs: []string{rtDefault}, PropagationLabels: []string{"default", "konnect"},
		}},
		{"Kong's hub connection", snapshot.HubAttachment{
			Entity: ent(connKong, loc), HubID: hubID, Kind: "vnet", NetworkID: upper(kongVNet), OwnerAccount: subKong, State: "Succeeded",
			AssociatedRouteTableID: rtKonnect, PropagatedRouteTableIDs: []string{rtSpokes},
		}},
		{"hub connection without routing configuration", snapshot.HubAttachment{
			Entity: ent(connSandbox, loc), HubID: hubID, Kind: "vnet", NetworkID: vnetSandbox, OwnerAccount: subMain, State: "Succeeded",
			AssociatedRouteTableID: rtDefault,
		}},
		{"NSG rules: plural fields, service tags, ASGs, any, defaults", snapshot.Firewall{
			Entity: ent(nsgApp, loc), Kind: "azure-nsg", NetworkID: vnetApp, Stateful: true,
			AttachedTo: []snapshot.Attachment{{Kind: "subnet", ID: snetAPI}},
			Rules: []snapshot.FirewallRule{
				{ID: nsgApp + "/securityRules/AllowKongHttps", Direction: "ingress", Action: "allow", Priority: 100, Protocol: "tcp",
					Ports:        []snapshot.PortRange{{From: 443, To: 443}},
					Sources:      []snapshot.Address{{Kind: "cidr", Value: "10.0.24.4/32"}, {Kind: "cidr", Value: "10.0.88.4/32"}, {Kind: "cidr", Value: "10.0.152.4/32"}},
					Destinations: []snapshot.Address{{Kind: "any"}}},
				{ID: nsgApp + "/securityRules/AllowPartnerHttps", Direction: "ingress", Action: "allow", Priority: 200, Protocol: "tcp",
					Ports:        []snapshot.PortRange{{From: 443, To: 443}, {From: 8443, To: 8444}},
					Sources:      []snapshot.Address{{Kind: "service-tag", Value: "Internet"}},
					Destinations: []snapshot.Address{{Kind: "any"}}},
				{ID: nsgApp + "/securityRules/AllowAppTier", Direction: "ingress", Action: "allow", Priority: 300, Protocol: "tcp",
					Ports:        []snapshot.PortRange{{From: 8080, To: 8080}},
					Sources:      []snapshot.Address{{Kind: "group", Value: asgAPI}},
					Destinations: []snapshot.Address{{Kind: "any"}}},
				{ID: nsgApp + "/securityRules/DenyAllInbound", Direction: "ingress", Action: "deny", Priority: 4096, Protocol: "all",
					Ports: []snapshot.PortRange{{From: 0, To: 65535}}, Sources: []snapshot.Address{{Kind: "any"}}, Destinations: []snapshot.Address{{Kind: "any"}}},
				{ID: nsgApp + "/defaultSecurityRules/AllowVnetInBound", Direction: "ingress", Action: "allow", Priority: 65000, Protocol: "all",
					Ports: []snapshot.PortRange{{From: 0, To: 65535}}, Sources: []snapshot.Address{{Kind: "service-tag", Value: "VirtualNetwork"}}, Destinations: []snapshot.Address{{Kind: "any"}}},
				{ID: nsgApp + "/defaultSecurityRules/AllowAzureLoadBalancerInBound", Direction: "ingress", Action: "allow", Priority: 65001, Protocol: "all",
					Ports: []snapshot.PortRange{{From: 0, To: 65535}}, Sources: []snapshot.Address{{Kind: "service-tag", Value: "AzureLoadBalancer"}}, Destinations: []snapshot.Address{{Kind: "any"}}},
				{ID: nsgApp + "/defaultSecurityRules/DenyAllInBound", Direction: "ingress", Action: "deny", Priority: 65500, Protocol: "all",
					Ports: []snapshot.PortRange{{From: 0, To: 65535}}, Sources: []snapshot.Address{{Kind: "any"}}, Destinations: []snapshot.Address{{Kind: "any"}}},
				{ID: nsgApp + "/defaultSecurityRules/AllowInternetOutBound", Direction: "egress", Action: "allow", Priority: 65001, Protocol: "all",
					Ports: []snapshot.PortRange{{From: 0, To: 65535}}, Sources: []snapshot.Address{{Kind: "any"}}, Destinations: []snapshot.Address{{Kind: "any"}}},
			},
		}},
		{"public zone", snapshot.DNSZone{Entity: snapshot.Entity{ID: zoneID, Provider: "azure", Account: subMain, Name: "contoso.com"}, DNSName: "contoso.com"}},
		{"CNAME lower case without the dot", snapshot.DNSRecord{
			Entity: snapshot.Entity{ID: zoneID + "/CNAME/api", Provider: "azure", Account: subMain, Name: "api"},
			ZoneID: zoneID, FQDN: "api.contoso.com", Type: "CNAME", TTL: 300, Values: []string{"api-contoso.z01.azurefd.net"},
		}},
		{"alias to the Front Door endpoint", snapshot.DNSRecord{
			Entity: snapshot.Entity{ID: zoneID + "/A/@", Provider: "azure", Account: subMain, Name: "@"},
			ZoneID: zoneID, FQDN: "contoso.com", Type: "A", TTL: 300, Alias: &snapshot.DNSAlias{TargetResource: fdEndpoint},
		}},
		{"private zone linked to the VNets whose link completed", snapshot.DNSZone{
			Entity:  snapshot.Entity{ID: pzoneID, Provider: "azure", Account: subMain, Name: "internal.contoso.com"},
			DNSName: "internal.contoso.com", Private: true, NetworkIDs: []string{vnetApp},
		}},
		{"application gateway", snapshot.LoadBalancer{
			Entity: ent(appGW, loc), Kind: "azure-application-gateway", Scheme: "internet-facing", NetworkID: vnetApp, WAFID: wafPolicy,
			Listeners: []snapshot.Listener{
				{ID: appGW + "/httpListeners/https", Protocol: "HTTPS", Port: 443, TLSPolicy: "AppGwSslPolicy20220101", DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{appGWPool}}},
				{ID: appGW + "/httpListeners/http", Protocol: "HTTP", Port: 80, DefaultAction: snapshot.ListenerAction{Kind: "redirect", RedirectProtocol: "HTTPS"}},
			},
			TargetGroupIDs: []string{appGWPool},
		}},
		{"backend pool", snapshot.TargetGroup{
			Entity: ent(appGWPool, loc), Protocol: "HTTPS", Port: 443, TargetType: "ip", NetworkID: vnetApp, LoadBalancerIDs: []string{appGW},
			Targets: []snapshot.Target{{ID: "10.0.24.4", Port: 443}, {ID: "10.0.88.4", Port: 443}, {ID: "10.0.152.4", Port: 443}},
		}},
		{"front door endpoint", snapshot.LoadBalancer{
			Entity: snapshot.Entity{ID: fdEndpoint, Provider: "azure", Account: subMain, Region: "global", Name: "api-contoso"},
			Kind:   "azure-front-door", Scheme: "internet-facing", DNSName: "api-contoso.z01.azurefd.net", WAFID: fdWAF,
			Listeners: []snapshot.Listener{
				{ID: fdEndpoint + "/routes/default", Protocol: "HTTP", Port: 80, DefaultAction: snapshot.ListenerAction{Kind: "redirect", RedirectProtocol: "HTTPS"}},
				{ID: fdEndpoint + "/routes/default", Protocol: "HTTPS", Port: 443, DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{fdOriginGroup}}},
			},
			TargetGroupIDs: []string{fdOriginGroup},
		}},
		{"origin group", snapshot.TargetGroup{
			Entity: snapshot.Entity{ID: fdOriginGroup, Provider: "azure", Account: subMain, Name: "og-appgw"}, Protocol: "HTTPS", Port: 443,
			LoadBalancerIDs: []string{fdEndpoint}, Targets: []snapshot.Target{{ID: "appgw.contoso.com", Port: 443}},
		}},
	}
	for _, tt := range tests {
		want := asJSON(tt.want)
		id := want.(map[string]any)["id"].(string)
		if diff := cmp.Diff(want, byID(id), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// Only A, AAAA and CNAME record sets are kept.
	for _, r := range snap.DNSRecords {
		if r.Type == "TXT" {
			t.Errorf("TXT record %s kept", r.ID)
		}
	}
	if err := validate(snap); err != nil {
		t.Error(err)
	}
}

// validate checks the collected part against the snapshot schema (with an empty
// Konnect side), as the caller will after merging.
func validate(s *snapshot.Snapshot) error {
	doc := *s
	doc.SchemaVersion = snapshot.SchemaVersion
	b, err := snapshot.Marshal(&doc)
	if err != nil {
		return err
	}
	_, err = snapshot.Parse("azure.json", b)
	return err
}

func TestCollectSubscriptionListDenied(t *testing.T) {
	t.Parallel()
	f := &fakeAzure{t: t, subsError: 403}
	snap := f.collector().Collect(context.Background())
	if len(snap.Scopes) != 1 {
		t.Fatalf("scopes = %+v, want the failed subscription listing only", snap.Scopes)
	}
	s := snap.Scopes[0]
	if s.Status != "failed" || s.Errors[0].Class != "denied" || !slices.Equal(s.Collections, allCollections()) {
		t.Errorf("scope = %+v", s)
	}
}

func TestCollectConfiguredSubscriptions(t *testing.T) {
	t.Parallel()
	f := &fakeAzure{t: t, estates: map[string]*estate{subMain: mainEstate(t)}}
	c := f.collector()
	c.Subscriptions = []string{strings.ToUpper(subMain)}
	snap := c.Collect(context.Background())
	for _, r := range f.log() {
		if strings.HasSuffix(r, " /subscriptions") {
			t.Errorf("configured subscriptions were listed: %s", r)
		}
	}
	if len(snap.Scopes) != len(services) {
		t.Errorf("scopes = %d, want %d", len(snap.Scopes), len(services))
	}
	for _, s := range snap.Scopes {
		if s.Account != subMain || s.Status != "ok" {
			t.Errorf("scope %s: %s", s.Key(), s.Problem())
		}
	}
}

func TestPortRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want snapshot.PortRange
		ok   bool
	}{
		{"*", snapshot.PortRange{From: 0, To: 65535}, true},
		{"443", snapshot.PortRange{From: 443, To: 443}, true},
		{"8000-8100", snapshot.PortRange{From: 8000, To: 8100}, true},
		{"9-1", snapshot.PortRange{}, false},
		{"http", snapshot.PortRange{}, false},
	}
	for _, tt := range tests {
		got, ok := portRange(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("portRange(%q) = %v, %v", tt.in, got, ok)
		}
	}
}
