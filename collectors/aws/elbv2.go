package aws

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	waftypes "github.com/aws/aws-sdk-go-v2/service/wafv2/types"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// elbv2Service reads the load balancers with their listeners and WAF association, and
// the target groups with their registered targets, in one region.
var elbv2Service = service{
	name:        "elbv2",
	collections: []string{"load_balancers", "target_groups"},
	actions: []string{
		"elasticloadbalancing:DescribeListeners",
		"elasticloadbalancing:DescribeLoadBalancers",
		"elasticloadbalancing:DescribeTargetGroups",
		"elasticloadbalancing:DescribeTargetHealth",
		// GetWebACLForResource calls GetWebACL on the caller's behalf: both are needed.
		"wafv2:GetWebACL",
		"wafv2:GetWebACLForResource",
	},
	run: func(ctx context.Context, u *unit) {
		collectELBv2(ctx, u, elbv2.NewFromConfig(u.cfg), wafv2.NewFromConfig(u.cfg))
	},
}

// elbv2API is what the collector calls on ELBv2 (the SDK client satisfies it).
type elbv2API interface {
	elbv2.DescribeLoadBalancersAPIClient
	elbv2.DescribeListenersAPIClient
	elbv2.DescribeTargetGroupsAPIClient
	DescribeTargetHealth(ctx context.Context, in *elbv2.DescribeTargetHealthInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTargetHealthOutput, error)
}

// wafAPI is what the collector calls on WAFv2.
type wafAPI interface {
	GetWebACLForResource(ctx context.Context, in *wafv2.GetWebACLForResourceInput, optFns ...func(*wafv2.Options)) (*wafv2.GetWebACLForResourceOutput, error)
}

// collectELBv2 lists the load balancers and the target groups (at once: neither needs
// the other), then per load balancer its listeners and, for an internet-facing ALB, its
// web ACL, and per target group its targets' health, all within the unit's fan-out.
// Each per-item call is one call deeper than the list it came from.
//
// A load balancer's TargetGroupIDs are the target groups that name it in their
// LoadBalancerArns (what DescribeTargetGroups reports, listener rules included). The
// WAF association is read for internet-facing ALBs only, the ones the rules ask it of;
// internal ALBs and NLBs have an empty WAFID, which means "not read" for them.
func collectELBv2(ctx context.Context, u *unit, c elbv2API, waf wafAPI) {
	var (
		lbs          []snapshot.LoadBalancer
		tgs          []snapshot.TargetGroup
		lbCtx, tgCtx = ctx, ctx
		lbsOK, tgsOK bool
		tgArns       [][]string
		lbTypes      []elbtypes.LoadBalancerTypeEnum
	)
	parallel(func() {
		p := elbv2.NewDescribeLoadBalancersPaginator(c, &elbv2.DescribeLoadBalancersInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(lbCtx)
			lbCtx = after(lbCtx)
			if err != nil {
				u.fail("DescribeLoadBalancers", err)
				return
			}
			for _, lb := range out.LoadBalancers {
				lbs = append(lbs, loadBalancer(u, lb))
				lbTypes = append(lbTypes, lb.Type)
			}
		}
		lbsOK = true
	}, func() {
		p := elbv2.NewDescribeTargetGroupsPaginator(c, &elbv2.DescribeTargetGroupsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(tgCtx)
			tgCtx = after(tgCtx)
			if err != nil {
				u.fail("DescribeTargetGroups", err)
				return
			}
			for _, tg := range out.TargetGroups {
				tgs = append(tgs, targetGroup(u, tg))
				tgArns = append(tgArns, tg.LoadBalancerArns)
			}
		}
		tgsOK = true
	})
	if !lbsOK {
		lbs = nil
	}
	if !tgsOK {
		tgs, tgArns = nil, nil
	}

	var tasks []func()
	for i := range lbs {
		tasks = append(tasks, func() { listeners(lbCtx, u, c, &lbs[i]) })
		if lbTypes[i] == elbtypes.LoadBalancerTypeEnumApplication && lbs[i].Scheme == string(elbtypes.LoadBalancerSchemeEnumInternetFacing) {
			tasks = append(tasks, func() { webACL(lbCtx, u, waf, &lbs[i]) })
		}
	}
	for i := range tgs {
		tasks = append(tasks, func() { targetHealth(tgCtx, u, c, &tgs[i]) })
	}
	u.forEach(ctx, len(tasks), func(_ context.Context, i int) { tasks[i]() })

	byArn := make(map[string]int, len(lbs))
	for i, lb := range lbs {
		byArn[lb.ID] = i
	}
	for j, arns := range tgArns {
		for _, arn := range arns {
			if i, ok := byArn[arn]; ok {
				lbs[i].TargetGroupIDs = append(lbs[i].TargetGroupIDs, tgs[j].ID)
			}
		}
	}
	u.out.LoadBalancers = append(u.out.LoadBalancers, lbs...)
	u.out.TargetGroups = append(u.out.TargetGroups, tgs...)
}

// loadBalancerKinds maps ELBv2 load balancer types to snapshot kinds. Gateway load
// balancers are kept (kind aws-gwlb) so nothing is dropped silently; no rule reads them.
var loadBalancerKinds = map[elbtypes.LoadBalancerTypeEnum]string{
	elbtypes.LoadBalancerTypeEnumApplication: "aws-alb",
	elbtypes.LoadBalancerTypeEnumNetwork:     "aws-nlb",
	elbtypes.LoadBalancerTypeEnumGateway:     "aws-gwlb",
}

func loadBalancer(u *unit, lb elbtypes.LoadBalancer) snapshot.LoadBalancer {
	kind, ok := loadBalancerKinds[lb.Type]
	if !ok {
		kind = "aws-" + string(lb.Type)
	}
	return snapshot.LoadBalancer{
		Entity:        snapshot.Entity{ID: str(lb.LoadBalancerArn), Provider: "aws", Account: u.account, Region: u.region, Name: str(lb.LoadBalancerName)},
		Kind:          kind,
		Scheme:        string(lb.Scheme),
		NetworkID:     str(lb.VpcId),
		DNSName:       normHost(str(lb.DNSName)),
		CanonicalZone: str(lb.CanonicalHostedZoneId),
		FirewallIDs:   lb.SecurityGroups,
	}
}

func targetGroup(u *unit, tg elbtypes.TargetGroup) snapshot.TargetGroup {
	t := snapshot.TargetGroup{
		Entity:          snapshot.Entity{ID: str(tg.TargetGroupArn), Provider: "aws", Account: u.account, Region: u.region, Name: str(tg.TargetGroupName)},
		Protocol:        string(tg.Protocol),
		TargetType:      string(tg.TargetType),
		NetworkID:       str(tg.VpcId),
		LoadBalancerIDs: tg.LoadBalancerArns,
	}
	if tg.Port != nil {
		t.Port = int(*tg.Port)
	}
	return t
}

// listeners reads a load balancer's listeners. A listing that failed leaves the load
// balancer without listeners (and the scope failed).
func listeners(ctx context.Context, u *unit, c elbv2API, lb *snapshot.LoadBalancer) {
	var ls []snapshot.Listener
	p := elbv2.NewDescribeListenersPaginator(c, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(lb.ID)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		ctx = after(ctx)
		if err != nil {
			u.fail("DescribeListeners", err)
			return
		}
		for _, l := range out.Listeners {
			sl := snapshot.Listener{
				ID:            str(l.ListenerArn),
				Protocol:      string(l.Protocol),
				TLSPolicy:     str(l.SslPolicy),
				DefaultAction: defaultAction(l.DefaultActions),
			}
			if l.Port != nil {
				sl.Port = int(*l.Port)
			}
			ls = append(ls, sl)
		}
	}
	lb.Listeners = ls
}

// defaultAction is what a listener finally does: its forward, redirect or
// fixed-response action (authentication actions come before it, in Order). A listener
// with none of those gets the kind of its last action.
func defaultAction(actions []elbtypes.Action) snapshot.ListenerAction {
	var last *elbtypes.Action
	var terminal *elbtypes.Action
	for i := range actions {
		a := &actions[i]
		if last == nil || order(a) >= order(last) {
			last = a
		}
		switch a.Type {
		case elbtypes.ActionTypeEnumForward, elbtypes.ActionTypeEnumRedirect, elbtypes.ActionTypeEnumFixedResponse:
			if terminal == nil || order(a) < order(terminal) {
				terminal = a
			}
		}
	}
	if terminal == nil {
		terminal = last
	}
	if terminal == nil {
		return snapshot.ListenerAction{}
	}
	act := snapshot.ListenerAction{Kind: string(terminal.Type)}
	switch terminal.Type {
	case elbtypes.ActionTypeEnumForward:
		seen := map[string]bool{}
		add := func(arn string) {
			if arn != "" && !seen[arn] {
				seen[arn] = true
				act.TargetGroupIDs = append(act.TargetGroupIDs, arn)
			}
		}
		add(str(terminal.TargetGroupArn))
		if terminal.ForwardConfig != nil {
			for _, t := range terminal.ForwardConfig.TargetGroups {
				add(str(t.TargetGroupArn))
			}
		}
	case elbtypes.ActionTypeEnumRedirect:
		// A redirect without a protocol keeps the request's own ("#{protocol}").
		if terminal.RedirectConfig != nil {
			act.RedirectProtocol = str(terminal.RedirectConfig.Protocol)
		}
	}
	return act
}

func order(a *elbtypes.Action) int32 { return aws.ToInt32(a.Order) }

// webACL reads the web ACL associated with an ALB. No association is an answer
// without a web ACL; WAFNonexistentItemException (the ALB is unknown to WAF, e.g.
// deleted since it was listed) is taken as no association too.
func webACL(ctx context.Context, u *unit, c wafAPI, lb *snapshot.LoadBalancer) {
	out, err := c.GetWebACLForResource(ctx, &wafv2.GetWebACLForResourceInput{ResourceArn: aws.String(lb.ID)})
	var missing *waftypes.WAFNonexistentItemException
	switch {
	case errors.As(err, &missing):
		return
	case err != nil:
		u.fail("GetWebACLForResource", err)
		return
	}
	if out.WebACL != nil {
		lb.WAFID = str(out.WebACL.ARN)
	}
}

// targetHealth reads the registered targets of a target group (DescribeTargetHealth
// has no pages: one call answers for the whole group).
func targetHealth(ctx context.Context, u *unit, c elbv2API, tg *snapshot.TargetGroup) {
	out, err := c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg.ID)})
	if err != nil {
		u.fail("DescribeTargetHealth", err)
		return
	}
	for _, d := range out.TargetHealthDescriptions {
		if d.Target == nil { // a description without a target names nothing to keep
			continue
		}
		t := snapshot.Target{ID: str(d.Target.Id), Port: int(aws.ToInt32(d.Target.Port)), Zone: str(d.Target.AvailabilityZone)}
		if d.TargetHealth != nil {
			t.Health = string(d.TargetHealth.State)
		}
		tg.Targets = append(tg.Targets, t)
	}
}
