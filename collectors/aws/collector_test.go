package aws

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// testVPCs is a regional service of the test's own: DescribeVpcs into networks.
var testVPCs = service{
	name: "test-vpcs", collections: []string{"networks"}, actions: []string{"ec2:DescribeVpcs"},
	run: func(ctx context.Context, u *unit) {
		p := ec2.NewDescribeVpcsPaginator(ec2.NewFromConfig(u.cfg), &ec2.DescribeVpcsInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			ctx = after(ctx)
			if err != nil {
				u.fail("DescribeVpcs", err)
				return
			}
			for _, v := range page.Vpcs {
				u.out.Networks = append(u.out.Networks, snapshot.Network{
					Entity: snapshot.Entity{ID: str(v.VpcId), Provider: "aws", Account: str(v.OwnerId), Region: u.region},
					Kind:   "aws-vpc", CIDRs: []string{str(v.CidrBlock)},
				})
			}
		}
	},
}

// testZones is a global service of the test's own: ListHostedZones into dns_zones.
var testZones = service{
	name: "test-zones", global: true, collections: []string{"dns_zones"}, actions: []string{"route53:ListHostedZones"},
	run: func(ctx context.Context, u *unit) {
		out, err := route53.NewFromConfig(u.cfg).ListHostedZones(ctx, &route53.ListHostedZonesInput{})
		if err != nil {
			u.fail("ListHostedZones", err)
			return
		}
		for _, z := range out.HostedZones {
			u.out.DNSZones = append(u.out.DNSZones, snapshot.DNSZone{
				Entity:  snapshot.Entity{ID: strings.TrimPrefix(str(z.Id), "/hostedzone/") + "@" + u.account, Provider: "aws", Account: u.account, Region: u.region},
				DNSName: strings.TrimSuffix(str(z.Name), "."),
			})
		}
	},
}

func scopeSummary(scopes []snapshot.Scope) []string {
	var out []string
	for _, s := range scopes {
		line := s.Key() + " " + s.Status
		for _, e := range s.Errors {
			line += " " + e.Class + ":" + e.Operation
		}
		out = append(out, line)
	}
	slices.Sort(out)
	return out
}

func TestCollectOrganization(t *testing.T) {
	srv := awstest.Start(t, "testdata/core/responses.yaml")
	var progress []Progress
	var log callLog
	c := &Collector{
		Config:      testConfig(srv, "eu-west-1"),
		OrgRoleName: "DcgwScan",
		Progress:    func(p Progress) { progress = append(progress, p) },
		OnCall:      log.record,
		services:    []service{testVPCs, testZones},
	}
	snap := c.Collect(context.Background())

	wantScopes := []string{
		"aws/111111111111/eu-west-1/test-vpcs ok",
		"aws/111111111111/global/test-zones ok",
		"aws/111111111111/us-east-1/test-vpcs ok",
		// 222 could not list its regions: its regional units never ran, and a scope says so.
		"aws/222222222222/global/regions failed denied:DescribeRegions",
		"aws/222222222222/global/test-zones ok",
		"aws/333333333333/eu-west-1/test-vpcs failed denied:DescribeVpcs",
		"aws/333333333333/global/test-zones ok",
		"aws/333333333333/us-east-1/test-vpcs ok",
	}
	if d := cmp.Diff(wantScopes, scopeSummary(snap.Scopes)); d != "" {
		t.Errorf("scopes (-want +got):\n%s", d)
	}
	for _, s := range snap.Scopes {
		if s.Service == "regions" && !slices.Equal(s.Collections, []string{"networks"}) {
			t.Errorf("regions scope covers %v, want the regional collections [networks]", s.Collections)
		}
	}
	// The same VPC answered in every account and region is one entity.
	if len(snap.Networks) != 1 || len(snap.DNSZones) != 3 {
		t.Errorf("got %d networks and %d zones, want 1 and 3 (one per account)", len(snap.Networks), len(snap.DNSZones))
	}
	last := progress[len(progress)-1]
	if last.Done != last.Total || last.Total != 7 || last.Accounts != 3 || last.Failed != 1 {
		t.Errorf("last progress = %+v, want 7/7 units, 3 accounts, 1 failed", last)
	}
	// Every call is a read the services declared, or an identity call.
	allowed := append(slices.Clone(identityActions), "organizations:ListAccounts", "sts:AssumeRole", "ec2:DescribeVpcs", "route53:ListHostedZones")
	for _, call := range log.all() {
		if !slices.Contains(allowed, call.Action) {
			t.Errorf("call %s is not in the allow-list", call.Action)
		}
	}
	// The suspended account is not read; the member roles are assumed once each.
	assumed := map[string]int{}
	for _, call := range srv.Calls() {
		if call.Account == "444444444444" {
			t.Errorf("the suspended account was called: %+v", call)
		}
		if call.Operation == "AssumeRole" {
			assumed[call.Params["RoleArn"]]++
		}
	}
	want := map[string]int{"arn:aws:iam::222222222222:role/DcgwScan": 1, "arn:aws:iam::333333333333:role/DcgwScan": 1}
	if d := cmp.Diff(want, assumed); d != "" {
		t.Errorf("AssumeRole calls (-want +got):\n%s", d)
	}
	for _, s := range snap.Scopes {
		for _, e := range s.Errors {
			if strings.Contains(e.Message, "wJalr") || strings.Contains(e.Message, "SESSIONTOKEN") {
				t.Errorf("a scope error quotes a credential: %s", e.Message)
			}
		}
	}
}

func TestCollectIdentityFails(t *testing.T) {
	srv := awstest.Start(t, "testdata/core/identity-denied.yaml")
	c := &Collector{Config: testConfig(srv, "eu-west-1"), services: []service{testVPCs, testZones}}
	snap := c.Collect(context.Background())
	if d := cmp.Diff([]string{"aws//global/identity failed denied:GetCallerIdentity"}, scopeSummary(snap.Scopes)); d != "" {
		t.Fatalf("scopes (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"dns_zones", "networks"}, snap.Scopes[0].Collections); d != "" {
		t.Errorf("identity scope collections (-want +got):\n%s", d)
	}
	if msg := snap.Scopes[0].Errors[0].Message; !strings.Contains(msg, "InvalidClientTokenId") {
		t.Errorf("message %q does not name the error code", msg)
	}
}

func TestCollectRoleARN(t *testing.T) {
	srv := awstest.Start(t, "testdata/core/responses.yaml")
	c := &Collector{
		Config: testConfig(srv, "eu-west-1"), RoleARN: "arn:aws:iam::333333333333:role/DcgwScan",
		Regions: []string{"us-east-1"}, services: []service{testVPCs},
	}
	snap := c.Collect(context.Background())
	if d := cmp.Diff([]string{"aws/333333333333/us-east-1/test-vpcs ok"}, scopeSummary(snap.Scopes)); d != "" {
		t.Errorf("scopes (-want +got):\n%s", d)
	}
	for _, call := range srv.Calls() {
		if call.Operation == "DescribeVpcs" && call.Account != "333333333333" {
			t.Errorf("DescribeVpcs signed for %s, want the role's account", call.Account)
		}
		if call.Operation == "GetCallerIdentity" || call.Operation == "DescribeRegions" {
			t.Errorf("%s called although the role and regions were given", call.Operation)
		}
	}
}

func TestGuardRefusesWrites(t *testing.T) {
	srv := awstest.Start(t, "testdata/core/responses.yaml")
	c := &Collector{Config: testConfig(srv, "eu-west-1")}
	var n atomic.Int64
	client := ec2.NewFromConfig(c.baseConfig(&n))
	_, err := client.CreateTags(context.Background(), &ec2.CreateTagsInput{
		Resources: []string{"vpc-0a1b2c3d4e5f60718"}, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
	})
	if !errors.Is(err, ErrNotReadOnly) {
		t.Fatalf("CreateTags: err = %v, want ErrNotReadOnly", err)
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("the refused call reached the server: %+v", calls)
	}
	if _, err := client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{}); err != nil {
		t.Errorf("DescribeVpcs refused: %v", err)
	}
}

func TestReadOnly(t *testing.T) {
	for op, want := range map[string]bool{
		"DescribeVpcs": true, "ListHostedZones": true, "GetWebACLForResource": true, "SearchTransitGatewayRoutes": true,
		"GetCallerIdentity": true, "AssumeRole": true,
		"CreateTags": false, "DeleteVpc": false, "Describe": false, "Listen": false, "Getaway": false,
		"ModifyVpcAttribute": false, "AcceptVpcPeeringConnection": false, "ExportTransitGatewayRoutes": false,
	} {
		if got := ReadOnly(op); got != want {
			t.Errorf("ReadOnly(%q) = %v, want %v", op, got, want)
		}
	}
}

// TestActionsReadOnly checks every action a service declares is one the guard lets
// through, and that the IAM policy lists exactly the declared actions.
func TestActionsReadOnly(t *testing.T) {
	for _, s := range allServices() {
		if len(s.actions) == 0 || len(s.collections) == 0 {
			t.Errorf("service %s declares no actions or collections", s.name)
		}
		for _, a := range s.actions {
			svc, op, ok := strings.Cut(a, ":")
			if !ok || svc == "" || !ReadOnly(op) {
				t.Errorf("service %s: action %q is not a read-only IAM action", s.name, a)
			}
		}
		for _, c := range s.collections {
			if !snapshot.IsCollection(c) {
				t.Errorf("service %s: %q is not a snapshot collection", s.name, c)
			}
		}
	}
	doc, err := IAMPolicy("DcgwScan")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range Actions() {
		if !strings.Contains(string(doc), `"`+a+`"`) {
			t.Errorf("IAM policy lacks %s", a)
		}
	}
	if !strings.Contains(string(doc), `"arn:*:iam::*:role/DcgwScan"`) {
		t.Errorf("organization statement does not scope AssumeRole to the role:\n%s", doc)
	}
}

func TestClassify(t *testing.T) {
	api := func(code string) error { return &smithy.GenericAPIError{Code: code, Message: "m"} }
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("search: %w", ErrTruncated), "truncated"},
		{api("UnauthorizedOperation"), "denied"},
		{api("AccessDeniedException"), "denied"},
		{api("AuthFailure"), "denied"},
		{api("ExpiredToken"), "denied"},
		{api("RequestLimitExceeded"), "throttled"},
		{api("ThrottlingException"), "throttled"},
		{api("OptInRequired"), "disabled"},
		{api("InvalidVpcID.NotFound"), "not-found"},
		{api("NoSuchHostedZone"), "not-found"},
		{context.DeadlineExceeded, "timeout"},
		{errors.New("boom"), "other"},
	} {
		if got := classify(tc.err); got != tc.want {
			t.Errorf("classify(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
