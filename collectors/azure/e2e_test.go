package azure

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// konnectSide is the Konnect half of the estate, shaped like
// testdata/estates/azure-vwan and azure-vnet-peering: one Azure network attached to the
// customer's vHub and peered with vnet-app. Konnect builds the Azure ids from the names
// the customer typed, in another case than Azure's.
func konnectSide() (snapshot.Konnect, snapshot.Scope) {
	typed := func(id string) string {
		return strings.Replace(upper(id), "/virtualNetworks/vnet-app", "/virtualNetworks/VNET-APP", 1)
	}
	return snapshot.Konnect{Networks: []snapshot.KonnectNetwork{{
			Entity:            snapshot.Entity{ID: "7f30d2d7-c5bd-4f5f-a0f5-0aef585ce5e6", Provider: "azure", Account: subKong, Region: loc, Name: "eastus2-network"},
			CIDR:              "10.0.0.0/16",
			State:             "ready",
			ProviderAccountID: subKong,
			ProviderNetworkID: kongVNet,
			DataPlaneIPs:      dpIPs,
			Hostnames:         []string{"d04f7b3e61.gateways.konggateway.com"},
			APIAccess:         "private",
			Attachments: []snapshot.KonnectAttachment{
				{ID: "att-peering", Name: "vnet-app", Kind: snapshot.AttachAzureVNetPeering, State: "ready", Account: subMain, NetworkID: typed(vnetApp)},
				{ID: "att-vhub", Name: "vhub-eastus2", Kind: snapshot.AttachAzureVHub, State: "ready", Account: subMain, HubID: upper(hubID)},
			},
		}}}, snapshot.Scope{
			Provider: "konnect", Account: "org", Region: "global", Service: "cloud-gateways", Status: snapshot.ScopeOK,
			Collections: []string{"konnect.availability", "konnect.custom_domains", "konnect.networks"},
		}
}

// TestCollectThenCheck collects the estate through the fakes, merges the Konnect side,
// and runs the built-in rules: the findings are exactly the estate's problems.
func TestCollectThenCheck(t *testing.T) {
	t.Parallel()
	f := &fakeAzure{t: t, estates: map[string]*estate{subMain: mainEstate(t)}}
	c := f.collector()
	c.Subscriptions = []string{subMain}
	snap := c.Collect(context.Background())
	snap.SchemaVersion = snapshot.SchemaVersion
	snap.Name = "azure-collected"
	var scope snapshot.Scope
	snap.Konnect, scope = konnectSide()
	snap.Scopes = append(snap.Scopes, scope)
	// DNS resolutions are another collector's; say they were looked at.
	snap.Scopes = append(snap.Scopes, snapshot.Scope{Provider: "dns", Region: "global", Service: "resolve", Status: snapshot.ScopeOK, Collections: []string{"dns_resolutions"}})
	snap.NormalizeIDs()
	snap.Sort()
	if err := validate(snap); err != nil {
		t.Fatal(err)
	}

	params := policies.DefaultParams()
	params.AllowedSpokes = []string{vnetPayments}
	eng, err := policies.New(context.Background(), policies.Options{Params: params})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Evaluate(context.Background(), snap)
	if err != nil {
		t.Fatal(err)
	}
	if res.Incomplete() {
		t.Errorf("scan incomplete: scopes %v, not evaluated %+v", res.IncompleteScopes, res.NotEvaluated)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s %s %s", f.RuleID, f.ResourceID, f.Key))
	}
	slices.Sort(got)
	want := []string{
		// vnet-app grew 10.0.200.0/24 inside Kong's 10.0.0.0/16: the VNet's current space
		// (and the peering's current local space) shows it, the peered space does not.
		"DCGW-CIDR-001 " + vnetApp + " 10.0.0.0/16|10.0.200.0/24",
		// vnet-sandbox uses Kong's range and is not connected: it can never be peered.
		"DCGW-CIDR-008 " + vnetSandbox + " 10.0.0.0/16",
		// The peering with Kong is Connected but LocalNotInSync.
		"DCGW-ATT-002 " + peerKong + " sync_level",
		// nsg-app admits tcp 443 from the Internet service tag.
		"DCGW-FW-001 " + nsgApp + " " + nsgApp + "/securityRules/AllowPartnerHttps",
		// The gw record points straight at Kong's hostname.
		"DCGW-DNS-001 " + zoneID + "/CNAME/gw gw.contoso.com|",
		// The leak: conn-hr's "konnect" label propagates vnet-hr into Kong's route table.
		"DCGW-HUB-003 " + rtKonnect + " " + connHR,
		// vnet-hr is reachable from Kong now, and its NSG has only Azure's defaults:
		// AllowVnetInBound admits every protocol from VirtualNetwork.
		"DCGW-FW-003 " + nsgHR + " " + nsgHR + "/defaultSecurityRules/AllowVnetInBound",
		// The same default admits the whole Konnect range over the hub, not only the
		// data plane IPs: the path names that default rule.
		"DCGW-FW-002 " + nsgHR + " " + nsgHR + "/defaultSecurityRules/AllowVnetInBound",
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		for _, f := range res.Findings {
			t.Logf("%s %s: %s", f.RuleID, f.ResourceID, f.Message)
		}
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
