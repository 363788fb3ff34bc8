package aws

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

const (
	elbARN     = "arn:aws:elasticloadbalancing:us-east-1:111111111111:"
	apiEdge    = elbARN + "loadbalancer/app/api-edge/50dc6c495c0c9188"
	legacy     = elbARN + "loadbalancer/app/legacy-edge/7a1f3b9c2d4e6f80"
	nlb        = elbARN + "loadbalancer/net/dcgw-nlb/3c5e7a9b1d2f4a60"
	tgHTTPS    = elbARN + "targetgroup/dcgw-https/6d0ecf831eec9f09"
	tgCanary   = elbARN + "targetgroup/dcgw-canary/1a2b3c4d5e6f7a8b"
	tgLegacy   = elbARN + "targetgroup/legacy-http/9f8e7d6c5b4a3921"
	tgTCP      = elbARN + "targetgroup/dcgw-tcp/2b4d6f8a0c1e3a5c"
	apiEdgeWAF = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/api-edge/a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
)

func TestELB(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, edgeManifest)
	u, calls := runService(t, srv, elbv2Service, "111111111111", "us-east-1")

	if d := gocmp.Diff(wantScope("elbv2", "us-east-1", "load_balancers", "target_groups"), u.scope); d != "" {
		t.Errorf("scope (-want +got):\n%s", d)
	}
	entity := func(id, name string) snapshot.Entity {
		return snapshot.Entity{ID: id, Provider: "aws", Account: "111111111111", Region: "us-east-1", Name: name}
	}
	wantLBs := []snapshot.LoadBalancer{
		{
			Entity: entity(apiEdge, "api-edge"), Kind: "aws-alb", Scheme: "internet-facing",
			NetworkID: "vpc-0a1b2c3d4e5f60718", DNSName: "api-edge-1873264519.us-east-1.elb.amazonaws.com",
			CanonicalZone: "Z35SXDOTRQ7X7K", FirewallIDs: []string{"sg-0123a4b5c6d7e8f90"}, WAFID: apiEdgeWAF,
			Listeners: []snapshot.Listener{
				{ID: elbARN + "listener/app/api-edge/50dc6c495c0c9188/c8e1f37a2b4d6e90", Protocol: "HTTP", Port: 80,
					DefaultAction: snapshot.ListenerAction{Kind: "redirect", RedirectProtocol: "HTTPS"}},
				{ID: elbARN + "listener/app/api-edge/50dc6c495c0c9188/f2f7dc8efc522ab2", Protocol: "HTTPS", Port: 443,
					TLSPolicy:     "ELBSecurityPolicy-TLS13-1-2-2021-06",
					DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{tgHTTPS, tgCanary}}},
			},
			TargetGroupIDs: []string{tgHTTPS, tgCanary},
		},
		{
			// Internet-facing, no web ACL; HTTP forwards instead of redirecting.
			Entity: entity(legacy, "legacy-edge"), Kind: "aws-alb", Scheme: "internet-facing",
			NetworkID: "vpc-0a1b2c3d4e5f60718", DNSName: "legacy-edge-402918375.us-east-1.elb.amazonaws.com",
			CanonicalZone: "Z35SXDOTRQ7X7K", FirewallIDs: []string{"sg-0456b7c8d9e0f1a23", "sg-0789c0d1e2f3a4b56"},
			Listeners: []snapshot.Listener{
				{ID: elbARN + "listener/app/legacy-edge/7a1f3b9c2d4e6f80/1b3d5f7a9c0e2a4b", Protocol: "HTTP", Port: 80,
					DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{tgLegacy}}},
				{ID: elbARN + "listener/app/legacy-edge/7a1f3b9c2d4e6f80/2c4e6a8b0d1f3a5c", Protocol: "HTTPS", Port: 443,
					TLSPolicy:     "ELBSecurityPolicy-2016-08",
					DefaultAction: snapshot.ListenerAction{Kind: "fixed-response"}},
			},
			TargetGroupIDs: []string{tgLegacy},
		},
		{
			// Internal NLB: no security groups, WAF not asked.
			Entity: entity(nlb, "dcgw-nlb"), Kind: "aws-nlb", Scheme: "internal",
			NetworkID: "vpc-0a1b2c3d4e5f60718", DNSName: "dcgw-nlb-3c5e7a9b1d2f4a60.elb.us-east-1.amazonaws.com",
			CanonicalZone: "Z26RNL4JYFTOTI",
			Listeners: []snapshot.Listener{
				{ID: elbARN + "listener/net/dcgw-nlb/3c5e7a9b1d2f4a60/5e7a9c1b3d5f7a90", Protocol: "TLS", Port: 443,
					TLSPolicy:     "ELBSecurityPolicy-TLS13-1-2-2021-06",
					DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{tgTCP}}},
			},
			TargetGroupIDs: []string{tgTCP},
		},
	}
	if d := gocmp.Diff(wantLBs, u.out.LoadBalancers); d != "" {
		t.Errorf("load balancers (-want +got):\n%s", d)
	}
	wantTGs := []snapshot.TargetGroup{
		{Entity: entity(tgHTTPS, "dcgw-https"), Protocol: "HTTPS", Port: 443, TargetType: "ip", NetworkID: "vpc-0a1b2c3d4e5f60718",
			LoadBalancerIDs: []string{apiEdge},
			Targets: []snapshot.Target{
				{ID: "10.40.11.23", Port: 443, Zone: "all", Health: "healthy"},
				{ID: "10.40.75.141", Port: 443, Zone: "all", Health: "healthy"},
			}},
		{Entity: entity(tgCanary, "dcgw-canary"), Protocol: "HTTPS", Port: 443, TargetType: "ip", NetworkID: "vpc-0a1b2c3d4e5f60718",
			LoadBalancerIDs: []string{apiEdge},
			Targets:         []snapshot.Target{{ID: "10.40.139.9", Port: 443, Zone: "all", Health: "unhealthy"}}},
		{Entity: entity(tgLegacy, "legacy-http"), Protocol: "HTTP", Port: 8000, TargetType: "instance", NetworkID: "vpc-0a1b2c3d4e5f60718",
			LoadBalancerIDs: []string{legacy},
			Targets:         []snapshot.Target{{ID: "i-0d2e4f6a8b0c1d3e5", Port: 8000, Health: "healthy"}}},
		{Entity: entity(tgTCP, "dcgw-tcp"), Protocol: "TCP", Port: 443, TargetType: "ip", NetworkID: "vpc-0a1b2c3d4e5f60718",
			LoadBalancerIDs: []string{nlb}},
	}
	if d := gocmp.Diff(wantTGs, u.out.TargetGroups); d != "" {
		t.Errorf("target groups (-want +got):\n%s", d)
	}

	// Two load balancer pages, one target group page, listeners per load balancer,
	// health per target group, WAF for the two internet-facing ALBs only.
	wantServed := []string{
		"us-east-1 DescribeLoadBalancers",
		"us-east-1 DescribeLoadBalancers Marker=ZXhhbXBsZS1tYXJrZXItcGFnZS0y",
		"us-east-1 DescribeListeners LoadBalancerArn=" + apiEdge,
		"us-east-1 DescribeListeners LoadBalancerArn=" + legacy,
		"us-east-1 DescribeListeners LoadBalancerArn=" + nlb,
		"us-east-1 DescribeTargetGroups",
		"us-east-1 DescribeTargetHealth TargetGroupArn=" + tgHTTPS,
		"us-east-1 DescribeTargetHealth TargetGroupArn=" + tgCanary,
		"us-east-1 DescribeTargetHealth TargetGroupArn=" + tgLegacy,
		"us-east-1 DescribeTargetHealth TargetGroupArn=" + tgTCP,
		"us-east-1 GetWebACLForResource ResourceArn=" + apiEdge,
		"us-east-1 GetWebACLForResource ResourceArn=" + legacy,
	}
	slices.Sort(wantServed)
	if d := gocmp.Diff(wantServed, servedCalls(srv)); d != "" {
		t.Errorf("served calls (-want +got):\n%s", d)
	}
	wantGuard := []string{
		"DescribeListeners@2", "DescribeListeners@2", "DescribeListeners@2",
		"DescribeLoadBalancers@0", "DescribeLoadBalancers@1",
		"DescribeTargetGroups@0",
		"DescribeTargetHealth@1", "DescribeTargetHealth@1", "DescribeTargetHealth@1", "DescribeTargetHealth@1",
		"GetWebACLForResource@2", "GetWebACLForResource@2",
	}
	if d := gocmp.Diff(wantGuard, guardCalls(calls)); d != "" {
		t.Errorf("calls@depth (-want +got):\n%s", d)
	}
	checkActions(t, elbv2Service, calls)
}

func TestELBAccessDenied(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, edgeManifest)
	u, calls := runService(t, srv, elbv2Service, "111111111111", "us-west-2")

	if u.scope.Status != snapshot.ScopeFailed {
		t.Errorf("status %q, want failed", u.scope.Status)
	}
	var got []string
	for _, e := range u.scope.Errors {
		got = append(got, e.Class+" "+e.Operation)
	}
	slices.Sort(got)
	if d := gocmp.Diff([]string{"denied DescribeLoadBalancers", "denied DescribeTargetGroups"}, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	if len(u.out.LoadBalancers)+len(u.out.TargetGroups) != 0 {
		t.Errorf("a denied region gave entities: %+v %+v", u.out.LoadBalancers, u.out.TargetGroups)
	}
	// Access denied is not retried, and nothing depends on a list that failed.
	if d := gocmp.Diff([]string{"us-west-2 DescribeLoadBalancers", "us-west-2 DescribeTargetGroups"}, servedCalls(srv)); d != "" {
		t.Errorf("served calls (-want +got):\n%s", d)
	}
	checkActions(t, elbv2Service, calls)
}

func TestELBWebACLMissingResource(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/edge/elbv2-waf-missing.yaml")
	u, _ := runService(t, srv, elbv2Service, "111111111111", "us-east-1")
	if u.scope.Status != snapshot.ScopeOK {
		t.Fatalf("scope %s, want ok: WAFNonexistentItemException means no web ACL", u.scope.Problem())
	}
	if len(u.out.LoadBalancers) != 1 || u.out.LoadBalancers[0].WAFID != "" {
		t.Errorf("load balancers %+v, want api-edge without a web ACL", u.out.LoadBalancers)
	}
}

func TestELBWebACLDenied(t *testing.T) {
	t.Parallel()
	srv := awstest.Start(t, "testdata/edge/elbv2-waf-denied.yaml")
	u, _ := runService(t, srv, elbv2Service, "111111111111", "us-east-1")
	if u.scope.Status != snapshot.ScopeFailed || len(u.scope.Errors) != 1 ||
		u.scope.Errors[0].Class != "denied" || u.scope.Errors[0].Operation != "GetWebACLForResource" {
		t.Errorf("scope %s, want failed (denied) on GetWebACLForResource", u.scope.Problem())
	}
}

func TestELBDefaultAction(t *testing.T) {
	t.Parallel()
	order := func(n int32) *int32 { return aws.Int32(n) }
	for _, tc := range []struct {
		name    string
		actions []elbtypes.Action
		want    snapshot.ListenerAction
	}{
		{"none", nil, snapshot.ListenerAction{}},
		{"forward by arn", []elbtypes.Action{{Type: "forward", TargetGroupArn: aws.String("tg-a")}},
			snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{"tg-a"}}},
		{"forward config, arn repeated", []elbtypes.Action{{Type: "forward", TargetGroupArn: aws.String("tg-a"),
			ForwardConfig: &elbtypes.ForwardActionConfig{TargetGroups: []elbtypes.TargetGroupTuple{{TargetGroupArn: aws.String("tg-a")}, {TargetGroupArn: aws.String("tg-b")}}}}},
			snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{"tg-a", "tg-b"}}},
		{"redirect keeping the protocol", []elbtypes.Action{{Type: "redirect", RedirectConfig: &elbtypes.RedirectActionConfig{Protocol: aws.String("#{protocol}")}}},
			snapshot.ListenerAction{Kind: "redirect", RedirectProtocol: "#{protocol}"}},
		{"authenticate then forward", []elbtypes.Action{
			{Type: "forward", Order: order(2), TargetGroupArn: aws.String("tg-a")},
			{Type: "authenticate-cognito", Order: order(1)},
		}, snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{"tg-a"}}},
		{"only an action this build does not know", []elbtypes.Action{{Type: "jwt-validation", Order: order(1)}},
			snapshot.ListenerAction{Kind: "jwt-validation"}},
	} {
		if d := gocmp.Diff(tc.want, defaultAction(tc.actions)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}
