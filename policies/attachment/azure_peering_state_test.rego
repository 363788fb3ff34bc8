package dcgw.attachment.azure_peering_state_test

import data.dcgw.attachment.azure_peering_state
import data.dcgw.lib.fixtures

kong_vnet := "/subscriptions/kong/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/dcgw"

estate(peerings) := {
	"konnect": {"networks": [{"id": "kn-az", "provider": "azure", "cidr": "10.0.0.0/16", "provider_network_id": kong_vnet}]},
	"peerings": peerings,
}

peering(id, state, sync) := {
	"id": id, "provider": "azure", "kind": "azure-vnet-peering", "state": state, "sync_level": sync,
	"local": {"network_id": concat("", ["vnet-", id])}, "remote": {"network_id": kong_vnet},
}

findings(peerings) := got if {
	got := {[f.resource, f.key] | some f in azure_peering_state.deny} with input as estate(peerings)
		with data.config as fixtures.config
}

test_compliant if {
	findings([peering("ok", "Connected", "FullyInSync")]) == set()
}

test_not_connected_or_not_in_sync if {
	findings([
		peering("init", "Initiated", "FullyInSync"),
		peering("lag", "Connected", "RemoteNotInSync"),
		peering("both", "Disconnected", "LocalAndRemoteNotInSync"),
	]) == {["init", "state"], ["lag", "sync_level"], ["both", "state"], ["both", "sync_level"]}
}

test_peering_not_with_kong_ignored if {
	other := object.union(peering("other", "Initiated", "LocalNotInSync"), {"remote": {"network_id": "vnet-elsewhere"}})
	findings([other]) == set()
}

test_aws_peering_ignored if {
	aws := object.union(peering("pcx", "pending-acceptance", ""), {"kind": "aws-vpc-peering", "provider": "aws"})
	findings([aws]) == set()
}

test_message if {
	some f in azure_peering_state.deny with input as estate([peering("lag", "Connected", "LocalNotInSync")])
		with data.config as fixtures.config
	contains(f.msg, "LocalNotInSync")
	f.evidence.network_id == "vnet-lag"
}
