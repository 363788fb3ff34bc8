package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/regovalue"
	"github.com/dcgw-scan/dcgw-scan/internal/synth"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestConsumeInput checks that the consuming conversion gives the input of the
// snapshot's JSON form, the locations and scopes of the whole snapshot, and leaves the
// snapshot as ReleaseEntities does.
func TestConsumeInput(t *testing.T) {
	t.Parallel()
	full := synth.Generate(synth.Options{Networks: 50, Seed: 1})
	full.Name = "synthetic"
	want, err := regovalue.ToValue(full)
	if err != nil {
		t.Fatal(err)
	}
	wantLocs := locations(full)
	kept := snapshot.Snapshot{SchemaVersion: full.SchemaVersion, Name: full.Name, CollectedAt: full.CollectedAt, Scopes: full.Scopes}
	if len(full.Networks) == 0 || len(full.Konnect.Networks) == 0 || len(kept.Scopes) == 0 {
		t.Fatal("the synthetic estate has no networks, Konnect networks or scopes: the test would prove nothing")
	}

	in, err := ConsumeInput(full)
	if err != nil {
		t.Fatalf("ConsumeInput: %v", err)
	}
	if in.value.Compare(want) != 0 {
		t.Errorf("ConsumeInput differs from the JSON form (-want +got):\n%s", cmp.Diff(want.String(), in.value.String()))
	}
	if diff := cmp.Diff(kept, *full); diff != "" {
		t.Errorf("snapshot after ConsumeInput (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantLocs, in.locs, cmp.AllowUnexported(location{})); diff != "" {
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
	if _, err := NewInput(snap); err != nil {
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

	got := locations(snap)
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
