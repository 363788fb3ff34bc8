package snapshot

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMergeFilterDedupe(t *testing.T) {
	a := &Snapshot{
		Networks: []Network{{Entity: Entity{ID: "vpc-1", Account: "111"}, Kind: "aws-vpc"}},
		Peerings: []Peering{{Entity: Entity{ID: "pcx-1", Account: "222"}, Kind: PeeringAWS, State: "seen-from-111"}},
		Scopes:   []Scope{{Provider: "aws", Account: "111", Service: "ec2-vpcs", Status: ScopeOK}},
	}
	b := &Snapshot{
		Networks: []Network{{Entity: Entity{ID: "vpc-2", Account: "222"}, Kind: "aws-vpc"}},
		Peerings: []Peering{{Entity: Entity{ID: "pcx-1", Account: "222"}, Kind: PeeringAWS, State: "seen-from-222"}},
		Scopes:   []Scope{{Provider: "aws", Account: "222", Service: "ec2-vpcs", Status: ScopeOK}},
	}
	// The owner's copy of pcx-1 (from b) merged first wins.
	got := &Snapshot{SchemaVersion: SchemaVersion}
	got.Merge(b.Filter(func(e Entity) bool { return e.Account == "222" }))
	got.Merge(a)
	got.Scopes = append(got.Scopes, b.Scopes...)
	got.Dedupe()
	want := &Snapshot{
		SchemaVersion: SchemaVersion,
		Networks: []Network{
			{Entity: Entity{ID: "vpc-2", Account: "222"}, Kind: "aws-vpc"},
			{Entity: Entity{ID: "vpc-1", Account: "111"}, Kind: "aws-vpc"},
		},
		Peerings: []Peering{{Entity: Entity{ID: "pcx-1", Account: "222"}, Kind: PeeringAWS, State: "seen-from-222"}},
		Scopes:   append(append([]Scope{}, a.Scopes...), b.Scopes...),
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("merged snapshot (-want +got):\n%s", d)
	}
}

func TestScopeFailNote(t *testing.T) {
	s := Scope{Status: ScopeOK}
	s.Note("other", "list", "a value left out")
	if s.Status != ScopePartial {
		t.Errorf("after Note: %s, want partial", s.Status)
	}
	s.Fail("truncated", "search", "more routes")
	if s.Status != ScopePartial {
		t.Errorf("after a truncated Fail: %s, want partial", s.Status)
	}
	s.Fail("denied", "describe", "not authorized")
	s.Note("other", "list", "another")
	s.Fail("truncated", "search", "again")
	if s.Status != ScopeFailed || len(s.Errors) != 5 {
		t.Errorf("after a denied Fail: %s with %d errors, want failed with 5", s.Status, len(s.Errors))
	}
}
