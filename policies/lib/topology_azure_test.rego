package dcgw.lib.topology_azure_test

import data.dcgw.lib.fixtures
import data.dcgw.lib.topology

# A vWAN hub as the Azure collector reports it: Konnect names the hub but not Kong's
# connection; Kong's connection is the one whose VNet is in Kong's subscription.
hub := "/subscriptions/cust/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub1"

t(name) := concat("/hubRouteTables/", [hub, name])

c(name) := concat("/hubVirtualNetworkConnections/", [hub, name])

vnet(sub, name) := sprintf("/subscriptions/%s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/%s", [sub, name])

estate(conns, tables) := {
	"konnect": {"networks": [{
		"id": "kn-az", "provider": "azure", "cidr": "10.0.0.0/16",
		"provider_account_id": "KONG-SUB",
		"attachments": [{"id": "att-vhub", "kind": "azure-vhub-peering-attachment", "hub_id": hub}],
	}]},
	"hubs": [{"id": hub, "provider": "azure", "kind": "azure-virtual-hub"}],
	"hub_attachments": conns,
	"hub_route_tables": tables,
}

conn(name, network, assoc, props, labels) := {
	"id": c(name), "provider": "azure", "hub_id": hub, "kind": "vnet", "network_id": network,
	"associated_route_table_id": assoc, "propagated_route_table_ids": props, "propagation_labels": labels,
}

table(name, labels) := {"id": t(name), "provider": "azure", "hub_id": hub, "labels": labels, "default": name == "defaultRouteTable"}

tables := [
	table("defaultRouteTable", ["default"]),
	table("noneRouteTable", ["none"]),
	table("rt-kong", ["kong"]),
]

kong := conn("kong", vnet("kong-sub", "dcgw"), t("rt-kong"), [], ["none"])

reached(conns) := r if {
	r := {[x.route_table_id, x.attachment_id] | some x in topology.reach} with input as estate(conns, tables) with data.config as fixtures.config
}

test_kong_connection_found_by_subscription if {
	got := topology.kong_hub_attachments with input as estate([kong], tables) with data.config as fixtures.config
	got == {c("kong")}
	topology.kong_route_tables == {t("rt-kong")} with input as estate([kong], tables) with data.config as fixtures.config
}

test_connection_in_another_subscription_is_not_kong if {
	other := conn("other", vnet("cust", "app"), t("rt-kong"), [], [])
	got := topology.kong_hub_attachments with input as estate([kong, other], tables) with data.config as fixtures.config
	got == {c("kong")}
}

# A connection that names no label and no table propagates to "default".
test_no_label_means_default if {
	plain := conn("plain", vnet("cust", "app"), t("defaultRouteTable"), [], [])
	kong_default := conn("kong", vnet("kong-sub", "dcgw"), t("defaultRouteTable"), [], ["none"])
	reached([kong_default, plain]) == {[t("defaultRouteTable"), c("plain")]}
}

# A connection that names a table but no label propagates to that table only.
test_table_without_label_is_not_default if {
	blue := conn("blue", vnet("cust", "blue"), t("defaultRouteTable"), [t("rt-blue")], [])
	kong_default := conn("kong", vnet("kong-sub", "dcgw"), t("defaultRouteTable"), [], ["none"])
	reached([kong_default, blue]) == set()
}

# Propagating to the None table (or the "none" label) is no propagation.
test_none_table_is_no_propagation if {
	iso := conn("iso", vnet("cust", "iso"), t("defaultRouteTable"), [t("noneRouteTable")], ["none"])
	reached([kong, iso]) == set()
	ps := {x.route_table_id | some x in topology.propagations; x.attachment_id == c("iso")} with input as estate([kong, iso], tables)
		with data.config as fixtures.config
	ps == set()
}

# A label that Kong's table carries leaks the spoke to Kong.
test_label_leaks_spoke if {
	hr := conn("hr", vnet("cust", "hr"), t("defaultRouteTable"), [t("defaultRouteTable")], ["default", "kong"])
	reached([kong, hr]) == {[t("rt-kong"), c("hr")]}
	topology.hub_networks == {vnet("cust", "hr")} with input as estate([kong, hr], tables) with data.config as fixtures.config
}

# AWS attachments keep their own semantics: no labels and no tables is no propagation.
test_aws_attachment_without_propagation if {
	aws := {"id": "tgw-attach-x", "provider": "aws", "hub_id": hub, "kind": "vpc", "associated_route_table_id": "x"}
	topology.propagation_labels(aws) == set()
}
