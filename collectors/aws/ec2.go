package aws

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// ec2Services are the EC2 units of a region: VPCs with their subnets and route tables,
// peerings, transit gateways, security groups, network ACLs and managed prefix lists.
// Each is its own scope, so a denied operation (say DescribeNetworkAcls) leaves the
// others' collections usable.
//
// Pagination: no unit sets MaxResults, so each list is as few pages as EC2 returns
// (for the older Describe* calls, everything in one answer) and the paginators follow
// NextToken for the rest.
var ec2Services = []service{
	{
		name:        "ec2-vpcs",
		collections: []string{"networks", "subnets", "route_tables"},
		actions:     []string{"ec2:DescribeDhcpOptions", "ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeVpcs"},
		run:         func(ctx context.Context, u *unit) { collectVPCs(ctx, u, ec2.NewFromConfig(u.cfg)) },
	},
	{
		name:        "ec2-peerings",
		collections: []string{"peerings"},
		actions:     []string{"ec2:DescribeVpcPeeringConnections"},
		run:         func(ctx context.Context, u *unit) { collectPeerings(ctx, u, ec2.NewFromConfig(u.cfg)) },
	},
	{
		name:        "ec2-transit-gateways",
		collections: []string{"hubs", "hub_attachments", "hub_route_tables"},
		actions: []string{
			"ec2:DescribeTransitGatewayAttachments", "ec2:DescribeTransitGatewayRouteTables", "ec2:DescribeTransitGateways",
			"ec2:GetTransitGatewayRouteTablePropagations", "ec2:SearchTransitGatewayRoutes",
		},
		run: func(ctx context.Context, u *unit) { collectTransitGateways(ctx, u, ec2.NewFromConfig(u.cfg)) },
	},
	{
		name:        "ec2-security-groups",
		collections: []string{"firewalls"},
		actions:     []string{"ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups"},
		run:         func(ctx context.Context, u *unit) { collectSecurityGroups(ctx, u, ec2.NewFromConfig(u.cfg)) },
	},
	{
		name:        "ec2-network-acls",
		collections: []string{"firewalls"},
		actions:     []string{"ec2:DescribeNetworkAcls"},
		run:         func(ctx context.Context, u *unit) { collectNetworkACLs(ctx, u, ec2.NewFromConfig(u.cfg)) },
	},
	{
		name:        "ec2-prefix-lists",
		collections: []string{"prefix_lists"},
		actions:     []string{"ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"},
		run:         func(ctx context.Context, u *unit) { collectPrefixLists(ctx, u, ec2.NewFromConfig(u.cfg)) },
	},
}

// ec2Pager is an EC2 SDK paginator with output T.
type ec2Pager[T any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*ec2.Options)) (T, error)
}

// ec2Pages reads every page of p, each call one deeper than the one before, and hands
// each to f. It returns the context for calls that depend on the whole list and
// whether the list is complete; a failed page is recorded on u as operation op.
func ec2Pages[T any](ctx context.Context, u *unit, op string, p ec2Pager[T], f func(T)) (context.Context, bool) {
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		ctx = after(ctx)
		if err != nil {
			u.fail(op, err)
			return ctx, false
		}
		f(out)
	}
	return ctx, true
}

// ec2Entity is the Entity of an EC2 resource: its Name tag lifted out of its tags,
// and its owner's account when EC2 says whose it is (a shared transit gateway, subnet
// or prefix list seen from another account), so the merge can prefer the copy read in
// the owner's account. Without an owner (or "AWS" for AWS-managed lists) it is the
// unit's account.
func ec2Entity(u *unit, id, owner string, tags []ec2types.Tag) snapshot.Entity {
	e := snapshot.Entity{ID: id, Provider: "aws", Account: u.account, Region: u.region}
	if ec2IsAccountID(owner) {
		e.Account = owner
	}
	for _, t := range tags {
		k, v := aws.ToString(t.Key), aws.ToString(t.Value)
		if k == "Name" {
			e.Name = v
			continue
		}
		if e.Tags == nil {
			e.Tags = make(map[string]string, len(tags))
		}
		e.Tags[k] = v
	}
	return e
}

// ec2IsAccountID reports whether s is a 12-digit AWS account id.
func ec2IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ec2AppendUnique appends the non-empty values of vs that out does not hold yet.
func ec2AppendUnique(out []string, vs ...string) []string {
	for _, v := range vs {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// ec2Protocol normalizes an EC2 IP protocol (security group rules, network ACL
// entries): "-1" is all, the numbers of TCP, UDP, ICMP and ICMPv6 are their names,
// other numbers stay numbers (snapshot.NormalizeProtocol).
func ec2Protocol(p string) string { return snapshot.NormalizeProtocol(p) }

// ec2AllPorts is the port ranges of a rule that matches every port.
func ec2AllPorts() []snapshot.PortRange { return []snapshot.PortRange{{From: 0, To: 65535}} }

// ec2Ports is the port ranges of a rule with the normalized protocol proto and EC2's
// from/to. EC2 matches every port for all protocols and for protocols other than TCP,
// UDP, ICMP and ICMPv6 whatever the range says; -1 (or no range) on TCP/UDP is every
// port too. ICMP's from/to are its type and code, not ports: no ranges.
func ec2Ports(proto string, from, to *int32) []snapshot.PortRange {
	switch proto {
	case "icmp", "icmpv6":
		return nil
	case "tcp", "udp":
		if from == nil || to == nil || *from < 0 || *to < 0 {
			return ec2AllPorts()
		}
		return []snapshot.PortRange{{From: int(min(*from, 65535)), To: int(min(*to, 65535))}}
	}
	return ec2AllPorts()
}

// ec2PrefixLists is what the prefix-list unit calls.
type ec2PrefixListAPI interface {
	ec2.DescribeManagedPrefixListsAPIClient
	ec2.GetManagedPrefixListEntriesAPIClient
}

// collectPrefixLists lists the managed prefix lists the account can see (its own, the
// ones shared with it and AWS's) and then, per list, its entries at the current
// version. AWS-managed lists are marked: they are as wide as AWS's own ranges.
func collectPrefixLists(ctx context.Context, u *unit, c ec2PrefixListAPI) {
	var lists []snapshot.PrefixList
	ctx, _ = ec2Pages(ctx, u, "DescribeManagedPrefixLists",
		ec2.NewDescribeManagedPrefixListsPaginator(c, &ec2.DescribeManagedPrefixListsInput{}),
		func(out *ec2.DescribeManagedPrefixListsOutput) {
			for _, pl := range out.PrefixLists {
				e := ec2Entity(u, str(pl.PrefixListId), str(pl.OwnerId), pl.Tags)
				if e.Name == "" {
					e.Name = str(pl.PrefixListName)
				}
				lists = append(lists, snapshot.PrefixList{Entity: e, AWSManaged: str(pl.OwnerId) == "AWS"})
			}
		})
	u.forEach(ctx, len(lists), func(ctx context.Context, i int) {
		pl := &lists[i]
		ec2Pages(ctx, u, "GetManagedPrefixListEntries",
			ec2.NewGetManagedPrefixListEntriesPaginator(c, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(pl.ID)}),
			func(out *ec2.GetManagedPrefixListEntriesOutput) {
				for _, e := range out.Entries {
					pl.CIDRs = ec2AppendUnique(pl.CIDRs, str(e.Cidr))
				}
			})
	})
	u.out.PrefixLists = append(u.out.PrefixLists, lists...)
}

// ec2PeeringAPI is what the peering unit calls.
type ec2PeeringAPI interface {
	ec2.DescribeVpcPeeringConnectionsAPIClient
}

// collectPeerings lists the VPC peering connections the account requested or accepted,
// each seen from its local side: the scanned account's VPC in the scanned region.
// EC2 returns a side's CIDRs only while the peering is active, so a pending or failed
// peering has sides without CIDRs: they stay empty (unknown, not "no ranges").
func collectPeerings(ctx context.Context, u *unit, c ec2PeeringAPI) {
	ec2Pages(ctx, u, "DescribeVpcPeeringConnections",
		ec2.NewDescribeVpcPeeringConnectionsPaginator(c, &ec2.DescribeVpcPeeringConnectionsInput{}),
		func(out *ec2.DescribeVpcPeeringConnectionsOutput) {
			for _, p := range out.VpcPeeringConnections {
				u.out.Peerings = append(u.out.Peerings, peering(u, p))
			}
		})
}

// peering is p seen from u's side.
func peering(u *unit, p ec2types.VpcPeeringConnection) snapshot.Peering {
	req, acc := peeringSide(p.RequesterVpcInfo), peeringSide(p.AccepterVpcInfo)
	local, remote := req, acc
	mine := func(s snapshot.PeeringSide) bool {
		return s.Account == u.account && (s.Region == "" || s.Region == u.region)
	}
	if !mine(req) && (mine(acc) || acc.Account == u.account) {
		local, remote = acc, req
	}
	out := snapshot.Peering{
		Entity: ec2Entity(u, str(p.VpcPeeringConnectionId), "", p.Tags),
		Kind:   snapshot.PeeringAWS,
		Local:  local,
		Remote: remote,
	}
	if p.Status != nil {
		out.State = string(p.Status.Code)
	}
	return out
}

// peeringSide is one side of a peering with every IPv4 and IPv6 block EC2 reports.
func peeringSide(v *ec2types.VpcPeeringConnectionVpcInfo) snapshot.PeeringSide {
	if v == nil {
		return snapshot.PeeringSide{}
	}
	s := snapshot.PeeringSide{NetworkID: str(v.VpcId), Account: str(v.OwnerId), Region: str(v.Region)}
	for _, b := range v.CidrBlockSet {
		s.CIDRs = ec2AppendUnique(s.CIDRs, str(b.CidrBlock))
	}
	if len(v.CidrBlockSet) == 0 {
		s.CIDRs = ec2AppendUnique(s.CIDRs, str(v.CidrBlock))
	}
	for _, b := range v.Ipv6CidrBlockSet {
		s.CIDRs = ec2AppendUnique(s.CIDRs, str(b.Ipv6CidrBlock))
	}
	return s
}
