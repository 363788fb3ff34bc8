package konnect

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// wantHappy is testdata/happy read by hand: provider joined in, remote ids normalized,
// the serverless configuration's data plane group ignored, everything sorted.
func wantHappy() snapshot.Konnect {
	return snapshot.Konnect{
		Networks: []snapshot.KonnectNetwork{
			{
				Entity: snapshot.Entity{ID: awsNet, Provider: "aws", Account: "764583920147", Region: "us-east-2", Name: "us-east-2-network"},
				CIDR:   "10.40.0.0/16", State: "ready",
				ProviderAccountID: "764583920147", ProviderNetworkID: "vpc-04f3a9c2b1d8e7f60",
				AvailabilityZones: []string{"use2-az1", "use2-az2", "use2-az3"},
				DataPlaneIPs:      []string{"10.40.11.23", "10.40.75.141", "10.40.139.9", "10.40.200.5"},
				EgressIPs:         []string{"3.13.91.204", "18.189.44.7", "52.14.163.98"},
				Hostnames:         []string{"9e454bcfec.aws-us-east-2.edge.gateways.konggateway.com", "9e454bcfec.gateways.konggateway.com"},
				APIAccess:         "private",
				Attachments: []snapshot.KonnectAttachment{
					{
						ID: "05cefa23-1c7d-4ba0-a594-ed020ae78e9d", Name: "edge-prod", Kind: snapshot.AttachAWSVPCPeering,
						State: "pending-acceptance", StateReason: "PENDING: waiting for the peering to be accepted",
						CIDRBlocks: []string{"10.60.0.0/16"}, Account: "384920175563", Region: "us-west-2",
						NetworkID: "vpc-0e7d6c5b4a3928170", PeeringID: "pcx-03c4d5e6f7a8b9c01",
					},
					{
						ID: "cba72ad1-c140-4200-aef4-b209931a17fe", Name: "core-tgw", Kind: snapshot.AttachAWSTransitGateway,
						State: "ready", CIDRBlocks: []string{"10.20.0.0/16", "10.30.0.0/16"},
						Account: "517294603381", Region: "us-east-2",
						HubID: "tgw-0c5e8a1f3b7d92e46", HubAttachmentID: "tgw-attach-0827cccb38ecba7c8",
						ShareID: "arn:aws:ram:us-east-2:517294603381:resource-share/7e1c5b3a-9d2f-4e8b-a6c4-1f0e3d2b5a97",
						DNSConfig: []snapshot.KonnectDNSForward{{
							RemoteDNSServerIPs: []string{"10.90.0.10", "10.90.1.10"}, Domains: []string{"corp.contoso.internal"},
						}},
					},
					{
						ID: "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", Name: "payments-lattice", Kind: snapshot.AttachAWSResourceEP,
						State: "ready", Account: "602938475610", Region: "us-east-2",
						ShareID: "arn:aws:ram:us-east-2:602938475610:resource-share/0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
						ResourceConfigs: []snapshot.KonnectResourceConfig{
							{ID: "rcfg-0123456789abcdef0", DomainName: "api.payments.internal", State: "ready"},
							{ID: "rcfg-0fedcba9876543210", DomainName: "ledger.payments.internal", State: "missing"},
						},
					},
				},
				PrivateDNS: []snapshot.KonnectPrivateDNS{
					{
						ID: "a0b1c2d3-e4f5-4a6b-8c7d-000000000001", Name: "corp-zone", Kind: "aws-private-hosted-zone-attachment",
						State: "pending-association", ZoneID: "Z0738192KD4BXTQ9R5WLM",
					},
					{
						ID: "a0b1c2d3-e4f5-4a6b-8c7d-000000000002", Name: "onprem-resolver", Kind: "aws-outbound-resolver", State: "ready",
						DNSConfig: []snapshot.KonnectDNSForward{
							{RemoteDNSServerIPs: []string{"10.90.0.53", "10.90.1.53"}, Domains: []string{"internal.example.com"}},
							{RemoteDNSServerIPs: []string{"10.90.0.53"}, Domains: []string{"onprem.example.com"}},
						},
					},
				},
			},
			{
				Entity: snapshot.Entity{ID: azureNet, Provider: "azure", Account: "2e7a9c4b-1f3d-4e8a-9b6c-5d0f2a7e3c19", Region: "eastus2", Name: "eastus2-network"},
				CIDR:   "10.0.0.0/16", State: "ready",
				ProviderAccountID: "2e7a9c4b-1f3d-4e8a-9b6c-5d0f2a7e3c19",
				ProviderNetworkID: "/subscriptions/2e7a9c4b-1f3d-4e8a-9b6c-5d0f2a7e3c19/resourceGroups/rg-dcgw-b71e4c9a02/providers/Microsoft.Network/virtualNetworks/vnet-dcgw-b71e4c9a02",
				AvailabilityZones: []string{"eastus2-az1", "eastus2-az2", "eastus2-az3"},
				DataPlaneIPs:      []string{"10.0.16.4", "10.0.80.4", "10.0.144.4"},
				EgressIPs:         []string{"20.96.41.187"},
				APIAccess:         "private+public",
				Attachments: []snapshot.KonnectAttachment{
					{
						ID: "236ad39f-8610-4c88-a561-cf3f4454cc4a", Name: "vhub-eastus2", Kind: snapshot.AttachAzureVHub,
						State: "pending-user-action", Account: "8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35",
						HubID: "/subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-vwan-eastus2/providers/Microsoft.Network/virtualHubs/vhub-eastus2",
					},
					{
						ID: "bf672b6a-8c67-47f4-a780-ac884d21a472", Name: "vnet-app-eastus2", Kind: snapshot.AttachAzureVNetPeering,
						State: "ready", Account: "8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35",
						NetworkID: "/subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-network-eastus2/providers/Microsoft.Network/virtualNetworks/vnet-app-eastus2",
					},
				},
				PrivateDNS: []snapshot.KonnectPrivateDNS{
					{
						ID: "b0b1c2d3-e4f5-4a6b-8c7d-000000000001", Name: "azure-zone", Kind: "azure-private-hosted-zone-attachment", State: "ready",
						ZoneID:     "/subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/customer-dns-rg/providers/Microsoft.Network/privateDnsZones/privatelink.fabrikam.internal",
						DomainName: "privatelink.fabrikam.internal",
					},
					{
						ID: "b0b1c2d3-e4f5-4a6b-8c7d-000000000002", Name: "azure-resolver", Kind: "azure-outbound-resolver",
						State: "error", StateReason: "ERROR: resolver unreachable",
						DNSConfig: []snapshot.KonnectDNSForward{{RemoteDNSServerIPs: []string{"10.70.0.4"}, Domains: []string{"corp.fabrikam.internal"}}},
					},
				},
			},
			{
				Entity: snapshot.Entity{ID: gcpNet, Provider: "gcp", Account: "kong-dcgw-prod-7f3a2c", Region: "us-central1", Name: "us-central1-network"},
				CIDR:   "10.5.0.0/16", State: "initializing",
				ProviderAccountID: "kong-dcgw-prod-7f3a2c",
				ProviderNetworkID: "projects/kong-dcgw-prod-7f3a2c/global/networks/dcgw-3a8d61f0c4",
				AvailabilityZones: []string{"us-central1-a", "us-central1-b", "us-central1-c"},
				EgressIPs:         []string{"34.135.22.198"},
				APIAccess:         "private+public",
				Attachments: []snapshot.KonnectAttachment{{
					ID: "5c79bf29-a88c-4379-a745-10dc07a0c55d", Name: "prod-vpc", Kind: snapshot.AttachGCPVPCPeering,
					State: "ready", Account: "globex-shared-vpc-prod",
					NetworkID: "projects/globex-shared-vpc-prod/global/networks/prod-vpc",
				}},
				PrivateDNS: []snapshot.KonnectPrivateDNS{{
					ID: "c0b1c2d3-e4f5-4a6b-8c7d-000000000001", Name: "gcp-zone", Kind: "gcp-private-hosted-zone-attachment",
					State: "ready", DomainName: "svc.globex.internal",
				}},
			},
		},
		CustomDomains: []snapshot.CustomDomain{
			{ID: "1aa95837-61f8-4cb1-aa0a-7f37749cd7c9", Domain: "api.fabrikam-insurance.com", State: "error"},
			{ID: "6dd95837-61f8-4cb1-aa0a-7f37749cd7c8", Domain: "api.northwindtraders.com", State: "ready"},
		},
		Availability: []snapshot.AvailabilityRegion{
			{Provider: "aws", Region: "eu-west-1", AllowedCIDRs: []string{"10.0.0.0/8"}},
			{
				Provider: "aws", Region: "us-east-2",
				AllowedCIDRs:  []string{"10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16", "198.18.0.0/15"},
				ReservedCIDRs: []string{"10.100.0.0/16", "172.17.0.0/16"},
			},
			{Provider: "gcp", Region: "us-central1", AllowedCIDRs: []string{"10.0.0.0/8", "172.16.0.0/12"}, ReservedCIDRs: []string{"10.100.0.0/16"}},
		},
	}
}

func okScope(service, collection string) snapshot.Scope {
	return snapshot.Scope{
		Provider: "konnect", Account: testOrg, Region: "global", Service: service,
		Status: snapshot.ScopeOK, Collections: []string{collection},
	}
}

func wantHappyScopes() []snapshot.Scope {
	return []snapshot.Scope{
		okScope("availability", "konnect.availability"),
		okScope("cloud-gateways", "konnect.networks"),
		okScope("cloud-gateways/networks/"+awsNet, "konnect.networks"),
		okScope("cloud-gateways/networks/"+azureNet, "konnect.networks"),
		okScope("cloud-gateways/networks/"+gcpNet, "konnect.networks"),
		okScope("custom-domains", "konnect.custom_domains"),
	}
}

func TestCollectHappyPath(t *testing.T) {
	t.Parallel()
	api, srv := newFakeAPI(t, "testdata/happy")
	client, sl := newTestClient(t, srv)
	col := &Collector{Client: client, Org: testOrg}

	got, scopes := col.Collect(context.Background())

	if diff := cmp.Diff(wantHappy(), got); diff != "" {
		t.Errorf("Konnect (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantHappyScopes(), scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	if w := sl.got(); len(w) != 0 {
		t.Errorf("waited %v on a healthy server", w)
	}

	// Read-only, token on every list and never on availability.json, paging as asked.
	pages := map[string][]string{}
	for _, r := range api.requests() {
		if r.Method != http.MethodGet {
			t.Errorf("%s %s: only GET is allowed", r.Method, r.Path)
		}
		wantAuth := "Bearer " + testToken
		if strings.HasSuffix(r.Path, "/availability.json") {
			wantAuth = ""
		} else if r.Size != "2" {
			t.Errorf("%s: page[size] = %q, want 2", r.Path, r.Size)
		}
		if r.Auth != wantAuth {
			t.Errorf("%s: Authorization = %q, want %q", r.Path, r.Auth, wantAuth)
		}
		pages[r.Path] = append(pages[r.Path], r.Page)
	}
	// networks: page 2 is short (1 of 2), so no third request.
	wantPages := map[string][]string{
		"/v2/cloud-gateways/provider-accounts":                          {"1", "2"},
		"/v2/cloud-gateways/networks":                                   {"1", "2"},
		"/v2/cloud-gateways/configurations":                             {"1"},
		"/v2/cloud-gateways/custom-domains":                             {"1"},
		"/v2/cloud-gateways/availability.json":                          {""},
		"/v2/cloud-gateways/networks/" + awsNet + "/transit-gateways":   {"1"},
		"/v2/cloud-gateways/networks/" + awsNet + "/private-dns":        {"1"},
		"/v2/cloud-gateways/networks/" + azureNet + "/transit-gateways": {"1"},
		"/v2/cloud-gateways/networks/" + azureNet + "/private-dns":      {"1"},
		"/v2/cloud-gateways/networks/" + gcpNet + "/transit-gateways":   {"1"},
		"/v2/cloud-gateways/networks/" + gcpNet + "/private-dns":        {"1"},
	}
	if diff := cmp.Diff(wantPages, pages); diff != "" {
		t.Errorf("pages requested per path (-want +got):\n%s", diff)
	}
}

// TestCollectSkipsServerless checks the serverless.v1 configuration of the fixtures
// would otherwise have added its group's addresses to the AWS network.
func TestCollectSkipsServerless(t *testing.T) {
	t.Parallel()
	_, srv := newFakeAPI(t, "testdata/happy")
	client, _ := newTestClient(t, srv)
	got, _ := (&Collector{Client: client}).Collect(context.Background())
	for _, n := range got.Networks {
		for _, v := range [][]string{n.DataPlaneIPs, n.EgressIPs, n.Hostnames} {
			for _, s := range v {
				if s == "10.40.250.1" || s == "44.1.2.3" || strings.Contains(s, "serverless") {
					t.Errorf("network %s has %s from the serverless.v1 configuration", n.ID, s)
				}
			}
		}
		if n.APIAccess == "public" {
			t.Errorf("network %s took api_access public from the serverless.v1 configuration", n.ID)
		}
	}
}

func TestCollectFailures(t *testing.T) {
	t.Parallel()
	tgwPath := "/v2/cloud-gateways/networks/" + azureNet + "/transit-gateways"
	tests := []struct {
		name     string
		override func(w http.ResponseWriter, r *http.Request, n int) bool
		// scopes maps the service of each scope that is not ok to its status, error
		// class and a part of its message.
		scopes map[string][3]string
		check  func(t *testing.T, k snapshot.Konnect)
	}{
		{
			name: "403 on configurations fails cloud-gateways with the role",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path != "/v2/cloud-gateways/configurations" {
					return false
				}
				problem(w, http.StatusForbidden, "Forbidden", "You do not have permission to perform this action")
				return true
			},
			scopes: map[string][3]string{
				"cloud-gateways": {"failed", "denied", "the token needs the Cloud Gateway Cluster Viewer role on the control planes (or Organization Admin) to list configurations"},
			},
			check: func(t *testing.T, k snapshot.Konnect) {
				if len(k.Networks) != 3 || k.Networks[0].DataPlaneIPs != nil {
					t.Errorf("want the 3 networks without data plane IPs, got %+v", k.Networks)
				}
			},
		},
		{
			name: "403 on networks names the network role",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path != "/v2/cloud-gateways/networks" {
					return false
				}
				problem(w, http.StatusForbidden, "Forbidden", "permission denied")
				return true
			},
			scopes: map[string][3]string{
				"cloud-gateways": {"failed", "denied", "the token needs the Network Viewer role (or Organization Admin) to list networks"},
			},
			check: func(t *testing.T, k snapshot.Konnect) {
				if len(k.Networks) != 0 || len(k.CustomDomains) != 2 || len(k.Availability) != 3 {
					t.Errorf("want no networks but the custom domains and availability, got %+v", k)
				}
			},
		},
		{
			name: "401 says the token was rejected",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path != "/v2/cloud-gateways/custom-domains" {
					return false
				}
				problem(w, http.StatusUnauthorized, "Unauthorized", "Invalid credentials")
				return true
			},
			scopes: map[string][3]string{
				"custom-domains": {"failed", "denied", "the token was rejected"},
			},
		},
		{
			name: "one network's attachments failing fails only that network",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path != tgwPath {
					return false
				}
				problem(w, http.StatusForbidden, "Forbidden", "nope")
				return true
			},
			scopes: map[string][3]string{
				"cloud-gateways/networks/" + azureNet: {"failed", "denied", "list transit gateways"},
			},
			check: func(t *testing.T, k snapshot.Konnect) {
				want := wantHappy()
				want.Networks[1].Attachments = nil
				if diff := cmp.Diff(want, k); diff != "" {
					t.Errorf("Konnect (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "404 is not-found",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if !strings.HasSuffix(r.URL.Path, "/availability.json") {
					return false
				}
				problem(w, http.StatusNotFound, "Not Found", "gone")
				return true
			},
			scopes: map[string][3]string{"availability": {"failed", "not-found", "404"}},
		},
		{
			name: "5xx that never ends fails after the retries",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path != "/v2/cloud-gateways/custom-domains" {
					return false
				}
				problem(w, http.StatusBadGateway, "Bad Gateway", "upstream down")
				return true
			},
			scopes: map[string][3]string{"custom-domains": {"failed", "other", "502 Bad Gateway"}},
		},
		{
			name: "endless 429 is throttled",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path != "/v2/cloud-gateways/custom-domains" {
					return false
				}
				w.Header().Set("Retry-After", "1")
				problem(w, http.StatusTooManyRequests, "Too Many Requests", "slow down")
				return true
			},
			scopes: map[string][3]string{"custom-domains": {"failed", "throttled", "429"}},
		},
		{
			name: "a server that ignores page[number] makes networks partial",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path != "/v2/cloud-gateways/networks" {
					return false
				}
				q := r.URL.Query()
				q.Set("page[number]", "1")
				r.URL.RawQuery = q.Encode()
				return false // serve page 1, whatever was asked
			},
			scopes: map[string][3]string{"cloud-gateways": {"partial", "truncated", "ignore page[number]"}},
			check: func(t *testing.T, k snapshot.Konnect) {
				if len(k.Networks) != 2 {
					t.Errorf("want the 2 networks of page 1, got %d", len(k.Networks))
				}
			},
		},
		{
			name: "an unknown attachment kind is left out and noted",
			override: func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path != "/v2/cloud-gateways/networks/"+gcpNet+"/transit-gateways" {
					return false
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"meta":{"page":{"number":1,"size":100,"total":1}},"data":[
					{"id":"x1","name":"future","state":"ready","transit_gateway_attachment_config":{"kind":"oci-drg-attachment"}}]}`))
				return true
			},
			scopes: map[string][3]string{"cloud-gateways/networks/" + gcpNet: {"partial", "other", `unknown kind "oci-drg-attachment"`}},
			check: func(t *testing.T, k snapshot.Konnect) {
				if n := k.Networks[2]; n.ID != gcpNet || len(n.Attachments) != 0 {
					t.Errorf("want the GCP network without attachments, got %+v", n)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api, srv := newFakeAPI(t, "testdata/happy")
			api.override = tt.override
			client, _ := newTestClient(t, srv)
			k, scopes := (&Collector{Client: client, Org: testOrg}).Collect(context.Background())

			for _, s := range scopes {
				want, bad := tt.scopes[s.Service]
				if !bad {
					if s.Status != snapshot.ScopeOK || len(s.Errors) != 0 {
						t.Errorf("scope %s: %s, want ok", s.Service, s.Problem())
					}
					continue
				}
				if s.Status != want[0] || len(s.Errors) != 1 || s.Errors[0].Class != want[1] || !strings.Contains(s.Errors[0].Message, want[2]) {
					t.Errorf("scope %s: %s\nwant %s (%s) with %q", s.Service, s.Problem(), want[0], want[1], want[2])
				}
				delete(tt.scopes, s.Service)
			}
			if len(tt.scopes) != 0 {
				t.Errorf("no scope for %v", tt.scopes)
			}
			if tt.check != nil {
				tt.check(t, k)
			}
		})
	}
}

// TestCanaryToken plants the token in every error body the server sends and checks
// it appears nowhere in the result, the scopes or any error.
func TestCanaryToken(t *testing.T) {
	t.Parallel()
	api, srv := newFakeAPI(t, "testdata/happy")
	api.override = func(w http.ResponseWriter, r *http.Request, n int) bool {
		leak := "token " + testToken + " (Bearer " + testToken + ")"
		switch {
		case r.URL.Path == "/v2/cloud-gateways/configurations":
			problem(w, http.StatusForbidden, "Forbidden "+testToken, leak)
		case r.URL.Path == "/v2/cloud-gateways/custom-domains":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("<html>upstream said " + leak + "</html>"))
		case strings.HasSuffix(r.URL.Path, "/private-dns"):
			problem(w, http.StatusBadRequest, "Bad Request", leak)
		case strings.HasSuffix(r.URL.Path, "/availability.json"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"providers": "` + testToken + `"}`)) // malformed, quoting the token
		default:
			return false
		}
		return true
	}
	client, _ := newTestClient(t, srv)
	k, scopes := (&Collector{Client: client, Org: testOrg}).Collect(context.Background())

	out, err := json.Marshal(struct {
		K snapshot.Konnect
		S []snapshot.Scope
	}{k, scopes})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), testToken) {
		t.Errorf("the token leaked into the result: %s", out)
	}
	failed := 0
	for _, s := range scopes {
		if s.Status != snapshot.ScopeOK {
			failed++
		}
	}
	if failed != 6 { // configurations, custom domains, availability, 3 × private DNS
		t.Errorf("want 6 failed scopes (proof the leaky bodies were read), got %d: %s", failed, out)
	}
	if !strings.Contains(string(out), "[REDACTED]") {
		t.Errorf("want the redaction marker in the messages: %s", out)
	}
	// The client's own errors, one per kind of leak.
	for _, call := range []func() error{
		func() error { _, err := client.ListConfigurations(context.Background()); return err },
		func() error { _, err := client.ListCustomDomains(context.Background()); return err },
		func() error { _, err := client.GetAvailability(context.Background()); return err },
		func() error { _, err := NewClient("https://example.com/?token="+testToken, testToken); return err },
		func() error { _, err := NewClient("http://"+testToken+"@example.com", testToken); return err },
		func() error { _, err := NewClient("%zz"+testToken, testToken); return err },
	} {
		err := call()
		if err == nil {
			t.Error("want an error")
			continue
		}
		if strings.Contains(err.Error(), testToken) {
			t.Errorf("the token leaked into an error: %v", err)
		}
	}
}

func TestCollectWithoutClient(t *testing.T) {
	t.Parallel()
	k, scopes := (&Collector{}).Collect(context.Background())
	if len(k.Networks) != 0 || len(scopes) != 3 {
		t.Fatalf("got %+v, %+v", k, scopes)
	}
	for _, s := range scopes {
		if s.Status != snapshot.ScopeFailed {
			t.Errorf("scope %s: %s, want failed", s.Service, s.Problem())
		}
	}
}
