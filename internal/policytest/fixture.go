// Package policytest holds a hand-built evaluation result for the writers' tests
// (sarif, report), so both render the same findings.
package policytest

import (
	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/reach"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// AzureVNet is the Azure resource id the fixture reports on (mixed case on purpose:
// Azure ids are case-insensitive).
const AzureVNet = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/Net-RG/providers/Microsoft.Network/virtualNetworks/Spoke-1"

// Fixture is a small hand-built result: five rules (one without findings, one custom),
// findings on AWS and Azure resources (one without a span), a rule not evaluated, and
// a failed and a partial scope.
func Fixture() (*policies.Result, *snapshot.Document) {
	res := &policies.Result{
		Rules: []policies.Rule{
			{
				ID: "DCGW-FW-002", Title: "Security group open beyond the data plane IPs",
				Description: "A security group attached to an upstream lets in more than the DCGW data plane private IPs on the service ports.",
				Severity:    policies.SeverityHigh, Connectivity: []string{"peering", "hub"}, Providers: []string{"aws"},
				Remediation: "Replace 0.0.0.0/0 with the data plane private IPs (/32 each).\nKeep the service port only.",
				Package:     "dcgw.firewall.dp_only", Builtin: true,
			},
			{
				ID: "DCGW-CIDR-001", Title: "CIDR overlap with the Konnect network",
				Description: "The customer network overlaps the DCGW network CIDR, so return traffic cannot be routed.",
				Severity:    policies.SeverityCritical, Connectivity: []string{"peering", "hub"}, Providers: []string{"aws", "azure", "gcp"},
				Remediation: "Re-create the DCGW network with a CIDR that does not overlap. Overlapping ranges cannot be peered.",
				Links:       []string{"https://docs.konghq.com/konnect/gateway-manager/dedicated-cloud-gateways/"},
				Builtin:     true,
			},
			{
				ID: "DCGW-DNS-001", Title: "Public hostname points at the gateway",
				Description: "The public hostname resolves straight to Kong Gateway instead of the customer's edge.",
				Severity:    policies.SeverityMedium, Connectivity: []string{"edge"},
				Remediation: "Point the CNAME at your CDN, WAF or load balancer.",
				Builtin:     true,
			},
			{
				ID: "DCGW-HUB-001", Title: "Spoke reachable outside the allow-list",
				Description: "A hub route table lets the Konnect attachment reach a spoke that is not allowed.",
				Severity:    policies.SeverityLow, Connectivity: []string{"hub"},
				Remediation: "Remove the propagation of the spoke into the Konnect route table.",
				Builtin:     true,
			},
			{
				ID: "ACME-TAG-1", Title: "owner tag | missing", Severity: policies.SeverityInfo,
				Remediation: "Tag every network with an owner.",
			},
		},
		Findings: []policies.Finding{
			{
				RuleID: "DCGW-FW-002", Severity: policies.SeverityHigh, ResourceID: "sg-0123", Key: "ingress/0.0.0.0-0/443",
				Message:  "sg-0123 allows 0.0.0.0/0 on 443/tcp; only the data plane IPs should reach it.",
				Evidence: map[string]any{"cidr": "0.0.0.0/0", "port": 443, "protocol": "tcp"},
				Provider: "aws", Account: "111111111111", Region: "us-east-1",
				Path: []reach.Hop{
					{Kind: "route", ResourceID: "rtb-0123", Key: "0.0.0.0/0", Target: "igw-0123", Action: "forward"},
					{Kind: "filter", ResourceID: "acl-0123", ResourceKind: "aws-network-acl", Key: "ingress/100", Direction: "ingress", Action: "allow",
						ReplyKey: "egress/100", ReplyPorts: []reach.PortRange{{From: 1024, To: 65535}}},
					{Kind: "filter", ResourceID: "sg-0123", ResourceKind: "aws-security-group", Key: "sgr-0123", Direction: "ingress", Action: "allow"},
				},
			},
			{
				RuleID: "DCGW-CIDR-001", Severity: policies.SeverityCritical, ResourceID: AzureVNet, Key: "10.10.0.0/16",
				Message:  "VNet Spoke-1 (10.10.0.0/16) overlaps the DCGW network 10.10.0.0/20.",
				Evidence: map[string]any{"network_cidr": "10.10.0.0/16", "konnect_cidr": "10.10.0.0/20"},
				Provider: "azure", Account: "00000000-0000-0000-0000-000000000001", Region: "westeurope",
			},
			{
				RuleID: "DCGW-CIDR-001", Severity: policies.SeverityCritical, ResourceID: "vpc-0abc", Key: "10.0.0.0/16",
				Message:  "VPC vpc-0abc (10.0.0.0/16) overlaps the DCGW network 10.0.0.0/20.",
				Evidence: map[string]any{"network_cidr": "10.0.0.0/16", "konnect_cidr": "10.0.0.0/20"},
				Provider: "aws", Account: "111111111111", Region: "us-east-1",
			},
			{
				RuleID: "DCGW-FW-002", Severity: policies.SeverityHigh, ResourceID: "sg-0123", Key: "ingress/10.0.0.0-8/8000-8100",
				Message:  "sg-0123 allows 10.0.0.0/8 on 8000-8100/tcp; only the data plane IPs should reach it.",
				Provider: "aws", Account: "111111111111", Region: "us-east-1",
			},
			{
				RuleID: "DCGW-DNS-001", Severity: policies.SeverityMedium, ResourceID: "api.example.com", Key: "CNAME",
				Message:  "api.example.com is a CNAME to the gateway | skip the edge\nsecond line",
				Provider: "konnect",
			},
			{
				RuleID: "ACME-TAG-1", Severity: policies.SeverityInfo, ResourceID: "vpc-0abc",
				Message:  "vpc-0abc has no owner tag.",
				Provider: "aws", Account: "111111111111", Region: "us-east-1",
			},
		},
		NotEvaluated: []policies.NotEvaluated{
			{RuleID: "DCGW-HUB-001", Scope: "aws/111111111111/us-east-1/ec2-tgw", Reason: "scope failed (denied)"},
		},
	}
	doc := &snapshot.Document{
		Snapshot: &snapshot.Snapshot{
			SchemaVersion: "1",
			Name:          "acme-prod",
			Scopes: []snapshot.Scope{
				{Provider: "aws", Account: "111111111111", Region: "us-east-1", Service: "ec2-tgw", Status: snapshot.ScopeFailed,
					Collections: []string{"hubs", "hub_route_tables"},
					Errors:      []snapshot.ScopeError{{Class: snapshot.ClassDenied, Operation: "DescribeTransitGateways", Message: "not authorized to perform ec2:DescribeTransitGateways"}}},
				{Provider: "aws", Account: "111111111111", Region: "us-east-1", Service: "ec2", Status: snapshot.ScopeOK,
					Collections: []string{"networks", "firewalls"}},
				{Provider: "azure", Account: "00000000-0000-0000-0000-000000000001", Region: "westeurope", Service: "network", Status: snapshot.ScopePartial,
					Collections: []string{"networks"},
					Errors:      []snapshot.ScopeError{{Class: snapshot.ClassTruncated, Message: "page limit reached"}}},
			},
		},
		Path: "testdata/estates/acme-prod.json",
		Spans: map[string]snapshot.Span{
			"vpc-0abc": {StartLine: 12, EndLine: 30},
			AzureVNet:  {StartLine: 31, EndLine: 44},
			"sg-0123":  {StartLine: 45, EndLine: 80},
			"acl-0123": {StartLine: 81, EndLine: 99},
			"rtb-0123": {StartLine: 100, EndLine: 120},
		},
	}
	return res, doc
}
