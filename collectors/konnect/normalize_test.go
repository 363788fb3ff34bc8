package konnect

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func TestAttachmentKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		want snapshot.KonnectAttachment
		ok   bool
	}{
		{
			name: "aws transit gateway",
			json: `{"id":"a1","name":"tgw","state":"ready","cidr_blocks":["10.20.0.0/16"],"dns_config":[],
				"transit_gateway_attachment_config":{"kind":"aws-transit-gateway-attachment","transit_gateway_id":"tgw-1",
				"ram_share_arn":"arn:aws:ram:eu-west-1:111122223333:resource-share/abc","attachment_id":"tgw-attach-1"}}`,
			want: snapshot.KonnectAttachment{
				ID: "a1", Name: "tgw", Kind: snapshot.AttachAWSTransitGateway, State: "ready", CIDRBlocks: []string{"10.20.0.0/16"},
				Account: "111122223333", Region: "eu-west-1", HubID: "tgw-1", HubAttachmentID: "tgw-attach-1",
				ShareID: "arn:aws:ram:eu-west-1:111122223333:resource-share/abc",
			},
			ok: true,
		},
		{
			name: "aws transit gateway not yet attached",
			json: `{"id":"a2","name":"tgw","state":"initializing","cidr_blocks":null,
				"transit_gateway_attachment_config":{"kind":"aws-transit-gateway-attachment","transit_gateway_id":"tgw-1","ram_share_arn":"not-an-arn"}}`,
			want: snapshot.KonnectAttachment{
				ID: "a2", Name: "tgw", Kind: snapshot.AttachAWSTransitGateway, State: "initializing", HubID: "tgw-1", ShareID: "not-an-arn",
			},
			ok: true,
		},
		{
			name: "aws vpc peering",
			json: `{"id":"a3","name":"p","state":"ready","cidr_blocks":["10.30.0.0/16","10.30.0.0/16"],
				"transit_gateway_attachment_config":{"kind":"aws-vpc-peering-attachment","peer_account_id":"111122223333",
				"peer_vpc_id":"vpc-1","peer_vpc_region":"us-west-2","peering_connection_id":"pcx-1"}}`,
			want: snapshot.KonnectAttachment{
				ID: "a3", Name: "p", Kind: snapshot.AttachAWSVPCPeering, State: "ready", CIDRBlocks: []string{"10.30.0.0/16"},
				Account: "111122223333", Region: "us-west-2", NetworkID: "vpc-1", PeeringID: "pcx-1",
			},
			ok: true,
		},
		{
			name: "aws resource endpoint",
			json: `{"id":"a4","name":"re","state":"ready",
				"transit_gateway_attachment_config":{"kind":"aws-resource-endpoint-attachment",
				"ram_share_arn":"arn:aws:ram:us-east-1:111122223333:resource-share/x",
				"resource_config":[{"resource_config_id":"rcfg-2","domain_name":"B.internal","state":"error"},
				{"resource_config_id":"rcfg-1","domain_name":"a.internal","state":"ready"}]}}`,
			want: snapshot.KonnectAttachment{
				ID: "a4", Name: "re", Kind: snapshot.AttachAWSResourceEP, State: "ready", Account: "111122223333", Region: "us-east-1",
				ShareID: "arn:aws:ram:us-east-1:111122223333:resource-share/x",
				ResourceConfigs: []snapshot.KonnectResourceConfig{
					{ID: "rcfg-1", DomainName: "a.internal", State: "ready"}, {ID: "rcfg-2", DomainName: "b.internal", State: "error"},
				},
			},
			ok: true,
		},
		{
			name: "azure vnet peering",
			json: `{"id":"a5","name":"v","state":"ready","dns_config":[{"remote_dns_server_ip_addresses":["10.1.0.4"],"domain_proxy_list":["b.corp","a.corp"]}],
				"transit_gateway_attachment_config":{"kind":"azure-vnet-peering-attachment","tenant_id":"t","subscription_id":"s",
				"resource_group_name":"rg","vnet_name":"vn"}}`,
			want: snapshot.KonnectAttachment{
				ID: "a5", Name: "v", Kind: snapshot.AttachAzureVNetPeering, State: "ready", Account: "s",
				NetworkID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vn",
				DNSConfig: []snapshot.KonnectDNSForward{{RemoteDNSServerIPs: []string{"10.1.0.4"}, Domains: []string{"a.corp", "b.corp"}}},
			},
			ok: true,
		},
		{
			name: "azure vhub",
			json: `{"id":"a6","name":"h","state":"error","state_metadata":{"reported_status":"","reason":"role missing"},
				"transit_gateway_attachment_config":{"kind":"azure-vhub-peering-attachment","tenant_id":"t","subscription_id":"s",
				"resource_group_name":"rg","vhub_name":"hub"}}`,
			want: snapshot.KonnectAttachment{
				ID: "a6", Name: "h", Kind: snapshot.AttachAzureVHub, State: "error", StateReason: "role missing", Account: "s",
				HubID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub",
			},
			ok: true,
		},
		{
			name: "gcp vpc peering",
			json: `{"id":"a7","name":"g","state":"ready",
				"transit_gateway_attachment_config":{"kind":"gcp-vpc-peering-attachment","peer_project_id":"proj","peer_vpc_name":"net"}}`,
			want: snapshot.KonnectAttachment{
				ID: "a7", Name: "g", Kind: snapshot.AttachGCPVPCPeering, State: "ready", Account: "proj",
				NetworkID: "projects/proj/global/networks/net",
			},
			ok: true,
		},
		{
			name: "unknown kind",
			json: `{"id":"a8","name":"x","state":"ready","transit_gateway_attachment_config":{"kind":"oci-drg"}}`,
		},
		{
			name: "no config",
			json: `{"id":"a9","name":"x","state":"ready"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var tgw TransitGateway
			if err := json.Unmarshal([]byte(tt.json), &tgw); err != nil {
				t.Fatal(err)
			}
			s := snapshot.Scope{Status: snapshot.ScopeOK}
			got, ok := attachment(&s, tgw)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (scope %s)", ok, tt.ok, s.Problem())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("attachment (-want +got):\n%s", diff)
			}
			if wantStatus := map[bool]string{true: "ok", false: "partial"}[tt.ok]; s.Status != wantStatus {
				t.Errorf("scope %s, want %s", s.Problem(), wantStatus)
			}
		})
	}
}

func TestMostExposed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"private"}, "private"},
		{[]string{"private", "private+public"}, "private+public"},
		{[]string{"public", "private", "private+public"}, "public"},
		{[]string{"private", "internal-only"}, "private"},
	}
	for _, tt := range tests {
		if got := mostExposed(tt.in); got != tt.want {
			t.Errorf("mostExposed(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMalformedValuesLeftOut checks an address that does not parse is dropped and
// noted (it would make the snapshot invalid), and the rest of the network kept.
func TestMalformedValuesLeftOut(t *testing.T) {
	t.Parallel()
	api, srv := newFakeAPI(t, "testdata/happy")
	api.override = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		if r.URL.Path != "/v2/cloud-gateways/configurations" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("page[number]") != "1" {
			_, _ = w.Write([]byte(`{"data":[]}`))
			return true
		}
		_, _ = w.Write([]byte(`{"data":[{"id":"c1","api_access":"private","dataplane_groups":[
			{"id":"g1","provider":"aws","cloud_gateway_network_id":"` + awsNet + `",
			 "private_ip_addresses":["10.40.1.1","10.40.1.300"],"egress_ip_addresses":["::ffff:3.3.3.3"]}]}]}`))
		return true
	}
	client, _ := newTestClient(t, srv)
	k, scopes := (&Collector{Client: client}).Collect(context.Background())
	n := k.Networks[0]
	if diff := cmp.Diff([]string{"10.40.1.1"}, n.DataPlaneIPs); diff != "" {
		t.Errorf("data plane IPs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"3.3.3.3"}, n.EgressIPs); diff != "" {
		t.Errorf("egress IPs (-want +got):\n%s", diff)
	}
	for _, s := range scopes {
		if s.Service == ServiceCloudGateways && (s.Status != snapshot.ScopePartial || len(s.Errors) != 1) {
			t.Errorf("cloud-gateways scope %s, want partial with the bad IP", s.Problem())
		}
	}
}

// TestCollectedSnapshotIsValid checks the happy-path result passes the snapshot's
// own schema and checks.
func TestCollectedSnapshotIsValid(t *testing.T) {
	t.Parallel()
	_, srv := newFakeAPI(t, "testdata/happy")
	client, _ := newTestClient(t, srv)
	k, scopes := (&Collector{Client: client, Org: testOrg}).Collect(context.Background())
	data, err := snapshot.Marshal(&snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion, Name: "konnect", Konnect: k, Scopes: scopes})
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if _, err := snapshot.Parse("konnect.json", data); err != nil {
		t.Errorf("Parse: %v", err)
	}
}
