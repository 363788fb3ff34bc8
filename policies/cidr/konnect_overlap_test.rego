package dcgw.cidr.konnect_overlap_test

import data.dcgw.cidr.konnect_overlap
import data.dcgw.lib.fixtures

kn(id, cidr, provider_network, attachments) := {
	"id": id, "provider": "konnect", "cidr": cidr,
	"provider_network_id": provider_network, "attachments": attachments,
}

# AWS: peering with a secondary block that overlaps, a pending attachment whose declared
# cidr_blocks overlap, and a TGW whose Kong table propagates a spoke and a VPN prefix.
aws := {
	"konnect": {"networks": [kn("kn-aws", "10.4.0.0/16", "vpc-kong", [
		{"id": "att-pcx", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-a", "peering_id": "pcx-1"},
		{"id": "att-pcx2", "kind": "aws-vpc-peering-attachment", "cidr_blocks": ["10.4.128.0/20"]},
		{"id": "att-tgw", "kind": "aws-transit-gateway-attachment", "hub_id": "tgw-1", "hub_attachment_id": "tgw-attach-kong", "cidr_blocks": ["10.30.0.0/16"]},
	])]},
	"networks": [
		{"id": "vpc-a", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.10.0.0/16", "10.4.0.0/20"]},
		{"id": "vpc-c", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.30.0.0/16"]},
		{"id": "vpc-far", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.4.0.0/16"]},
	],
	"subnets": [
		{"id": "sub-a1", "provider": "aws", "network_id": "vpc-a", "cidrs": ["10.4.1.0/24"]},
		{"id": "sub-a2", "provider": "aws", "network_id": "vpc-a", "cidrs": ["10.4.240.0/24"]},
	],
	"peerings": [{
		"id": "pcx-1", "provider": "aws", "kind": "aws-vpc-peering",
		"local": {"network_id": "vpc-a", "cidrs": ["10.10.0.0/16", "10.4.0.0/20"]},
		"remote": {"network_id": "vpc-kong", "cidrs": ["10.4.0.0/16"]},
	}],
	"hub_attachments": [
		{"id": "tgw-attach-kong", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-kong", "associated_route_table_id": "tgw-rtb-kong"},
		{"id": "tgw-attach-c", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-c"},
		{"id": "tgw-attach-vpn", "provider": "aws", "hub_id": "tgw-1", "kind": "vpn"},
	],
	"hub_route_tables": [{
		"id": "tgw-rtb-kong", "provider": "aws", "hub_id": "tgw-1",
		"routes": [
			{"destination": "10.30.0.0/16", "attachment_ids": ["tgw-attach-c"], "type": "propagated", "state": "active"},
			{"destination": "10.4.200.0/24", "attachment_ids": ["tgw-attach-vpn"], "type": "propagated", "state": "active"},
			{"destination": "10.4.0.0/16", "attachment_ids": ["tgw-attach-kong"], "type": "propagated", "state": "active"},
			{"destination": "0.0.0.0/0", "attachment_ids": ["tgw-attach-vpn"], "type": "static", "state": "active"},
			{"destination": "10.4.100.0/24", "type": "static", "state": "blackhole"},
		],
	}],
}

test_aws if {
	got := {[f.resource, f.key] | some f in konnect_overlap.deny} with input as aws with data.config as fixtures.config
	got == {
		["vpc-a", "10.4.0.0/16|10.4.0.0/20"], # network block and the peering's local cidrs
		["vpc-a", "10.4.0.0/16|10.4.240.0/24"], # subnet outside the network's listed blocks
		["att-pcx2", "10.4.0.0/16|10.4.128.0/20"], # declared cidr_blocks
		["tgw-rtb-kong", "10.4.0.0/16|10.4.200.0/24"], # propagated VPN prefix
	}
}

test_aws_seen_on_merges_sources if {
	some f in konnect_overlap.deny with input as aws with data.config as fixtures.config
	f.key == "10.4.0.0/16|10.4.0.0/20"
	f.evidence.seen_on == ["network vpc-a", "peering pcx-1"]
}

# Azure: vHub spoke overlapping (through the table's label propagation), a VNet
# peering whose remote address space (as peered, out of sync) overlaps.
azure := {
	"konnect": {"networks": [kn("kn-az", "10.5.0.0/16", "/subscriptions/kong/vnets/kong", [
		{"id": "att-vhub", "kind": "azure-vhub-peering-attachment", "hub_id": "vhub-1"},
		{"id": "att-peer", "kind": "azure-vnet-peering-attachment", "network_id": "vnet-b", "peering_id": "peer-b"},
	])]},
	"networks": [
		{"id": "vnet-b", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.11.0.0/16"]},
		{"id": "vnet-f", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.5.64.0/18"]},
		{"id": "vnet-g", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.5.0.0/24"]},
	],
	"peerings": [{
		"id": "peer-b", "provider": "azure", "kind": "azure-vnet-peering",
		"local": {"network_id": "vnet-b", "cidrs": ["10.11.0.0/16"], "peered_cidrs": ["10.11.0.0/16", "10.5.8.0/24"]},
		"remote": {"network_id": "/subscriptions/kong/vnets/kong", "cidrs": ["10.5.0.0/16"]},
	}],
	"hub_attachments": [
		{"id": "conn-kong", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "/subscriptions/kong/vnets/kong", "associated_route_table_id": "rt-kong"},
		{"id": "conn-f", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-f", "propagation_labels": ["kong"]},
		{"id": "conn-g", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-g", "propagation_labels": ["default"]},
	],
	"hub_route_tables": [
		{"id": "rt-kong", "provider": "azure", "hub_id": "vhub-1", "labels": ["kong"]},
		{"id": "rt-default", "provider": "azure", "hub_id": "vhub-1", "labels": ["default"]},
	],
}

test_azure if {
	got := {[f.resource, f.key] | some f in konnect_overlap.deny} with input as azure with data.config as fixtures.config
	got == {
		["vnet-f", "10.5.0.0/16|10.5.64.0/18"],
		["vnet-b", "10.5.0.0/16|10.5.8.0/24"],
	}
}

# GCP: the network has no ranges of its own; a secondary subnet range overlaps.
gcp := {
	"konnect": {"networks": [kn("kn-gcp", "10.6.0.0/16", "projects/kong/global/networks/kong", [
		{"id": "att-gcp", "kind": "gcp-vpc-peering-attachment"},
	])]},
	"networks": [{"id": "gcp-net", "provider": "gcp", "kind": "gcp-vpc"}],
	"subnets": [{"id": "gcp-sub", "provider": "gcp", "network_id": "gcp-net", "cidrs": ["10.50.0.0/20", "10.6.32.0/20"]}],
	"peerings": [{
		"id": "gcp-peer", "provider": "gcp", "kind": "gcp-vpc-peering",
		"local": {"network_id": "gcp-net"},
		"remote": {"network_id": "projects/kong/global/networks/kong"},
	}],
}

test_gcp if {
	got := {[f.resource, f.key] | some f in konnect_overlap.deny} with input as gcp with data.config as fixtures.config
	got == {["gcp-net", "10.6.0.0/16|10.6.32.0/20"]}
}

test_compliant if {
	clean := json.patch(gcp, [{"op": "replace", "path": "/subnets/0/cidrs", "value": ["10.50.0.0/20", "10.7.0.0/20", "fd20::/64"]}])
	count(konnect_overlap.deny) == 0 with input as clean with data.config as fixtures.config
}

# A network that overlaps but is not connected to Kong is not reported here.
test_unconnected_network_ignored if {
	not_peered := json.patch(gcp, [{"op": "replace", "path": "/peerings/0/remote/network_id", "value": "projects/x/global/networks/y"}])
	count(konnect_overlap.deny) == 0 with input as not_peered with data.config as fixtures.config
}
