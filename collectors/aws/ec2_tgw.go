package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// ec2TGWAPI is what the transit gateway unit calls.
type ec2TGWAPI interface {
	ec2.DescribeTransitGatewaysAPIClient
	ec2.DescribeTransitGatewayAttachmentsAPIClient
	ec2.DescribeTransitGatewayRouteTablesAPIClient
	ec2.GetTransitGatewayRouteTablePropagationsAPIClient
	ec2.SearchTransitGatewayRoutesAPIClient
}

// collectTransitGateways lists the transit gateways, their attachments and route tables
// at once, then reads each route table's propagations and routes (two independent
// per-table reads, all within the unit's fan-out), and fills each attachment's
// propagated route tables from the propagations. A table's associations come from the
// attachment list, which names each attachment's associated table: no
// GetTransitGatewayRouteTableAssociations call per table is needed for them.
//
// Route tables are visible only to the transit gateway's owner: DescribeTransitGatewayRouteTables
// lists none for a gateway shared with this account, so nothing is called for them, and
// the owner account's scan is where they come from.
//
// Every route is read with SearchTransitGatewayRoutes filtered on state active and
// blackhole (the API requires a filter; those two states are every route in use).
// AdditionalRoutesAvailable on the last page means EC2 kept routes back: the table is
// marked Truncated and the scope partial, never taken as having no more routes.
func collectTransitGateways(ctx context.Context, u *unit, c ec2TGWAPI) {
	var (
		gateways    []ec2types.TransitGateway
		attachments []ec2types.TransitGatewayAttachment
		tables      []ec2types.TransitGatewayRouteTable
		tablesCtx   = ctx
	)
	parallel(
		func() {
			ec2Pages(ctx, u, "DescribeTransitGateways", ec2.NewDescribeTransitGatewaysPaginator(c, &ec2.DescribeTransitGatewaysInput{}),
				func(out *ec2.DescribeTransitGatewaysOutput) { gateways = append(gateways, out.TransitGateways...) })
		},
		func() {
			ec2Pages(ctx, u, "DescribeTransitGatewayAttachments",
				ec2.NewDescribeTransitGatewayAttachmentsPaginator(c, &ec2.DescribeTransitGatewayAttachmentsInput{}),
				func(out *ec2.DescribeTransitGatewayAttachmentsOutput) {
					attachments = append(attachments, out.TransitGatewayAttachments...)
				})
		},
		func() {
			tablesCtx, _ = ec2Pages(ctx, u, "DescribeTransitGatewayRouteTables",
				ec2.NewDescribeTransitGatewayRouteTablesPaginator(c, &ec2.DescribeTransitGatewayRouteTablesInput{}),
				func(out *ec2.DescribeTransitGatewayRouteTablesOutput) {
					for _, t := range out.TransitGatewayRouteTables {
						// A deleted table is still listed for a while; it has nothing to read.
						if t.State != ec2types.TransitGatewayRouteTableStateDeleted {
							tables = append(tables, t)
						}
					}
				})
		},
	)

	for _, g := range gateways {
		u.out.Hubs = append(u.out.Hubs, hub(u, g))
	}

	out := make([]snapshot.HubRouteTable, len(tables))
	for i, t := range tables {
		out[i] = snapshot.HubRouteTable{
			Entity:  ec2Entity(u, str(t.TransitGatewayRouteTableId), "", t.Tags),
			HubID:   str(t.TransitGatewayId),
			Default: aws.ToBool(t.DefaultAssociationRouteTable),
		}
	}
	// Two reads per table, each writing only its own field of its own table.
	u.forEach(tablesCtx, 2*len(out), func(ctx context.Context, i int) {
		t := &out[i/2]
		if i%2 == 0 {
			t.Propagations = tgwPropagations(ctx, u, c, t.ID)
		} else {
			t.Routes, t.Truncated = tgwRoutes(ctx, u, c, t.ID)
		}
	})

	index := make(map[string]int, len(out))
	for i, t := range out {
		index[t.ID] = i
	}
	propagated := map[string][]string{} // attachment -> route tables it propagates to
	for _, t := range out {
		for _, a := range t.Propagations {
			propagated[a] = append(propagated[a], t.ID)
		}
	}
	for _, a := range attachments {
		ha := hubAttachment(u, a)
		ha.PropagatedRouteTableIDs = propagated[ha.ID]
		if i, ok := index[ha.AssociatedRouteTableID]; ok {
			out[i].Associations = ec2AppendUnique(out[i].Associations, ha.ID)
		}
		u.out.HubAttachments = append(u.out.HubAttachments, ha)
	}
	u.out.HubRouteTables = append(u.out.HubRouteTables, out...)
}

// hub is a transit gateway with its options.
func hub(u *unit, g ec2types.TransitGateway) snapshot.Hub {
	h := snapshot.Hub{
		Entity: ec2Entity(u, str(g.TransitGatewayId), str(g.OwnerId), g.Tags),
		Kind:   "aws-transit-gateway",
		State:  string(g.State),
	}
	if o := g.Options; o != nil {
		h.CIDRs = o.TransitGatewayCidrBlocks
		h.DefaultRouteTableAssociation = o.DefaultRouteTableAssociation == ec2types.DefaultRouteTableAssociationValueEnable
		h.DefaultRouteTablePropagation = o.DefaultRouteTablePropagation == ec2types.DefaultRouteTablePropagationValueEnable
		h.AutoAcceptSharedAttachments = o.AutoAcceptSharedAttachments == ec2types.AutoAcceptSharedAttachmentsValueEnable
		h.AssociationDefaultRouteTableID = str(o.AssociationDefaultRouteTableId)
		h.PropagationDefaultRouteTableID = str(o.PropagationDefaultRouteTableId)
	}
	return h
}

// hubAttachmentKinds maps TGW attachment resource types to the model's kinds; others
// (network-function, client-vpn, …) are "other".
var hubAttachmentKinds = map[ec2types.TransitGatewayAttachmentResourceType]string{
	ec2types.TransitGatewayAttachmentResourceTypeVpc:                  "vpc",
	ec2types.TransitGatewayAttachmentResourceTypeVpn:                  "vpn",
	ec2types.TransitGatewayAttachmentResourceTypeVpnConcentrator:      "vpn",
	ec2types.TransitGatewayAttachmentResourceTypeDirectConnectGateway: "direct-connect",
	ec2types.TransitGatewayAttachmentResourceTypePeering:              "peering",
	ec2types.TransitGatewayAttachmentResourceTypeTgwPeering:           "peering",
	ec2types.TransitGatewayAttachmentResourceTypeConnect:              "connect",
}

// hubAttachment is a TGW attachment. Its entity account is the gateway's owner (the
// account that sees its route tables); OwnerAccount is the attached resource's owner.
// Its associated route table is the one its association names, unless that
// association is already disassociated.
func hubAttachment(u *unit, a ec2types.TransitGatewayAttachment) snapshot.HubAttachment {
	out := snapshot.HubAttachment{
		Entity:       ec2Entity(u, str(a.TransitGatewayAttachmentId), str(a.TransitGatewayOwnerId), a.Tags),
		HubID:        str(a.TransitGatewayId),
		Kind:         hubAttachmentKinds[a.ResourceType],
		OwnerAccount: str(a.ResourceOwnerId),
		State:        string(a.State),
	}
	if out.Kind == "" {
		out.Kind = "other"
	}
	if out.Kind == "vpc" {
		out.NetworkID = str(a.ResourceId)
	}
	if as := a.Association; as != nil && as.State != ec2types.TransitGatewayAssociationStateDisassociated {
		out.AssociatedRouteTableID = str(as.TransitGatewayRouteTableId)
	}
	return out
}

// tgwPropagations are the attachments propagating into route table id (not those
// whose propagation is disabled).
func tgwPropagations(ctx context.Context, u *unit, c ec2TGWAPI, id string) []string {
	var out []string
	ec2Pages(ctx, u, "GetTransitGatewayRouteTablePropagations",
		ec2.NewGetTransitGatewayRouteTablePropagationsPaginator(c, &ec2.GetTransitGatewayRouteTablePropagationsInput{TransitGatewayRouteTableId: aws.String(id)}),
		func(p *ec2.GetTransitGatewayRouteTablePropagationsOutput) {
			for _, a := range p.TransitGatewayRouteTablePropagations {
				if a.State != ec2types.TransitGatewayPropagationStateDisabled {
					out = ec2AppendUnique(out, str(a.TransitGatewayAttachmentId))
				}
			}
		})
	return out
}

// tgwRoutes are the active and blackhole routes of route table id, and whether they are
// only part of them: EC2 said more routes were available after its last page, or a page
// failed.
func tgwRoutes(ctx context.Context, u *unit, c ec2TGWAPI, id string) ([]snapshot.HubRoute, bool) {
	var (
		out  []snapshot.HubRoute
		more bool
	)
	in := &ec2.SearchTransitGatewayRoutesInput{
		TransitGatewayRouteTableId: aws.String(id),
		Filters:                    []ec2types.Filter{{Name: aws.String("state"), Values: []string{"active", "blackhole"}}},
	}
	_, ok := ec2Pages(ctx, u, "SearchTransitGatewayRoutes", ec2.NewSearchTransitGatewayRoutesPaginator(c, in),
		func(p *ec2.SearchTransitGatewayRoutesOutput) {
			more = aws.ToBool(p.AdditionalRoutesAvailable)
			for _, r := range p.Routes {
				out = append(out, hubRoute(u, id, r))
			}
		})
	if !ok {
		return out, true
	}
	if more {
		u.fail("SearchTransitGatewayRoutes", fmt.Errorf("%w: route table %s has more routes than EC2 returned (%d)", ErrTruncated, id, len(out)))
	}
	return out, more
}

// hubRoute is one TGW route. A type or state the model has no word for (type system,
// or values added later) is left empty and makes the scope partial.
func hubRoute(u *unit, table string, r ec2types.TransitGatewayRoute) snapshot.HubRoute {
	out := snapshot.HubRoute{
		Destination:  str(r.DestinationCidrBlock),
		PrefixListID: str(r.PrefixListId),
	}
	for _, a := range r.TransitGatewayAttachments {
		out.AttachmentIDs = ec2AppendUnique(out.AttachmentIDs, str(a.TransitGatewayAttachmentId))
	}
	switch r.State {
	case ec2types.TransitGatewayRouteStateActive, ec2types.TransitGatewayRouteStateBlackhole:
		out.State = string(r.State)
	default: // the search asks for active and blackhole routes only
		u.partial("SearchTransitGatewayRoutes", snapshot.ClassOther,
			fmt.Sprintf("route table %s: the route to %s is in state %q, which the snapshot cannot record: its state is left unknown", table, out.Destination, r.State))
	}
	switch r.Type {
	case ec2types.TransitGatewayRouteTypeStatic, ec2types.TransitGatewayRouteTypePropagated, "":
		out.Type = string(r.Type)
	default:
		u.partial("SearchTransitGatewayRoutes", snapshot.ClassOther,
			fmt.Sprintf("route table %s: the route to %s has type %q, which the snapshot cannot record: its type is left unknown", table, out.Destination, r.Type))
	}
	return out
}
