package dcgw.cidr.azure_kong_range_test

import data.dcgw.cidr.azure_kong_range
import data.dcgw.lib.fixtures

kong_vnet := "/subscriptions/kong/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/dcgw"

vnet(id, cidrs) := {"id": id, "provider": "azure", "kind": "azure-vnet", "cidrs": cidrs}

kn := {"id": "kn-az", "name": "eastus2", "provider": "azure", "cidr": "10.1.0.0/16", "provider_network_id": kong_vnet}

findings(snap) := got if {
	got := {[f.resource, f.key] | some f in azure_kong_range.deny} with input as snap with data.config as fixtures.config
}

test_compliant if {
	findings({"konnect": {"networks": [kn]}, "networks": [vnet("a", ["10.2.0.0/16", "fd00::/48"])]}) == set()
}

test_unpeered_vnet_overlapping_konnect_cidr if {
	findings({"konnect": {"networks": [kn]}, "networks": [
		vnet("sandbox", ["192.168.0.0/24", "10.1.128.0/17"]),
		vnet("ok", ["10.0.0.0/16"]),
		{"id": "vpc-1", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.1.0.0/16"]},
	]}) == {["sandbox", "10.1.0.0/16"]}
}

# With no Azure Konnect network, Konnect's default 10.0.0.0/16 is the range to avoid.
test_default_range_without_azure_network if {
	aws := {"id": "kn-aws", "provider": "aws", "cidr": "10.9.0.0/16"}
	findings({"konnect": {"networks": [aws]}, "networks": [vnet("a", ["10.0.8.0/21"]), vnet("b", ["10.9.0.0/16"])]}) == {["a", "10.0.0.0/16"]}
}

# azure_default_konnect_cidr sets the planned range; empty turns the planning check off.
test_configured_default_range if {
	snap := {"networks": [vnet("a", ["10.0.8.0/21"]), vnet("b", ["172.20.1.0/24"])]}
	got := {[f.resource, f.key] | some f in azure_kong_range.deny} with input as snap
		with data.config as object.union(fixtures.config, {"azure_default_konnect_cidr": "172.20.0.0/16"})
	got == {["b", "172.20.0.0/16"]}
	none := {f | some f in azure_kong_range.deny} with input as snap
		with data.config as object.union(fixtures.config, {"azure_default_konnect_cidr": ""})
	none == set()
}

# A VNet peered with Kong is DCGW-CIDR-001's (critical): not reported twice.
test_connected_vnet_left_to_cidr_001 if {
	snap := {
		"konnect": {"networks": [kn]},
		"networks": [vnet("app", ["10.1.200.0/24", "10.50.0.0/16"]), vnet("sandbox", ["10.1.0.0/16"])],
		"peerings": [{"id": "p1", "provider": "azure", "kind": "azure-vnet-peering", "local": {"network_id": "app"}, "remote": {"network_id": kong_vnet}}],
	}
	findings(snap) == {["sandbox", "10.1.0.0/16"]}
}

test_message if {
	some f in azure_kong_range.deny with input as {"konnect": {"networks": [kn]}, "networks": [vnet("sandbox", ["10.1.0.0/16"])]}
		with data.config as fixtures.config
	contains(f.msg, "Konnect network eastus2 10.1.0.0/16")
	f.evidence.overlapping_cidrs == ["10.1.0.0/16"]
}
