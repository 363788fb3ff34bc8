package dcgw.hub.declared_blocks_unrouted_test

import data.dcgw.hub.declared_blocks_unrouted
import data.dcgw.lib.fixtures

tgw_att(id, hub_attachment, blocks) := {
	"id": id, "kind": "aws-transit-gateway-attachment", "state": "ready",
	"hub_id": "tgw-1", "hub_attachment_id": hub_attachment, "cidr_blocks": blocks,
}

route(dest, hops, state) := {"destination": dest, "attachment_ids": hops, "type": "static", "state": state}

estate := {
	"konnect": {"networks": [{"id": "kn-aws", "provider": "aws", "cidr": "10.4.0.0/16", "provider_network_id": "vpc-kong", "attachments": [
		tgw_att("att-tgw", "tgw-attach-kong", [
			"10.30.0.0/16", # routed to a spoke
			"10.31.0.0/16", # blackhole
			"10.32.0.0/16", # only a part routed
			"10.40.0.0/16", # no route
			"10.50.1.0/24", # inside a prefix-list route
			"10.60.0.0/16", # inside the active 10.60.0.0/14
			"10.70.0.0/16", # a blackhole more specific than the active 10.64.0.0/10
		]),
		tgw_att("att-notable", "tgw-attach-kong2", ["10.40.0.0/16"]), # its table is not in the snapshot
		tgw_att("att-trunc", "tgw-attach-kong3", ["10.40.0.0/16"]), # its table is truncated
		tgw_att("att-assoc", "tgw-attach-kong4", ["10.80.0.0/16"]), # associated through the table's list
		{"id": "att-pcx", "kind": "aws-vpc-peering-attachment", "cidr_blocks": ["10.90.0.0/16"]},
	]}]},
	"hub_attachments": [
		{"id": "tgw-attach-kong", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-kong", "associated_route_table_id": "tgw-rtb-kong"},
		{"id": "tgw-attach-kong2", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "associated_route_table_id": "tgw-rtb-elsewhere"},
		{"id": "tgw-attach-kong3", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "associated_route_table_id": "tgw-rtb-trunc"},
		{"id": "tgw-attach-kong4", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc"},
		{"id": "tgw-attach-c", "provider": "aws", "hub_id": "tgw-1", "kind": "vpc", "network_id": "vpc-c"},
	],
	"hub_route_tables": [
		{"id": "tgw-rtb-kong", "provider": "aws", "hub_id": "tgw-1", "routes": [
			route("10.30.0.0/16", ["tgw-attach-c"], "active"),
			route("10.31.0.0/16", [], "blackhole"),
			route("10.32.0.0/24", ["tgw-attach-c"], "active"),
			{"prefix_list_id": "pl-1", "attachment_ids": ["tgw-attach-c"], "type": "static", "state": "active"},
			route("10.60.0.0/14", ["tgw-attach-c"], "active"),
			route("10.64.0.0/10", ["tgw-attach-c"], "active"),
			route("10.70.0.0/16", [], "blackhole"),
		]},
		{"id": "tgw-rtb-trunc", "provider": "aws", "hub_id": "tgw-1", "truncated": true},
		{"id": "tgw-rtb-4", "provider": "aws", "hub_id": "tgw-1", "associations": ["tgw-attach-kong4"], "routes": [route("10.81.0.0/16", ["tgw-attach-c"], "active")]},
	],
	"prefix_lists": [{"id": "pl-1", "provider": "aws", "cidrs": ["10.50.0.0/16"]}],
}

findings(snap) := got if {
	got := {[f.resource, f.key] | some f in declared_blocks_unrouted.deny} with input as snap with data.config as fixtures.config
}

test_aws if {
	findings(estate) == {
		["att-tgw", "10.31.0.0/16"],
		["att-tgw", "10.32.0.0/16"],
		["att-tgw", "10.40.0.0/16"],
		["att-tgw", "10.70.0.0/16"],
		["att-assoc", "10.80.0.0/16"],
	}
}

test_messages if {
	got := {f.key: f.msg | some f in declared_blocks_unrouted.deny; f.resource == "att-tgw"} with input as estate with data.config as fixtures.config
	got["10.31.0.0/16"] == "Konnect attachment att-tgw declares 10.31.0.0/16, so Kong routes it to transit gateway tgw-1, but Kong's route table tgw-rtb-kong routes it to a blackhole: the transit gateway drops that traffic."
	got["10.32.0.0/16"] == "Konnect attachment att-tgw declares 10.32.0.0/16, so Kong routes it to transit gateway tgw-1, but Kong's route table tgw-rtb-kong has no active route covering all of it (1 more specific routes cover parts of it): the transit gateway drops that traffic."
	got["10.40.0.0/16"] == "Konnect attachment att-tgw declares 10.40.0.0/16, so Kong routes it to transit gateway tgw-1, but Kong's route table tgw-rtb-kong has no active route covering it: the transit gateway drops that traffic."
}

# Azure vHub attachments declare no blocks; the table of an Azure hub is not read.
test_azure_not_applicable if {
	snap := {
		"konnect": {"networks": [{"id": "kn-az", "provider": "azure", "cidr": "10.5.0.0/16", "attachments": [{"id": "att-vhub", "kind": "azure-vhub-peering-attachment", "hub_id": "vhub-1", "hub_attachment_id": "conn-kong"}]}]},
		"hub_attachments": [{"id": "conn-kong", "provider": "azure", "hub_id": "vhub-1", "kind": "vnet", "associated_route_table_id": "rt-kong"}],
		"hub_route_tables": [{"id": "rt-kong", "provider": "azure", "hub_id": "vhub-1"}],
	}
	findings(snap) == set()
}

test_compliant if {
	routed := json.patch(estate, [
		{"op": "replace", "path": "/hub_route_tables/0/routes/1/state", "value": "active"},
		{"op": "replace", "path": "/hub_route_tables/0/routes/1/attachment_ids", "value": ["tgw-attach-c"]},
		{"op": "replace", "path": "/hub_route_tables/0/routes/2/destination", "value": "10.32.0.0/15"},
		{"op": "add", "path": "/hub_route_tables/0/routes/-", "value": route("10.40.0.0/16", ["tgw-attach-c"], "active")},
		{"op": "remove", "path": "/hub_route_tables/0/routes/6"},
		{"op": "replace", "path": "/hub_route_tables/2/routes/0/destination", "value": "10.80.0.0/12"},
	])
	findings(routed) == set()
}
