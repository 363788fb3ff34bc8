package aws

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// ec2Manifest is the recorded us-east-1 region of account 111111111111 (see its header).
const ec2Manifest = "testdata/ec2/responses.yaml"

// ec2Service is the EC2 service called name.
func ec2Service(t *testing.T, name string) service {
	t.Helper()
	for _, s := range ec2Services {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no EC2 service %q", name)
	return service{}
}

// ec2Ent is the entity of a resource of account 111111111111 in us-east-1.
func ec2Ent(id, name string, tags map[string]string) snapshot.Entity {
	return ec2EntIn("111111111111", id, name, tags)
}

// ec2EntIn is the entity of a resource of account in us-east-1.
func ec2EntIn(account, id, name string, tags map[string]string) snapshot.Entity {
	return snapshot.Entity{ID: id, Provider: "aws", Account: account, Region: "us-east-1", Name: name, Tags: tags}
}

// checkEC2Calls compares the requests srv served and the calls the guard saw (with
// their depth) to the expected ones, and checks every call is in the service's actions.
func checkEC2Calls(t *testing.T, srv *awstest.Server, s service, calls []Call, served, guard []string) {
	t.Helper()
	slices.Sort(served)
	slices.Sort(guard)
	if d := gocmp.Diff(served, servedCalls(srv)); d != "" {
		t.Errorf("served calls (-want +got):\n%s", d)
	}
	if d := gocmp.Diff(guard, guardCalls(calls)); d != "" {
		t.Errorf("calls@depth (-want +got):\n%s", d)
	}
	checkActions(t, s, calls)
}

const (
	vpcEdge     = "vpc-0e7d6c5b4a3928170"
	vpcPayments = "vpc-0a1b2c3d4e5f67890"
	subnetPub   = "subnet-020fcb7bd5dd1dcb9"
	subnetPriv  = "subnet-02876f855bcb2d9b9"
	subnetPay   = "subnet-038be65f4055a2cf6"
	rtbMain     = "rtb-0636055d0dd26ec1a"
	rtbPublic   = "rtb-06bb2a4d1b8fecaa5"
	rtbPayMain  = "rtb-089e32f6136a90b45"
	pcxKong     = "pcx-03c4d5e6f7a8b9c01"
	pcxFailed   = "pcx-0b5c6d7e8f9a0b1c2"
	tgwCore     = "tgw-0c5e8a1f3b7d92e46"
	tgwShared   = "tgw-07d1e2f3a4b5c6d78"
	tgwRtbDef   = "tgw-rtb-0dd1f834a9386a9e0"
	tgwRtbKong  = "tgw-rtb-044a136b124c6f0fc"
	attKong     = "tgw-attach-0827cccb38ecba7c8"
	attEdge     = "tgw-attach-043d80b2676e385e9"
	attVPN      = "tgw-attach-0f3777932a3e2b868"
	attSpoke    = "tgw-attach-0b1c2d3e4f5a6b7c8"
	sgALB       = "sg-0123a4b5c6d7e8f90"
	sgApp       = "sg-09d8c7b6a5f4e3d21"
	sgDefault   = "sg-0aa11bb22cc33dd44"
	plPartner   = "pl-0a9b8c7d6e5f43210"
	plS3        = "pl-63a5400a"
	ipv6Edge    = "2600:1f18:4a2b:7c00::/56"
)

func TestEC2VPCs(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, ec2Manifest)
	s := ec2Service(t, "ec2-vpcs")
	u, calls := runService(t, srv, s, "111111111111", "us-east-1")

	if d := gocmp.Diff(wantScope("ec2-vpcs", "us-east-1", "networks", "subnets", "route_tables"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	wantNetworks := []snapshot.Network{
		{
			// The secondary 100.64.0.0/22 and the IPv6 block are in, the disassociated
			// 10.99.0.0/24 is out; the option set's AmazonProvidedDNS is not a custom resolver.
			Entity: ec2Ent(vpcEdge, "edge-prod", map[string]string{"env": "prod"}), Kind: "aws-vpc",
			CIDRs:      []string{"10.30.0.0/16", "100.64.0.0/22", ipv6Edge},
			DNSServers: []string{"10.90.0.10", "10.90.1.10"},
		},
		{
			// The failed 10.21.0.0/16 and the IPv6 block being disassociated are out.
			Entity: ec2Ent(vpcPayments, "payments-prod", map[string]string{"team": "payments"}), Kind: "aws-vpc",
			CIDRs: []string{"10.20.0.0/16"},
		},
	}
	if d := gocmp.Diff(wantNetworks, u.out.Networks); d != "" {
		t.Errorf("networks (-want +got):\n%s", d)
	}
	wantSubnets := []snapshot.Subnet{
		{Entity: ec2Ent(subnetPub, "edge-public-1a", nil), NetworkID: vpcEdge,
			CIDRs: []string{"10.30.1.0/24", "2600:1f18:4a2b:7c01::/64"}, Zone: "us-east-1a", RouteTableID: rtbPublic},
		// No explicit association: the main tables of their VPCs.
		{Entity: ec2Ent(subnetPriv, "edge-private-1b", nil), NetworkID: vpcEdge,
			CIDRs: []string{"100.64.1.0/24"}, Zone: "us-east-1b", RouteTableID: rtbMain},
		{Entity: ec2Ent(subnetPay, "", nil), NetworkID: vpcPayments,
			CIDRs: []string{"10.20.1.0/24"}, Zone: "us-east-1a", RouteTableID: rtbPayMain},
	}
	if d := gocmp.Diff(wantSubnets, u.out.Subnets); d != "" {
		t.Errorf("subnets (-want +got):\n%s", d)
	}
	local := func(dest string) snapshot.Route {
		return snapshot.Route{Destination: dest, TargetKind: "local", TargetID: "local", State: "active", Origin: "system"}
	}
	static := func(dest, kind, id, state string) snapshot.Route {
		return snapshot.Route{Destination: dest, TargetKind: kind, TargetID: id, State: state, Origin: "static"}
	}
	wantTables := []snapshot.RouteTable{
		{
			Entity: ec2Ent(rtbMain, "edge-private", nil), NetworkID: vpcEdge, Main: true,
			SubnetIDs: []string{subnetPriv},
			Routes: []snapshot.Route{
				local("10.30.0.0/16"), local("100.64.0.0/22"), local(ipv6Edge),
				static("0.0.0.0/0", "nat-gateway", "nat-07a5c3e1b9d2f4680", "active"),
				static("192.168.0.0/16", "peering", pcxKong, "active"),
				static("10.40.0.0/16", "peering", pcxFailed, "blackhole"),
				static("10.0.0.0/8", "hub", tgwCore, "active"),
				{PrefixListID: plS3, TargetKind: "endpoint", TargetID: "vpce-0d1c2b3a4f5e6d7c8", State: "active", Origin: "static"},
				{Destination: "172.16.0.0/12", TargetKind: "vpn-gateway", TargetID: "vgw-0123456789abcdef0", State: "active", Origin: "propagated"},
			},
		},
		{
			// The internet gateway's edge association is not a subnet.
			Entity: ec2Ent(rtbPublic, "edge-public", nil), NetworkID: vpcEdge,
			SubnetIDs: []string{subnetPub},
			Routes: []snapshot.Route{
				local("10.30.0.0/16"), local("100.64.0.0/22"),
				static("0.0.0.0/0", "internet-gateway", "igw-05f6e7d8c9b0a1f2e", "active"),
				static("::/0", "internet-gateway", "eigw-0a9b8c7d6e5f40312", "active"),
				static("10.50.0.0/16", "interface", "eni-0f1e2d3c4b5a69781", "active"),
				static("192.168.0.0/16", "peering", pcxKong, "active"),
			},
		},
		{
			Entity: ec2Ent(rtbPayMain, "payments-main", nil), NetworkID: vpcPayments, Main: true,
			SubnetIDs: []string{subnetPay},
			Routes: []snapshot.Route{
				local("10.20.0.0/16"),
				static("0.0.0.0/0", "hub", tgwShared, "active"),
				static("10.66.0.0/16", "nat-gateway", "nat-0e4d3c2b1a0f9e8d7", "blackhole"),
			},
		},
	}
	if d := gocmp.Diff(wantTables, u.out.RouteTables); d != "" {
		t.Errorf("route tables (-want +got):\n%s", d)
	}
	checkEC2Calls(t, srv, s, calls,
		[]string{
			"us-east-1 DescribeVpcs", "us-east-1 DescribeVpcs NextToken=eyJ2IjoiMiIsImMiOiJ2cGMtMGU3ZDZjNWI0YTM5MjgxNzAifQ==",
			"us-east-1 DescribeSubnets", "us-east-1 DescribeRouteTables", "us-east-1 DescribeDhcpOptions",
		},
		[]string{"DescribeVpcs@0", "DescribeVpcs@1", "DescribeSubnets@0", "DescribeRouteTables@0", "DescribeDhcpOptions@0"})
}

// TestEC2Throttled: a throttled call is retried by the SDK and the unit ends ok with
// the same data.
func TestEC2Throttled(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/ec2/throttled.yaml", ec2Manifest)
	s := ec2Service(t, "ec2-vpcs")
	u, calls := runService(t, srv, s, "111111111111", "us-east-1")

	if u.scope.Status != snapshot.ScopeOK {
		t.Fatalf("scope %s, want ok after the retry", u.scope.Problem())
	}
	if len(u.out.Subnets) != 3 || u.out.Subnets[2].RouteTableID != rtbPayMain {
		t.Errorf("subnets after the retry: %+v", u.out.Subnets)
	}
	// The server answered DescribeSubnets twice (throttled, then the data); the
	// collector made one call.
	checkEC2Calls(t, srv, s, calls,
		[]string{
			"us-east-1 DescribeVpcs", "us-east-1 DescribeVpcs NextToken=eyJ2IjoiMiIsImMiOiJ2cGMtMGU3ZDZjNWI0YTM5MjgxNzAifQ==",
			"us-east-1 DescribeSubnets", "us-east-1 DescribeSubnets", "us-east-1 DescribeRouteTables", "us-east-1 DescribeDhcpOptions",
		},
		[]string{"DescribeVpcs@0", "DescribeVpcs@1", "DescribeSubnets@0", "DescribeRouteTables@0", "DescribeDhcpOptions@0"})
}

func TestEC2Peerings(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, ec2Manifest)
	s := ec2Service(t, "ec2-peerings")
	u, calls := runService(t, srv, s, "111111111111", "us-east-1")

	if d := gocmp.Diff(wantScope("ec2-peerings", "us-east-1", "peerings"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	want := []snapshot.Peering{
		{
			// Kong requested, this account accepted: the accepter is the local side.
			Entity: ec2Ent(pcxKong, "konnect-dcgw-edge", map[string]string{"konnect-attachment": "05cefa23-1c7d-4ba0-a594-ed020ae78e9d"}),
			Kind:   "aws-vpc-peering", State: "active",
			Local:  snapshot.PeeringSide{NetworkID: vpcEdge, Account: "111111111111", Region: "us-east-1", CIDRs: []string{"10.30.0.0/16", "100.64.0.0/22", ipv6Edge}},
			Remote: snapshot.PeeringSide{NetworkID: "vpc-04f3a9c2b1d8e7f60", Account: "764583920147", Region: "us-east-1", CIDRs: []string{"192.168.0.0/16"}},
		},
		{
			// Pending acceptance by a partner in another region: EC2 gives no CIDRs for
			// the partner's side, and none are made up.
			Entity: ec2Ent("pcx-0f1e2d3c4b5a69788", "payments-to-partner", nil),
			Kind:   "aws-vpc-peering", State: "pending-acceptance",
			Local:  snapshot.PeeringSide{NetworkID: vpcPayments, Account: "111111111111", Region: "us-east-1", CIDRs: []string{"10.20.0.0/16"}},
			Remote: snapshot.PeeringSide{NetworkID: "vpc-0d2c4e6a8b0f13579", Account: "222222222222", Region: "us-west-2"},
		},
		{
			Entity: ec2Ent(pcxFailed, "", nil),
			Kind:   "aws-vpc-peering", State: "failed",
			Local:  snapshot.PeeringSide{NetworkID: vpcEdge, Account: "111111111111", Region: "us-east-1"},
			Remote: snapshot.PeeringSide{NetworkID: "vpc-0e1f2a3b4c5d6e7f8", Account: "444444444444", Region: "us-east-1"},
		},
	}
	if d := gocmp.Diff(want, u.out.Peerings); d != "" {
		t.Errorf("peerings (-want +got):\n%s", d)
	}
	checkEC2Calls(t, srv, s, calls, []string{"us-east-1 DescribeVpcPeeringConnections"}, []string{"DescribeVpcPeeringConnections@0"})
}

// TestEC2PeeringSides checks which side is local when one account owns both VPCs of an
// inter-region peering: the one in the scanned region.
func TestEC2PeeringSides(t *testing.T) {
	t.Parallel()
	info := func(account, vpc, region string) *ec2types.VpcPeeringConnectionVpcInfo {
		return &ec2types.VpcPeeringConnectionVpcInfo{OwnerId: aws.String(account), VpcId: aws.String(vpc), Region: aws.String(region)}
	}
	p := ec2types.VpcPeeringConnection{
		VpcPeeringConnectionId: aws.String("pcx-1"),
		RequesterVpcInfo:       info("111111111111", "vpc-east", "us-east-1"),
		AccepterVpcInfo:        info("111111111111", "vpc-west", "us-west-2"),
		Status:                 &ec2types.VpcPeeringConnectionStateReason{Code: "active"},
	}
	for region, local := range map[string]string{"us-east-1": "vpc-east", "us-west-2": "vpc-west"} {
		u := &unit{account: "111111111111", region: region}
		if got := peering(u, p).Local.NetworkID; got != local {
			t.Errorf("scanned from %s: local side %s, want %s", region, got, local)
		}
	}
}

func TestEC2TransitGateways(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, ec2Manifest)
	s := ec2Service(t, "ec2-transit-gateways")
	u, calls := runService(t, srv, s, "111111111111", "us-east-1")

	// The Kong table's search ended with AdditionalRoutesAvailable: partial, truncated.
	wantScope := wantScope("ec2-transit-gateways", "us-east-1", "hubs", "hub_attachments", "hub_route_tables")
	wantScope.Status = snapshot.ScopePartial
	wantScope.Errors = []snapshot.ScopeError{{
		Class: "truncated", Operation: "SearchTransitGatewayRoutes",
		Message: "the answer is truncated: route table " + tgwRtbKong + " has more routes than EC2 returned (2)",
	}}
	if d := gocmp.Diff(wantScope, u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	wantHubs := []snapshot.Hub{
		{
			Entity: ec2Ent(tgwCore, "core-tgw-use1", map[string]string{"owner": "network-team"}),
			Kind:   "aws-transit-gateway", State: "available", CIDRs: []string{"10.255.0.0/24"},
			DefaultRouteTableAssociation: true, DefaultRouteTablePropagation: true, AutoAcceptSharedAttachments: true,
			AssociationDefaultRouteTableID: tgwRtbDef, PropagationDefaultRouteTableID: tgwRtbDef,
		},
		// Shared with this account by 333333333333: its owner's entity, no route tables here.
		{Entity: ec2EntIn("333333333333", tgwShared, "", nil), Kind: "aws-transit-gateway", State: "available"},
	}
	if d := gocmp.Diff(wantHubs, u.out.Hubs); d != "" {
		t.Errorf("hubs (-want +got):\n%s", d)
	}
	wantAttachments := []snapshot.HubAttachment{
		{Entity: ec2Ent(attKong, "konnect-dcgw", nil), HubID: tgwCore, Kind: "vpc", NetworkID: "vpc-04f3a9c2b1d8e7f60",
			OwnerAccount: "764583920147", State: "available", AssociatedRouteTableID: tgwRtbKong, PropagatedRouteTableIDs: []string{tgwRtbDef}},
		{Entity: ec2Ent(attEdge, "edge-prod", nil), HubID: tgwCore, Kind: "vpc", NetworkID: vpcEdge,
			OwnerAccount: "111111111111", State: "available", AssociatedRouteTableID: tgwRtbDef, PropagatedRouteTableIDs: []string{tgwRtbDef, tgwRtbKong}},
		// Its propagation into the Kong table is disabled.
		{Entity: ec2Ent(attVPN, "onprem-vpn", nil), HubID: tgwCore, Kind: "vpn",
			OwnerAccount: "111111111111", State: "available", AssociatedRouteTableID: tgwRtbDef, PropagatedRouteTableIDs: []string{tgwRtbDef}},
		// This account's VPC on the shared gateway: the gateway owner's entity.
		{Entity: ec2EntIn("333333333333", attSpoke, "", nil), HubID: tgwShared, Kind: "vpc", NetworkID: vpcPayments,
			OwnerAccount: "111111111111", State: "available"},
	}
	if d := gocmp.Diff(wantAttachments, u.out.HubAttachments); d != "" {
		t.Errorf("hub attachments (-want +got):\n%s", d)
	}
	propagated := func(dest, att string) snapshot.HubRoute {
		return snapshot.HubRoute{Destination: dest, AttachmentIDs: []string{att}, Type: "propagated", State: "active"}
	}
	wantTables := []snapshot.HubRouteTable{
		{
			// Associations from the attachment list; two pages of routes; the deleted
			// table is not read.
			Entity: ec2Ent(tgwRtbDef, "default", nil), HubID: tgwCore, Default: true,
			Associations: []string{attEdge, attVPN}, Propagations: []string{attKong, attEdge, attVPN},
			Routes: []snapshot.HubRoute{
				propagated("10.30.0.0/16", attEdge), propagated("192.168.0.0/16", attKong), propagated("172.16.0.0/12", attVPN),
				{Destination: "10.66.0.0/16", Type: "static", State: "blackhole"},
			},
		},
		{
			Entity: ec2Ent(tgwRtbKong, "konnect-dcgw", map[string]string{"purpose": "kong-isolation"}), HubID: tgwCore,
			Associations: []string{attKong}, Propagations: []string{attEdge},
			Routes: []snapshot.HubRoute{
				propagated("10.30.0.0/16", attEdge),
				{Destination: "198.51.100.0/24", PrefixListID: plPartner, AttachmentIDs: []string{attEdge}, Type: "static", State: "active"},
			},
			Truncated: true,
		},
	}
	if d := gocmp.Diff(wantTables, u.out.HubRouteTables); d != "" {
		t.Errorf("hub route tables (-want +got):\n%s", d)
	}
	search := "SearchTransitGatewayRoutes Filter.1.Name=state Filter.1.Value.1=active Filter.1.Value.2=blackhole "
	checkEC2Calls(t, srv, s, calls,
		[]string{
			"us-east-1 DescribeTransitGateways", "us-east-1 DescribeTransitGatewayAttachments", "us-east-1 DescribeTransitGatewayRouteTables",
			"us-east-1 GetTransitGatewayRouteTablePropagations TransitGatewayRouteTableId=" + tgwRtbDef,
			"us-east-1 GetTransitGatewayRouteTablePropagations TransitGatewayRouteTableId=" + tgwRtbKong,
			"us-east-1 " + search + "TransitGatewayRouteTableId=" + tgwRtbDef,
			"us-east-1 " + search + "NextToken=AAIAAfQt0ZqPfR3n5l2yH8q9wFNlbmNyeXB0ZWQtcm91dGUtdGFibGUtdG9rZW4= TransitGatewayRouteTableId=" + tgwRtbDef,
			"us-east-1 " + search + "TransitGatewayRouteTableId=" + tgwRtbKong,
		},
		[]string{
			"DescribeTransitGateways@0", "DescribeTransitGatewayAttachments@0", "DescribeTransitGatewayRouteTables@0",
			"GetTransitGatewayRouteTablePropagations@1", "GetTransitGatewayRouteTablePropagations@1",
			"SearchTransitGatewayRoutes@1", "SearchTransitGatewayRoutes@2", "SearchTransitGatewayRoutes@1",
		})
}

func TestEC2SecurityGroups(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, ec2Manifest)
	s := ec2Service(t, "ec2-security-groups")
	u, calls := runService(t, srv, s, "111111111111", "us-east-1")

	if d := gocmp.Diff(wantScope("ec2-security-groups", "us-east-1", "firewalls"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	cidr := func(v string) []snapshot.Address { return []snapshot.Address{{Kind: "cidr", Value: v}} }
	ports := func(from, to int) []snapshot.PortRange { return []snapshot.PortRange{{From: from, To: to}} }
	const lbARN = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/"
	want := []snapshot.Firewall{
		{
			// Two ALB interfaces are one load balancer.
			Entity: ec2Ent(sgALB, "api-edge-alb", map[string]string{"team": "platform"}),
			Kind:   "aws-security-group", NetworkID: vpcEdge, Stateful: true,
			AttachedTo: []snapshot.Attachment{{Kind: "load-balancer", ID: lbARN + "app/api-edge/50dc6c495c0c9188"}},
			Rules: []snapshot.FirewallRule{
				{ID: "sgr-0903fbde9ab533c4f", Direction: "ingress", Action: "allow", Protocol: "tcp", Ports: ports(443, 443),
					Sources: cidr("0.0.0.0/0"), Description: "public HTTPS"},
				{ID: "sgr-0b1e7a9d3c5f24680", Direction: "ingress", Action: "allow", Protocol: "tcp", Ports: ports(443, 443),
					Sources: cidr("::/0"), Description: "public HTTPS (IPv6)"},
				{ID: "sgr-034b6c7005f1e1832", Direction: "egress", Action: "allow", Protocol: "all", Ports: ports(0, 65535),
					Destinations: cidr("0.0.0.0/0")},
			},
		},
		{
			// No Name tag: the group name.
			Entity: ec2Ent(sgApp, "payments-app", nil),
			Kind:   "aws-security-group", NetworkID: vpcEdge, Stateful: true,
			AttachedTo: []snapshot.Attachment{
				{Kind: "interface", ID: "eni-0f1e2d3c4b5a69781"},
				{Kind: "endpoint", ID: "vpce-0a1b2c3d4e5f60789"},
				{Kind: "load-balancer", ID: lbARN + "net/kong-nlb/0f1e2d3c4b5a6978"},
				{Kind: "interface", ID: "eni-0e8a0c2d4f6b8d0f2"},
			},
			Rules: []snapshot.FirewallRule{
				{ID: "sgr-0fd68ae0ab741fa51", Direction: "ingress", Action: "allow", Protocol: "tcp", Ports: ports(8443, 8443),
					Sources: []snapshot.Address{{Kind: "prefix-list", Value: plPartner}}, Description: "partner callbacks"},
				{ID: "sgr-02aa5c0e7b9d1f357", Direction: "ingress", Action: "allow", Protocol: "tcp", Ports: ports(8080, 8080),
					Sources: []snapshot.Address{{Kind: "group", Value: sgALB}}},
				// ICMP type 8, any code: no ports.
				{ID: "sgr-0c3d5e7f9a1b2c4d6", Direction: "ingress", Action: "allow", Protocol: "icmp",
					Sources: cidr("10.0.0.0/8"), Description: "ping from the corp network"},
				{ID: "sgr-0e5f7a9b1c3d5e7f9", Direction: "ingress", Action: "allow", Protocol: "udp", Ports: ports(53, 53),
					Sources: cidr("10.90.0.0/20")},
				// ESP has no ports: EC2 matches all of them.
				{ID: "sgr-07b9d1f3a5c7e9b1d", Direction: "egress", Action: "allow", Protocol: "50", Ports: ports(0, 65535),
					Destinations: cidr("203.0.113.10/32"), Description: "IPsec ESP to the partner gateway"},
			},
		},
		{
			Entity: ec2Ent(sgDefault, "default", nil),
			Kind:   "aws-security-group", NetworkID: vpcEdge, Stateful: true,
			AttachedTo: []snapshot.Attachment{{Kind: "interface", ID: "eni-0f1e2d3c4b5a69781"}},
		},
	}
	if d := gocmp.Diff(want, u.out.Firewalls); d != "" {
		t.Errorf("firewalls (-want +got):\n%s", d)
	}
	checkEC2Calls(t, srv, s, calls,
		[]string{
			"us-east-1 DescribeSecurityGroups", "us-east-1 DescribeNetworkInterfaces", "us-east-1 DescribeSecurityGroupRules",
			"us-east-1 DescribeSecurityGroupRules NextToken=eyJ2IjoiMyIsImMiOiJzZ3ItMGZkNjhhZTBhYjc0MWZhNTEifQ==",
		},
		[]string{"DescribeSecurityGroups@0", "DescribeNetworkInterfaces@0", "DescribeSecurityGroupRules@0", "DescribeSecurityGroupRules@1"})
}

func TestEC2NetworkACLs(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, ec2Manifest)
	s := ec2Service(t, "ec2-network-acls")
	u, calls := runService(t, srv, s, "111111111111", "us-east-1")

	if d := gocmp.Diff(wantScope("ec2-network-acls", "us-east-1", "firewalls"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	rule := func(dir, action string, prio int, proto string, ports []snapshot.PortRange, cidr string) snapshot.FirewallRule {
		r := snapshot.FirewallRule{Direction: dir, Action: action, Priority: prio, Protocol: proto, Ports: ports}
		if dir == "ingress" {
			r.Sources = []snapshot.Address{{Kind: "cidr", Value: cidr}}
		} else {
			r.Destinations = []snapshot.Address{{Kind: "cidr", Value: cidr}}
		}
		return r
	}
	all := []snapshot.PortRange{{From: 0, To: 65535}}
	want := []snapshot.Firewall{
		{
			Entity: ec2Ent("acl-0d1e2f3a4b5c6d7e8", "", nil), Kind: "aws-network-acl", NetworkID: vpcEdge,
			AttachedTo: []snapshot.Attachment{{Kind: "subnet", ID: subnetPub}, {Kind: "subnet", ID: subnetPriv}},
			Rules: []snapshot.FirewallRule{
				rule("egress", "allow", 100, "all", all, "0.0.0.0/0"),
				rule("egress", "deny", 32767, "all", all, "0.0.0.0/0"),
				rule("ingress", "allow", 100, "all", all, "0.0.0.0/0"),
				rule("ingress", "allow", 101, "all", all, "::/0"),
				rule("ingress", "deny", 32767, "all", all, "0.0.0.0/0"),
				rule("ingress", "deny", 32768, "all", all, "::/0"),
			},
		},
		{
			Entity: ec2Ent("acl-0f9e8d7c6b5a49382", "payments-restricted", nil), Kind: "aws-network-acl", NetworkID: vpcPayments,
			AttachedTo: []snapshot.Attachment{{Kind: "subnet", ID: subnetPay}},
			Rules: []snapshot.FirewallRule{
				rule("ingress", "allow", 100, "tcp", []snapshot.PortRange{{From: 8443, To: 8443}}, "192.168.0.0/16"),
				rule("ingress", "allow", 110, "tcp", []snapshot.PortRange{{From: 1024, To: 65535}}, "0.0.0.0/0"),
				rule("ingress", "deny", 120, "icmp", nil, "0.0.0.0/0"),
				rule("ingress", "deny", 32767, "all", all, "0.0.0.0/0"),
				rule("egress", "allow", 100, "udp", []snapshot.PortRange{{From: 53, To: 53}}, "10.90.0.0/20"),
				rule("egress", "deny", 32767, "all", all, "0.0.0.0/0"),
			},
		},
	}
	if d := gocmp.Diff(want, u.out.Firewalls); d != "" {
		t.Errorf("network ACLs (-want +got):\n%s", d)
	}
	checkEC2Calls(t, srv, s, calls, []string{"us-east-1 DescribeNetworkAcls"}, []string{"DescribeNetworkAcls@0"})
}

func TestEC2PrefixLists(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, ec2Manifest)
	s := ec2Service(t, "ec2-prefix-lists")
	u, calls := runService(t, srv, s, "111111111111", "us-east-1")

	if d := gocmp.Diff(wantScope("ec2-prefix-lists", "us-east-1", "prefix_lists"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	want := []snapshot.PrefixList{
		{Entity: ec2Ent(plPartner, "partner-egress-ranges", map[string]string{"team": "payments"}),
			CIDRs: []string{"0.0.0.0/0", "198.51.100.0/24"}},
		// Owned by "AWS": the scanning account's entity, marked AWS-managed.
		{Entity: ec2Ent(plS3, "com.amazonaws.us-east-1.s3", nil),
			CIDRs: []string{"16.15.192.0/18", "3.5.0.0/19", "52.216.0.0/15"}, AWSManaged: true},
	}
	if d := gocmp.Diff(want, u.out.PrefixLists); d != "" {
		t.Errorf("prefix lists (-want +got):\n%s", d)
	}
	checkEC2Calls(t, srv, s, calls,
		[]string{
			"us-east-1 DescribeManagedPrefixLists",
			"us-east-1 GetManagedPrefixListEntries PrefixListId=" + plPartner,
			"us-east-1 GetManagedPrefixListEntries NextToken=eyJ2IjoiMSIsImMiOiJwbC0wYTliOGM3ZDZlNWY0MzIxMCJ9 PrefixListId=" + plPartner,
			"us-east-1 GetManagedPrefixListEntries PrefixListId=" + plS3,
		},
		[]string{"DescribeManagedPrefixLists@0", "GetManagedPrefixListEntries@1", "GetManagedPrefixListEntries@2", "GetManagedPrefixListEntries@1"})
}

// TestEC2AccessDenied runs every EC2 unit where the role may not describe network ACLs:
// that unit fails (denied), is not retried, and the others are untouched.
func TestEC2AccessDenied(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/ec2/denied.yaml", ec2Manifest)
	var got []string
	for _, s := range ec2Services {
		u, calls := runService(t, srv, s, "111111111111", "us-east-1")
		checkActions(t, s, calls)
		line := s.name + " " + u.scope.Status
		for _, e := range u.scope.Errors {
			line += " " + e.Class + ":" + e.Operation
		}
		got = append(got, line)
		if s.name == "ec2-network-acls" && len(u.out.Firewalls) != 0 {
			t.Errorf("denied network ACLs gave firewalls: %+v", u.out.Firewalls)
		}
	}
	want := []string{
		"ec2-vpcs ok", "ec2-peerings ok",
		"ec2-transit-gateways partial truncated:SearchTransitGatewayRoutes", // the recorded Kong table
		"ec2-security-groups ok",
		"ec2-network-acls failed denied:DescribeNetworkAcls",
		"ec2-prefix-lists ok",
	}
	if d := gocmp.Diff(want, got); d != "" {
		t.Errorf("scopes (-want +got):\n%s", d)
	}
	n := 0
	for _, c := range srv.Calls() {
		if c.Operation == "DescribeNetworkAcls" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("DescribeNetworkAcls served %d times, want 1 (access denied is not retried)", n)
	}
}

// TestEC2DeniedWithinUnit: one operation of a unit is denied; the unit fails but still
// reads what does not depend on it.
func TestEC2DeniedWithinUnit(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/ec2/dhcp-denied.yaml", ec2Manifest)
	u, _ := runService(t, srv, ec2Service(t, "ec2-vpcs"), "111111111111", "us-east-1")
	if u.scope.Status != snapshot.ScopeFailed || len(u.scope.Errors) != 1 ||
		u.scope.Errors[0].Class != "denied" || u.scope.Errors[0].Operation != "DescribeDhcpOptions" {
		t.Errorf("scope %s, want failed (denied) on DescribeDhcpOptions", u.scope.Problem())
	}
	if len(u.out.Networks) != 2 || len(u.out.Subnets) != 3 || len(u.out.RouteTables) != 3 {
		t.Errorf("got %d networks, %d subnets, %d route tables; want 2, 3, 3",
			len(u.out.Networks), len(u.out.Subnets), len(u.out.RouteTables))
	}
	for _, n := range u.out.Networks {
		if n.DNSServers != nil {
			t.Errorf("%s: DNS servers %v without the option sets", n.ID, n.DNSServers)
		}
	}
}

func TestEC2RouteTargets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		route            ec2types.Route
		kind, id, origin string
	}{
		{ec2types.Route{GatewayId: aws.String("local"), Origin: "CreateRouteTable"}, "local", "local", "system"},
		{ec2types.Route{GatewayId: aws.String("igw-1"), Origin: "CreateRoute"}, "internet-gateway", "igw-1", "static"},
		{ec2types.Route{EgressOnlyInternetGatewayId: aws.String("eigw-1")}, "internet-gateway", "eigw-1", ""},
		{ec2types.Route{GatewayId: aws.String("vgw-1"), Origin: "EnableVgwRoutePropagation"}, "vpn-gateway", "vgw-1", "propagated"},
		{ec2types.Route{GatewayId: aws.String("vpce-1")}, "endpoint", "vpce-1", ""},
		{ec2types.Route{GatewayId: aws.String("cagw-1")}, "other", "cagw-1", ""},
		{ec2types.Route{VpcPeeringConnectionId: aws.String("pcx-1")}, "peering", "pcx-1", ""},
		{ec2types.Route{TransitGatewayId: aws.String("tgw-1")}, "hub", "tgw-1", ""},
		{ec2types.Route{NatGatewayId: aws.String("nat-1")}, "nat-gateway", "nat-1", ""},
		{ec2types.Route{InstanceId: aws.String("i-1"), NetworkInterfaceId: aws.String("eni-1")}, "interface", "eni-1", ""},
		{ec2types.Route{InstanceId: aws.String("i-1")}, "interface", "i-1", ""},
		{ec2types.Route{CarrierGatewayId: aws.String("cagw-2")}, "other", "cagw-2", ""},
		{ec2types.Route{CoreNetworkArn: aws.String("arn:aws:networkmanager::1:core-network/cn-1")}, "other", "arn:aws:networkmanager::1:core-network/cn-1", ""},
		{ec2types.Route{IpAddress: aws.String("10.0.0.9"), Origin: "Advertisement"}, "other", "10.0.0.9", "propagated"},
		{ec2types.Route{}, "other", "", ""},
	} {
		u := &unit{account: "111111111111", region: "us-east-1", scope: snapshot.Scope{Status: snapshot.ScopeOK}}
		tc.route.DestinationCidrBlock = aws.String("10.1.0.0/16")
		got := vpcRoute(u, "rtb-1", tc.route)
		if got.TargetKind != tc.kind || got.TargetID != tc.id || got.Origin != tc.origin {
			t.Errorf("%+v: got %s %s %s, want %s %s %s", tc.route, got.TargetKind, got.TargetID, got.Origin, tc.kind, tc.id, tc.origin)
		}
	}
}

// TestEC2RouteUnknownState: a route state the model has no word for is kept with no
// state and the scope says so, instead of passing for active.
func TestEC2RouteUnknownState(t *testing.T) {
	t.Parallel()
	u := &unit{account: "111111111111", region: "us-east-1", scope: snapshot.Scope{Status: snapshot.ScopeOK}}
	got := vpcRoute(u, "rtb-1", ec2types.Route{DestinationCidrBlock: aws.String("10.1.0.0/16"), IpAddress: aws.String("10.0.0.9"), State: "filtered", Origin: "Advertisement"})
	if got.State != "" || got.Destination != "10.1.0.0/16" {
		t.Errorf("route %+v, want destination kept and state empty", got)
	}
	if u.scope.Status != snapshot.ScopePartial || len(u.scope.Errors) != 1 || u.scope.Errors[0].Operation != "DescribeRouteTables" {
		t.Errorf("scope %s, want partial on DescribeRouteTables", u.scope.Problem())
	}

	u = &unit{account: "111111111111", region: "us-east-1", scope: snapshot.Scope{Status: snapshot.ScopeOK}}
	hr := hubRoute(u, "tgw-rtb-1", ec2types.TransitGatewayRoute{DestinationCidrBlock: aws.String("10.1.0.0/16"), Type: "system", State: "active"})
	if hr.Type != "" || hr.State != "active" || u.scope.Status != snapshot.ScopePartial {
		t.Errorf("TGW route %+v, scope %s: want type empty, state active, scope partial", hr, u.scope.Problem())
	}
}

func TestEC2Protocols(t *testing.T) {
	t.Parallel()
	i := func(n int32) *int32 { return &n }
	all := []snapshot.PortRange{{From: 0, To: 65535}}
	for _, tc := range []struct {
		proto    string
		from, to *int32
		want     string
		ports    []snapshot.PortRange
	}{
		{"-1", i(-1), i(-1), "all", all},
		{"-1", nil, nil, "all", all},
		{"6", i(443), i(443), "tcp", []snapshot.PortRange{{From: 443, To: 443}}},
		{"TCP", i(0), i(65535), "tcp", all},
		{"tcp", i(-1), i(-1), "tcp", all},
		{"17", i(53), i(53), "udp", []snapshot.PortRange{{From: 53, To: 53}}},
		{"udp", nil, nil, "udp", all},
		{"1", i(8), i(0), "icmp", nil},
		{"58", i(-1), i(-1), "icmpv6", nil},
		{"icmpv6", i(128), i(-1), "icmpv6", nil},
		{"50", i(-1), i(-1), "50", all},
		{"132", i(3868), i(3868), "132", all},
	} {
		got := ec2Protocol(tc.proto)
		ports := ec2Ports(got, tc.from, tc.to)
		if got != tc.want || !slices.Equal(ports, tc.ports) {
			t.Errorf("protocol %q ports %v-%v: got %q %v, want %q %v", tc.proto, tc.from, tc.to, got, ports, tc.want, tc.ports)
		}
	}
}

func TestEC2ENIAttachment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		region string
		eni    ec2types.NetworkInterface
		want   snapshot.Attachment
	}{
		{"eu-west-1", ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-1"), OwnerId: aws.String("222222222222"),
			Description: aws.String("ELB app/my-alb/0123456789abcdef")},
			snapshot.Attachment{Kind: "load-balancer", ID: "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/my-alb/0123456789abcdef"}},
		{"cn-north-1", ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-2"), InterfaceType: "network_load_balancer",
			Description: aws.String("ELB net/my-nlb/0123456789abcdef")},
			snapshot.Attachment{Kind: "load-balancer", ID: "arn:aws-cn:elasticloadbalancing:cn-north-1:111111111111:loadbalancer/net/my-nlb/0123456789abcdef"}},
		// A Classic Load Balancer has no ELBv2 ARN: the interface stands for it.
		{"us-east-1", ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-3"), Description: aws.String("ELB my-classic-lb")},
			snapshot.Attachment{Kind: "interface", ID: "eni-3"}},
		{"us-east-1", ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-4"), InterfaceType: "vpc_endpoint",
			Description: aws.String("VPC Endpoint Interface vpce-0123456789abcdef0")},
			snapshot.Attachment{Kind: "endpoint", ID: "vpce-0123456789abcdef0"}},
		{"us-east-1", ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-5"), InterfaceType: "vpc_endpoint"},
			snapshot.Attachment{Kind: "interface", ID: "eni-5"}},
		{"us-east-1", ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-6"),
			Description: aws.String("Network interface for resource gateway rgw-0123456789abcdef0")},
			snapshot.Attachment{Kind: "resource-gateway", ID: "rgw-0123456789abcdef0"}},
	} {
		u := &unit{account: "111111111111", region: tc.region}
		if got := eniAttachment(u, tc.eni); got != tc.want {
			t.Errorf("%s %q: got %+v, want %+v", tc.region, str(tc.eni.Description), got, tc.want)
		}
	}
}

// TestEC2SnapshotValid checks that what every EC2 unit collects from the recorded
// region is a valid snapshot: the schema's enums, parsable CIDRs, unique ids.
func TestEC2SnapshotValid(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, ec2Manifest)
	s := &snapshot.Snapshot{}
	for _, svc := range ec2Services {
		u, _ := runService(t, srv, svc, "111111111111", "us-east-1")
		s.Merge(&u.out)
		s.Scopes = append(s.Scopes, u.scope)
	}
	data, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Parse("ec2.json", data); err != nil {
		t.Errorf("the EC2 units' snapshot does not validate: %v", err)
	}
	if len(s.Networks) == 0 || len(s.HubRouteTables) == 0 || len(s.Firewalls) == 0 || len(s.PrefixLists) == 0 {
		t.Errorf("collections missing from the merged snapshot")
	}
}
