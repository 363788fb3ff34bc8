package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/dcgw-scan/dcgw-scan/internal/regovalue"
	"github.com/dcgw-scan/dcgw-scan/internal/synth"
	"github.com/dcgw-scan/dcgw-scan/reach"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestConsumeInput checks that the consuming conversion gives the input of the
// snapshot's JSON form plus the reach member (the model built from the whole
// snapshot), the locations and scopes of the whole snapshot, and leaves the snapshot as
// ReleaseEntities does.
func TestConsumeInput(t *testing.T) {
	t.Parallel()
	full := synth.Generate(synth.Options{Networks: 50, Seed: 1})
	full.Name = "synthetic"
	snapValue, err := regovalue.ToValue(full)
	if err != nil {
		t.Fatal(err)
	}
	m := reach.Build(full, reach.Options{})
	if len(m.Flows()) == 0 {
		t.Fatal("the synthetic estate has no flows: the test would prove nothing about input.reach")
	}
	reachValue, err := regovalue.ToValue(newReachInput(m))
	if err != nil {
		t.Fatal(err)
	}
	want := snapValue.(ast.Object).Copy()
	want.Insert(ast.StringTerm(ReachMember), ast.NewTerm(reachValue))
	wantLocs := locations(full).all()
	kept := snapshot.Snapshot{SchemaVersion: full.SchemaVersion, Name: full.Name, CollectedAt: full.CollectedAt, Scopes: full.Scopes}
	if len(full.Networks) == 0 || len(full.Konnect.Networks) == 0 || len(kept.Scopes) == 0 {
		t.Fatal("the synthetic estate has no networks, Konnect networks or scopes: the test would prove nothing")
	}

	in, err := (&Engine{}).ConsumeInput(full)
	if err != nil {
		t.Fatalf("ConsumeInput: %v", err)
	}
	if in.value.Compare(want) != 0 {
		t.Errorf("ConsumeInput differs from the JSON form (-want +got):\n%s", cmp.Diff(want.String(), in.value.String()))
	}
	if diff := cmp.Diff(kept, *full); diff != "" {
		t.Errorf("snapshot after ConsumeInput (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantLocs, in.locs.all(), cmp.AllowUnexported(location{})); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(kept.Scopes, in.scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
}

// TestNewInputReadOnly checks that NewInput leaves the snapshot as it was.
func TestNewInputReadOnly(t *testing.T) {
	t.Parallel()
	snap := synth.Generate(synth.Options{Networks: 50, Seed: 1})
	if _, err := (&Engine{}).NewInput(snap); err != nil {
		t.Fatalf("NewInput: %v", err)
	}
	if diff := cmp.Diff(synth.Generate(synth.Options{Networks: 50, Seed: 1}), snap); diff != "" {
		t.Errorf("snapshot after NewInput (-before +after):\n%s", diff)
	}
}

func TestLocations(t *testing.T) {
	t.Parallel()
	snap := estate()
	snap.Konnect.Networks[0].PrivateDNS = []snapshot.KonnectPrivateDNS{{ID: "pdns-1", Kind: "aws-private-hosted-zone"}}
	snap.Subnets = []snapshot.Subnet{{Entity: entity("subnet-1", "gcp", "proj", "europe-west1"), NetworkID: "net"}}
	snap.Shares = []snapshot.Share{{Entity: entity("share-1", "aws", "333", "us-west-2")}}
	// A second entity with a known id does not move it.
	snap.Firewalls = []snapshot.Firewall{{Entity: entity("vpc-a", "azure", "x", "y"), Kind: "azure-nsg"}}

	got := locations(snap).all()
	want := map[string]location{
		"kn-1":     {"aws", "kong-org", "us-east-1"},
		"att-1":    {"aws", "kong-org", "us-east-1"},
		"pdns-1":   {"aws", "kong-org", "us-east-1"},
		"vpc-a":    {"aws", "222222222222", "eu-west-2"},
		"vpc-b":    {"aws", "111111111111", "eu-west-1"},
		"vpc-ok":   {"aws", "111111111111", "eu-west-1"},
		"subnet-1": {"gcp", "proj", "europe-west1"},
		"share-1":  {"aws", "333", "us-west-2"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(location{})); diff != "" {
		t.Errorf("locations mismatch (-want +got):\n%s", diff)
	}
}

// TestReachInputLeavesOutIntraNetwork checks that input.reach lists every destination
// and every flow but those from the destination's own network.
func TestReachInputLeavesOutIntraNetwork(t *testing.T) {
	t.Parallel()
	m := reach.Build(synth.Generate(synth.Options{Networks: 50, Seed: 1}), reach.Options{})
	within := 0
	for _, f := range m.Flows() {
		if f.Source.WithinDestinationNetwork {
			within++
		}
	}
	if within == 0 || within == len(m.Flows()) {
		t.Fatalf("%d of %d flows are intra-network: the test would prove nothing", within, len(m.Flows()))
	}
	in := newReachInput(m)
	if got, want := len(in.Flows), len(m.Flows())-within; got != want {
		t.Errorf("%d flows, want %d", got, want)
	}
	for _, f := range in.Flows {
		if f.Source.WithinDestinationNetwork {
			t.Fatalf("intra-network flow in input.reach: %+v", f)
		}
	}
	if len(in.Destinations) != len(m.Destinations()) {
		t.Errorf("%d destinations, want %d", len(in.Destinations), len(m.Destinations()))
	}
}

// TestReachMemberFree checks that no member of the snapshot document takes the name of
// the derived input.reach.
func TestReachMemberFree(t *testing.T) {
	t.Parallel()
	members, err := regovalue.Members(&snapshot.Snapshot{})
	if err != nil {
		t.Fatal(err)
	}
	if len(members) == 0 {
		t.Fatal("no members: the test would prove nothing")
	}
	for _, m := range members {
		if m.Name == ReachMember {
			t.Errorf("the snapshot has a member %q: it would clash with the derived input", m.Name)
		}
	}
}

// all is the index as a map, for comparisons.
func (x locationIndex) all() map[string]location {
	out := make(map[string]location, len(x.ids))
	for id, i := range x.ids {
		out[id] = x.locs[i]
	}
	return out
}
