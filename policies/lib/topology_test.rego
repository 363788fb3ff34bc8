package dcgw.lib.topology_test

import data.dcgw.lib.fixtures
import data.dcgw.lib.topology

# estate connects Kong three ways: an AWS network (peering pcx-1 and TGW tgw-1), an
# Azure network (vHub vhub-1 and a VNet peering) and a GCP network (VPC peering).
estate := {
	"konnect": {"networks": [
		{
			"id": "kn-aws", "provider": "aws", "cidr": "10.4.0.0/16",
			"provider_network_id": "vpc-kong",
			"data_plane_ips": ["10.4.1.10", "10.4.2.10"],
			"attachments": [
				{"id": "att-pcx", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-a", "peering_id": "pcx-1"},
				{"id": "att-pcx-pending", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-p"},
				{"id": "att-tgw", "kind": "aws-transit-gateway-attachment", "hub_id": "tgw-1", "hub_attachment_id": "tgw-attach-kong"},
			],
		},
		{
			"id": "kn-az", "provider": "azure", "cidr": "10.5.0.0/16",
			"provider_network_id": "/subscriptions/kong/vnets/kong",
			"data_plane_ips": ["10.5.1.10"],
			"attachments": [{"id": "att-vhub", "kind": "azure-vhub-peering-attachment", "hub_id": "vhub-1"}],
		},
		{
			"id": "kn-gcp", "provider": "gcp", "cidr": "10.6.0.0/16",
			"provider_network_id": "projects/kong/global/networks/kong",
			"attachments": [{"id": "att-gcp", "kind": "gcp-vpc-peering-attachment"}],
		},
	]},
	"networks": [
		{"id": "vpc-a", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.10.0.0/16"]},
		{"id": "vpc-c", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.20.0.0/16", "2600:1f18::/56"]},
		{"id": "vpc-x", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.90.0.0/16"]},
		{"id": "vnet-b", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.11.0.0/16"]},
		{"id": "gcp-net", "provider": "gcp", "kind": "gcp-vpc"},
	],
	"subnets": [
		{"id": "sub-a1", "provider": "aws", "network_id": "vpc-a", "cidrs": ["10.10.1.0/24"], "route_table_id": "rtb-a"},
		{"id": "sub-c1", "provider": "aws", "network_id": "vpc-c", "cidrs": ["10.20.1.0/24", "2600:1f18::/64"]},
		{"id": "sub-x1", "provider": "aws", "network_id": "vpc-x", "cidrs": ["10.90.1.0/24"]},
		{"id": "gcp-sub", "provider": "gcp", "network_id": "gcp-net", "cidrs": ["10.50.0.0/20", "10.60.0.0/20"]},
		{"id": "sub-f1", "provider": "azure", "network_id": "vnet-f", "cidrs": ["10.30.1.0/24"]},
	],
	"peerings": [
		{"id": "pcx-1", "provider": "aws", "kind": "aws-vpc-peering", "local": {"network_id": "vpc-a"}, "remote": {"network_id": "vpc-kong"}},
		{"id": "peer-b", "provider": "azure", "kind": "azure-vnet-peering", "local": {"network_id": "vnet-b"}, "remote": {"network_id": "/subscriptions/kong/vnets/kong"}},
		{"id": "gcp-peer", "provider": "gcp", "kind": "gcp-vpc-peering", "local": {"network_id": "gcp-net"}, "remote": {"network_id": "projects/kong/global/networks/kong"}},
		{"id": "pcx-other", "provider": "aws", "kind": "aws-vpc-peering", "local": {"network_id": "vpc-x"}, "remote": {"network_id": "vpc-elsewhere"}},
	],
	"hubs": [
		{"id": "tgw-1", "provider": "aws", "kind": "aws-transit-gateway"},
		{"id": "vhub-1", "provider": "azure", "kind": "azure-virtual-hub"},
	],
	"hub_attachments": [
		{"id": "tgw-attach-kong", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-kong", "associated_route_table_id": "tgw-rtb-kong"},
		{"id": "tgw-attach-c", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-c", "associated_route_table_id": "tgw-rtb-spokes", "propagated_route_table_ids": ["tgw-rtb-kong"]},
		{"id": "tgw-attach-d", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-d", "associated_route_table_id": "tgw-rtb-spokes"},
		{"id": "tgw-attach-e", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-e", "associated_route_table_id": "tgw-rtb-spokes", "propagated_route_table_ids": ["tgw-rtb-spokes"]},
		{"id": "tgw-attach-vpn", "provider": "aws", "hub_id": "tgw-1", "kind": "vpn"},
		{"id": "vhub-conn-kong", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "/subscriptions/kong/vnets/kong"},
		{"id": "vhub-conn-f", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-f", "propagation_labels": ["kong"]},
		{"id": "vhub-conn-g", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-g", "propagation_labels": ["default"]},
	],
	"hub_route_tables": [
		{
			"id": "tgw-rtb-kong", "provider": "aws", "hub_id": "tgw-1",
			"propagations": ["tgw-attach-vpn"],
			"routes": [
				{"destination": "10.20.0.0/16", "attachment_ids": ["tgw-attach-c"], "type": "propagated", "state": "active"},
				{"destination": "10.31.0.0/16", "attachment_ids": ["tgw-attach-d"], "type": "static", "state": "active"},
				{"destination": "10.41.0.0/16", "attachment_ids": ["tgw-attach-e"], "type": "static", "state": "blackhole"},
				{"destination": "10.4.0.0/16", "attachment_ids": ["tgw-attach-kong"], "type": "propagated"},
			],
		},
		{"id": "tgw-rtb-spokes", "provider": "aws", "hub_id": "tgw-1", "propagations": ["tgw-attach-kong"]},
		{"id": "vhub-rt-kong", "provider": "azure", "hub_id": "vhub-1", "labels": ["kong"], "associations": ["vhub-conn-kong"]},
		{"id": "vhub-rt-default", "provider": "azure", "hub_id": "vhub-1", "labels": ["default"], "default": true, "associations": ["vhub-conn-f", "vhub-conn-g"]},
	],
}

test_kong_side if {
	topology.kong_cidrs == {"10.4.0.0/16", "10.5.0.0/16", "10.6.0.0/16"} with input as estate
	topology.dp_ips == {"10.4.1.10", "10.4.2.10", "10.5.1.10"} with input as estate
	{[a.id, a.konnect_network_id] | some a in topology.kong_attachments} == {
		["att-pcx", "kn-aws"], ["att-pcx-pending", "kn-aws"], ["att-tgw", "kn-aws"],
		["att-vhub", "kn-az"], ["att-gcp", "kn-gcp"],
	} with input as estate
}

test_peerings if {
	topology.kong_peerings == {"pcx-1", "peer-b", "gcp-peer"} with input as estate
	topology.peered_networks == {"vpc-a", "vpc-p", "vnet-b", "gcp-net"} with input as estate
}

test_hub_attachments_and_tables if {
	# tgw-attach-kong is named by Konnect; vhub-conn-kong attaches Kong's own VNet.
	topology.kong_hub_attachments == {"tgw-attach-kong", "vhub-conn-kong"} with input as estate
	topology.kong_hubs == {"tgw-1", "vhub-1"} with input as estate
	topology.kong_route_tables == {"tgw-rtb-kong", "vhub-rt-kong"} with input as estate
}

test_reachable if {
	# c: propagated route and propagation; d: static route; vpn: table propagation;
	# f: Azure label; e: only a blackhole route; g: propagates to another label.
	topology.reachable_attachments == {"tgw-attach-c", "tgw-attach-d", "tgw-attach-vpn", "vhub-conn-f"} with input as estate
	topology.hub_networks == {"vpc-c", "vpc-d", "vnet-f"} with input as estate
	topology.connected_networks == {"vpc-a", "vpc-p", "vnet-b", "gcp-net", "vpc-c", "vpc-d", "vnet-f"} with input as estate
	{[r.route_table_id, r.attachment_id, r.via] | some r in topology.reach} == {
		["tgw-rtb-kong", "tgw-attach-c", "route"],
		["tgw-rtb-kong", "tgw-attach-c", "propagation"],
		["tgw-rtb-kong", "tgw-attach-d", "route"],
		["tgw-rtb-kong", "tgw-attach-vpn", "propagation"],
		["vhub-rt-kong", "vhub-conn-f", "propagation"],
	} with input as estate
}

test_konnect_networks_of if {
	topology.konnect_networks_of["vpc-a"] == {"kn-aws"} with input as estate
	topology.konnect_networks_of["vpc-c"] == {"kn-aws"} with input as estate
	topology.konnect_networks_of["vnet-f"] == {"kn-az"} with input as estate
	topology.konnect_networks_of["vnet-b"] == {"kn-az"} with input as estate
	topology.konnect_networks_of["gcp-net"] == {"kn-gcp"} with input as estate
	not topology.konnect_networks_of["vpc-x"] with input as estate
}

test_network_ranges if {
	topology.network_ranges["gcp-net"] == {"10.50.0.0/20", "10.60.0.0/20"} with input as estate
	topology.network_ranges["vpc-c"] == {"10.20.0.0/16", "10.20.1.0/24", "2600:1f18::/56", "2600:1f18::/64"} with input as estate
	topology.network_ranges["vnet-f"] == {"10.30.1.0/24"} with input as estate
	topology.connected_blocks["vpc-c"] == {"10.20.0.0/16", "2600:1f18::/56"} with input as estate
	topology.connected_blocks["gcp-net"] == {"10.50.0.0/20", "10.60.0.0/20"} with input as estate
	topology.connected_blocks["vnet-f"] == {"10.30.1.0/24"} with input as estate
	not topology.connected_blocks["vpc-x"] with input as estate # not connected to Kong
}

test_upstream_subnets_default if {
	topology.upstream_subnets == {"sub-a1", "sub-c1", "gcp-sub", "sub-f1"} with input as estate
		with data.config as fixtures.config
}

test_upstream_subnets_configured if {
	topology.upstream_subnets == {"sub-x1"} with input as estate
		with data.config as object.union(fixtures.config, {"upstream_subnets": ["sub-x1"]})
}

test_allowed_spoke if {
	cfg := object.union(fixtures.config, {"allowed_spokes": ["tgw-attach-c", "vnet-f"]})
	topology.allowed_spoke("tgw-attach-c") with input as estate with data.config as cfg
	topology.allowed_spoke("vhub-conn-f") with input as estate with data.config as cfg
	not topology.allowed_spoke("tgw-attach-d") with input as estate with data.config as cfg
	not topology.allowed_spoke("tgw-attach-c") with input as estate with data.config as fixtures.config
}

test_customer_side if {
	p := {"local": {"network_id": "vpc-kong", "cidrs": ["10.4.0.0/16"]}, "remote": {"network_id": "vpc-a", "cidrs": ["10.10.0.0/16"]}}
	topology.customer_side(p).network_id == "vpc-a" with input as estate
	topology.customer_side(estate.peerings[0]).network_id == "vpc-a" with input as estate
}

test_empty_input if {
	count(topology.connected_networks) == 0 with input as {"konnect": {}}
	count(topology.reachable_attachments) == 0 with input as {"konnect": {}}
	count(topology.upstream_subnets) == 0 with input as {"konnect": {}} with data.config as fixtures.config
}

test_konnect_name if {
	topology.konnect_name({"id": "020f69e9", "name": "us-east-2-network"}) == "us-east-2-network"
	topology.konnect_name({"id": "020f69e9", "name": ""}) == "020f69e9"
	topology.konnect_name({"id": "020f69e9"}) == "020f69e9"
}
