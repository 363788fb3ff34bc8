# METADATA
# description: >-
#   Test fixtures of the return-route rules (CIDR-003, -004, -005): estate has Konnect
#   networks on AWS, Azure and GCP and one customer route table per case.
package dcgw.lib.route_fixtures

route(dest, kind, id) := {"destination": dest, "target_kind": kind, "target_id": id, "state": "active"}

rt(id, nid, routes) := {"id": id, "provider": "test", "network_id": nid, "routes": routes}

subnet(id, nid, tid) := {"id": id, "provider": "test", "network_id": nid, "route_table_id": tid}

# estate has one route table per case of the CIDR-003, -004 and -005 tests.
# AWS: VPC peering (vpc-a) and TGW spoke (vpc-c); Azure: VNet peering (vnet-b) and vHub
# spoke (vnet-f) with system routes; GCP: peerings with system routes and priorities.
estate := {
	"konnect": {"networks": [
		{
			"id": "kn-aws", "provider": "konnect", "cidr": "10.4.0.0/16", "provider_network_id": "vpc-kong",
			"attachments": [
				{"id": "att-pcx", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-a", "peering_id": "pcx-1"},
				{"id": "att-tgw", "kind": "aws-transit-gateway-attachment", "hub_id": "tgw-1", "hub_attachment_id": "tgw-attach-kong"},
			],
		},
		{
			"id": "kn-az", "provider": "konnect", "cidr": "10.5.0.0/16", "provider_network_id": "vnet-kong",
			"attachments": [
				{"id": "att-vhub", "kind": "azure-vhub-peering-attachment", "hub_id": "vhub-1"},
				{"id": "att-peer", "kind": "azure-vnet-peering-attachment", "network_id": "vnet-b", "peering_id": "peer-b"},
			],
		},
		{
			"id": "kn-gcp", "provider": "konnect", "cidr": "10.6.0.0/16", "provider_network_id": "gcp-kong",
			"attachments": [{"id": "att-gcp", "kind": "gcp-vpc-peering-attachment"}],
		},
	]},
	"networks": [
		{"id": "vpc-a", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.10.0.0/16"]},
		{"id": "vpc-c", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.20.0.0/16"]},
		{"id": "vnet-b", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.11.0.0/16"]},
		{"id": "vnet-f", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.21.0.0/16"]},
		{"id": "gcp-net", "provider": "gcp", "kind": "gcp-vpc"},
		{"id": "gcp-net2", "provider": "gcp", "kind": "gcp-vpc"},
		{"id": "vpc-x", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.90.0.0/16"]},
	],
	"subnets": [
		subnet("sub-a1", "vpc-a", "rtb-a1"),
		subnet("sub-a2", "vpc-a", "rtb-a2"),
		subnet("sub-a3", "vpc-a", "rtb-a3"),
		{"id": "sub-a4", "provider": "aws", "network_id": "vpc-a"}, # main table
		subnet("sub-c1", "vpc-c", "rtb-c1"),
		subnet("sub-c2", "vpc-c", "rtb-c2"),
		subnet("sub-b1", "vnet-b", "rt-b"),
		subnet("sub-f1", "vnet-f", "rt-f"),
		subnet("gcp-sub", "gcp-net", "gcp-net-routes"),
		subnet("gcp-sub2", "gcp-net2", "gcp-net2-routes"),
		subnet("sub-x1", "vpc-x", "rtb-x"), # not connected to Kong
	],
	"route_tables": [
		# ok, but 10.4.8.0/24 goes to a NAT gateway (CIDR-005)
		rt("rtb-a1", "vpc-a", [route("10.10.0.0/16", "local", ""), route("10.4.0.0/16", "peering", "pcx-1"), route("10.4.8.0/24", "nat-gateway", "nat-1")]),
		# the /16 to an internet gateway beats the /8 to the peering (CIDR-003)
		rt("rtb-a2", "vpc-a", [route("10.0.0.0/8", "peering", "pcx-1"), route("10.4.0.0/16", "internet-gateway", "igw-1")]),
		# the peering was deleted: blackhole (CIDR-004)
		rt("rtb-a3", "vpc-a", [object.union(route("10.4.0.0/16", "peering", "pcx-1"), {"state": "blackhole"})]),
		# main table with no route to Kong (CIDR-003)
		object.union(rt("rtb-main", "vpc-a", [route("10.10.0.0/16", "local", "")]), {"main": true}),
		# two /17 routes to the TGW cover the /16: ok
		rt("rtb-c1", "vpc-c", [route("10.4.0.0/17", "hub", "tgw-1"), route("10.4.128.0/17", "hub", "tgw-1"), route("0.0.0.0/0", "nat-gateway", "nat-2")]),
		# a static drop beats the prefix-list route to the TGW for the same prefix (CIDR-004)
		rt("rtb-c2", "vpc-c", [{"prefix_list_id": "pl-kong", "target_kind": "hub", "target_id": "tgw-1", "state": "active"}, route("10.4.0.0/16", "none", "")]),
		# Azure: a user-defined route overrides the peering's system route (CIDR-003)
		rt("rt-b", "vnet-b", [object.union(route("10.5.0.0/16", "peering", "peer-b"), {"origin": "system"}), route("10.5.0.0/16", "virtual-appliance", "10.11.0.4")]),
		# Azure vHub system route, with a /24 carved out to an appliance (CIDR-005)
		rt("rt-f", "vnet-f", [object.union(route("10.5.0.0/16", "hub", "vhub-1"), {"origin": "system"}), route("10.5.3.0/24", "virtual-appliance", "10.21.0.4")]),
		# GCP: the peering route: ok
		rt("gcp-net-routes", "gcp-net", [object.union(route("10.6.0.0/16", "peering", "gcp-peer"), {"origin": "system", "priority": 0})]),
		# GCP: a VPN route with a lower priority number wins over the peering route (CIDR-003)
		rt("gcp-net2-routes", "gcp-net2", [
			object.union(route("10.6.0.0/16", "peering", "gcp-peer2"), {"origin": "system", "priority": 1000}),
			object.union(route("10.6.0.0/16", "vpn-gateway", "vpn-1"), {"origin": "static", "priority": 100}),
		]),
		rt("rtb-x", "vpc-x", []),
	],
	"prefix_lists": [{"id": "pl-kong", "provider": "aws", "cidrs": ["10.4.0.0/16"]}],
	"peerings": [
		{"id": "pcx-1", "provider": "aws", "kind": "aws-vpc-peering", "local": {"network_id": "vpc-a"}, "remote": {"network_id": "vpc-kong"}},
		{"id": "peer-b", "provider": "azure", "kind": "azure-vnet-peering", "local": {"network_id": "vnet-b"}, "remote": {"network_id": "vnet-kong"}},
		{"id": "gcp-peer", "provider": "gcp", "kind": "gcp-vpc-peering", "local": {"network_id": "gcp-net"}, "remote": {"network_id": "gcp-kong"}},
		{"id": "gcp-peer2", "provider": "gcp", "kind": "gcp-vpc-peering", "local": {"network_id": "gcp-net2"}, "remote": {"network_id": "gcp-kong"}},
	],
	"hub_attachments": [
		{"id": "tgw-attach-kong", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-kong", "associated_route_table_id": "tgw-rtb-kong"},
		{"id": "tgw-attach-c", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-c", "propagated_route_table_ids": ["tgw-rtb-kong"]},
		{"id": "conn-kong", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-kong", "associated_route_table_id": "rt-kong"},
		{"id": "conn-f", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-f", "propagation_labels": ["kong"]},
	],
	"hub_route_tables": [
		{"id": "tgw-rtb-kong", "provider": "aws", "hub_id": "tgw-1"},
		{"id": "rt-kong", "provider": "azure", "hub_id": "vhub-1", "labels": ["kong"]},
	],
}
