# METADATA
# description: >-
#   Test fixtures of the hub rules: estate is a transit gateway and a virtual hub with
#   Kong attachments, and config allows two of their spokes.
package dcgw.lib.hub_fixtures

import data.dcgw.lib.fixtures
import data.dcgw.lib.reach_models

# estate is an AWS transit gateway and an Azure virtual hub, each carrying a Kong
# attachment, and a second TGW without Kong.
estate := {
	"konnect": {"networks": [
		{
			"id": "kn-aws", "provider": "konnect", "cidr": "10.4.0.0/16", "provider_network_id": "vpc-kong",
			"attachments": [{"id": "att-tgw", "kind": "aws-transit-gateway-attachment", "hub_id": "tgw-1", "hub_attachment_id": "tgw-attach-kong"}],
		},
		{
			"id": "kn-az", "provider": "konnect", "cidr": "10.5.0.0/16", "provider_network_id": "vnet-kong",
			"attachments": [{"id": "att-vhub", "kind": "azure-vhub-peering-attachment", "hub_id": "vhub-1"}],
		},
	]},
	"hubs": [
		{"id": "tgw-1", "provider": "aws", "kind": "aws-transit-gateway", "default_route_table_association": true, "default_route_table_propagation": true, "auto_accept_shared_attachments": true},
		{"id": "tgw-2", "provider": "aws", "kind": "aws-transit-gateway", "default_route_table_association": true, "auto_accept_shared_attachments": true},
		{"id": "vhub-1", "provider": "azure", "kind": "azure-virtual-hub", "default_route_table_association": true, "default_route_table_propagation": true},
	],
	"hub_attachments": [
		{"id": "tgw-attach-kong", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-kong", "associated_route_table_id": "tgw-rtb-kong", "propagated_route_table_ids": ["tgw-rtb-shared"]},
		{"id": "tgw-attach-c", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-c", "associated_route_table_id": "tgw-rtb-spokes"},
		{"id": "tgw-attach-d", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-d", "associated_route_table_id": "tgw-rtb-shared"},
		{"id": "tgw-attach-e", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-e"},
		{"id": "tgw-attach-egress", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-egress"},
		{"id": "tgw-attach-vpn", "provider": "aws", "hub_id": "tgw-1", "kind": "vpn"},
		{"id": "tgw2-attach-x", "provider": "aws", "hub_id": "tgw-2", "kind": "vpc", "network_id": "vpc-x"},
		{"id": "conn-kong", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-kong", "associated_route_table_id": "rt-kong", "propagation_labels": ["spokes"]},
		{"id": "conn-f", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-f", "associated_route_table_id": "rt-spokes", "propagation_labels": ["kong"]},
		{"id": "conn-fw", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "network_id": "vnet-fw"},
	],
	"hub_route_tables": [
		{
			"id": "tgw-rtb-kong", "provider": "aws", "hub_id": "tgw-1",
			"propagations": ["tgw-attach-vpn"],
			"routes": [
				{"destination": "10.20.0.0/16", "attachment_ids": ["tgw-attach-c"], "type": "propagated", "state": "active"},
				{"destination": "10.31.0.0/16", "attachment_ids": ["tgw-attach-d"], "type": "static", "state": "active"},
				{"destination": "0.0.0.0/0", "attachment_ids": ["tgw-attach-egress"], "type": "static", "state": "active"},
				{"destination": "::/0", "type": "static", "state": "blackhole"},
				{"destination": "10.50.0.0/16", "attachment_ids": ["tgw-attach-e"], "type": "static", "state": "blackhole"},
			],
		},
		{"id": "tgw-rtb-spokes", "provider": "aws", "hub_id": "tgw-1", "associations": ["tgw-attach-e"], "propagations": ["tgw-attach-kong"]},
		{"id": "tgw-rtb-shared", "provider": "aws", "hub_id": "tgw-1"},
		{"id": "tgw2-rtb", "provider": "aws", "hub_id": "tgw-2", "associations": ["tgw2-attach-x"], "routes": [{"destination": "0.0.0.0/0", "attachment_ids": ["tgw2-attach-x"], "state": "active"}]},
		{
			"id": "rt-kong", "provider": "azure", "hub_id": "vhub-1", "labels": ["kong"],
			"routes": [{"destination": "0.0.0.0/0", "attachment_ids": ["conn-fw"], "type": "static"}],
		},
		{"id": "rt-spokes", "provider": "azure", "hub_id": "vhub-1", "labels": ["spokes"]},
	],
}

# c is allowed by attachment id and d by network id.
config := object.union(fixtures.config, {"allowed_spokes": ["tgw-attach-c", "vpc-d"]})

# with_model is the estate with its reachability model as input.reach (the hub links of
# DCGW-HUB-003 and DCGW-HUB-004), as the engine computes it (reach_models_test.rego).
with_model := object.union(estate, {"reach": reach_models.models["hub_fixtures.estate"]})
