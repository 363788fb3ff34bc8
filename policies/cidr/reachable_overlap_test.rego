package dcgw.cidr.reachable_overlap_test

import data.dcgw.cidr.reachable_overlap
import data.dcgw.lib.fixtures

# AWS: one VPC peered with Kong, two TGW spokes in Kong's route table (one by a
# propagated route, one by propagation only), a spoke Kong cannot reach, and an
# IPv6 overlap.
aws := {
	"konnect": {"networks": [{
		"id": "kn-aws", "provider": "konnect", "cidr": "10.4.0.0/16", "provider_network_id": "vpc-kong",
		"attachments": [
			{"id": "att-pcx", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-a", "peering_id": "pcx-1"},
			{"id": "att-tgw", "kind": "aws-transit-gateway-attachment", "hub_id": "tgw-1", "hub_attachment_id": "tgw-attach-kong"},
		],
	}]},
	"networks": [
		{"id": "vpc-a", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.10.0.0/16", "2600:1f18:1::/56"]},
		{"id": "vpc-b", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.10.128.0/20", "10.99.0.0/16"]},
		{"id": "vpc-c", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.0.0.0/8", "2600:1f18:1:1::/64"]},
		{"id": "vpc-d", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.10.0.0/16"]},
	],
	"hub_attachments": [
		{"id": "tgw-attach-kong", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-kong", "associated_route_table_id": "tgw-rtb-kong"},
		{"id": "tgw-attach-b", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-b"},
		{"id": "tgw-attach-c", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-c", "propagated_route_table_ids": ["tgw-rtb-kong"]},
		{"id": "tgw-attach-d", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-d", "propagated_route_table_ids": ["tgw-rtb-spokes"]},
	],
	"hub_route_tables": [
		{"id": "tgw-rtb-kong", "provider": "aws", "hub_id": "tgw-1", "routes": [
			{"destination": "10.10.128.0/20", "attachment_ids": ["tgw-attach-b"], "type": "propagated", "state": "active"},
		]},
		{"id": "tgw-rtb-spokes", "provider": "aws", "hub_id": "tgw-1"},
	],
}

test_aws if {
	got := {[f.resource, f.key] | some f in reachable_overlap.deny} with input as aws with data.config as fixtures.config
	got == {
		["vpc-a", "vpc-b|10.10.0.0/16|10.10.128.0/20"],
		["vpc-a", "vpc-c|10.10.0.0/16|10.0.0.0/8"],
		["vpc-b", "vpc-c|10.10.128.0/20|10.0.0.0/8"],
	}
}

test_aws_evidence_lists_every_overlap if {
	some f in reachable_overlap.deny with input as aws with data.config as fixtures.config
	f.resource == "vpc-a"
	startswith(f.key, "vpc-c|")
	f.evidence.overlaps == [["10.10.0.0/16", "10.0.0.0/8"], ["2600:1f18:1::/56", "2600:1f18:1:1::/64"]]
}

# Azure: a peered VNet and a vHub spoke (label propagation) overlap; GCP: a peered
# network connected to another Konnect network with the same range does not conflict.
multi := {
	"konnect": {"networks": [
		{
			"id": "kn-az", "provider": "konnect", "cidr": "10.5.0.0/16", "provider_network_id": "vnet-kong",
			"attachments": [
				{"id": "att-vhub", "kind": "azure-vhub-peering-attachment", "hub_id": "vhub-1"},
				{"id": "att-peer", "kind": "azure-vnet-peering-attachment", "network_id": "vnet-b"},
			],
		},
		{
			"id": "kn-gcp", "provider": "konnect", "cidr": "10.6.0.0/16", "provider_network_id": "gcp-kong",
			"attachments": [{"id": "att-gcp", "kind": "gcp-vpc-peering-attachment"}],
		},
	]},
	"networks": [
		{"id": "vnet-b", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.20.0.0/16"]},
		{"id": "vnet-f", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.20.4.0/22"]},
		{"id": "gcp-net", "provider": "gcp", "kind": "gcp-vpc"},
	],
	"subnets": [{"id": "gcp-sub", "provider": "gcp", "network_id": "gcp-net", "cidrs": ["10.20.0.0/24"]}],
	"peerings": [{"id": "gcp-peer", "provider": "gcp", "kind": "gcp-vpc-peering", "local": {"network_id": "gcp-net"}, "remote": {"network_id": "gcp-kong"}}],
	"hub_attachments": [
		{"id": "conn-kong", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-kong"},
		{"id": "conn-f", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-f", "propagation_labels": ["kong"]},
	],
	"hub_route_tables": [{"id": "rt-kong", "provider": "azure", "hub_id": "vhub-1", "labels": ["kong"], "associations": ["conn-kong"]}],
}

test_azure_and_gcp if {
	got := {[f.resource, f.key] | some f in reachable_overlap.deny} with input as multi with data.config as fixtures.config
	got == {["vnet-b", "vnet-f|10.20.0.0/16|10.20.4.0/22"]}
}

test_compliant if {
	clean := json.patch(aws, [
		{"op": "replace", "path": "/networks/1/cidrs", "value": ["10.11.0.0/20"]},
		{"op": "replace", "path": "/networks/2/cidrs", "value": ["10.12.0.0/16", "2600:1f18:2::/56"]},
	])
	count(reachable_overlap.deny) == 0 with input as clean with data.config as fixtures.config
}
