package aws

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lattypes "github.com/aws/aws-sdk-go-v2/service/vpclattice/types"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

const (
	rcfgGroup     = "rcfg-0a1b2c3d4e5f6a7b8"
	rcfgLedger    = "rcfg-0c1d2e3f4a5b6c7d8"
	rcfgBilling   = "rcfg-0e1f2a3b4c5d6e7f8"
	rcfgReporting = "rcfg-01a2b3c4d5e6f7a8b"
	rcfgLedgerDB  = "rcfg-02b3c4d5e6f7a8b9c"
	rgw           = "rgw-0123456789abcdef0"
	shareKonnect  = "arn:aws:ram:us-east-1:111111111111:resource-share/7c1e9a3b-5d2f-4e08-b6a4-2f8d0c6e4a91"
	shareOrg      = "arn:aws:ram:us-east-1:111111111111:resource-share/0b4d6f8a-1c3e-4a5b-9d7f-3e5a7c9b1d20"
)

func TestLattice(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, edgeManifest)
	u, calls := runService(t, srv, latticeService, "111111111111", "us-east-1")

	if d := gocmp.Diff(wantScope("lattice", "us-east-1", "private_endpoints", "resource_gateways"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	entity := func(id, name string) snapshot.Entity {
		return snapshot.Entity{ID: id, Provider: "aws", Account: "111111111111", Region: "us-east-1", Name: name}
	}
	wantGateways := []snapshot.ResourceGateway{{
		Entity: entity(rgw, "dcgw-upstreams"), NetworkID: "vpc-0a1b2c3d4e5f60718",
		SubnetIDs:   []string{"subnet-0a1a2b3c4d5e6f701", "subnet-0b1a2b3c4d5e6f702"},
		FirewallIDs: []string{"sg-0a9b8c7d6e5f40312"}, IPAddressType: "IPV4", State: "ACTIVE",
	}}
	if d := gocmp.Diff(wantGateways, u.out.ResourceGateways); d != "" {
		t.Errorf("resource gateways (-want +got):\n%s", d)
	}
	const kind = "aws-lattice-resource-configuration"
	// The SINGLE configuration partner-shared-db belongs to another account that shares
	// it with this one: left out.
	wantEndpoints := []snapshot.PrivateEndpoint{
		{Entity: entity(rcfgGroup, "kong-upstreams"), Kind: kind, Type: "GROUP", ChildIDs: []string{rcfgLedger, rcfgBilling},
			ResourceGatewayID: rgw, Protocol: "TCP", State: "ACTIVE"},
		{Entity: entity(rcfgLedger, "kong-upstreams-ledger"), Kind: kind, Type: "CHILD", ParentID: rcfgGroup,
			Definition: &snapshot.EndpointDefinition{Kind: "dns", Value: "ledger.internal.example.com"},
			PortRanges: []string{"443", "8000-8100"}, Protocol: "TCP", State: "ACTIVE"},
		{Entity: entity(rcfgBilling, "kong-upstreams-billing"), Kind: kind, Type: "CHILD", ParentID: rcfgGroup,
			Definition: &snapshot.EndpointDefinition{Kind: "ip", Value: "10.20.3.17"},
			PortRanges: []string{"1-65535"}, Protocol: "TCP", State: "ACTIVE"},
		{Entity: entity(rcfgReporting, "reporting-api"), Kind: kind, Type: "SINGLE", ResourceGatewayID: rgw,
			Definition: &snapshot.EndpointDefinition{Kind: "ip", Value: "10.20.4.9"},
			PortRanges: []string{"443"}, Protocol: "TCP", AllowOnwardSharing: true, State: "ACTIVE"},
		{Entity: entity(rcfgLedgerDB, "ledger-db"), Kind: kind, Type: "ARN", ResourceGatewayID: rgw,
			Definition: &snapshot.EndpointDefinition{Kind: "arn", Value: "arn:aws:rds:us-east-1:111111111111:cluster:ledger-db"},
			PortRanges: []string{"5432"}, Protocol: "TCP", State: "ACTIVE"},
	}
	if d := gocmp.Diff(wantEndpoints, u.out.PrivateEndpoints); d != "" {
		t.Errorf("private endpoints (-want +got):\n%s", d)
	}

	// One gateway page (its summary has subnets and groups: no GetResourceGateway), two
	// configuration pages, and GetResourceConfiguration for each owned configuration.
	wantServed := []string{
		"us-east-1 ListResourceGateways path=/resourcegateways",
		"us-east-1 ListResourceConfigurations path=/resourceconfigurations",
		"us-east-1 ListResourceConfigurations nextToken=eyJ2IjoiMSIsImMiOiJyY2ZnLTA5ZjhlN2Q2YzViNGEzOTIxIn0= path=/resourceconfigurations",
	}
	for _, id := range []string{rcfgGroup, rcfgLedger, rcfgBilling, rcfgReporting, rcfgLedgerDB} {
		wantServed = append(wantServed, "us-east-1 GetResourceConfiguration path=/resourceconfigurations/"+id)
	}
	slices.Sort(wantServed)
	if d := gocmp.Diff(wantServed, servedCalls(srv)); d != "" {
		t.Errorf("served calls (-want +got):\n%s", d)
	}
	wantGuard := []string{
		"GetResourceConfiguration@2", "GetResourceConfiguration@2", "GetResourceConfiguration@2",
		"GetResourceConfiguration@2", "GetResourceConfiguration@2",
		"ListResourceConfigurations@0", "ListResourceConfigurations@1", "ListResourceGateways@0",
	}
	if d := gocmp.Diff(wantGuard, guardCalls(calls)); d != "" {
		t.Errorf("calls@depth (-want +got):\n%s", d)
	}
	checkActions(t, latticeService, calls)
}

func TestLatticeDefinition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      lattypes.ResourceConfigurationDefinition
		want    *snapshot.EndpointDefinition
		wantErr string
	}{
		{"ip", &lattypes.ResourceConfigurationDefinitionMemberIpResource{Value: lattypes.IpResource{IpAddress: aws.String("10.0.0.5")}},
			&snapshot.EndpointDefinition{Kind: "ip", Value: "10.0.0.5"}, ""},
		{"dns", &lattypes.ResourceConfigurationDefinitionMemberDnsResource{Value: lattypes.DnsResource{DomainName: aws.String("DB.Example.com.")}},
			&snapshot.EndpointDefinition{Kind: "dns", Value: "db.example.com"}, ""},
		{"arn", &lattypes.ResourceConfigurationDefinitionMemberArnResource{Value: lattypes.ArnResource{Arn: aws.String("arn:aws:rds:us-east-1:111111111111:db:x")}},
			&snapshot.EndpointDefinition{Kind: "arn", Value: "arn:aws:rds:us-east-1:111111111111:db:x"}, ""},
		{"unknown", &lattypes.UnknownUnionMember{Tag: "cidrResource"}, nil, `"cidrResource"`},
	} {
		got, err := endpointDefinition(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want one naming %s", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if d := gocmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func TestLatticeConfigurationsDenied(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/edge/lattice-denied.yaml")
	u, _ := runService(t, srv, latticeService, "111111111111", "us-west-2")
	want := wantScope("lattice", "us-west-2", "private_endpoints", "resource_gateways")
	want.Status = snapshot.ScopeFailed
	want.Errors = []snapshot.ScopeError{{Class: "denied", Operation: "ListResourceConfigurations",
		Message: "AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/dcgw-scan/session is not authorized to perform: vpc-lattice:ListResourceConfigurations"}}
	if d := gocmp.Diff(want, u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	// The gateways did not depend on the failed listing: still read.
	if len(u.out.ResourceGateways) != 1 || len(u.out.PrivateEndpoints) != 0 {
		t.Errorf("gateways %+v endpoints %+v, want the one gateway and no endpoint", u.out.ResourceGateways, u.out.PrivateEndpoints)
	}
}

func TestRAMResourceIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0a1b2c3d4e5f6a7b8", "rcfg-0a1b2c3d4e5f6a7b8"},
		{"arn:aws:vpc-lattice:us-east-1:111111111111:resourcegateway/rgw-0123456789abcdef0", ""},
		{"arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0d1a2b3c4d5e6f704", ""},
		{"rcfg-0a1b2c3d4e5f6a7b8", ""},
	} {
		if got := resourceConfigID(tc.in); got != tc.want {
			t.Errorf("resourceConfigID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRAM(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, edgeManifest)
	u, calls := runService(t, srv, ramService, "111111111111", "us-east-1")

	if d := gocmp.Diff(wantScope("ram", "us-east-1", "shares"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	want := []snapshot.Share{
		{
			Entity: snapshot.Entity{ID: shareKonnect, Provider: "aws", Account: "111111111111", Region: "us-east-1",
				Name: "konnect-dcgw-upstreams", Tags: map[string]string{"team": "platform", "purpose": "kong-dcgw"}},
			Status: "ACTIVE", AllowExternalPrincipals: true,
			// Konnect's account and one more external account.
			Principals:  []snapshot.SharePrincipal{{ID: "999999999999", External: true}, {ID: "444455556666", External: true}},
			ResourceIDs: []string{rcfgGroup},
		},
		{
			Entity: snapshot.Entity{ID: shareOrg, Provider: "aws", Account: "111111111111", Region: "us-east-1", Name: "org-shared-subnets"},
			Status: "ACTIVE",
			Principals: []snapshot.SharePrincipal{
				{ID: "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56"},
			},
			ResourceIDs: []string{"arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0d1a2b3c4d5e6f704"},
		},
	}
	if d := gocmp.Diff(want, u.out.Shares); d != "" {
		t.Errorf("shares (-want +got):\n%s", d)
	}
	// One listing each for every share (principals over two pages), never per share.
	wantServed := []string{
		"us-east-1 GetResourceShares path=/getresourceshares resourceOwner=SELF",
		"us-east-1 ListPrincipals path=/listprincipals resourceOwner=SELF",
		"us-east-1 ListPrincipals nextToken=AAMA-EFRSURBSGpDWjA4a3JTc0pqc2RQdnRkd0FB path=/listprincipals resourceOwner=SELF",
		"us-east-1 ListResources path=/listresources resourceOwner=SELF",
	}
	slices.Sort(wantServed)
	if d := gocmp.Diff(wantServed, servedCalls(srv)); d != "" {
		t.Errorf("served calls (-want +got):\n%s", d)
	}
	wantGuard := []string{"GetResourceShares@0", "ListPrincipals@0", "ListPrincipals@1", "ListResources@0"}
	if d := gocmp.Diff(wantGuard, guardCalls(calls)); d != "" {
		t.Errorf("calls@depth (-want +got):\n%s", d)
	}
	checkActions(t, ramService, calls)
}

func TestRAMPrincipalsDenied(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/edge/ram-denied.yaml")
	u, _ := runService(t, srv, ramService, "111111111111", "us-east-1")
	if u.scope.Status != snapshot.ScopeFailed || len(u.scope.Errors) != 1 ||
		u.scope.Errors[0].Class != "denied" || u.scope.Errors[0].Operation != "ListPrincipals" {
		t.Errorf("scope %s, want failed (denied) on ListPrincipals", u.scope.Problem())
	}
	// The shares and resources are still read; no principal is invented.
	if len(u.out.Shares) != 2 {
		t.Fatalf("%d shares, want 2", len(u.out.Shares))
	}
	for _, s := range u.out.Shares {
		if len(s.Principals) != 0 || len(s.ResourceIDs) != 1 {
			t.Errorf("share %s: principals %v resources %v, want none and one", s.ID, s.Principals, s.ResourceIDs)
		}
	}
}
