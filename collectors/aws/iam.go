package aws

import (
	"encoding/json"
	"slices"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// identityActions are the calls Collect makes besides the services': who is calling,
// the enabled regions, and (organization mode) the member accounts.
var identityActions = []string{"sts:GetCallerIdentity", "ec2:DescribeRegions"}

// Actions are the IAM actions a collection may call in a scanned account, sorted:
// exactly what the read-only guard and the tests allow.
func Actions() []string {
	out := slices.Clone(identityActions)
	for _, s := range allServices() {
		out = append(out, s.actions...)
	}
	return snapshot.SortedSet(out)
}

// policyDocument is an IAM policy document.
type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid      string   `json:"Sid"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource string   `json:"Resource"`
}

// IAMPolicy is the minimal identity policy for a scanned account's role (read-only:
// every action is a Describe, List, Get or Search call). With orgRoleName, it adds what
// the caller in the management (or delegated administrator) account needs to list the
// members and assume that role in them.
func IAMPolicy(orgRoleName string) ([]byte, error) {
	doc := policyDocument{Version: "2012-10-17", Statement: []policyStatement{{
		Sid: "DcgwScanReadNetwork", Effect: "Allow", Action: Actions(), Resource: "*",
	}}}
	if orgRoleName != "" {
		doc.Statement = append(doc.Statement,
			policyStatement{Sid: "DcgwScanListAccounts", Effect: "Allow", Action: []string{"organizations:ListAccounts"}, Resource: "*"},
			policyStatement{Sid: "DcgwScanAssumeMemberRole", Effect: "Allow", Action: []string{"sts:AssumeRole"}, Resource: "arn:*:iam::*:role/" + orgRoleName},
		)
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
