package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// ramService reads the resource shares the account owns in a region, with their
// principals and resources.
var ramService = service{
	name:        "ram",
	collections: []string{"shares"},
	actions: []string{
		"ram:GetResourceShares",
		"ram:ListPrincipals",
		"ram:ListResources",
	},
	run: func(ctx context.Context, u *unit) { collectRAM(ctx, u, ram.NewFromConfig(u.cfg)) },
}

// ramAPI is what the collector calls on RAM (the SDK client satisfies it).
type ramAPI interface {
	ram.GetResourceSharesAPIClient
	ram.ListPrincipalsAPIClient
	ram.ListResourcesAPIClient
}

// collectRAM reads the shares, the principals and the resources of everything the
// account owns (ResourceOwner SELF), three listings at once, and groups principals and
// resources by share: one listing each for all shares, never one per share.
//
// Shares in every status are kept (DELETED ones too, for a while after deletion) with
// their Status. A principal or resource naming a share that is not in the share list
// (created between the calls) is left out. ListPrincipals gives no association status,
// so SharePrincipal.Status stays empty.
func collectRAM(ctx context.Context, u *unit, c ramAPI) {
	var (
		shares     []snapshot.Share
		principals []ramtypes.Principal
		resources  []ramtypes.Resource
		sharesOK   bool
	)
	parallel(func() {
		ctx := ctx
		p := ram.NewGetResourceSharesPaginator(c, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			ctx = after(ctx)
			if err != nil {
				u.fail("GetResourceShares", err)
				return
			}
			for _, s := range out.ResourceShares {
				shares = append(shares, snapshot.Share{
					Entity: snapshot.Entity{
						ID: str(s.ResourceShareArn), Provider: "aws", Account: u.account, Region: u.region,
						Name: str(s.Name), Tags: ramTags(s.Tags),
					},
					Status:                  string(s.Status),
					AllowExternalPrincipals: aws.ToBool(s.AllowExternalPrincipals),
				})
			}
		}
		sharesOK = true
	}, func() {
		ctx := ctx
		p := ram.NewListPrincipalsPaginator(c, &ram.ListPrincipalsInput{ResourceOwner: ramtypes.ResourceOwnerSelf})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			ctx = after(ctx)
			if err != nil {
				u.fail("ListPrincipals", err)
				principals = nil
				return
			}
			principals = append(principals, out.Principals...)
		}
	}, func() {
		ctx := ctx
		p := ram.NewListResourcesPaginator(c, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			ctx = after(ctx)
			if err != nil {
				u.fail("ListResources", err)
				resources = nil
				return
			}
			resources = append(resources, out.Resources...)
		}
	})
	if !sharesOK {
		return
	}

	byArn := make(map[string]int, len(shares))
	for i, s := range shares {
		byArn[s.ID] = i
	}
	for _, p := range principals {
		if i, ok := byArn[str(p.ResourceShareArn)]; ok {
			shares[i].Principals = append(shares[i].Principals, snapshot.SharePrincipal{ID: str(p.Id), External: aws.ToBool(p.External)})
		}
	}
	for _, r := range resources {
		i, ok := byArn[str(r.ResourceShareArn)]
		if !ok {
			continue
		}
		id := str(r.Arn)
		if rc := resourceConfigID(id); rc != "" {
			id = rc
		}
		shares[i].ResourceIDs = append(shares[i].ResourceIDs, id)
	}
	u.out.Shares = append(u.out.Shares, shares...)
}

// ramTags is a share's tags as a map (nil when it has none).
func ramTags(tags []ramtypes.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[str(t.Key)] = str(t.Value)
	}
	return m
}
