package dcgw.attachment.not_ready_test

import data.dcgw.attachment.not_ready
import data.dcgw.lib.fixtures

kn(id, provider, attachments) := {
	"id": id, "provider": provider, "region": "r1", "cidr": "10.4.0.0/16",
	"provider_account_id": "111122223333", "availability_zones": ["use2-az2", "use2-az1"],
	"attachments": attachments,
}

findings(snap) := got if {
	got := {[f.resource, f.key] | some f in not_ready.deny} with input as snap with data.config as fixtures.config
}

msg(snap, resource, key) := f.msg if {
	some f in not_ready.deny with input as snap with data.config as fixtures.config
	f.resource == resource
	f.key == key
}

aws := {"konnect": {"networks": [kn("kn-aws", "aws", [
	{"id": "att-ok", "kind": "aws-vpc-peering-attachment", "state": "ready"},
	{"id": "att-pcx", "kind": "aws-vpc-peering-attachment", "state": "pending-acceptance", "peering_id": "pcx-1", "account": "444455556666"},
	{"id": "att-tgw", "kind": "aws-transit-gateway-attachment", "state": "pending-acceptance", "hub_id": "tgw-1", "hub_attachment_id": "tgw-attach-kong"},
	{"id": "att-err", "kind": "aws-transit-gateway-attachment", "state": "error", "state_reason": "cidr block overlaps"},
	{"id": "att-odd", "kind": "aws-transit-gateway-attachment", "state": "sleeping"},
	{"id": "att-nostate", "kind": "aws-vpc-peering-attachment"},
	{"id": "att-rep", "kind": "aws-resource-endpoint-attachment", "state": "ready", "resource_configs": [
		{"id": "rcfg-ok", "domain_name": "ok.internal", "state": "ready"},
		{"id": "rcfg-missing", "domain_name": "db.internal", "state": "missing"},
		{"id": "rcfg-init", "state": "initializing"},
	]},
])]}}

test_aws if {
	findings(aws) == {
		["att-pcx", "state"],
		["att-tgw", "state"],
		["att-err", "state"],
		["att-odd", "state"],
		["att-rep", "rcfg-missing"],
		["att-rep", "rcfg-init"],
	}
}

test_aws_messages_say_what_to_do if {
	contains(msg(aws, "att-pcx", "state"), "accept Kong's VPC peering connection pcx-1 in AWS account 444455556666")
	contains(msg(aws, "att-tgw", "state"), "accept the transit gateway attachment tgw-attach-kong on tgw-1 from Kong's account 111122223333")
	contains(msg(aws, "att-err", "state"), "(Konnect says: cidr block overlaps)")
	contains(msg(aws, "att-odd", "state"), "needs review")
	contains(msg(aws, "att-rep", "rcfg-missing"), "share no availability zone with the Konnect network (use2-az1, use2-az2)")
}

azure := {"konnect": {"networks": [kn("kn-az", "azure", [
	{"id": "att-vnet", "kind": "azure-vnet-peering-attachment", "state": "pending-user-action"},
	{"id": "att-vhub", "kind": "azure-vhub-peering-attachment", "state": "ready"},
])]}}

test_azure if {
	findings(azure) == {["att-vnet", "state"]}
	contains(msg(azure, "att-vnet", "state"), "Entra admin consent")
}

gcp := {"konnect": {"networks": [kn("kn-gcp", "gcp", [
	{"id": "att-gcp", "kind": "gcp-vpc-peering-attachment", "state": "pending-user-action"},
	{"id": "att-gone", "kind": "gcp-vpc-peering-attachment", "state": "terminated"},
])]}}

test_gcp if {
	findings(gcp) == {["att-gcp", "state"], ["att-gone", "state"]}
	contains(msg(gcp, "att-gcp", "state"), "reverse peering")
}

test_compliant if {
	ready := {"konnect": {"networks": [kn("kn-aws", "aws", [
		{"id": "att-pcx", "kind": "aws-vpc-peering-attachment", "state": "ready"},
		{"id": "att-rep", "kind": "aws-resource-endpoint-attachment", "state": "ready", "resource_configs": [{"id": "rcfg-1", "state": "ready"}]},
	])]}}
	count(not_ready.deny) == 0 with input as ready with data.config as fixtures.config
}
