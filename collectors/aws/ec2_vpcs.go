package aws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// ec2VPCAPI is what the VPC unit calls.
type ec2VPCAPI interface {
	ec2.DescribeVpcsAPIClient
	ec2.DescribeSubnetsAPIClient
	ec2.DescribeRouteTablesAPIClient
	ec2.DescribeDhcpOptionsAPIClient
}

// collectVPCs lists the VPCs, subnets, route tables and DHCP option sets at once (none
// needs another to be read) and joins them: a VPC's DNS servers come from its option
// set, a subnet's route table is its explicit association or else its VPC's main
// table, and the main table lists the subnets that use it implicitly as well.
func collectVPCs(ctx context.Context, u *unit, c ec2VPCAPI) {
	var (
		vpcs    []ec2types.Vpc
		subnets []ec2types.Subnet
		tables  []ec2types.RouteTable
		dhcp    = map[string][]string{} // option set id -> custom DNS servers
	)
	parallel(
		func() {
			ec2Pages(ctx, u, "DescribeVpcs", ec2.NewDescribeVpcsPaginator(c, &ec2.DescribeVpcsInput{}),
				func(out *ec2.DescribeVpcsOutput) { vpcs = append(vpcs, out.Vpcs...) })
		},
		func() {
			ec2Pages(ctx, u, "DescribeSubnets", ec2.NewDescribeSubnetsPaginator(c, &ec2.DescribeSubnetsInput{}),
				func(out *ec2.DescribeSubnetsOutput) { subnets = append(subnets, out.Subnets...) })
		},
		func() {
			ec2Pages(ctx, u, "DescribeRouteTables", ec2.NewDescribeRouteTablesPaginator(c, &ec2.DescribeRouteTablesInput{}),
				func(out *ec2.DescribeRouteTablesOutput) { tables = append(tables, out.RouteTables...) })
		},
		func() {
			ec2Pages(ctx, u, "DescribeDhcpOptions", ec2.NewDescribeDhcpOptionsPaginator(c, &ec2.DescribeDhcpOptionsInput{}),
				func(out *ec2.DescribeDhcpOptionsOutput) {
					for _, o := range out.DhcpOptions {
						dhcp[str(o.DhcpOptionsId)] = dnsServers(o)
					}
				})
		},
	)

	for _, v := range vpcs {
		n := snapshot.Network{
			Entity:     ec2Entity(u, str(v.VpcId), str(v.OwnerId), v.Tags),
			Kind:       "aws-vpc",
			CIDRs:      vpcCIDRs(v),
			DNSServers: dhcp[str(v.DhcpOptionsId)],
		}
		u.out.Networks = append(u.out.Networks, n)
	}

	// Route tables first: the subnets need their associations.
	explicit := map[string]string{} // subnet -> route table
	mainOf := map[string]int{}      // VPC -> index in out
	out := make([]snapshot.RouteTable, 0, len(tables))
	for _, t := range tables {
		rt := snapshot.RouteTable{
			Entity:    ec2Entity(u, str(t.RouteTableId), str(t.OwnerId), t.Tags),
			NetworkID: str(t.VpcId),
		}
		for _, a := range t.Associations {
			if a.AssociationState != nil && (a.AssociationState.State == ec2types.RouteTableAssociationStateCodeDisassociated ||
				a.AssociationState.State == ec2types.RouteTableAssociationStateCodeFailed) {
				continue
			}
			switch {
			case a.Main != nil && *a.Main:
				rt.Main = true
			case a.SubnetId != nil:
				rt.SubnetIDs = ec2AppendUnique(rt.SubnetIDs, str(a.SubnetId))
				explicit[str(a.SubnetId)] = rt.ID
			}
			// Gateway (edge) associations route traffic entering through an internet or
			// virtual private gateway; the model has no place for them.
		}
		for _, r := range t.Routes {
			rt.Routes = append(rt.Routes, vpcRoute(u, rt.ID, r))
		}
		if rt.Main {
			mainOf[rt.NetworkID] = len(out)
		}
		out = append(out, rt)
	}

	for _, s := range subnets {
		sn := snapshot.Subnet{
			Entity:    ec2Entity(u, str(s.SubnetId), str(s.OwnerId), s.Tags),
			NetworkID: str(s.VpcId),
			Zone:      str(s.AvailabilityZone),
		}
		sn.CIDRs = ec2AppendUnique(sn.CIDRs, str(s.CidrBlock))
		for _, b := range s.Ipv6CidrBlockAssociationSet {
			if b.Ipv6CidrBlockState == nil || b.Ipv6CidrBlockState.State == ec2types.SubnetCidrBlockStateCodeAssociated {
				sn.CIDRs = ec2AppendUnique(sn.CIDRs, str(b.Ipv6CidrBlock))
			}
		}
		if id, ok := explicit[sn.ID]; ok {
			sn.RouteTableID = id
		} else if i, ok := mainOf[sn.NetworkID]; ok {
			sn.RouteTableID = out[i].ID
			out[i].SubnetIDs = ec2AppendUnique(out[i].SubnetIDs, sn.ID)
		}
		u.out.Subnets = append(u.out.Subnets, sn)
	}
	u.out.RouteTables = append(u.out.RouteTables, out...)
}

// vpcCIDRs are the VPC's associated IPv4 and IPv6 blocks; blocks being added, removed
// or that failed are left out.
func vpcCIDRs(v ec2types.Vpc) []string {
	var out []string
	for _, b := range v.CidrBlockAssociationSet {
		if b.CidrBlockState == nil || b.CidrBlockState.State == ec2types.VpcCidrBlockStateCodeAssociated {
			out = ec2AppendUnique(out, str(b.CidrBlock))
		}
	}
	if len(v.CidrBlockAssociationSet) == 0 {
		out = ec2AppendUnique(out, str(v.CidrBlock))
	}
	for _, b := range v.Ipv6CidrBlockAssociationSet {
		if b.Ipv6CidrBlockState == nil || b.Ipv6CidrBlockState.State == ec2types.VpcCidrBlockStateCodeAssociated {
			out = ec2AppendUnique(out, str(b.Ipv6CidrBlock))
		}
	}
	return out
}

// dnsServers are the custom resolvers of a DHCP option set: its domain-name-servers
// without AmazonProvidedDNS (the default, which the model leaves empty).
func dnsServers(o ec2types.DhcpOptions) []string {
	var out []string
	for _, c := range o.DhcpConfigurations {
		if str(c.Key) != "domain-name-servers" {
			continue
		}
		for _, v := range c.Values {
			if s := str(v.Value); !strings.EqualFold(s, "AmazonProvidedDNS") {
				out = ec2AppendUnique(out, s)
			}
		}
	}
	return out
}

// vpcRoute is one route of route table id. A state the model has no word for (filtered,
// or one added later) is left empty and makes the scope partial, so the route is
// neither taken as active nor lost.
func vpcRoute(u *unit, id string, r ec2types.Route) snapshot.Route {
	out := snapshot.Route{PrefixListID: str(r.DestinationPrefixListId)}
	if out.PrefixListID == "" {
		out.Destination = str(r.DestinationCidrBlock)
		if out.Destination == "" {
			out.Destination = str(r.DestinationIpv6CidrBlock)
		}
	}
	out.TargetKind, out.TargetID = routeTarget(r)
	switch r.Origin {
	case ec2types.RouteOriginCreateRouteTable:
		out.Origin = "system"
	case ec2types.RouteOriginCreateRoute:
		out.Origin = "static"
	case ec2types.RouteOriginEnableVgwRoutePropagation, ec2types.RouteOriginAdvertisement:
		out.Origin = "propagated"
	default:
		out.Origin = strings.ToLower(string(r.Origin))
	}
	switch r.State {
	case ec2types.RouteStateActive, ec2types.RouteStateBlackhole, "":
		out.State = string(r.State)
	default:
		dest := out.Destination
		if dest == "" {
			dest = out.PrefixListID
		}
		u.partial("DescribeRouteTables", snapshot.ClassOther,
			fmt.Sprintf("route table %s: the route to %s via %s is in state %q, which the snapshot cannot record: its state is left unknown", id, dest, out.TargetID, r.State))
	}
	return out
}

// routeTarget is the kind and id of a route's target, from whichever target field is set.
func routeTarget(r ec2types.Route) (string, string) {
	switch {
	case r.VpcPeeringConnectionId != nil:
		return snapshot.TargetPeering, str(r.VpcPeeringConnectionId)
	case r.TransitGatewayId != nil:
		return snapshot.TargetHub, str(r.TransitGatewayId)
	case r.NatGatewayId != nil:
		return snapshot.TargetNAT, str(r.NatGatewayId)
	case r.EgressOnlyInternetGatewayId != nil:
		return snapshot.TargetInternet, str(r.EgressOnlyInternetGatewayId)
	case r.NetworkInterfaceId != nil:
		return snapshot.TargetInterface, str(r.NetworkInterfaceId)
	case r.InstanceId != nil:
		return snapshot.TargetInterface, str(r.InstanceId)
	case r.GatewayId != nil:
		id := str(r.GatewayId)
		switch {
		case id == "local":
			return snapshot.TargetLocal, id
		case strings.HasPrefix(id, "igw-"), strings.HasPrefix(id, "eigw-"):
			return snapshot.TargetInternet, id
		case strings.HasPrefix(id, "vgw-"):
			return snapshot.TargetVPN, id
		case strings.HasPrefix(id, "vpce-"):
			return snapshot.TargetEndpoint, id
		}
		return snapshot.TargetOther, id
	case r.CarrierGatewayId != nil:
		return snapshot.TargetOther, str(r.CarrierGatewayId)
	case r.LocalGatewayId != nil:
		return snapshot.TargetOther, str(r.LocalGatewayId)
	case r.CoreNetworkArn != nil:
		return snapshot.TargetOther, str(r.CoreNetworkArn)
	case r.OdbNetworkArn != nil:
		return snapshot.TargetOther, str(r.OdbNetworkArn)
	case r.IpAddress != nil:
		return snapshot.TargetOther, str(r.IpAddress)
	}
	return snapshot.TargetOther, ""
}
