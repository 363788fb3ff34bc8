package aws

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// ec2SecurityGroupAPI is what the security group unit calls.
type ec2SecurityGroupAPI interface {
	ec2.DescribeSecurityGroupsAPIClient
	ec2.DescribeSecurityGroupRulesAPIClient
	ec2.DescribeNetworkInterfacesAPIClient
}

// collectSecurityGroups lists the security groups, their rules (flat, one per peer,
// with referenced groups and prefix lists) and the network interfaces at once, and
// joins them: each group gets its rules and the resources whose interfaces use it.
func collectSecurityGroups(ctx context.Context, u *unit, c ec2SecurityGroupAPI) {
	var (
		groups []ec2types.SecurityGroup
		rules  []ec2types.SecurityGroupRule
		enis   []ec2types.NetworkInterface
	)
	parallel(
		func() {
			ec2Pages(ctx, u, "DescribeSecurityGroups", ec2.NewDescribeSecurityGroupsPaginator(c, &ec2.DescribeSecurityGroupsInput{}),
				func(out *ec2.DescribeSecurityGroupsOutput) { groups = append(groups, out.SecurityGroups...) })
		},
		func() {
			ec2Pages(ctx, u, "DescribeSecurityGroupRules", ec2.NewDescribeSecurityGroupRulesPaginator(c, &ec2.DescribeSecurityGroupRulesInput{}),
				func(out *ec2.DescribeSecurityGroupRulesOutput) { rules = append(rules, out.SecurityGroupRules...) })
		},
		func() {
			ec2Pages(ctx, u, "DescribeNetworkInterfaces", ec2.NewDescribeNetworkInterfacesPaginator(c, &ec2.DescribeNetworkInterfacesInput{}),
				func(out *ec2.DescribeNetworkInterfacesOutput) { enis = append(enis, out.NetworkInterfaces...) })
		},
	)

	out := make([]snapshot.Firewall, 0, len(groups))
	index := map[string]int{}
	group := func(id, owner string) *snapshot.Firewall {
		if i, ok := index[id]; ok {
			return &out[i]
		}
		// A group whose rules were listed but not the group itself (created between
		// the two calls, or DescribeSecurityGroups failed): keep its rules.
		index[id] = len(out)
		out = append(out, snapshot.Firewall{Entity: ec2Entity(u, id, owner, nil), Kind: "aws-security-group", Stateful: true})
		return &out[len(out)-1]
	}
	for _, g := range groups {
		fw := group(str(g.GroupId), str(g.OwnerId))
		fw.Entity = ec2Entity(u, fw.ID, str(g.OwnerId), g.Tags)
		if fw.Name == "" {
			fw.Name = str(g.GroupName)
		}
		fw.NetworkID = str(g.VpcId)
	}
	for _, r := range rules {
		fw := group(str(r.GroupId), str(r.GroupOwnerId))
		fw.Rules = append(fw.Rules, securityGroupRule(r))
	}
	for _, n := range enis {
		a := eniAttachment(u, n)
		for _, g := range n.Groups {
			fw := group(str(g.GroupId), "")
			if !slices.Contains(fw.AttachedTo, a) {
				fw.AttachedTo = append(fw.AttachedTo, a)
			}
		}
	}
	u.out.Firewalls = append(u.out.Firewalls, out...)
}

// securityGroupRule is one flat security group rule. Its peer is exactly one of an
// IPv4 or IPv6 CIDR, a prefix list or a referenced group.
func securityGroupRule(r ec2types.SecurityGroupRule) snapshot.FirewallRule {
	proto := ec2Protocol(str(r.IpProtocol))
	out := snapshot.FirewallRule{
		ID:          str(r.SecurityGroupRuleId),
		Direction:   "ingress",
		Action:      "allow",
		Protocol:    proto,
		Ports:       ec2Ports(proto, r.FromPort, r.ToPort),
		Description: str(r.Description),
	}
	var peer []snapshot.Address
	switch {
	case r.CidrIpv4 != nil:
		peer = []snapshot.Address{{Kind: snapshot.AddrCIDR, Value: str(r.CidrIpv4)}}
	case r.CidrIpv6 != nil:
		peer = []snapshot.Address{{Kind: snapshot.AddrCIDR, Value: str(r.CidrIpv6)}}
	case r.PrefixListId != nil:
		peer = []snapshot.Address{{Kind: snapshot.AddrPrefixList, Value: str(r.PrefixListId)}}
	case r.ReferencedGroupInfo != nil:
		peer = []snapshot.Address{{Kind: snapshot.AddrGroup, Value: str(r.ReferencedGroupInfo.GroupId)}}
	}
	if aws.ToBool(r.IsEgress) {
		out.Direction = "egress"
		out.Destinations = peer
	} else {
		out.Sources = peer
	}
	return out
}

// lbDescription reads the description EC2 gives an ELBv2 load balancer's interfaces:
// "ELB app/<name>/<id>" (net/ for NLBs, gwy/ for gateway load balancers).
var lbDescription = regexp.MustCompile(`^ELB ((?:app|net|gwy)/[^/\s]+/[0-9a-f]+)$`)

// endpointID and resourceGatewayID find a VPC endpoint or VPC Lattice resource gateway
// id in an interface's description.
var (
	endpointID        = regexp.MustCompile(`\bvpce-[0-9a-f]+\b`)
	resourceGatewayID = regexp.MustCompile(`\brgw-[0-9a-z]{17}\b`)
)

// eniAttachment is what a network interface stands for as a security group's
// attachment: an ELBv2 load balancer (its ARN, as the ELBv2 unit names it), a VPC
// endpoint, a resource gateway, or else the interface itself. Only the interface's
// description says which load balancer or endpoint it belongs to; when it does not,
// the interface is named.
func eniAttachment(u *unit, n ec2types.NetworkInterface) snapshot.Attachment {
	desc := str(n.Description)
	if m := lbDescription.FindStringSubmatch(desc); m != nil {
		owner := str(n.OwnerId)
		if !ec2IsAccountID(owner) {
			owner = u.account
		}
		return snapshot.Attachment{Kind: "load-balancer", ID: "arn:" + partitionOf(u.region) + ":elasticloadbalancing:" + u.region + ":" + owner + ":loadbalancer/" + m[1]}
	}
	if n.InterfaceType == ec2types.NetworkInterfaceTypeVpcEndpoint {
		if id := endpointID.FindString(desc); id != "" {
			return snapshot.Attachment{Kind: "endpoint", ID: id}
		}
	}
	if id := resourceGatewayID.FindString(desc); id != "" {
		return snapshot.Attachment{Kind: "resource-gateway", ID: id}
	}
	return snapshot.Attachment{Kind: "interface", ID: str(n.NetworkInterfaceId)}
}

// partitionOf is the ARN partition of an AWS region.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	}
	return "aws"
}

// ec2NetworkACLAPI is what the network ACL unit calls.
type ec2NetworkACLAPI interface {
	ec2.DescribeNetworkAclsAPIClient
}

// collectNetworkACLs lists the network ACLs: stateless firewalls of subnets, their
// entries in rule-number order of evaluation (Priority), allow and deny. The subnets an
// ACL applies to are its attachments (the subnets themselves belong to the VPC unit).
func collectNetworkACLs(ctx context.Context, u *unit, c ec2NetworkACLAPI) {
	ec2Pages(ctx, u, "DescribeNetworkAcls", ec2.NewDescribeNetworkAclsPaginator(c, &ec2.DescribeNetworkAclsInput{}),
		func(out *ec2.DescribeNetworkAclsOutput) {
			for _, acl := range out.NetworkAcls {
				u.out.Firewalls = append(u.out.Firewalls, networkACL(u, acl))
			}
		})
}

// networkACL is one network ACL.
func networkACL(u *unit, acl ec2types.NetworkAcl) snapshot.Firewall {
	fw := snapshot.Firewall{
		Entity:    ec2Entity(u, str(acl.NetworkAclId), str(acl.OwnerId), acl.Tags),
		Kind:      "aws-network-acl",
		NetworkID: str(acl.VpcId),
	}
	for _, a := range acl.Associations {
		if id := str(a.SubnetId); id != "" {
			fw.AttachedTo = append(fw.AttachedTo, snapshot.Attachment{Kind: "subnet", ID: id})
		}
	}
	for _, e := range acl.Entries {
		proto := ec2Protocol(str(e.Protocol))
		r := snapshot.FirewallRule{
			Direction: "ingress",
			Action:    strings.ToLower(string(e.RuleAction)),
			Priority:  int(aws.ToInt32(e.RuleNumber)),
			Protocol:  proto,
		}
		if pr := e.PortRange; pr != nil {
			r.Ports = ec2Ports(proto, pr.From, pr.To)
		} else {
			r.Ports = ec2Ports(proto, nil, nil)
		}
		cidr := str(e.CidrBlock)
		if cidr == "" {
			cidr = str(e.Ipv6CidrBlock)
		}
		peer := []snapshot.Address{{Kind: snapshot.AddrCIDR, Value: cidr}}
		if aws.ToBool(e.Egress) {
			r.Direction = "egress"
			r.Destinations = peer
		} else {
			r.Sources = peer
		}
		fw.Rules = append(fw.Rules, r)
	}
	return fw
}
