package snapshot

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// estate is a small snapshot touching every collection. Its lists are deliberately
// out of order.
func estate() *Snapshot {
	return &Snapshot{
		SchemaVersion: SchemaVersion,
		Name:          "estate",
		Konnect: Konnect{
			Networks: []KonnectNetwork{
				{
					Entity: Entity{ID: "kn-2", Provider: "azure", Region: "eastus"}, CIDR: "10.200.0.0/16",
					DataPlaneIPs: []string{"10.200.2.5", "10.200.10.5"},
				},
				{
					Entity: Entity{ID: "kn-1", Provider: "aws", Region: "us-east-2"}, CIDR: "10.100.0.0/16",
					AvailabilityZones: []string{"use2-az2", "use2-az1"},
					DataPlaneIPs:      []string{"10.100.9.10", "10.100.10.10"},
					EgressIPs:         []string{"3.3.3.3", "2.2.2.2"},
					Hostnames:         []string{"b.gateways.konggateway.com", "a.gateways.konggateway.com"},
					Attachments: []KonnectAttachment{
						{ID: "att-tgw", Kind: AttachAWSTransitGateway, CIDRBlocks: []string{"172.16.0.0/12", "10.0.0.0/8"}, HubID: "tgw-1"},
						{ID: "att-pcx", Kind: AttachAWSVPCPeering, NetworkID: "vpc-1", PeeringID: "pcx-1",
							DNSConfig: []KonnectDNSForward{{RemoteDNSServerIPs: []string{"10.0.0.3", "10.0.0.2"}, Domains: []string{"b.internal", "a.internal"}}}},
						{ID: "att-rc", Kind: AttachAWSResourceEP, ResourceConfigs: []KonnectResourceConfig{{ID: "rc-2"}, {ID: "rc-1", DomainName: "db.internal"}}},
					},
					PrivateDNS: []KonnectPrivateDNS{{ID: "pd-2", Kind: "aws-private-hosted-zone"}, {ID: "pd-1", Kind: "aws-outbound-resolver"}},
				},
			},
			CustomDomains: []CustomDomain{{ID: "cd-2", Domain: "b.example.com"}, {ID: "cd-1", Domain: "a.example.com"}},
			Availability: []AvailabilityRegion{
				{Provider: "aws", Region: "us-west-2", AllowedCIDRs: []string{"192.168.0.0/16", "10.0.0.0/8"}},
				{Provider: "aws", Region: "us-east-2", ReservedCIDRs: []string{"10.1.0.0/16", "10.0.0.0/16"}},
			},
		},
		Networks: []Network{
			{Entity: Entity{ID: "vpc-2", Provider: "aws", Tags: map[string]string{"z": "1", "a": "2"}}, Kind: "aws-vpc",
				CIDRs: []string{"fd00::/64", "10.9.0.0/16", "10.10.0.0/16"}, DNSServers: []string{"10.9.0.3", "10.9.0.2"}},
			{Entity: Entity{ID: "vpc-1", Provider: "aws"}, Kind: "aws-vpc", CIDRs: []string{"10.0.0.0/16"}},
		},
		Subnets: []Subnet{
			{Entity: Entity{ID: "subnet-2", Provider: "aws"}, NetworkID: "vpc-1", CIDRs: []string{"10.0.2.0/24"}, FirewallIDs: []string{"acl-2", "acl-1"}},
			{Entity: Entity{ID: "subnet-1", Provider: "aws"}, NetworkID: "vpc-1", CIDRs: []string{"10.0.1.0/24"}},
		},
		RouteTables: []RouteTable{{
			Entity: Entity{ID: "rtb-1", Provider: "aws"}, NetworkID: "vpc-1", SubnetIDs: []string{"subnet-2", "subnet-1"},
			Routes: []Route{
				{Destination: "10.100.0.0/16", TargetKind: TargetPeering, TargetID: "pcx-1"},
				{PrefixListID: "pl-1", TargetKind: TargetHub, TargetID: "tgw-1"},
				{Destination: "10.0.0.0/16", TargetKind: TargetLocal},
				{Destination: "0.0.0.0/0", TargetKind: TargetNAT, TargetID: "nat-1"},
			},
		}},
		Peerings: []Peering{{
			Entity: Entity{ID: "pcx-1", Provider: "aws"}, Kind: PeeringAWS,
			Local:  PeeringSide{NetworkID: "vpc-1", CIDRs: []string{"10.0.0.0/16", "100.64.0.0/16", "10.1.0.0/16"}},
			Remote: PeeringSide{NetworkID: "kong-vpc", CIDRs: []string{"10.100.0.0/16"}, PeeredCIDRs: []string{"10.100.0.0/16"}},
		}},
		Hubs: []Hub{{Entity: Entity{ID: "tgw-1", Provider: "aws"}, Kind: "aws-transit-gateway", CIDRs: []string{"10.255.0.0/24", "10.254.0.0/24"}}},
		HubAttachments: []HubAttachment{
			{Entity: Entity{ID: "tgw-attach-2", Provider: "aws"}, HubID: "tgw-1", Kind: "vpc", PropagatedRouteTableIDs: []string{"tgw-rtb-2", "tgw-rtb-1"}},
			{Entity: Entity{ID: "tgw-attach-1", Provider: "aws"}, HubID: "tgw-1", Kind: "vpc", PropagationLabels: []string{"z", "a"}},
		},
		HubRouteTables: []HubRouteTable{{
			Entity: Entity{ID: "tgw-rtb-1", Provider: "aws"}, HubID: "tgw-1",
			Associations: []string{"tgw-attach-2", "tgw-attach-1"}, Propagations: []string{"tgw-attach-2", "tgw-attach-1"},
			Labels: []string{"b", "a"},
			Routes: []HubRoute{
				{Destination: "10.1.0.0/16", AttachmentIDs: []string{"tgw-attach-2", "tgw-attach-1"}, Type: "propagated"},
				{Destination: "10.0.0.0/16", State: "blackhole", Type: "static"},
			},
		}},
		Firewalls: []Firewall{
			{
				Entity: Entity{ID: "sg-1", Provider: "aws"}, Kind: "aws-security-group", Stateful: true,
				AttachedTo: []Attachment{{Kind: "interface", ID: "eni-2"}, {Kind: "interface", ID: "eni-1"}},
				Rules: []FirewallRule{
					{ID: "sgr-2", Direction: "ingress", Action: "allow", Protocol: "tcp",
						Ports:   []PortRange{{From: 8443, To: 8443}, {From: 443, To: 443}},
						Sources: []Address{{Kind: AddrGroup, Value: "sg-9"}, {Kind: AddrCIDR, Value: "10.100.0.0/16"}, {Kind: AddrCIDR, Value: "10.0.0.0/16"}}},
					{ID: "sgr-1", Direction: "egress", Action: "allow", Protocol: "all",
						Destinations: []Address{{Kind: AddrCIDR, Value: "0.0.0.0/0"}}},
				},
			},
			{
				// Network ACL rules without ids keep their order.
				Entity: Entity{ID: "acl-1", Provider: "aws"}, Kind: "aws-network-acl",
				Rules: []FirewallRule{
					{Direction: "ingress", Action: "deny", Priority: 200, Protocol: "all"},
					{Direction: "ingress", Action: "allow", Priority: 100, Protocol: "tcp", Targets: []Address{{Kind: AddrTag, Value: "web"}, {Kind: AddrTag, Value: "api"}}},
				},
			},
		},
		PrefixLists: []PrefixList{{Entity: Entity{ID: "pl-1", Provider: "aws"}, CIDRs: []string{"10.3.0.0/16", "10.2.0.0/16"}}},
		LoadBalancers: []LoadBalancer{{
			Entity: Entity{ID: "alb-1", Provider: "aws"}, Kind: "aws-alb", Scheme: "internet-facing",
			FirewallIDs: []string{"sg-2", "sg-1"}, TargetGroupIDs: []string{"tg-2", "tg-1"},
			Listeners: []Listener{
				{Protocol: "HTTPS", Port: 443, TLSPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
					DefaultAction: ListenerAction{Kind: "forward", TargetGroupIDs: []string{"tg-1"}}},
				{Protocol: "HTTP", Port: 80, DefaultAction: ListenerAction{Kind: "redirect", RedirectProtocol: "HTTPS"}},
			},
		}},
		TargetGroups: []TargetGroup{{
			Entity: Entity{ID: "tg-1", Provider: "aws"}, Protocol: "HTTPS", Port: 443, TargetType: "ip",
			LoadBalancerIDs: []string{"alb-2", "alb-1"},
			Targets:         []Target{{ID: "10.100.9.10", Port: 443}, {ID: "10.100.10.10", Port: 443}},
		}},
		DNSZones: []DNSZone{{Entity: Entity{ID: "Z2", Provider: "aws"}, DNSName: "internal", Private: true, NetworkIDs: []string{"vpc-2", "vpc-1"}}},
		DNSRecords: []DNSRecord{
			{Entity: Entity{ID: "Z1/api.example.com/A", Provider: "aws"}, ZoneID: "Z1", FQDN: "api.example.com", Type: "A",
				Alias: &DNSAlias{DNSName: "alb-1.elb.amazonaws.com", HostedZoneID: "Z35"}},
			{Entity: Entity{ID: "Z1/www.example.com/CNAME", Provider: "aws"}, ZoneID: "Z1", FQDN: "www.example.com", Type: "CNAME",
				Values: []string{"d111.cloudfront.net"}, Weight: new(int)},
		},
		DNSResolutions: []DNSResolution{{
			ID: "www.example.com", Hostname: "www.example.com",
			Chain:     []string{"z.cloudfront.net", "a.edge.example.net"},
			Addresses: []string{"203.0.113.20", "203.0.113.3"},
		}},
		PrivateEndpoints: []PrivateEndpoint{{
			Entity: Entity{ID: "rc-1", Provider: "aws"}, Kind: "aws-lattice-resource-configuration", Type: "SINGLE",
			Definition: &EndpointDefinition{Kind: "dns", Value: "db.internal"},
			PortRanges: []string{"5432", "443"}, ShareIDs: []string{"share-2", "share-1"},
		}},
		ResourceGateways: []ResourceGateway{{Entity: Entity{ID: "rgw-1", Provider: "aws"}, SubnetIDs: []string{"subnet-2", "subnet-1"}}},
		Shares: []Share{{
			Entity:      Entity{ID: "share-1", Provider: "aws"},
			Principals:  []SharePrincipal{{ID: "999999999999", External: true}, {ID: "111111111111"}},
			ResourceIDs: []string{"rc-2", "rc-1"},
		}},
		Scopes: []Scope{
			{Provider: "aws", Account: "2", Region: "us-east-2", Service: "ec2", Status: ScopeOK, Collections: []string{"subnets", "networks"}},
			{Provider: "aws", Account: "1", Region: "us-east-2", Service: "ec2", Status: ScopeFailed,
				Errors: []ScopeError{{Class: "throttled", Message: "second"}, {Class: "denied", Message: "first"}}},
		},
	}
}

// reorder reverses the order of lists of s, recursively enough to reach every level
// Sort handles, to make a differently ordered copy of the same estate.
func reorder(s *Snapshot) {
	slices.Reverse(s.Konnect.Networks)
	for i := range s.Konnect.Networks {
		n := &s.Konnect.Networks[i]
		slices.Reverse(n.Attachments)
		slices.Reverse(n.DataPlaneIPs)
		slices.Reverse(n.Hostnames)
		for j := range n.Attachments {
			slices.Reverse(n.Attachments[j].CIDRBlocks)
			slices.Reverse(n.Attachments[j].ResourceConfigs)
		}
	}
	slices.Reverse(s.Konnect.Availability)
	slices.Reverse(s.Networks)
	for i := range s.Networks {
		slices.Reverse(s.Networks[i].CIDRs)
	}
	slices.Reverse(s.Subnets)
	slices.Reverse(s.RouteTables[0].Routes)
	slices.Reverse(s.Peerings[0].Local.CIDRs)
	slices.Reverse(s.HubRouteTables[0].Routes)
	slices.Reverse(s.HubRouteTables[0].Routes[1].AttachmentIDs)
	slices.Reverse(s.Firewalls)
	for i := range s.Firewalls {
		if s.Firewalls[i].ID == "sg-1" {
			slices.Reverse(s.Firewalls[i].Rules)
			for j := range s.Firewalls[i].Rules {
				slices.Reverse(s.Firewalls[i].Rules[j].Sources)
				slices.Reverse(s.Firewalls[i].Rules[j].Ports)
			}
		}
	}
	slices.Reverse(s.LoadBalancers[0].Listeners)
	slices.Reverse(s.TargetGroups[0].Targets)
	slices.Reverse(s.DNSRecords)
	slices.Reverse(s.DNSResolutions[0].Addresses)
	slices.Reverse(s.Shares[0].Principals)
	slices.Reverse(s.Scopes)
}

func TestMarshalDeterministic(t *testing.T) {
	t.Parallel()
	a, b := estate(), estate()
	reorder(b)
	if cmp.Equal(a, b) {
		t.Fatal("reorder changed nothing; the test would prove nothing")
	}
	ja, err := Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(ja), string(jb)); diff != "" {
		t.Errorf("same estate, different bytes (-a +b):\n%s", diff)
	}
	if !strings.HasSuffix(string(ja), "}\n") || !strings.HasPrefix(string(ja), "{\n  \"schema_version\": \"1\",\n") {
		t.Errorf("want a two-space indented object with a trailing newline, got:\n%.80s", ja)
	}
}

func TestSort(t *testing.T) {
	t.Parallel()
	s := estate()
	s.Sort()
	kn := s.Konnect.Networks[0]
	fw := s.Firewalls[1] // sg-1, after acl-1
	got := map[string][]string{
		"konnect.networks":   ids(s.Konnect.Networks, func(n KonnectNetwork) string { return n.ID }),
		"attachments":        ids(kn.Attachments, func(a KonnectAttachment) string { return a.ID }),
		"data_plane_ips":     kn.DataPlaneIPs,
		"cidr_blocks":        kn.Attachments[2].CIDRBlocks,
		"availability":       ids(s.Konnect.Availability, func(a AvailabilityRegion) string { return a.Region }),
		"networks":           ids(s.Networks, func(n Network) string { return n.ID }),
		"network cidrs":      s.Networks[1].CIDRs,
		"routes":             ids(s.RouteTables[0].Routes, func(r Route) string { return r.Destination + r.PrefixListID }),
		"hub routes":         ids(s.HubRouteTables[0].Routes, func(r HubRoute) string { return r.Destination }),
		"firewalls":          ids(s.Firewalls, func(f Firewall) string { return f.ID }),
		"rules with ids":     ids(fw.Rules, func(r FirewallRule) string { return r.ID }),
		"sources":            ids(fw.Rules[1].Sources, func(a Address) string { return a.Kind + ":" + a.Value }),
		"rules without ids":  ids(s.Firewalls[0].Rules, func(r FirewallRule) string { return r.Action }),
		"listeners":          ids(s.LoadBalancers[0].Listeners, func(l Listener) string { return l.Protocol }),
		"targets":            ids(s.TargetGroups[0].Targets, func(t Target) string { return t.ID }),
		"dns records":        ids(s.DNSRecords, func(r DNSRecord) string { return r.ID }),
		"resolved addresses": s.DNSResolutions[0].Addresses,
		"scopes":             ids(s.Scopes, func(sc Scope) string { return sc.Key() }),
		// Order that means something is kept.
		"dns servers":  s.Networks[1].DNSServers,
		"cname chain":  s.DNSResolutions[0].Chain,
		"scope errors": ids(s.Scopes[0].Errors, func(e ScopeError) string { return e.Message }),
		"forward ips":  kn.Attachments[0].DNSConfig[0].RemoteDNSServerIPs,
	}
	want := map[string][]string{
		"konnect.networks":   {"kn-1", "kn-2"},
		"attachments":        {"att-pcx", "att-rc", "att-tgw"},
		"data_plane_ips":     {"10.100.9.10", "10.100.10.10"},
		"cidr_blocks":        {"10.0.0.0/8", "172.16.0.0/12"},
		"availability":       {"us-east-2", "us-west-2"},
		"networks":           {"vpc-1", "vpc-2"},
		"network cidrs":      {"10.9.0.0/16", "10.10.0.0/16", "fd00::/64"},
		"routes":             {"0.0.0.0/0", "10.0.0.0/16", "10.100.0.0/16", "pl-1"},
		"hub routes":         {"10.0.0.0/16", "10.1.0.0/16"},
		"firewalls":          {"acl-1", "sg-1"},
		"rules with ids":     {"sgr-1", "sgr-2"},
		"sources":            {"cidr:10.0.0.0/16", "cidr:10.100.0.0/16", "group:sg-9"},
		"rules without ids":  {"deny", "allow"},
		"listeners":          {"HTTP", "HTTPS"},
		"targets":            {"10.100.10.10", "10.100.9.10"},
		"dns records":        {"Z1/api.example.com/A", "Z1/www.example.com/CNAME"},
		"resolved addresses": {"203.0.113.3", "203.0.113.20"},
		"scopes":             {"aws/1/us-east-2/ec2", "aws/2/us-east-2/ec2"},
		"dns servers":        {"10.9.0.3", "10.9.0.2"},
		"cname chain":        {"z.cloudfront.net", "a.edge.example.net"},
		"scope errors":       {"second", "first"},
		"forward ips":        {"10.0.0.3", "10.0.0.2"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sorted lists (-want +got):\n%s", diff)
	}
}

func ids[T any](list []T, id func(T) string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = id(v)
	}
	return out
}

func TestSaveLoadRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "estate.json")
	s := estate()
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	doc, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// Save sorted s and gave its nil scope collections a value, as the file has them.
	if diff := cmp.Diff(s, doc.Snapshot); diff != "" {
		t.Errorf("round trip (-saved +loaded):\n%s", diff)
	}
	if len(doc.Spans) == 0 {
		t.Error("no spans for a loaded file")
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode = %v, want 0644", fi.Mode().Perm())
	}
	assertOnly(t, dir, "estate.json")

	// Saving again over the file keeps its mode and replaces its content.
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	s.Name = "renamed"
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	doc, err = Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Name != "renamed" {
		t.Errorf("Name = %q after the second save", doc.Name)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after overwrite = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	assertOnly(t, dir, "estate.json")
}

func TestSaveFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// setup prepares dir and returns the path to save to.
		setup func(t *testing.T, dir string) string
		snap  *Snapshot
		want  string // error text, with DIR for the directory
		left  []string
	}{
		{
			name: "rename onto a directory fails",
			setup: func(t *testing.T, dir string) string {
				target := filepath.Join(dir, "snap.json")
				if err := os.MkdirAll(filepath.Join(target, "sub"), 0o755); err != nil {
					t.Fatal(err)
				}
				return target
			},
			snap: estate(),
			want: "save snapshot: rename DIR/.snap.json.tmp-",
			left: []string{"snap.json"},
		},
		{
			name:  "nil snapshot",
			setup: func(t *testing.T, dir string) string { return filepath.Join(dir, "snap.json") },
			want:  "marshal snapshot: nil snapshot",
		},
		{
			name:  "a schema version this build does not write",
			setup: func(t *testing.T, dir string) string { return filepath.Join(dir, "snap.json") },
			snap:  &Snapshot{SchemaVersion: "2"},
			want:  `marshal snapshot: schema_version "2" (this dcgw-scan writes "1")`,
		},
		{
			name:  "missing directory",
			setup: func(t *testing.T, dir string) string { return filepath.Join(dir, "nope", "snap.json") },
			snap:  estate(),
			want:  "save snapshot: open DIR/nope/.snap.json.tmp-",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := tt.setup(t, dir)
			err := Save(path, tt.snap)
			if err == nil {
				t.Fatal("Save succeeded")
			}
			if want := strings.ReplaceAll(tt.want, "DIR", dir); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error = %q, want it to start with %q", err, want)
			}
			assertOnly(t, dir, tt.left...)
		})
	}
}

// assertOnly checks that dir holds exactly the named entries: no temporary files.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if diff := cmp.Diff(names, got, cmpEmpty); diff != "" {
		t.Errorf("entries of %s (-want +got):\n%s", dir, diff)
	}
}

var cmpEmpty = cmp.FilterValues(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

func TestNormalizeProtocol(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"-1": "all", "ALL": "all", "*": "all", "any": "all", "": "all",
		"6": "tcp", "TCP": "tcp", " 17 ": "udp", "1": "icmp", "58": "icmpv6", "50": "50", "esp": "esp",
	} {
		if got := NormalizeProtocol(in); got != want {
			t.Errorf("NormalizeProtocol(%q) = %q, want %q", in, got, want)
		}
	}
}
