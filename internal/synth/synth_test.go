package synth_test

import (
	"bytes"
	"cmp"
	"net/netip"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func marshal(t *testing.T, s *snapshot.Snapshot) []byte {
	t.Helper()
	data, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return data
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	a := synth.Generate(synth.Options{Networks: 300, Seed: 7})
	b := synth.Generate(synth.Options{Networks: 300, Seed: 7})
	if diff := gocmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different estates (-first +second):\n%s", diff)
	}
	c := synth.Generate(synth.Options{Networks: 300, Seed: 8})
	if bytes.Equal(marshal(t, a), marshal(t, c)) {
		t.Fatal("seeds 7 and 8 gave the same estate")
	}
}

// TestGenerateParses loads the generated JSON with the full loader: schema, CIDRs,
// IPs, unique ids, known collections.
func TestGenerateParses(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 40, 1000} {
		s := synth.Generate(synth.Options{Networks: n, Seed: int64(n)})
		if _, err := snapshot.Parse("synth.json", marshal(t, s)); err != nil {
			t.Errorf("networks=%d: Parse: %v", n, err)
		}
	}
}

// TestGenerateCoversEveryCollection checks the estate fills every collection and that
// ok scopes cover each of them.
func TestGenerateCoversEveryCollection(t *testing.T) {
	t.Parallel()
	s := synth.Generate(synth.Options{Networks: 1000, Seed: 1})
	sizes := map[string]int{
		"konnect.networks":       len(s.Konnect.Networks),
		"konnect.custom_domains": len(s.Konnect.CustomDomains),
		"konnect.availability":   len(s.Konnect.Availability),
		"networks":               len(s.Networks),
		"subnets":                len(s.Subnets),
		"route_tables":           len(s.RouteTables),
		"peerings":               len(s.Peerings),
		"hubs":                   len(s.Hubs),
		"hub_attachments":        len(s.HubAttachments),
		"hub_route_tables":       len(s.HubRouteTables),
		"firewalls":              len(s.Firewalls),
		"prefix_lists":           len(s.PrefixLists),
		"load_balancers":         len(s.LoadBalancers),
		"target_groups":          len(s.TargetGroups),
		"dns_zones":              len(s.DNSZones),
		"dns_records":            len(s.DNSRecords),
		"dns_resolutions":        len(s.DNSResolutions),
		"private_endpoints":      len(s.PrivateEndpoints),
		"resource_gateways":      len(s.ResourceGateways),
		"shares":                 len(s.Shares),
	}
	covered := map[string]bool{}
	for _, sc := range s.Scopes {
		if sc.Status != snapshot.ScopeOK {
			t.Errorf("scope %s: status %q, want ok", sc.Key(), sc.Status)
		}
		for _, c := range sc.Collections {
			covered[c] = true
		}
	}
	for _, c := range snapshot.Collections {
		if sizes[c] == 0 {
			t.Errorf("collection %s is empty", c)
		}
		if !covered[c] {
			t.Errorf("no scope covers collection %s", c)
		}
	}
	attach := map[string]int{}
	for _, k := range s.Konnect.Networks {
		for _, a := range k.Attachments {
			attach[a.Kind]++
		}
	}
	for _, kind := range []string{snapshot.AttachAWSTransitGateway, snapshot.AttachAWSVPCPeering, snapshot.AttachAzureVHub,
		snapshot.AttachAzureVNetPeering, snapshot.AttachGCPVPCPeering, snapshot.AttachAWSResourceEP} {
		if attach[kind] == 0 {
			t.Errorf("no Konnect attachment of kind %s", kind)
		}
	}
}

type counts struct {
	networks, subnets, routeTables, routes, firewalls, rules, hubAttachments, hubRoutes, records int
}

func count(s *snapshot.Snapshot) counts {
	c := counts{networks: len(s.Networks), subnets: len(s.Subnets), routeTables: len(s.RouteTables),
		firewalls: len(s.Firewalls), hubAttachments: len(s.HubAttachments), records: len(s.DNSRecords)}
	for _, t := range s.RouteTables {
		c.routes += len(t.Routes)
	}
	for _, f := range s.Firewalls {
		c.rules += len(f.Rules)
	}
	for _, t := range s.HubRouteTables {
		c.hubRoutes += len(t.Routes)
	}
	return c
}

// TestGenerateScales checks the per-network shape holds at every size, so that 10x
// the networks is 10x the estate.
func TestGenerateScales(t *testing.T) {
	t.Parallel()
	for _, n := range []int{500, 2000, 5000} {
		c := count(synth.Generate(synth.Options{Networks: n, Seed: 3}))
		f := float64(n)
		t.Logf("networks=%d: %+v", n, c)
		checks := []struct {
			name   string
			got    int
			lo, hi float64 // per network
		}{
			{"networks", c.networks, 1, 1},
			{"subnets", c.subnets, 3, 5},            // 2-6 each
			{"route tables", c.routeTables, 1.5, 2}, // 1-3 each, GCP 1
			{"routes per table", c.routes * n / max(c.routeTables, 1), 6, 14},
			{"firewalls", c.firewalls, 1.3, 2}, // 1-4 each (long tail), GCP 1
			{"rules", c.rules, 14, 22},         // 5-30 each (long tail)
			{"hub attachments", c.hubAttachments, 0.6, 0.85},
			{"hub routes", c.hubRoutes, 1.2, 2.5},
			{"dns records", c.records, 3, 3.3},
		}
		for _, ck := range checks {
			if per := float64(ck.got) / f; per < ck.lo || per > ck.hi {
				t.Errorf("networks=%d: %s = %d (%.2f per network), want %.2f-%.2f per network", n, ck.name, ck.got, per, ck.lo, ck.hi)
			}
		}
	}
}

// TestGenerateOverlapsAreFew checks that overlapping network ranges exist but stay a
// small fraction of the estate (so overlap rules have work and linear output).
func TestGenerateOverlapsAreFew(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1000, 10000} {
		s := synth.Generate(synth.Options{Networks: n, Seed: 5})
		var ps []netip.Prefix
		for _, nw := range s.Networks {
			for _, c := range nw.CIDRs {
				if p := netip.MustParsePrefix(c); p.Addr().Is4() {
					ps = append(ps, p)
				}
			}
		}
		for _, sub := range s.Subnets {
			if sub.Provider == "gcp" {
				ps = append(ps, netip.MustParsePrefix(sub.CIDRs[0]))
			}
		}
		pairs := overlappingPairs(ps)
		if pairs == 0 || float64(pairs) > 0.02*float64(n) {
			t.Errorf("networks=%d: %d overlapping pairs of IPv4 ranges, want 1-%d", n, pairs, n/50)
		}
		var kong int
		for _, k := range s.Konnect.Networks {
			kp := netip.MustParsePrefix(k.CIDR)
			for _, p := range ps {
				if p.Overlaps(kp) {
					kong++
				}
			}
		}
		if n >= 10000 && kong == 0 {
			t.Errorf("networks=%d: no network overlaps a Konnect CIDR", n)
		}
	}
}

// overlappingPairs counts overlapping pairs among aligned prefixes (two prefixes
// overlap only when one contains the other) with a sort and a stack.
func overlappingPairs(ps []netip.Prefix) int {
	slices.SortFunc(ps, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return cmp.Compare(a.Bits(), b.Bits())
	})
	var stack []netip.Prefix
	pairs := 0
	for _, p := range ps {
		for len(stack) > 0 && !stack[len(stack)-1].Overlaps(p) {
			stack = stack[:len(stack)-1]
		}
		pairs += len(stack)
		stack = append(stack, p)
	}
	return pairs
}
