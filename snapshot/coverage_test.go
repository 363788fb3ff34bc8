package snapshot

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCoverageGaps(t *testing.T) {
	t.Parallel()
	// Every collection each provider fills, so that only the gaps under test show.
	all := func(provider, account, region string) Scope {
		s := Scope{Provider: provider, Account: account, Region: region, Service: "all", Status: ScopeOK}
		for _, c := range Collections {
			for _, p := range Sources[c] {
				if p == provider {
					s.Collections = append(s.Collections, c)
				}
			}
		}
		return s
	}
	without := func(s Scope, drop string) Scope {
		var cols []string
		for _, c := range s.Collections {
			if c != drop {
				cols = append(cols, c)
			}
		}
		s.Collections = cols
		return s
	}
	kong := Konnect{Networks: []KonnectNetwork{{
		Entity: Entity{ID: "kn", Provider: "aws"}, CIDR: "10.40.0.0/16",
		Attachments: []KonnectAttachment{
			{ID: "att", Kind: AttachAWSTransitGateway, HubID: "tgw-1"},
			{ID: "peer", Kind: AttachAWSVPCPeering},
		},
	}}}
	hub := Hub{Entity: Entity{ID: "tgw-1", Provider: "aws", Account: "222", Region: "us-east-1"}, Kind: "aws-transit-gateway"}
	failed := all("aws", "111", "us-east-1")
	failed.Status, failed.Errors = ScopeFailed, []ScopeError{{Class: "denied", Operation: "DescribeVpcs", Message: "not authorized"}}

	tests := []struct {
		name string
		snap Snapshot
		want []CoverageGap
	}{
		{
			name: "every provider that takes part collected everything",
			snap: Snapshot{Scopes: []Scope{all("konnect", "org", "global"), all("dns", "", "global")}},
		},
		{
			name: "a failed scope, which still counts as collecting",
			snap: Snapshot{Scopes: []Scope{all("konnect", "org", "global"), all("dns", "", "global"), failed}},
			want: []CoverageGap{{Provider: "aws", Where: "aws/111/us-east-1/all", Collections: failed.Collections,
				Reason: "scope failed (denied): DescribeVpcs: not authorized"}},
		},
		{
			name: "Konnect and DNS always take part",
			snap: Snapshot{},
			want: []CoverageGap{
				{Provider: "konnect", Where: "konnect:konnect.networks", Collections: []string{"konnect.networks"}, Reason: "no konnect scope in the snapshot collected konnect.networks"},
				{Provider: "konnect", Where: "konnect:konnect.custom_domains", Collections: []string{"konnect.custom_domains"}, Reason: "no konnect scope in the snapshot collected konnect.custom_domains"},
				{Provider: "konnect", Where: "konnect:konnect.availability", Collections: []string{"konnect.availability"}, Reason: "no konnect scope in the snapshot collected konnect.availability"},
				{Provider: "dns", Where: "dns:dns_resolutions", Collections: []string{"dns_resolutions"}, Reason: "no dns scope in the snapshot collected dns_resolutions"},
			},
		},
		{
			name: "a cloud with a scope that did not collect a collection",
			snap: Snapshot{Scopes: []Scope{all("konnect", "org", "global"), all("dns", "", "global"), without(all("gcp", "p", "global"), "subnets")}},
			want: []CoverageGap{{Provider: "gcp", Where: "gcp:subnets", Collections: []string{"subnets"}, Reason: "no gcp scope in the snapshot collected subnets"}},
		},
		{
			name: "a cloud Kong's network is on takes part, and Kong's hub is missing",
			snap: Snapshot{Konnect: kong, Scopes: []Scope{all("konnect", "org", "global"), all("dns", "", "global"), without(all("aws", "111", "us-east-1"), "shares")}},
			want: []CoverageGap{
				{Provider: "aws", Where: "aws:shares", Collections: []string{"shares"}, Reason: "no aws scope in the snapshot collected shares"},
				{Provider: "aws", Where: "aws:hub tgw-1", Collections: []string{"hubs", "hub_attachments", "hub_route_tables"},
					Reason: "Kong's hub tgw-1 (Konnect attachment att) is not in the snapshot: no scanned account and region holds it; scan its owner"},
			},
		},
		{
			name: "Kong's hub seen from a spoke account only",
			snap: Snapshot{Konnect: kong, Hubs: []Hub{hub}, Scopes: []Scope{all("konnect", "org", "global"), all("dns", "", "global"), all("aws", "111", "us-east-1")}},
			want: []CoverageGap{{Provider: "aws", Where: "aws/222/us-east-1:hub_route_tables", Collections: []string{"hub_route_tables"},
				Reason: "the route tables of Kong's hub tgw-1 were not collected: no scope of its owner 222 in us-east-1 read hub route tables (AWS shows a transit gateway's route tables only to its owner); scan that account"}},
		},
		{
			name: "Kong's hub from a global scope of its owner",
			snap: Snapshot{Konnect: kong, Hubs: []Hub{hub}, Scopes: []Scope{all("konnect", "org", "global"), all("dns", "", "global"), all("aws", "111", "us-east-1"),
				{Provider: "aws", Account: "222", Region: "global", Service: "tgw", Status: ScopeOK, Collections: []string{"hub_route_tables"}}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, tc.snap.CoverageGaps()); diff != "" {
				t.Errorf("CoverageGaps (-want +got):\n%s", diff)
			}
		})
	}
}
