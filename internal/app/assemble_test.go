package app

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestAssemble checks the one assembly path: parts merged in order, the Konnect side's
// Azure ids respelled, one entity per id (the first part's), sorted, and the result
// valid as check loads it; an invalid result is an error, not a snapshot.
func TestAssemble(t *testing.T) {
	t.Parallel()
	const vnet = "/subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-app"
	network := func(id, name string) snapshot.Network {
		return snapshot.Network{Entity: snapshot.Entity{ID: id, Provider: "azure", Name: name}, Kind: "azure-vnet", CIDRs: []string{"10.1.0.0/16"}}
	}
	scope := func(provider, service string) snapshot.Scope {
		return snapshot.Scope{Provider: provider, Region: "global", Service: service, Status: snapshot.ScopeOK, Collections: []string{}}
	}
	parts := func() []*snapshot.Snapshot {
		return []*snapshot.Snapshot{
			{
				Konnect: snapshot.Konnect{Networks: []snapshot.KonnectNetwork{{
					Entity: snapshot.Entity{ID: "net-1", Provider: "azure", Region: "eastus2"}, CIDR: "10.40.0.0/16",
					Attachments: []snapshot.KonnectAttachment{{ID: "att-1", Kind: snapshot.AttachAzureVNetPeering, NetworkID: strings.ToUpper(vnet)}},
				}}},
				Scopes: []snapshot.Scope{scope("konnect", "cloud-gateways")},
			},
			{Networks: []snapshot.Network{network(vnet, "first"), network("/subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/a", "a")}, Scopes: []snapshot.Scope{scope("azure", "networks")}},
			{Networks: []snapshot.Network{network(vnet, "second")}, Scopes: []snapshot.Scope{scope("azure", "peerings")}},
		}
	}

	head := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion, Name: "estate"}
	data, doc, err := assemble("estate.json", head, parts()...)
	if err != nil {
		t.Fatalf("assemble: %v", err)
	}
	if doc.Path != "estate.json" || len(data) == 0 {
		t.Errorf("document %q with %d bytes, want estate.json and the encoding", doc.Path, len(data))
	}
	s := doc.Snapshot
	var got []string
	for _, n := range s.Networks {
		got = append(got, n.Name)
	}
	if diff := cmp.Diff([]string{"a", "first"}, got); diff != "" {
		t.Errorf("networks by name, sorted by id (-want +got):\n%s", diff)
	}
	if id := s.Konnect.Networks[0].Attachments[0].NetworkID; id != vnet {
		t.Errorf("Konnect attachment network id %q, want the collected spelling %q", id, vnet)
	}
	if len(s.Scopes) != 3 || s.Name != "estate" {
		t.Errorf("name %q, %d scopes; want estate and 3", s.Name, len(s.Scopes))
	}

	bad := parts()
	bad[1].Networks[1].CIDRs = []string{"10.1.0.0/33"}
	head = &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion}
	if _, _, err := assemble("bad.json", head, bad...); err == nil || !strings.Contains(err.Error(), `"10.1.0.0/33" is not a CIDR`) {
		t.Errorf("assemble of an invalid snapshot: err = %v, want the bad CIDR", err)
	}
}
