package aws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/vpclattice"
	lattypes "github.com/aws/aws-sdk-go-v2/service/vpclattice/types"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// latticeServices are the services of private endpoints: VPC Lattice resource gateways
// and resource configurations, and the RAM shares that give them to Konnect.
var latticeServices = []service{latticeService, ramService}

// latticeService reads the resource gateways and resource configurations of a region.
//
// Not read, because the snapshot has no place for them yet: the service network
// resource associations (ListServiceNetworkResourceAssociations) and the resource
// endpoint associations (ListResourceEndpointAssociations, the consumers' VPC endpoints,
// Konnect's among them). Both are per-configuration calls; add them with a model field.
var latticeService = service{
	name:        "lattice",
	collections: []string{"private_endpoints", "resource_gateways"},
	actions: []string{
		"vpc-lattice:GetResourceConfiguration",
		"vpc-lattice:ListResourceConfigurations",
		"vpc-lattice:ListResourceGateways",
	},
	run: func(ctx context.Context, u *unit) { collectLattice(ctx, u, vpclattice.NewFromConfig(u.cfg)) },
}

// latticeAPI is what the collector calls on VPC Lattice (the SDK client satisfies it).
type latticeAPI interface {
	vpclattice.ListResourceGatewaysAPIClient
	vpclattice.ListResourceConfigurationsAPIClient
	GetResourceConfiguration(ctx context.Context, in *vpclattice.GetResourceConfigurationInput, optFns ...func(*vpclattice.Options)) (*vpclattice.GetResourceConfigurationOutput, error)
}

// collectLattice lists the resource gateways (their summaries carry the VPC, subnets and
// security groups, so GetResourceGateway is not needed) and the resource configurations,
// then reads each configuration the account owns with GetResourceConfiguration: the
// summaries lack the definition, port ranges, protocol and onward-sharing flag.
//
// ListResourceConfigurations also lists configurations other accounts share with this
// one; they are left out here (they are their owner's, collected in its scan, and
// Konnect's side is what this account shares, not what it consumes).
//
// ChildIDs of a GROUP are its CHILD configurations, found by their group id in the
// same list. ShareIDs stay empty: the shares are another unit's (RAM), and rules join
// through shares.resource_ids.
func collectLattice(ctx context.Context, u *unit, c latticeAPI) {
	var gateways []snapshot.ResourceGateway
	done := make(chan struct{})
	go func(ctx context.Context) {
		defer close(done)
		gateways = resourceGateways(ctx, u, c)
	}(ctx)
	defer func() {
		<-done
		u.out.ResourceGateways = append(u.out.ResourceGateways, gateways...)
	}()

	var summaries []lattypes.ResourceConfigurationSummary
	p := vpclattice.NewListResourceConfigurationsPaginator(c, &vpclattice.ListResourceConfigurationsInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		ctx = after(ctx)
		if err != nil {
			u.fail("ListResourceConfigurations", err)
			return
		}
		for _, s := range out.Items {
			if owner := arnAccount(str(s.Arn)); owner != "" && owner != u.account {
				continue
			}
			summaries = append(summaries, s)
		}
	}

	children := map[string][]string{}
	for _, s := range summaries {
		if g := str(s.ResourceConfigurationGroupId); g != "" {
			children[g] = append(children[g], str(s.Id))
		}
	}
	eps := make([]snapshot.PrivateEndpoint, len(summaries))
	for i, s := range summaries {
		eps[i] = snapshot.PrivateEndpoint{
			Entity:            snapshot.Entity{ID: str(s.Id), Provider: "aws", Account: u.account, Region: u.region, Name: str(s.Name)},
			Kind:              "aws-lattice-resource-configuration",
			Type:              string(s.Type),
			ParentID:          str(s.ResourceConfigurationGroupId),
			ChildIDs:          children[str(s.Id)],
			ResourceGatewayID: str(s.ResourceGatewayId),
			State:             string(s.Status),
		}
	}
	u.forEach(ctx, len(eps), func(ctx context.Context, i int) { resourceConfiguration(ctx, u, c, &eps[i]) })
	u.out.PrivateEndpoints = append(u.out.PrivateEndpoints, eps...)
}

// resourceGateways lists the resource gateways; nil when the listing failed.
func resourceGateways(ctx context.Context, u *unit, c latticeAPI) []snapshot.ResourceGateway {
	var gateways []snapshot.ResourceGateway
	p := vpclattice.NewListResourceGatewaysPaginator(c, &vpclattice.ListResourceGatewaysInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		ctx = after(ctx)
		if err != nil {
			u.fail("ListResourceGateways", err)
			return nil
		}
		for _, g := range out.Items {
			gateways = append(gateways, snapshot.ResourceGateway{
				Entity:        snapshot.Entity{ID: str(g.Id), Provider: "aws", Account: u.account, Region: u.region, Name: str(g.Name)},
				NetworkID:     str(g.VpcIdentifier),
				SubnetIDs:     g.SubnetIds,
				FirewallIDs:   g.SecurityGroupIds,
				IPAddressType: string(g.IpAddressType),
				State:         string(g.Status),
			})
		}
	}
	return gateways
}

// resourceConfiguration fills what only GetResourceConfiguration gives: the
// definition, port ranges, protocol and the onward-sharing flag.
func resourceConfiguration(ctx context.Context, u *unit, c latticeAPI, ep *snapshot.PrivateEndpoint) {
	out, err := c.GetResourceConfiguration(ctx, &vpclattice.GetResourceConfigurationInput{ResourceConfigurationIdentifier: aws.String(ep.ID)})
	if err != nil {
		u.fail("GetResourceConfiguration", err)
		return
	}
	ep.PortRanges = out.PortRanges
	ep.Protocol = string(out.Protocol)
	ep.AllowOnwardSharing = aws.ToBool(out.AllowAssociationToShareableServiceNetwork)
	if out.ResourceGatewayId != nil {
		ep.ResourceGatewayID = str(out.ResourceGatewayId)
	}
	if out.ResourceConfigurationDefinition == nil {
		return
	}
	def, err := endpointDefinition(out.ResourceConfigurationDefinition)
	if err != nil {
		u.partial("GetResourceConfiguration", snapshot.ClassOther, fmt.Sprintf("%s: %v", ep.ID, err))
		return
	}
	ep.Definition = def
}

// endpointDefinition is the snapshot form of a resource definition union.
func endpointDefinition(d lattypes.ResourceConfigurationDefinition) (*snapshot.EndpointDefinition, error) {
	switch v := d.(type) {
	case *lattypes.ResourceConfigurationDefinitionMemberIpResource:
		return &snapshot.EndpointDefinition{Kind: "ip", Value: str(v.Value.IpAddress)}, nil
	case *lattypes.ResourceConfigurationDefinitionMemberDnsResource:
		return &snapshot.EndpointDefinition{Kind: "dns", Value: normHost(str(v.Value.DomainName))}, nil
	case *lattypes.ResourceConfigurationDefinitionMemberArnResource:
		return &snapshot.EndpointDefinition{Kind: "arn", Value: str(v.Value.Arn)}, nil
	case *lattypes.UnknownUnionMember:
		return nil, fmt.Errorf("resource definition of a kind this build does not know (%q), left out", v.Tag)
	default:
		return nil, fmt.Errorf("resource definition of an unexpected type %T, left out", d)
	}
}

// arnAccount is the account of an ARN, "" when s is not one.
func arnAccount(s string) string {
	a, err := arn.Parse(s)
	if err != nil {
		return ""
	}
	return a.AccountID
}

// resourceConfigID is the rcfg-… id of a resource configuration ARN
// (arn:aws:vpc-lattice:…:resourceconfiguration/rcfg-…), "" for any other ARN.
func resourceConfigID(s string) string {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "vpc-lattice" {
		return ""
	}
	id, ok := strings.CutPrefix(a.Resource, "resourceconfiguration/")
	if !ok || !strings.HasPrefix(id, "rcfg-") {
		return ""
	}
	return id
}
