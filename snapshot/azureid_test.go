package snapshot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCanonicalAzureID(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"/SUBSCRIPTIONS/ABC/resourcegroups/RG-1/Providers/microsoft.network/VIRTUALNETWORKS/vnet-A/Subnets/s1",
			"/subscriptions/abc/resourceGroups/RG-1/providers/Microsoft.Network/virtualNetworks/vnet-A/subnets/s1"},
		{"/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Network/dnsZones/contoso.com/cname/api",
			"/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Network/dnszones/contoso.com/CNAME/api"},
		{"/subscriptions/abc/resourcegroups/rg/providers/microsoft.cdn/profiles/p/afdendpoints/e/",
			"/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Cdn/profiles/p/afdEndpoints/e"},
		{" 10.0.0.4 ", "10.0.0.4"},
	}
	for _, tt := range tests {
		if got := CanonicalAzureID(tt.in); got != tt.want {
			t.Errorf("CanonicalAzureID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeIDs(t *testing.T) {
	t.Parallel()
	const sub, kong = "11111111-1111-4111-8111-111111111111", "2e7a9c4b-1f3d-4e8a-9b6c-5d0f2a7e3c19"
	rid := func(sub, rg, typ, name string) string {
		return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Network/" + typ + "/" + name
	}
	var (
		kongVNet = rid(kong, "rg-dcgw", "virtualNetworks", "vnet-dcgw")
		vnetApp  = rid(sub, "rg-network", "virtualNetworks", "vnet-app")
		hubID    = rid(sub, "rg-vwan", "virtualHubs", "vhub-eastus2")
		connKong = hubID + "/hubVirtualNetworkConnections/conn-konnect"
		unknown  = rid(sub, "rg-x", "virtualNetworks", "unknown")
	)
	s := &Snapshot{
		Networks:       []Network{{Entity: Entity{ID: vnetApp}}},
		Hubs:           []Hub{{Entity: Entity{ID: hubID}}},
		HubAttachments: []HubAttachment{{Entity: Entity{ID: connKong}, NetworkID: kongVNet}},
		Konnect: Konnect{Networks: []KonnectNetwork{{
			ProviderNetworkID: strings.ToLower(kongVNet),
			Attachments: []KonnectAttachment{
				{ID: "a1", NetworkID: strings.Replace(vnetApp, "rg-network", "RG-NETWORK", 1)},
				{ID: "a2", HubID: strings.Replace(hubID, "resourceGroups", "resourcegroups", 1)},
				{ID: "a3", NetworkID: unknown},
				{ID: "a4", HubAttachmentID: strings.ToUpper(connKong)},
			},
		}}},
	}
	s.NormalizeIDs()
	kn := s.Konnect.Networks[0]
	got := []string{kn.ProviderNetworkID, kn.Attachments[0].NetworkID, kn.Attachments[1].HubID, kn.Attachments[2].NetworkID, kn.Attachments[3].HubAttachmentID}
	want := []string{kongVNet, vnetApp, hubID, unknown, connKong}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
